"""VMs from vInfo, completed by the per-VM tabs (vCPU, vMemory, vTools, vDisk, vNetwork, vCD,
vSnapshot). Every per-VM tab is matched to vInfo by VM name."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import msgspec

from vmdoctor.model import NIC, VM, Disk, Gap, RemovableDevice, Snapshot
from vmdoctor.sources.rvtools.guests import guest_id
from vmdoctor.sources.rvtools.inventory import MB, Inventory, cols, get, slug
from vmdoctor.sources.rvtools.table import Table, as_bool, as_datetime, as_float, as_int, as_str

_DS_IN_PATH = re.compile(r"^\[([^\]]+)\]")

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
    c = cols(info, **_VINFO)
    custom = _custom_attribute_columns(info)
    for row in info.rows:
        name = as_str(get(row, c["name"]))
        if not name:
            continue
        dc = as_str(get(row, c["dc"]))
        vmid = as_str(get(row, c["vmid"]))
        inuse, prov = as_float(get(row, c["inuse"])), as_float(get(row, c["prov"]))
        hw = as_str(get(row, c["hw"]))
        vm_id = f"{inv.vcenter_id}:{vmid}" if vmid else f"{inv.vcenter_id}:vm:{slug(name)}"
        os_cfg, os_tools = as_str(get(row, c["os_cfg"])), as_str(get(row, c["os_tools"]))
        vmx_path = as_str(get(row, c["path"]))
        home = _DS_IN_PATH.match(vmx_path or "")
        home_ds = inv.datastore_id(home.group(1)) if home else None
        inv.vms[name] = VM(
            id=vm_id,
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id=inv.datacenter_id(dc),
            cluster_id=inv.cluster_id(as_str(get(row, c["cluster"])), dc),
            host_id=inv.host_id(as_str(get(row, c["host"]))),
            folder=as_str(get(row, c["folder"])),
            vmx_path=vmx_path,
            uuid=as_str(get(row, c["uuid"])),
            template=bool(as_bool(get(row, c["template"]))),
            power_state=as_str(get(row, c["power"])) or "poweredOff",
            connection_state=as_str(get(row, c["conn"])) or "connected",
            guest_id=_guest_id(inv, vm_id, name, os_cfg, "vm.config.guestId", "configured"),
            guest_full_name=os_cfg,
            guest_id_running=_guest_id(inv, vm_id, name, os_tools, "vm.guest.guestId", "running"),
            guest_hostname=as_str(get(row, c["dns"])),
            guest_ip=as_str(get(row, c["ip"])),
            hw_version=(hw if hw.startswith("vmx-") else f"vmx-{hw}") if hw else None,
            firmware=as_str(get(row, c["firmware"])),
            num_cpu=as_int(get(row, c["cpus"])) or 0,
            memory_mb=as_int(get(row, c["mem"])) or 0,
            boot_time=as_datetime(get(row, c["poweron"])),
            storage_committed_bytes=None if inuse is None else int(inuse * MB),
            storage_uncommitted_bytes=None
            if prov is None or inuse is None
            else max(int((prov - inuse) * MB), 0),
            consolidation_needed=as_bool(get(row, c["consolidation"])),
            ft_state=as_str(get(row, c["ft"])),
            annotation=as_str(get(row, c["annotation"])) or "",
            custom_attributes={h: v for i, h in custom if (v := as_str(get(row, i)))},
            datastore_ids=[home_ds] if home_ds else [],
        )
    _apply_cpu(inv, tabs.get("vCPU"))
    _apply_memory(inv, tabs.get("vMemory"))
    _apply_tools(inv, tabs.get("vTools"))
    _apply_disks(inv, tabs.get("vDisk"))
    _apply_nics(inv, tabs.get("vNetwork"))
    _apply_cdroms(inv, tabs.get("vCD"))
    _apply_snapshots(inv, tabs.get("vSnapshot"))


def _guest_id(
    inv: Inventory, vm_id: str, vm_name: str, display: str | None, what: str, which: str
) -> str | None:
    """The guestId of a guest OS name; a name without one becomes a gap on that VM."""
    found = guest_id(display)
    if found is None and display:
        reason = (
            f"the export names the {which} guest OS {display!r}, which has no known vSphere "
            "guest ID"
        )
        inv.gaps.append(
            Gap(what=what, reason=reason, object_type="vm", object_id=vm_id, object_name=vm_name)
        )
    return found


def _custom_attribute_columns(table: Table) -> list[tuple[int, str]]:
    """RVTools inserts custom attributes between "Annotation" and "Datacenter"."""
    start, end = table.col("Annotation"), table.col("Datacenter")
    if start is None or end is None or end <= start + 1:
        return []
    found = [(i, table.header[i]) for i in range(start + 1, end) if table.header[i]]
    table.used.update(i for i, _ in found)
    return found


def _update(inv: Inventory, table: Table | None, build: Any) -> None:
    """Apply ``build(vm, rows) -> dict of changes`` to each VM named in a per-VM tab."""
    if table is None:
        return
    col = table.col("VM")
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in table.rows:
        name = as_str(get(row, col))
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
    c = cols(
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
            cores_per_socket=as_int(get(row, c["cps"])),
            cpu_reservation_mhz=as_int(get(row, c["res"])) or 0,
            cpu_limit_mhz=_limit(get(row, c["lim"])),
            cpu_hot_add=as_bool(get(row, c["hot"])),
            overall_cpu_usage_mhz=as_int(get(row, c["overall"])),
        )

    _update(inv, table, build)


def _apply_memory(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = cols(
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
            memory_reservation_mb=as_int(get(row, c["res"])) or 0,
            memory_limit_mb=_limit(get(row, c["lim"])),
            memory_hot_add=as_bool(get(row, c["hot"])),
            ballooned_memory_mb=as_int(get(row, c["balloon"])),
            swapped_memory_mb=as_int(get(row, c["swap"])),
            host_memory_usage_mb=as_int(get(row, c["consumed"])),
            guest_memory_usage_mb=as_int(get(row, c["active"])),
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
    c = cols(table, tools=("Tools",), version=("Tools Version",), upgradeable=("Upgradeable",))

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        row = rows[0]
        status = _TOOLS_STATUS.get((as_str(get(row, c["tools"])) or "").lower())
        upgradeable = as_bool(get(row, c["upgradeable"]))
        return dict(
            tools_status=status,
            tools_running_status=None
            if status is None
            else "guestToolsNotRunning"
            if status in ("toolsNotRunning", "toolsNotInstalled")
            else "guestToolsRunning",
            tools_version=as_int(get(row, c["version"])),
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
    c = cols(
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
            path = as_str(get(row, c["path"]))
            ds_match = _DS_IN_PATH.match(path or "")
            cap = as_float(get(row, c["cap"]))
            disks.append(
                Disk(
                    label=as_str(get(row, c["label"])) or "disk",
                    capacity_bytes=int((cap or 0) * MB),
                    datastore_id=inv.datastore_id(ds_match.group(1)) if ds_match else None,
                    file_name=path,
                    thin=as_bool(get(row, c["thin"])),
                    disk_mode=as_str(get(row, c["mode"])),
                    controller=as_str(get(row, c["ctrl"])),
                )
            )
        ds_ids = [*vm.datastore_ids, *(d.datastore_id for d in disks if d.datastore_id)]
        return dict(disks=disks, datastore_ids=list(dict.fromkeys(ds_ids)))

    _update(inv, table, build)


def _apply_nics(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = cols(
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
                    label=as_str(get(row, c["label"])) or "nic",
                    adapter_type=(as_str(get(row, c["adapter"])) or "").lower() or None,
                    network_name=as_str(get(row, c["network"])),
                    # network_id: set by networks.link_vm_networks once networks are built
                    connected=as_bool(get(row, c["conn"])),
                    start_connected=as_bool(get(row, c["start"])),
                    mac_address=as_str(get(row, c["mac"])),
                )
                for row in rows
            ]
        )

    _update(inv, table, build)


def _apply_cdroms(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = cols(
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
                    label=as_str(get(row, c["label"])) or "CD/DVD drive",
                    connected=bool(as_bool(get(row, c["conn"]))),
                    start_connected=bool(as_bool(get(row, c["start"]))),
                    backing=as_str(get(row, c["kind"])),
                )
                for row in rows
            ]
        )

    for name, vm in list(inv.vms.items()):
        inv.vms[name] = msgspec.structs.replace(
            vm, removable_devices=[]
        )  # tab present: none unless listed
    _update(inv, table, build)


#: Why snapshot sizes are left unknown. RVTools' "Size MiB (total)" is the size of the files a
#: snapshot references as vCenter lists them (vmsn plus the parent disk it froze: for a first
#: snapshot, the whole base disk; Broadcom KB 382227), not the delta space that deleting it
#: would free: a backup snapshot taken an hour before the export of a VM with 1.1 TiB of thick
#: disks shows 1.1 TiB. "Size MiB (vmsn)" is the memory state file only.
SNAPSHOT_SIZE_GAP = (
    "RVTools reports a snapshot's size including the parent (base) disk it froze, not the "
    "delta space it holds: snapshot sizes are not taken from the export"
)


def _apply_snapshots(inv: Inventory, table: Table | None) -> None:
    if table is None:
        return
    c = cols(
        table,
        name=("Name",),
        desc=("Description",),
        when=("Date / time",),
        quiesced=("Quiesced",),
        state=("State",),
    )

    def build(vm: VM, rows: list[Any]) -> dict[str, Any]:
        snaps = []
        for n, row in enumerate(rows):
            created = as_datetime(get(row, c["when"]))
            if created is None:
                continue
            snaps.append(
                Snapshot(
                    id=f"{vm.id}:snapshot-{n}",
                    name=as_str(get(row, c["name"])) or f"snapshot {n + 1}",
                    created=created,
                    # Not "Size MiB (total)": see SNAPSHOT_SIZE_GAP.
                    description=as_str(get(row, c["desc"])) or "",
                    quiesced=as_bool(get(row, c["quiesced"])),
                    memory=(as_str(get(row, c["state"])) or "").lower() == "poweredon" or None,
                )
            )
        return dict(snapshots=snaps)

    for name, vm in list(inv.vms.items()):
        inv.vms[name] = msgspec.structs.replace(vm, snapshots=[])  # tab present: none unless listed
    _update(inv, table, build)
