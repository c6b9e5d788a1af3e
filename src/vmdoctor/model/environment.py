"""The Environment: the single contract between sources and everything else."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

import msgspec

from vmdoctor.model.entities import (
    VM,
    Cluster,
    Datacenter,
    Datastore,
    Entity,
    Host,
    Network,
    ResourcePool,
    VCenter,
)
from vmdoctor.model.timeline import Event, LogRecord, MetricSeries, Task, Timeline

T = TypeVar("T")


class Gap(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """Something a source could not collect, and why. Checks that need it answer UNKNOWN."""

    what: str  # "metrics", "events", "host.config", "vm.snapshots", "logs:vmkernel", ...
    reason: str
    object_type: str | None = None  # None = the whole environment
    object_id: str | None = None
    object_name: str | None = None
    source: str | None = None

    def covers(self, what: str) -> bool:
        """A gap covers its own name and every path below it ("vm" covers "vm.snapshots",
        "metrics" covers "metrics:cpu.ready.summation")."""
        return what == self.what or what.startswith((self.what + ".", self.what + ":"))


class SourceInfo(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    kind: str  # "demo" | "vsphere" | "snapshot" | "rvtools" | "logs" | "esxtop" | "merged"
    name: str  # what the user would recognise: "demo lab", "vc01.corp.local", a file name
    details: dict[str, str] = {}


class Environment(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """Inventory + timeline + gaps of one estate at one moment (``collected_at``).

    Checks use ``collected_at`` as "now", so a saved Environment rescans identically later.
    """

    collected_at: datetime
    source: SourceInfo
    vcenters: list[VCenter] = []
    datacenters: list[Datacenter] = []
    clusters: list[Cluster] = []
    hosts: list[Host] = []
    vms: list[VM] = []
    datastores: list[Datastore] = []
    networks: list[Network] = []
    resource_pools: list[ResourcePool] = []
    timeline: Timeline = Timeline()
    gaps: list[Gap] = []

    def objects(self, object_type: str) -> list[Entity]:
        return getattr(self, OBJECT_TYPES[object_type])  # type: ignore[no-any-return]

    def with_gaps(self, gaps: Iterable[Gap]) -> Environment:
        return msgspec.structs.replace(self, gaps=[*self.gaps, *gaps])


#: object type name -> Environment attribute. These are the names checks declare they apply to.
OBJECT_TYPES: dict[str, str] = {
    "vcenter": "vcenters",
    "datacenter": "datacenters",
    "cluster": "clusters",
    "host": "hosts",
    "vm": "vms",
    "datastore": "datastores",
    "network": "networks",
    "resource_pool": "resource_pools",
}


class EnvironmentIndex:
    """Lookups over an Environment, built once per analysis (the Environment is plain data)."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once per index (that is, once per analysis) for ``key``.

        Checks use it for estate-wide aggregates (per-cluster demand, per-build advisories...),
        so per-object work stays cheap and nothing outlives the analysis.
        """
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = build()
            return value

    @cached_property
    def by_id(self) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        for attr in OBJECT_TYPES.values():
            for obj in getattr(self.env, attr):
                out[obj.id] = obj
        return out

    def host(self, host_id: str | None) -> Host | None:
        obj = self.by_id.get(host_id) if host_id else None
        return obj if isinstance(obj, Host) else None

    def vm(self, vm_id: str | None) -> VM | None:
        obj = self.by_id.get(vm_id) if vm_id else None
        return obj if isinstance(obj, VM) else None

    def cluster(self, cluster_id: str | None) -> Cluster | None:
        obj = self.by_id.get(cluster_id) if cluster_id else None
        return obj if isinstance(obj, Cluster) else None

    def datastore(self, datastore_id: str | None) -> Datastore | None:
        obj = self.by_id.get(datastore_id) if datastore_id else None
        return obj if isinstance(obj, Datastore) else None

    def vcenter(self, vcenter_id: str | None) -> VCenter | None:
        obj = self.by_id.get(vcenter_id) if vcenter_id else None
        return obj if isinstance(obj, VCenter) else None

    def network(self, network_id: str | None) -> Network | None:
        obj = self.by_id.get(network_id) if network_id else None
        return obj if isinstance(obj, Network) else None

    @cached_property
    def vms_by_host(self) -> dict[str, list[VM]]:
        out: dict[str, list[VM]] = defaultdict(list)
        for vm in self.env.vms:
            if vm.host_id:
                out[vm.host_id].append(vm)
        return out

    @cached_property
    def vms_by_cluster(self) -> dict[str, list[VM]]:
        out: dict[str, list[VM]] = defaultdict(list)
        for vm in self.env.vms:
            if vm.cluster_id:
                out[vm.cluster_id].append(vm)
        return out

    @cached_property
    def vms_by_datastore(self) -> dict[str, list[VM]]:
        out: dict[str, list[VM]] = defaultdict(list)
        for vm in self.env.vms:
            for ds_id in vm.datastore_ids:
                out[ds_id].append(vm)
        return out

    @cached_property
    def hosts_by_cluster(self) -> dict[str, list[Host]]:
        out: dict[str, list[Host]] = defaultdict(list)
        for host in self.env.hosts:
            if host.cluster_id:
                out[host.cluster_id].append(host)
        return out

    @cached_property
    def network_names(self) -> set[str]:
        return {n.name for n in self.env.networks}

    @cached_property
    def metrics(self) -> dict[tuple[str, str], list[MetricSeries]]:
        """(entity_id, counter) -> series (one per instance)."""
        out: dict[tuple[str, str], list[MetricSeries]] = defaultdict(list)
        for series in self.env.timeline.metrics:
            out[(series.entity_id, series.counter)].append(series)
        return out

    def series(self, entity_id: str, counter: str, instance: str = "") -> MetricSeries | None:
        for series in self.metrics.get((entity_id, counter), ()):
            if series.instance == instance:
                return series
        return None

    @cached_property
    def events_by_object(self) -> dict[str, list[Event]]:
        out: dict[str, list[Event]] = defaultdict(list)
        for event in self.env.timeline.events:
            for obj_id in _linked_ids(event.objects):
                out[obj_id].append(event)
        return out

    @cached_property
    def tasks_by_object(self) -> dict[str, list[Task]]:
        out: dict[str, list[Task]] = defaultdict(list)
        for task in self.env.timeline.tasks:
            ids = set(_linked_ids(task.objects))
            if task.entity_id:
                ids.add(task.entity_id)
            for obj_id in ids:
                out[obj_id].append(task)
        return out

    @cached_property
    def logs_by_object(self) -> dict[str, list[LogRecord]]:
        out: dict[str, list[LogRecord]] = defaultdict(list)
        for record in self.env.timeline.logs:
            for obj_id in _linked_ids(record.objects):
                out[obj_id].append(record)
        return out

    @cached_property
    def gaps_by_object(self) -> dict[str | None, list[Gap]]:
        out: dict[str | None, list[Gap]] = defaultdict(list)
        for gap in self.env.gaps:
            out[gap.object_id].append(gap)
        return out

    def gap_for(self, what: str, object_id: str | None = None) -> Gap | None:
        """The gap explaining why ``what`` is missing for this object (or the whole estate)."""
        for key in (object_id, None) if object_id else (None,):
            for gap in self.gaps_by_object.get(key, ()):
                if gap.covers(what):
                    return gap
        return None

    def ha_enabled(self, cluster_id: str | None) -> bool | None:
        cluster = self.cluster(cluster_id)
        if cluster is None or cluster.ha is None:
            return None
        return cluster.ha.enabled


def _linked_ids(link: object) -> Iterable[str]:
    for field in (
        "vm_id",
        "host_id",
        "cluster_id",
        "datastore_id",
        "datacenter_id",
        "network_id",
        "vcenter_id",
    ):
        value = getattr(link, field)
        if value:
            yield value
