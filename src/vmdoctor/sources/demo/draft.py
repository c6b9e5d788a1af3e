"""The lab while it is being built: mutable lists of (immutable) entities plus lookups.

Entities are frozen ``msgspec.Struct`` objects; a planter changes one by replacing it in its
list (``draft.replace_host(i, ...)``). Datastore capacity and host usage depend on every VM, so
they are settled last, in :mod:`vmdoctor.sources.demo.finalize`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec

from vmdoctor.model import VM, Cluster, Datacenter, Host, Network, ResourcePool, VCenter
from vmdoctor.sources.demo.events import TimelineBuilder
from vmdoctor.sources.demo.truth import PlantedProblem

COLLECTED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
GIB = 1024**3


@dataclass(slots=True)
class DatastoreDraft:
    id: str
    name: str
    vcenter_id: str
    datacenter_id: str
    type: str
    url: str
    host_ids: list[str]
    cluster_id: str | None
    naa: str | None = None  # backing LUN of a VMFS datastore
    local: bool = False
    committed_bytes: int = 0  # what VMs really use (disks written, swap, snapshots)
    uncommitted_bytes: int = 0  # thin space promised but not written
    used_fraction: float = 0.6  # target share of capacity in use
    capacity_bytes: int | None = None  # fixed capacity (NFS exports, local disks)
    accessible: bool = True


@dataclass(slots=True)
class ClusterInfo:
    """What the builders need to know about a cluster beyond the Cluster entity."""

    index: int
    profile: str
    host_indexes: list[int] = field(default_factory=list)
    datastore_ids: list[str] = field(default_factory=list)  # shared datastores for VM disks
    network_by_role: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (id, name)
    resource_pool_ids: list[str] = field(default_factory=list)  # [root, children...]
    vm_indexes: list[int] = field(default_factory=list)
    iso_datastore_id: str | None = None


class Draft:
    def __init__(self, seed: int, vm_count: int, scaled: bool) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.vm_count = vm_count
        self.scaled = scaled
        self.now = COLLECTED_AT
        self.vcenters: list[VCenter] = []
        self.datacenters: list[Datacenter] = []
        self.clusters: list[Cluster] = []
        self.cluster_info: list[ClusterInfo] = []
        self.hosts: list[Host] = []
        self.vms: list[VM] = []
        self.datastores: list[DatastoreDraft] = []
        self.networks: list[Network] = []
        self.resource_pools: list[ResourcePool] = []
        self.timeline = TimelineBuilder()
        self.planted: list[PlantedProblem] = []
        self._morefs: dict[str, int] = defaultdict(lambda: 1000)
        self._index: dict[str, int] = {}  # entity id -> position in its list
        self.datastore_by_id: dict[str, DatastoreDraft] = {}
        self.taken: set[str] = set()
        #: datastore id -> used share 14 days ago, for datastores that filled up (incidents)
        self.used_ramps: dict[str, float] = {}  # objects already carrying a planted problem

    # --- identities ---------------------------------------------------------------------------

    def moref(self, vcenter_id: str, kind: str) -> str:
        self._morefs[vcenter_id] += 1
        return f"{vcenter_id}:{kind}-{self._morefs[vcenter_id]}"

    def uuid(self) -> str:
        value = f"{self.rng.getrandbits(128):032x}"
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"

    # --- adding -------------------------------------------------------------------------------

    def add_host(self, host: Host) -> int:
        self._index[host.id] = len(self.hosts)
        self.hosts.append(host)
        return len(self.hosts) - 1

    def add_vm(self, vm: VM) -> int:
        self._index[vm.id] = len(self.vms)
        self.vms.append(vm)
        return len(self.vms) - 1

    def add_datastore(self, ds: DatastoreDraft) -> None:
        self.datastores.append(ds)
        self.datastore_by_id[ds.id] = ds

    # --- lookups and changes ------------------------------------------------------------------

    def host(self, host_id: str) -> Host:
        return self.hosts[self._index[host_id]]

    def vm(self, vm_id: str) -> VM:
        return self.vms[self._index[vm_id]]

    def replace_host(self, host_id: str, **changes: Any) -> Host:
        i = self._index[host_id]
        self.hosts[i] = msgspec.structs.replace(self.hosts[i], **changes)
        return self.hosts[i]

    def replace_vm(self, vm_id: str, **changes: Any) -> VM:
        i = self._index[vm_id]
        self.vms[i] = msgspec.structs.replace(self.vms[i], **changes)
        return self.vms[i]

    def replace_cluster(self, cluster_id: str, **changes: Any) -> Cluster:
        for i, cluster in enumerate(self.clusters):
            if cluster.id == cluster_id:
                self.clusters[i] = msgspec.structs.replace(cluster, **changes)
                return self.clusters[i]
        raise KeyError(cluster_id)

    def cluster_of(self, cluster_id: str | None) -> tuple[Cluster, ClusterInfo]:
        for cluster, info in zip(self.clusters, self.cluster_info, strict=True):
            if cluster.id == cluster_id:
                return cluster, info
        raise KeyError(cluster_id)

    def datacenter_name(self, datacenter_id: str | None) -> str:
        for dc in self.datacenters:
            if dc.id == datacenter_id:
                return dc.name
        return ""

    def clusters_with(self, profile: str) -> list[tuple[Cluster, ClusterInfo]]:
        return [
            (c, info)
            for c, info in zip(self.clusters, self.cluster_info, strict=True)
            if info.profile == profile
        ]

    def vms_on_datastore(self, ds_id: str) -> list[VM]:
        """VMs whose first disk lives on the datastore (searched within its cluster)."""
        ds = self.datastore_by_id[ds_id]
        indexes = (
            self.cluster_of(ds.cluster_id)[1].vm_indexes if ds.cluster_id else range(len(self.vms))
        )
        return [
            vm
            for vm in (self.vms[i] for i in indexes)
            if vm.datastore_ids and vm.datastore_ids[0] == ds_id
        ]

    def shuffled_datastores(self) -> list[DatastoreDraft]:
        """All datastores from a random starting point (cheap at 100k-VM scale)."""
        start = self.rng.randrange(len(self.datastores))
        return self.datastores[start:] + self.datastores[:start]

    def clusters_with_any(self, profiles: Sequence[str]) -> list[tuple[Cluster, ClusterInfo]]:
        return [
            (c, info)
            for c, info in zip(self.clusters, self.cluster_info, strict=True)
            if info.profile in profiles
        ]
