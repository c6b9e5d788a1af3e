"""Collect one server into an Environment: inventory, events, tasks, performance, gaps."""

from __future__ import annotations

import functools
import http.client
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from vmdoctor.model import VM, Environment, Gap, SourceInfo, Timeline, VCenter
from vmdoctor.sources.vsphere import map_hosts, map_inventory, map_vms
from vmdoctor.sources.vsphere.alarms import triggered_alarm_events
from vmdoctor.sources.vsphere.errors import VimFault
from vmdoctor.sources.vsphere.events import collect_events, collect_tasks
from vmdoctor.sources.vsphere.inventory import (
    ContainerView,
    ObjectMapping,
    host_settings,
    retrieve_type,
    send_ahead,
)
from vmdoctor.sources.vsphere.map_storage import extent_datastores
from vmdoctor.sources.vsphere.perf import PerfEntity, collect_perf, instance_of
from vmdoctor.sources.vsphere.session import Session
from vmdoctor.sources.vsphere.soap import ObjectProps, RawPoster
from vmdoctor.sources.vsphere.target import CollectOptions, ServerTarget
from vmdoctor.sources.vsphere.tree import InventoryTree, TreeEntry
from vmdoctor.sources.vsphere.vmomi import vmodl

T = TypeVar("T")

#: Retrieval order: parents before children does not matter (the tree is built first), but
#: the cheap structural types go first so a slow VM retrieval still leaves a useful skeleton.
TYPES = (
    "Folder",
    "Datacenter",
    "ComputeResource",
    "ClusterComputeResource",
    "DistributedVirtualSwitch",
    "Network",
    "DistributedVirtualPortgroup",
    "Datastore",
    "ResourcePool",
    "HostSystem",
    "VirtualMachine",
)

#: The type with by far the most objects: mapped as it streams in (see retrieve_type).
STREAMED_TYPE = "VirtualMachine"

PRODUCTS = {"vpx": "vCenter Server", "embeddedEsx": "ESXi", "esx": "ESXi"}


@dataclass
class CollectStats:
    """What one collection did: used for the summary line and the benchmarks."""

    timings_s: dict[str, float] = field(default_factory=dict)
    objects: dict[str, int] = field(default_factory=dict)
    round_trips: int = 0
    pages: int = 0
    relogins: int = 0
    bytes_received: int = 0


def _timed(stats: CollectStats, part: str, fn: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    try:
        return fn()
    finally:
        stats.timings_s[part] = stats.timings_s.get(part, 0.0) + time.perf_counter() - t0


def _failure(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer within the timeout"
    if isinstance(exc, vmodl.MethodFault):
        return f"{type(exc).__name__.rsplit('.', 1)[-1]}: {exc.msg}"
    return f"{type(exc).__name__}: {exc}"


_PART_ERRORS = (VimFault, vmodl.MethodFault, OSError, http.client.HTTPException)


def collect_server(session: Session, options: CollectOptions) -> tuple[Environment, CollectStats]:
    target: ServerTarget = session.target
    vc = target.name
    stats = CollectStats()
    gaps: list[Gap] = []
    now = datetime.now(UTC)
    progress = options.progress or (lambda _msg: None)
    about = session.content.about
    vcenter = VCenter(
        id=vc,
        name=vc,
        product=PRODUCTS.get(str(about.productLineId), str(about.name or "vCenter Server")),
        version=about.version,
        build=int(about.build) if str(about.build or "").isdigit() else None,
        api_version=about.apiVersion,
        instance_uuid=about.instanceUuid,
    )

    poster = RawPoster(session.stub)
    collector_id = session.content.propertyCollector._moId
    root_folder = session.content.rootFolder._moId
    view = ContainerView(session)
    tree = InventoryTree(vc)
    collected: dict[str, list[ObjectProps]] = {}
    # VMs are mapped while their answer streams in (they come last, so everything they refer
    # to is in the tree already); keyed by moref so a retry after a re-login does not double.
    streamed_vms: dict[str, VM] = {}

    def map_vm(obj: ObjectProps) -> tuple[TreeEntry, VM]:
        # May run in the helper process: whatever it learns travels back in the result.
        tree.add([obj])
        return tree.entry(obj.moref), map_vms.vm(obj, tree)

    def keep_vm(mapped: tuple[TreeEntry, VM]) -> None:
        entry, vm = mapped
        tree.restore(entry)
        streamed_vms[vm.id] = vm

    vm_mapping = ObjectMapping(map_vm, keep_vm, tuple[TreeEntry, VM], split=options.split_parse)

    def retrieve(obj_type: str) -> None:
        progress(f"{vc}: reading {obj_type}")
        result = _timed(
            stats,
            "inventory",
            functools.partial(
                retrieve_type,
                session,
                poster,
                view,
                obj_type,
                options.page_size,
                vc,
                mapping=vm_mapping if obj_type == STREAMED_TYPE else None,
            ),
        )
        collected[obj_type] = result.objects
        stats.pages += result.pages
        gaps.extend(result.gaps)
        tree.add(result.objects)

    try:
        # The server takes longest to build the VM answer (and sends nothing before it is
        # whole): ask for it first, on a connection of its own, and meanwhile read the other
        # types, read the host settings and map all but the VMs (none of them refers to a VM).
        # Everything a VM refers to is in the tree before the first VM is mapped.
        _timed(
            stats,
            "inventory",
            lambda: send_ahead(session, poster, view, STREAMED_TYPE, options.page_size),
        )
        for obj_type in TYPES:
            if obj_type != STREAMED_TYPE:
                retrieve(obj_type)
        progress(f"{vc}: reading host advanced settings")
        settings, settings_gaps = _timed(
            stats,
            "host_settings",
            lambda: host_settings(session, poster, collected.get("HostSystem", []), vc),
        )
        env_parts = _timed(stats, "mapping", lambda: map_collected(collected, tree, settings))
        retrieve(STREAMED_TYPE)
        gaps.extend(settings_gaps)
        env_parts["vms"] = _timed(
            stats,
            "mapping",
            lambda: [map_vms.vm(o, tree) for o in collected.get(STREAMED_TYPE, [])],
        )
        env_parts["vms"].extend(streamed_vms.values())
        streamed_vms.clear()
        for key, objects in env_parts.items():
            stats.objects[key] = len(objects)
        gaps.extend(_state_gaps(env_parts, vc))

        since = now - options.events_since
        progress(f"{vc}: reading events")
        events = _part(
            stats,
            gaps,
            "events",
            vc,
            lambda: collect_events(session, vc, since, options.max_events),
        )
        progress(f"{vc}: reading triggered alarms")
        known = {e.key for e in events or []}
        alarms = _part(
            stats,
            gaps,
            "alarms",
            vc,
            lambda: session.call(
                lambda: triggered_alarm_events(poster, collector_id, root_folder, tree, known)
            ),
        )
        if alarms:
            events = [*(events or []), *alarms]
        progress(f"{vc}: reading tasks")
        task_part = _part(
            stats, gaps, "tasks", vc, lambda: collect_tasks(session, vc, since, options.max_events)
        )
        tasks, task_note = task_part if task_part is not None else (None, None)
        if task_note:
            gaps.append(Gap(what="tasks", reason=task_note, source=vc))
        metrics = []
        if options.perf:
            progress(f"{vc}: reading performance counters")
            entities = perf_entities(env_parts, vc)
            perf = _part(
                stats,
                gaps,
                "metrics",
                vc,
                lambda: collect_perf(session, poster, vc, entities, options.perf_window, now),
            )
            if perf is not None:
                metrics = perf.series
                gaps.extend(perf.gaps)
        else:
            gaps.append(Gap(what="metrics", reason="not collected (--no-perf)", source=vc))
    finally:
        poster.drop_ahead()
        view.destroy()
    stats.round_trips = poster.round_trips + session.calls
    stats.relogins = session.relogins
    stats.bytes_received = poster.bytes_received
    env = Environment(
        collected_at=now,
        source=SourceInfo(kind="vsphere", name=vc, details=_details(stats, vcenter)),
        vcenters=[vcenter],
        timeline=Timeline(events=events or [], tasks=tasks or [], metrics=metrics),
        gaps=gaps,
        **env_parts,
    )
    return env, stats


def _part(
    stats: CollectStats, gaps: list[Gap], what: str, vc: str, fn: Callable[[], T]
) -> T | None:
    """Run one optional part; a failure becomes a gap and the rest of the collection goes on."""
    try:
        return _timed(stats, what, fn)
    except _PART_ERRORS as exc:
        gaps.append(Gap(what=what, reason=_failure(exc), source=vc))
        return None


def map_collected(
    collected: dict[str, list[ObjectProps]],
    tree: InventoryTree,
    settings: dict[str, dict[str, str]],
) -> dict[str, list[Any]]:
    device_datastores = extent_datastores(collected.get("Datastore", []), tree.vcenter_id)
    return {
        "datacenters": [map_inventory.datacenter(o, tree) for o in collected.get("Datacenter", [])],
        "clusters": [
            map_inventory.cluster(o, tree) for o in collected.get("ClusterComputeResource", [])
        ],
        "resource_pools": [
            map_inventory.resource_pool(o, tree) for o in collected.get("ResourcePool", [])
        ],
        "datastores": [map_inventory.datastore(o, tree) for o in collected.get("Datastore", [])],
        "networks": [
            map_inventory.network(o, tree)
            for t in ("Network", "DistributedVirtualPortgroup")
            for o in collected.get(t, [])
        ],
        "hosts": [
            map_hosts.host(o, tree, settings.get(o.moref), device_datastores)
            for o in collected.get("HostSystem", [])
        ],
        "vms": [map_vms.vm(o, tree) for o in collected.get("VirtualMachine", [])],
    }


def perf_entities(parts: dict[str, list[Any]], vc: str) -> list[PerfEntity]:
    """Running VMs and connected hosts; each host with the datastores it mounts, by the
    instance name their latency counters use."""
    cut = len(vc) + 1
    instances = {ds.id: instance_of(ds.url) for ds in parts["datastores"] if ds.accessible}
    entities = [PerfEntity("vm", "VirtualMachine", v.id[cut:]) for v in parts["vms"] if v.is_on]
    for host in parts["hosts"]:
        if not host.is_connected:
            continue
        mounted = {
            instance: ds_id
            for ds_id in host.datastore_ids
            if (instance := instances.get(ds_id)) is not None
        }
        entities.append(PerfEntity("host", "HostSystem", host.id[cut:], mounted))
    return entities


def _state_gaps(parts: dict[str, list[Any]], vc: str) -> list[Gap]:
    """Objects whose state hides their data: disconnected hosts, inaccessible datastores."""
    gaps = []
    for host in parts["hosts"]:
        if not host.is_connected:
            gaps.append(
                Gap(
                    what="host",
                    reason=f"host is {host.connection_state}: configuration and metrics are stale",
                    object_type="host",
                    object_id=host.id,
                    object_name=host.name,
                    source=vc,
                )
            )
    for ds in parts["datastores"]:
        if not ds.accessible:
            gaps.append(
                Gap(
                    what="datastore",
                    reason="datastore is inaccessible: capacity and contents not current",
                    object_type="datastore",
                    object_id=ds.id,
                    object_name=ds.name,
                    source=vc,
                )
            )
    return gaps


def _details(stats: CollectStats, vcenter: VCenter) -> dict[str, str]:
    details = {
        "product": vcenter.product,
        "version": vcenter.version or "",
        "round_trips": str(stats.round_trips),
        "pages": str(stats.pages),
        "relogins": str(stats.relogins),
    }
    for part, seconds in stats.timings_s.items():
        details[f"{part}_s"] = f"{seconds:.2f}"
    return details
