"""Shared machinery of the planters: pick a target, record the planted problem."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from vmdoctor.model import VM, Cluster, Family, Host, ResourcePool, VCenter
from vmdoctor.sources.demo.check_map import CHECK_IDS
from vmdoctor.sources.demo.draft import DatastoreDraft, Draft
from vmdoctor.sources.demo.finalize import HostLoad
from vmdoctor.sources.demo.metrics import Overrides
from vmdoctor.sources.demo.records import Records
from vmdoctor.sources.demo.truth import PlantedProblem

MAX_TRIES = 5000
#: Profiles of the clusters that run current ESXi, and of all clusters.
MODERN = ("prod", "vsan", "mgmt")
ANY_PROFILE = ("prod", "vsan", "mgmt", "legacy")

Target = VM | Host | Cluster | VCenter | DatastoreDraft | ResourcePool
_OBJECT_TYPE: dict[type, str] = {
    VM: "vm",
    Host: "host",
    Cluster: "cluster",
    VCenter: "vcenter",
    DatastoreDraft: "datastore",
    ResourcePool: "resource_pool",
}


def object_type_of(target: Target) -> str:
    return _OBJECT_TYPE[type(target)]


class Planter:
    def __init__(self, draft: Draft, overrides: Overrides, load: HostLoad) -> None:
        self.draft = draft
        self.rng = draft.rng
        self.rec = Records(draft)
        self.overrides = overrides
        self.load = load

    def add(
        self,
        kind: str,
        family: Family,
        object_type: str,
        object_id: str,
        object_name: str,
        description: str,
        checks: Sequence[str],
        exclusive: bool = True,
    ) -> str:
        """Record a planted problem; ``exclusive`` keeps other planters off the object."""
        problem_id = f"P{len(self.draft.planted) + 1:04d}"
        self.draft.planted.append(
            PlantedProblem(
                id=problem_id,
                kind=kind,
                family=family,
                object_type=object_type,
                object_id=object_id,
                object_name=object_name,
                description=description,
                check_names=tuple(checks),
                check_ids=tuple(CHECK_IDS[name] for name in checks if name in CHECK_IDS),
            )
        )
        if exclusive:
            self.draft.taken.add(object_id)
        return problem_id

    def flag(
        self,
        target: Target,
        kind: str,
        family: Family,
        description: str,
        checks: Sequence[str],
        exclusive: bool = True,
    ) -> str:
        """Record a planted problem on ``target`` (its type, id and name come from it)."""
        return self.add(
            kind,
            family,
            object_type_of(target),
            target.id,
            target.name,
            description,
            checks,
            exclusive,
        )

    def pick_vm(
        self, profiles: Sequence[str], accept: Callable[[VM], bool] = lambda vm: True
    ) -> VM:
        """A random VM of a cluster of these profiles that carries no planted problem yet."""
        draft = self.draft
        pools = [info.vm_indexes for _, info in draft.clusters_with_any(profiles)]
        sizes = [len(p) for p in pools]
        for _ in range(MAX_TRIES):
            pool = self.rng.choices(pools, weights=sizes)[0]
            vm = draft.vms[self.rng.choice(pool)]
            host = draft.host(vm.host_id) if vm.host_id else None
            if (
                vm.id not in draft.taken
                and (host is None or host.id not in draft.taken)
                and vm.connection_state == "connected"
                and accept(vm)
            ):
                return vm
        raise RuntimeError(f"no VM left to plant a problem on in {list(profiles)}")

    def pick_host(
        self, profiles: Sequence[str], accept: Callable[[Host], bool] = lambda h: True
    ) -> Host:
        draft = self.draft
        pools = [info.host_indexes for _, info in draft.clusters_with_any(profiles)]
        sizes = [len(p) for p in pools]
        for attempt in range(MAX_TRIES):
            pool = self.rng.choices(pools, weights=sizes)[0]
            host = draft.hosts[self.rng.choice(pool)]
            # A dense lab runs out of untouched hosts: then share one, as real estates do.
            free = host.id not in draft.taken or attempt >= MAX_TRIES // 2
            if free and host.connection_state == "connected" and accept(host):
                return host
        raise RuntimeError(f"no host left to plant a problem on in {list(profiles)}")

    def vms_on(self, host_id: str) -> list[VM]:
        _, info = self.draft.cluster_of(self.draft.host(host_id).cluster_id)
        return [vm for vm in (self.draft.vms[i] for i in info.vm_indexes) if vm.host_id == host_id]
