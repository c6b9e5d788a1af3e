"""The inventory under construction from RVTools tables, with the name lookups the tabs need,
and the cluster (vCluster) and datastore (vDatastore) builders.

Hosts are built in :mod:`.hosts`, VMs in :mod:`.vms`, networks in :mod:`.networks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vmdoctor.model import (
    VM,
    Cluster,
    Datacenter,
    Datastore,
    DRSConfig,
    Gap,
    HAConfig,
    Host,
    Network,
)
from vmdoctor.sources.rvtools.table import Table, as_bool, as_float, as_int, as_str

MB = 1 << 20  # RVTools "MB" and "MiB" columns both count 2^20 bytes


def slug(text: str) -> str:
    return text.replace(" ", "_")


@dataclass(slots=True)
class Inventory:
    """Entities built so far, with name lookups for the tabs that refer to them by name."""

    vcenter_id: str
    datacenters: dict[str, Datacenter] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    hosts: dict[str, Host] = field(default_factory=dict)
    vms: dict[str, VM] = field(default_factory=dict)  # by VM name
    datastores: dict[str, Datastore] = field(default_factory=dict)  # by datastore name
    networks: dict[str, Network] = field(default_factory=dict)  # by network ID
    #: vHost "Current EVC" per host name (None = column present, no mode)
    host_current_evc: dict[str, str | None] = field(default_factory=dict)
    #: per-object gaps found while building (e.g. a guest OS name without a known guest ID)
    gaps: list[Gap] = field(default_factory=list)

    def datacenter_id(self, name: str | None) -> str | None:
        if not name:
            return None
        if name not in self.datacenters:
            self.datacenters[name] = Datacenter(
                id=f"{self.vcenter_id}:dc:{slug(name)}", name=name, vcenter_id=self.vcenter_id
            )
        return self.datacenters[name].id

    def cluster_id(self, name: str | None, datacenter: str | None) -> str | None:
        if not name:
            return None
        if name not in self.clusters:
            self.clusters[name] = Cluster(
                id=f"{self.vcenter_id}:cluster:{slug(name)}",
                name=name,
                vcenter_id=self.vcenter_id,
                datacenter_id=self.datacenter_id(datacenter) or "",
            )
        return self.clusters[name].id

    def host_id(self, name: str | None) -> str | None:
        host = self.hosts.get(name or "")
        return host.id if host else (f"{self.vcenter_id}:host:{slug(name)}" if name else None)

    def datastore_id(self, name: str | None) -> str | None:
        ds = self.datastores.get(name or "")
        return ds.id if ds else None


def get(row: Any, idx: int | None) -> Any:
    if idx is None or idx >= len(row):
        return None
    return row[idx]


def build_clusters(inv: Inventory, table: Table) -> None:
    c = cols(
        table,
        name=("Name",),
        ha=("HA enabled",),
        failover=("Failover Level",),
        ac=("AdmissionControlEnabled",),
        hostmon=("Host monitoring",),
        vmmon=("VM Monitoring",),
        drs=("DRS enabled",),
        behavior=("DRS default VM behavior",),
        rate=("DRS vmotion rate",),
        oid=("Object ID",),
    )
    for row in table.rows:
        name = as_str(get(row, c["name"]))
        if not name:
            continue
        ha_enabled = as_bool(get(row, c["ha"]))
        drs_enabled = as_bool(get(row, c["drs"]))
        oid = as_str(get(row, c["oid"]))
        inv.clusters[name] = Cluster(
            id=f"{inv.vcenter_id}:{oid}" if oid else f"{inv.vcenter_id}:cluster:{slug(name)}",
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id="",
            ha=None
            if ha_enabled is None
            else HAConfig(
                enabled=ha_enabled,
                admission_control_enabled=as_bool(get(row, c["ac"])),
                failover_level=as_int(get(row, c["failover"])),
                host_monitoring_enabled=_enabled(get(row, c["hostmon"])),
                vm_monitoring=as_str(get(row, c["vmmon"])),
            ),
            drs=None
            if drs_enabled is None
            else DRSConfig(
                enabled=drs_enabled,
                behavior=as_str(get(row, c["behavior"])),
                migration_threshold=_migration_threshold(as_int(get(row, c["rate"]))),
            ),
        )


def _migration_threshold(vmotion_rate: int | None) -> int | None:
    # RVTools shows the API's vmotionRate, 1 (aggressive) .. 5 (conservative); the
    # migration threshold of the vSphere Client (and of the model) is 6 - rate.
    if vmotion_rate is None or not 1 <= vmotion_rate <= 5:
        return None
    return 6 - vmotion_rate


def _enabled(value: Any) -> bool | None:
    text = (as_str(value) or "").lower()
    return True if text == "enabled" else False if text == "disabled" else as_bool(value)


def build_datastores(inv: Inventory, table: Table) -> None:
    c = cols(
        table,
        name=("Name",),
        type=("Type",),
        cap=("Capacity MB",),
        free=("Free MB",),
        prov=("Provisioned MB",),
        acc=("Accessible",),
        mha=("MHA",),
        url=("URL",),
        hosts=("Hosts",),
        oid=("Object ID",),
    )
    for row in table.rows:
        name = as_str(get(row, c["name"]))
        if not name:
            continue
        cap, free, prov = (as_float(get(row, c[k])) for k in ("cap", "free", "prov"))
        used = cap - free if cap is not None and free is not None else None
        oid = as_str(get(row, c["oid"]))
        inv.datastores[name] = Datastore(
            id=f"{inv.vcenter_id}:{oid}" if oid else f"{inv.vcenter_id}:datastore:{slug(name)}",
            name=name,
            vcenter_id=inv.vcenter_id,
            type=as_str(get(row, c["type"])) or "unknown",
            capacity_bytes=None if cap is None else int(cap * MB),
            free_bytes=None if free is None else int(free * MB),
            uncommitted_bytes=None
            if prov is None or used is None
            else max(int((prov - used) * MB), 0),
            accessible=as_bool(get(row, c["acc"])) is not False,
            multiple_host_access=as_bool(get(row, c["mha"])),
            url=as_str(get(row, c["url"])),
            host_ids=[
                hid
                for h in (as_str(get(row, c["hosts"])) or "").split(",")
                if (hid := inv.host_id(h.strip()))
            ],
        )


def cols(table: Table, **wanted: tuple[str, ...]) -> dict[str, int | None]:
    return {key: table.col(*names) for key, names in wanted.items()}
