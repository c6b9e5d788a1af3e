"""Build inventory entities from RVTools tables (vInfo, vCPU, vMemory, vDisk, vNetwork, vCD,
vSnapshot, vTools, vHost, vDatastore, vCluster, vMultiPath)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import msgspec

from vmdoctor.model import (
    NIC,
    VM,
    Cluster,
    Datacenter,
    Datastore,
    Disk,
    DRSConfig,
    HAConfig,
    Host,
    HostService,
    RemovableDevice,
    Snapshot,
    StorageDevice,
)
from vmdoctor.sources.rvtools.table import Table, as_bool, as_datetime, as_float, as_int, as_str

MB = 1 << 20  # RVTools "MB" and "MiB" columns both count 2^20 bytes
_ESX_VERSION = re.compile(r"(\d+\.\d+\.\d+)(?:.*?build-(\d+))?")
_DS_IN_PATH = re.compile(r"^\[([^\]]+)\]")


def _slug(text: str) -> str:
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

    def datacenter_id(self, name: str | None) -> str | None:
        if not name:
            return None
        if name not in self.datacenters:
            self.datacenters[name] = Datacenter(
                id=f"{self.vcenter_id}:dc:{_slug(name)}", name=name, vcenter_id=self.vcenter_id
            )
        return self.datacenters[name].id

    def cluster_id(self, name: str | None, datacenter: str | None) -> str | None:
        if not name:
            return None
        if name not in self.clusters:
            self.clusters[name] = Cluster(
                id=f"{self.vcenter_id}:cluster:{_slug(name)}",
                name=name,
                vcenter_id=self.vcenter_id,
                datacenter_id=self.datacenter_id(datacenter) or "",
            )
        return self.clusters[name].id

    def host_id(self, name: str | None) -> str | None:
        host = self.hosts.get(name or "")
        return host.id if host else (f"{self.vcenter_id}:host:{_slug(name)}" if name else None)

    def datastore_id(self, name: str | None) -> str | None:
        ds = self.datastores.get(name or "")
        return ds.id if ds else None


def _get(row: Any, idx: int | None) -> Any:
    if idx is None or idx >= len(row):
        return None
    return row[idx]


def build_clusters(inv: Inventory, table: Table) -> None:
    c = _cols(
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
        name = as_str(_get(row, c["name"]))
        if not name:
            continue
        ha_enabled = as_bool(_get(row, c["ha"]))
        drs_enabled = as_bool(_get(row, c["drs"]))
        oid = as_str(_get(row, c["oid"]))
        inv.clusters[name] = Cluster(
            id=f"{inv.vcenter_id}:{oid}" if oid else f"{inv.vcenter_id}:cluster:{_slug(name)}",
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id="",
            ha=None
            if ha_enabled is None
            else HAConfig(
                enabled=ha_enabled,
                admission_control_enabled=as_bool(_get(row, c["ac"])),
                failover_level=as_int(_get(row, c["failover"])),
                host_monitoring_enabled=_enabled(_get(row, c["hostmon"])),
                vm_monitoring=as_str(_get(row, c["vmmon"])),
            ),
            drs=None
            if drs_enabled is None
            else DRSConfig(
                enabled=drs_enabled,
                behavior=as_str(_get(row, c["behavior"])),
                migration_threshold=as_int(_get(row, c["rate"])),
            ),
        )


def _enabled(value: Any) -> bool | None:
    text = (as_str(value) or "").lower()
    return True if text == "enabled" else False if text == "disabled" else as_bool(value)


def build_hosts(inv: Inventory, table: Table, multipath: Table | None) -> None:
    c = _cols(
        table,
        name=("Host",),
        dc=("Datacenter",),
        cluster=("Cluster",),
        cpu_model=("CPU Model",),
        speed=("Speed",),
        sockets=("# CPU",),
        cores=("# Cores",),
        ht=("HT Active",),
        mem=("# Memory",),
        cpu_pct=("CPU usage %",),
        mem_pct=("Memory usage %",),
        version=("ESX Version",),
        vendor=("Vendor",),
        model=("Model",),
        maint=("in Maintenance Mode",),
        boot=("Boot time",),
        ntp=("NTP Server(s)",),
        ntpd=("NTPD running",),
        evc=("Max EVC",),
        oid=("Object ID",),
        uuid=("UUID",),
    )
    devices = _storage_devices(multipath) if multipath is not None else None
    for row in table.rows:
        name = as_str(_get(row, c["name"]))
        if not name:
            continue
        dc = as_str(_get(row, c["dc"]))
        cores = as_int(_get(row, c["cores"]))
        speed = as_int(_get(row, c["speed"]))
        mem = as_int(_get(row, c["mem"]))
        version, build = _esx_version(as_str(_get(row, c["version"])))
        cpu_pct, mem_pct = as_float(_get(row, c["cpu_pct"])), as_float(_get(row, c["mem_pct"]))
        ntpd = as_bool(_get(row, c["ntpd"]))
        ntp = as_str(_get(row, c["ntp"]))
        oid = as_str(_get(row, c["oid"]))
        cpu_model = as_str(_get(row, c["cpu_model"]))
        inv.hosts[name] = Host(
            id=f"{inv.vcenter_id}:{oid}" if oid else f"{inv.vcenter_id}:host:{_slug(name)}",
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id=inv.datacenter_id(dc),
            cluster_id=inv.cluster_id(as_str(_get(row, c["cluster"])), dc),
            version=version,
            build=build,
            vendor=as_str(_get(row, c["vendor"])),
            model=as_str(_get(row, c["model"])),
            cpu_model=cpu_model,
            cpu_vendor=_cpu_vendor(cpu_model),
            cpu_sockets=as_int(_get(row, c["sockets"])),
            cpu_cores=cores,
            cpu_threads=cores * 2 if cores and as_bool(_get(row, c["ht"])) else cores,
            cpu_mhz=speed,
            memory_mb=mem,
            cpu_usage_mhz=int(cores * speed * cpu_pct / 100)
            if cores and speed and cpu_pct is not None
            else None,
            memory_usage_mb=int(mem * mem_pct / 100) if mem and mem_pct is not None else None,
            in_maintenance_mode=bool(as_bool(_get(row, c["maint"]))),
            boot_time=as_datetime(_get(row, c["boot"])),
            max_evc_mode=as_str(_get(row, c["evc"])),
            services=None
            if ntpd is None
            else [HostService(key="ntpd", label="NTP Daemon", running=ntpd)],
            ntp_servers=None
            if c["ntp"] is None
            else [s.strip() for s in (ntp or "").split(",") if s.strip()],
            storage_devices=None if devices is None else devices.get(name, []),
        )


def _cpu_vendor(model: str | None) -> str | None:
    text = (model or "").lower()
    return "intel" if "intel" in text else "amd" if "amd" in text else None


def _esx_version(text: str | None) -> tuple[str | None, int | None]:
    m = _ESX_VERSION.search(text or "")
    if not m:
        return None, None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def _storage_devices(table: Table) -> dict[str, list[StorageDevice]]:
    c = _cols(table, host=("Host",), disk=("Disk",), display=("Display name",), ds=("Datastore",))
    states = [i for i, h in enumerate(table.header) if re.fullmatch(r"Path \d+ state", str(h))]
    table.used.update(states)
    table.used.update(i for i, h in enumerate(table.header) if re.fullmatch(r"Path \d+", str(h)))
    out: dict[str, list[StorageDevice]] = defaultdict(list)
    for row in table.rows:
        host, disk = as_str(_get(row, c["host"])), as_str(_get(row, c["disk"]))
        if not host or not disk:
            continue
        values = [(as_str(_get(row, i)) or "").lower() for i in states]
        values = [v for v in values if v]
        out[host].append(
            StorageDevice(
                canonical_name=disk,
                display_name=as_str(_get(row, c["display"])) or "",
                is_local=disk.startswith(("mpx.", "t10.")),
                paths_total=len(values),
                paths_active=sum(v in ("active", "active (i/o)", "standby") for v in values),
                paths_dead=sum(v in ("dead", "disabled", "unavailable") for v in values),
            )
        )
    return out


def build_datastores(inv: Inventory, table: Table) -> None:
    c = _cols(
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
        name = as_str(_get(row, c["name"]))
        if not name:
            continue
        cap, free, prov = (as_float(_get(row, c[k])) for k in ("cap", "free", "prov"))
        used = cap - free if cap is not None and free is not None else None
        oid = as_str(_get(row, c["oid"]))
        inv.datastores[name] = Datastore(
            id=f"{inv.vcenter_id}:{oid}" if oid else f"{inv.vcenter_id}:datastore:{_slug(name)}",
            name=name,
            vcenter_id=inv.vcenter_id,
            type=as_str(_get(row, c["type"])) or "unknown",
            capacity_bytes=None if cap is None else int(cap * MB),
            free_bytes=None if free is None else int(free * MB),
            uncommitted_bytes=None
            if prov is None or used is None
            else max(int((prov - used) * MB), 0),
            accessible=as_bool(_get(row, c["acc"])) is not False,
            multiple_host_access=as_bool(_get(row, c["mha"])),
            url=as_str(_get(row, c["url"])),
            host_ids=[
                hid
                for h in (as_str(_get(row, c["hosts"])) or "").split(",")
                if (hid := inv.host_id(h.strip()))
            ],
        )


def _cols(table: Table, **wanted: tuple[str, ...]) -> dict[str, int | None]:
    return {key: table.col(*names) for key, names in wanted.items()}


# --- virtual machines ---------------------------------------------------------------------------

_VINFO = dict(
    name=("VM",),
    power=("Powerstate",),
    template=("Template",),
    conn=("Connection state",),
    cpus=("CPUs",),
    mem=("Memory",),
    host=("Host",),
    cluster=("Cluster",),
    dc=("Datacenter",),
    folder=("Folder",),
    path=("Path",),
    hw=("HW version",),
    firmware=("Firmware",),
    dns=("DNS Name",),
    ip=("Primary IP Address",),
    annotation=("Annotation",),
    consolidation=("Consolidation Needed",),
    os_cfg=("OS according to the configuration file", "OS"),
    os_tools=("OS according to the VMware Tools",),
    uuid=("VM UUID", "UUID"),
    vmid=("VM ID",),
    inuse=("In Use MB",),
    prov=("Provisioned MB",),
    poweron=("PowerOn",),
    ft=("FT State",),
    rp=("Resource pool",),
)


def build_vms(inv: Inventory, info: Table, tabs: dict[str, Table]) -> None:
    c = _cols(info, **_VINFO)
    custom = _custom_attribute_columns(info)
    for row in info.rows:
        name = as_str(_get(row, c["name"]))
        if not name:
            continue
        dc = as_str(_get(row, c["dc"]))
        vmid = as_str(_get(row, c["vmid"]))
        inuse, prov = as_float(_get(row, c["inuse"])), as_float(_get(row, c["prov"]))
        hw = as_str(_get(row, c["hw"]))
        inv.vms[name] = VM(
            id=f"{inv.vcenter_id}:{vmid}" if vmid else f"{inv.vcenter_id}:vm:{_slug(name)}",
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id=inv.datacenter_id(dc),
            cluster_id=inv.cluster_id(as_str(_get(row, c["cluster"])), dc),
            host_id=inv.host_id(as_str(_get(row, c["host"]))),
            folder=as_str(_get(row, c["folder"])),
            vmx_path=as_str(_get(row, c["path"])),
            uuid=as_str(_get(row, c["uuid"])),
            template=bool(as_bool(_get(row, c["template"]))),
            power_state=as_str(_get(row, c["power"])) or "poweredOff",
            connection_state=as_str(_get(row, c["conn"])) or "connected",
            guest_full_name=as_str(_get(row, c["os_cfg"])),
            guest_id_running=None,
            guest_hostname=as_str(_get(row, c["dns"])),
            guest_ip=as_str(_get(row, c["ip"])),
            hw_version=(hw if hw.startswith("vmx-") else f"vmx-{hw}") if hw else None,
            firmware=as_str(_get(row, c["firmware"])),
            num_cpu=as_int(_get(row, c["cpus"])) or 0,
            memory_mb=as_int(_get(row, c["mem"])) or 0,
            boot_time=as_datetime(_get(row, c["poweron"])),
            storage_committed_bytes=None if inuse is None else int(inuse * MB),
            storage_uncommitted_bytes=None
            if prov is None or inuse is None
            else max(int((prov - inuse) * MB), 0),
            consolidation_needed=as_bool(_get(row, c["consolidation"])),
            ft_state=as_str(_get(row, c["ft"])),
            annotation=as_str(_get(row, c["annotation"])) or "",
            custom_attributes={h: v for i, h in custom if (v := as_str(_get(row, i)))},
        )
    _apply_cpu(inv, tabs.get("vCPU"))
    _apply_memory(inv, tabs.get("vMemory"))
    _apply_tools(inv, tabs.get("vTools"))
    _apply_disks(inv, tabs.get("vDisk"))
    _apply_nics(inv, tabs.get("vNetwork"))
    _apply_cdroms(inv, tabs.get("vCD"))
    _apply_snapshots(inv, tabs.get("vSnapshot"))


def _custom_attribute_columns(table: Table) -> list[tuple[int, str]]:
    """RVTools inserts custom attributes between "Annotation" and "Datacenter"."""
    start, end = table.col("Annotation"), table.col("Datacenter")
    if start is None or end is None or end <= start + 1:
        return []
    cols = [(i, table.header[i]) for i in range(start + 1, end) if table.header[i]]
    table.used.update(i for i, _ in cols)
    return cols


def _update(inv: Inventory, table: Table | None, build: Any) -> None:
    """Apply ``build(vm, rows) -> dict of changes`` to each VM named in a per-VM tab."""
    if table is None:
        return
    col = table.col("VM")
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in table.rows:
        name = as_str(_get(row, col))
        if name:
            grouped[name].append(row)
    for name, rows in grouped.items():
        vm = inv.vms.get(name)
        if vm is not None:
            changes = build(vm, rows)
            if changes:
                inv.vms[name] = msgspec.structs.replace(vm, **changes)


def _limit(value: Any) -> int | None:
    number = as_int(value)
    return None if number is None or number < 0 else number


def _apply_cpu(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = _cols(
        table,
        cps=("Cores p/s",),
        res=("Reservation",),
        lim=("Limit",),
        hot=("Hot Add",),
        overall=("Overall",),
    )

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        row = rows[0]
        return dict(
            cores_per_socket=as_int(_get(row, c["cps"])),
            cpu_reservation_mhz=as_int(_get(row, c["res"])) or 0,
            cpu_limit_mhz=_limit(_get(row, c["lim"])),
            cpu_hot_add=as_bool(_get(row, c["hot"])),
            overall_cpu_usage_mhz=as_int(_get(row, c["overall"])),
        )

    _update(inv, table, build)


def _apply_memory(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = _cols(
        table,
        res=("Reservation",),
        lim=("Limit",),
        hot=("Hot Add",),
        balloon=("Ballooned",),
        swap=("Swapped",),
        consumed=("Consumed",),
        active=("Active",),
    )

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        row = rows[0]
        return dict(
            memory_reservation_mb=as_int(_get(row, c["res"])) or 0,
            memory_limit_mb=_limit(_get(row, c["lim"])),
            memory_hot_add=as_bool(_get(row, c["hot"])),
            ballooned_memory_mb=as_int(_get(row, c["balloon"])),
            swapped_memory_mb=as_int(_get(row, c["swap"])),
            host_memory_usage_mb=as_int(_get(row, c["consumed"])),
            guest_memory_usage_mb=as_int(_get(row, c["active"])),
        )

    _update(inv, table, build)


_TOOLS_STATUS = {
    "toolsok": "toolsOk",
    "toolsold": "toolsOld",
    "toolsnotinstalled": "toolsNotInstalled",
    "toolsnotrunning": "toolsNotRunning",
}


def _apply_tools(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = _cols(table, tools=("Tools",), version=("Tools Version",), upgradeable=("Upgradeable",))

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        row = rows[0]
        status = _TOOLS_STATUS.get((as_str(_get(row, c["tools"])) or "").lower())
        upgradeable = as_bool(_get(row, c["upgradeable"]))
        return dict(
            tools_status=status,
            tools_running_status=None
            if status is None
            else "guestToolsNotRunning"
            if status in ("toolsNotRunning", "toolsNotInstalled")
            else "guestToolsRunning",
            tools_version=as_int(_get(row, c["version"])),
            tools_version_status=None
            if upgradeable is None
            else "guestToolsNeedUpgrade"
            if upgradeable
            else "guestToolsCurrent",
        )

    _update(inv, table, build)


def _apply_disks(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = _cols(
        table,
        label=("Disk",),
        cap=("Capacity MB",),
        path=("Path", "Disk Path"),
        thin=("Thin",),
        mode=("Disk Mode",),
        ctrl=("Controller",),
    )

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        disks = []
        for row in rows:
            path = as_str(_get(row, c["path"]))
            ds_match = _DS_IN_PATH.match(path or "")
            cap = as_float(_get(row, c["cap"]))
            disks.append(
                Disk(
                    label=as_str(_get(row, c["label"])) or "disk",
                    capacity_bytes=int((cap or 0) * MB),
                    datastore_id=inv.datastore_id(ds_match.group(1)) if ds_match else None,
                    file_name=path,
                    thin=as_bool(_get(row, c["thin"])),
                    disk_mode=as_str(_get(row, c["mode"])),
                    controller=as_str(_get(row, c["ctrl"])),
                )
            )
        ds_ids = list(dict.fromkeys(d.datastore_id for d in disks if d.datastore_id))
        return dict(disks=disks, datastore_ids=ds_ids)

    _update(inv, table, build)


def _apply_nics(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = _cols(
        table,
        label=("NIC label", "NIC"),
        adapter=("Adapter",),
        network=("Network",),
        conn=("Connected",),
        start=("Starts Connected",),
        mac=("Mac Address",),
    )

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        return dict(
            nics=[
                NIC(
                    label=as_str(_get(row, c["label"])) or "nic",
                    adapter_type=(as_str(_get(row, c["adapter"])) or "").lower() or None,
                    network_name=as_str(_get(row, c["network"])),
                    connected=as_bool(_get(row, c["conn"])),
                    start_connected=as_bool(_get(row, c["start"])),
                    mac_address=as_str(_get(row, c["mac"])),
                )
                for row in rows
            ]
        )

    _update(inv, table, build)


def _apply_cdroms(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = _cols(
        table,
        label=("Device Node",),
        conn=("Connected",),
        start=("Starts Connected",),
        kind=("Device Type",),
    )

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        return dict(
            removable_devices=[
                RemovableDevice(
                    kind="cdrom",
                    label=as_str(_get(row, c["label"])) or "CD/DVD drive",
                    connected=bool(as_bool(_get(row, c["conn"]))),
                    start_connected=bool(as_bool(_get(row, c["start"]))),
                    backing=as_str(_get(row, c["kind"])),
                )
                for row in rows
            ]
        )

    for name, vm in list(inv.vms.items()):
        inv.vms[name] = msgspec.structs.replace(
            vm, removable_devices=[]
        )  # tab present: none unless listed
    _update(inv, table, build)


def _apply_snapshots(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = _cols(
        table,
        name=("Name",),
        desc=("Description",),
        when=("Date / time",),
        size=("Size MB (total)",),
        quiesced=("Quiesced",),
        state=("State",),
    )

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        snaps = []
        for n, row in enumerate(rows):
            created = as_datetime(_get(row, c["when"]))
            if created is None:
                continue
            size = as_float(_get(row, c["size"]))
            snaps.append(
                Snapshot(
                    id=f"{vm.id}:snapshot-{n}",
                    name=as_str(_get(row, c["name"])) or f"snapshot {n + 1}",
                    created=created,
                    size_bytes=None if size is None else int(size * MB),
                    description=as_str(_get(row, c["desc"])) or "",
                    quiesced=as_bool(_get(row, c["quiesced"])),
                    memory=(as_str(_get(row, c["state"])) or "").lower() == "poweredon" or None,
                )
            )
        return dict(snapshots=snaps)

    for name, vm in list(inv.vms.items()):
        inv.vms[name] = msgspec.structs.replace(vm, snapshots=[])  # tab present: none unless listed
    _update(inv, table, build)
