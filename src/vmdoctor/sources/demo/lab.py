"""Build the demo lab: topology, VMs, planted problems, incidents, timeline, metrics."""

from __future__ import annotations

import gc
from dataclasses import replace

from vmdoctor.model import Datastore, Environment, Family, SourceInfo
from vmdoctor.sources.demo.background import add_background
from vmdoctor.sources.demo.check_map import CHECK_IDS
from vmdoctor.sources.demo.draft import Draft
from vmdoctor.sources.demo.finalize import HostLoad, settle_datastores, settle_host_usage
from vmdoctor.sources.demo.incident_base import IncidentDraft
from vmdoctor.sources.demo.incidents_paths import incident_apd_host, incident_iso_library_lost
from vmdoctor.sources.demo.incidents_platform import (
    incident_psod_failover,
    incident_session_exhaustion,
)
from vmdoctor.sources.demo.incidents_power_on import (
    incident_hw_version_beyond_host,
    incident_pool_reservation,
)
from vmdoctor.sources.demo.incidents_space import (
    incident_snapshot_fills_datastore,
    incident_thin_overcommit_stun,
)
from vmdoctor.sources.demo.metrics import (
    HOST_CPU,
    VM_READY,
    MetricsBuilder,
    Overrides,
)
from vmdoctor.sources.demo.plan import DEFAULT_VMS, default_plan, scaled_plan
from vmdoctor.sources.demo.plant_hosts import plant_host_problems
from vmdoctor.sources.demo.plant_profiles import (
    note_snapshots_on_filled_datastores,
    plant_profile_problems,
)
from vmdoctor.sources.demo.plant_vms import plant_vm_problems
from vmdoctor.sources.demo.planter import Planter
from vmdoctor.sources.demo.topology import build_topology
from vmdoctor.sources.demo.truth import DemoLab, PlantedProblem
from vmdoctor.sources.demo.vms import build_vms


def build_lab(vm_count: int | None = None, seed: int = 7) -> DemoLab:
    """The built-in lab: 400 VMs by default, or ``vm_count`` VMs of the same character.

    The same ``seed`` and ``vm_count`` always give a byte-identical Environment.
    """
    # Hundreds of thousands of new, acyclic objects: the cycle collector would rescan the
    # growing heap again and again for nothing (half the build time at 100k VMs).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(vm_count, seed)
    finally:
        if was_enabled:
            gc.enable()


def _build(vm_count: int | None, seed: int) -> DemoLab:
    plan = default_plan() if vm_count is None else scaled_plan(vm_count)
    draft = Draft(seed, plan.vm_count, scaled=vm_count is not None)
    build_topology(draft, plan)
    build_vms(draft, [c.vms for c in plan.clusters])

    overrides: Overrides = {}
    load: HostLoad = {}
    planter = Planter(draft, overrides, load)
    add_background(draft, planter.rec)
    plant_profile_problems(planter)
    repeats = max(1, round(plan.vm_count / DEFAULT_VMS))
    incidents: list[IncidentDraft | None] = [incident_session_exhaustion(planter)]
    for rep in range(repeats):
        incidents += [
            incident_snapshot_fills_datastore(planter),
            incident_thin_overcommit_stun(planter, rep),
            incident_apd_host(planter),
            incident_psod_failover(planter, rep),
            incident_hw_version_beyond_host(planter, rep),
            incident_pool_reservation(planter, rep),
        ]
        plant_vm_problems(planter, rep)
        plant_host_problems(planter)
    incidents.append(incident_iso_library_lost(planter))
    note_snapshots_on_filled_datastores(planter)

    _note_cluster_memory(planter)
    datastores = settle_datastores(draft)
    _note_overprovisioned(draft.planted, datastores)
    usage = settle_host_usage(draft, load)
    metrics = MetricsBuilder(draft, overrides)
    metrics.hosts(usage)
    metrics.vms()
    metrics.datastores(datastores)
    _realtime(draft, metrics, usage, overrides)
    timeline = draft.timeline.finish()
    found = [i for i in incidents if i is not None]
    environment = Environment(
        collected_at=draft.now,
        source=SourceInfo(
            kind="demo",
            name="demo lab",
            details={
                "seed": str(seed),
                "vm_count": str(len(draft.vms)),
                "scale": "default" if vm_count is None else str(vm_count),
            },
        ),
        vcenters=draft.vcenters,
        datacenters=draft.datacenters,
        clusters=draft.clusters,
        hosts=draft.hosts,
        vms=draft.vms,
        datastores=datastores,
        networks=draft.networks,
        resource_pools=draft.resource_pools,
        timeline=type(timeline)(
            events=timeline.events, tasks=timeline.tasks, logs=timeline.logs, metrics=metrics.out
        ),
    )
    return DemoLab(
        environment=environment,
        planted=draft.planted,
        incidents=[d.resolve(n + 1, draft.timeline) for n, d in enumerate(found)],
    )


_FILLED = frozenset({"datastore-free-space-low", "datastore-full"})


def _note_overprovisioned(planted: list[PlantedProblem], datastores: list[Datastore]) -> None:
    """A datastore filled this far with thin disks promises more than it holds (>= 150 %)."""
    by_id = {ds.id: ds for ds in datastores}
    for n, problem in enumerate(planted):
        ds = by_id.get(problem.object_id)
        if problem.kind not in _FILLED or ds is None or not ds.capacity_bytes:
            continue
        if (ds.provisioned_bytes or 0) / ds.capacity_bytes >= 1.5:
            planted[n] = replace(
                problem,
                check_names=(*problem.check_names, "datastore-overprovisioned"),
                check_ids=(*problem.check_ids, CHECK_IDS["datastore-overprovisioned"]),
            )


def _note_cluster_memory(planter: Planter) -> None:
    """Hosts taken out of service (maintenance, disconnected, not responding) can leave a tight
    cluster promising its running VMs more memory than the remaining hosts have."""
    draft = planter.draft
    for cluster, info in zip(draft.clusters, draft.cluster_info, strict=True):
        hosts = [draft.hosts[i] for i in info.host_indexes]
        usable = sum(
            h.memory_mb or 0 for h in hosts if h.is_connected and not h.in_maintenance_mode
        )
        configured = sum(draft.vms[i].memory_mb for i in info.vm_indexes if draft.vms[i].is_on)
        if usable and configured / usable > 1.0:
            planter.flag(
                cluster,
                "cluster-memory-overcommitted",
                Family.RESOURCES,
                "With hosts out of service, running VMs are promised more "
                "memory than the remaining hosts have.",
                ["cluster-memory-overcommit"],
                exclusive=False,
            )


def _realtime(
    draft: Draft,
    metrics: MetricsBuilder,
    usage: dict[str, tuple[float, float]],
    overrides: Overrides,
) -> None:
    """The last hour at 20 s for the busiest host and the VMs with planted CPU ready."""
    busiest = max(usage, key=lambda h: usage[h][0], default=None)
    if busiest is not None:
        metrics.realtime("host", busiest, HOST_CPU, "percent", usage[busiest][0])
    for (entity_id, counter), values in overrides.items():
        if counter == VM_READY:
            per_20s = values[-1] * 20 / 7200
            metrics.realtime("vm", entity_id, VM_READY, "ms", per_20s)
