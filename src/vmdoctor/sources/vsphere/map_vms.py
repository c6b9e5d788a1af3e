"""vSphere VirtualMachine -> VM, with devices, snapshots and quick stats."""

from __future__ import annotations

from typing import Any

from vmdoctor.model import NIC, VM, Disk, RemovableDevice, Snapshot
from vmdoctor.sources.vsphere.map_hosts import option_values
from vmdoctor.sources.vsphere.soap import ObjectProps
from vmdoctor.sources.vsphere.tree import InventoryTree
from vmdoctor.sources.vsphere.xmlval import (
    boolean,
    child,
    children,
    fields,
    integer,
    items,
    text,
    when,
    xtype,
)

_NIC_TYPES = {
    "VirtualVmxnet3": "vmxnet3",
    "VirtualVmxnet3Vrdma": "vmxnet3vrdma",
    "VirtualVmxnet2": "vmxnet2",
    "VirtualVmxnet": "vmxnet",
    "VirtualE1000": "e1000",
    "VirtualE1000e": "e1000e",
    "VirtualPCNet32": "pcnet32",
    "VirtualSriovEthernetCard": "sriov",
}
_REMOVABLE = {"VirtualCdrom": "cdrom", "VirtualFloppy": "floppy", "VirtualUSB": "usb"}


def _limit(value: int | None) -> int | None:
    return None if value is None or value < 0 else value


# Devices are the bulk of a VM's answer (a dozen or more per VM): each one's children are
# indexed once with fields() and read from the index, instead of one lookup per field.


def _label(dev: dict[str, Any]) -> str:
    info = dev.get("deviceInfo")
    label = text(child(info, "label")) if info is not None else None
    return label or f"device-{text(dev.get('key'))}"


def _connectable(dev: dict[str, Any]) -> tuple[bool | None, bool | None]:
    conn = fields(dev.get("connectable"))
    return boolean(conn.get("connected")), boolean(conn.get("startConnected"))


def _nic(dev: dict[str, Any], kind: str, tree: InventoryTree) -> NIC:
    backing = fields(dev.get("backing"))
    network = backing.get("network")
    port = backing.get("port")
    portgroup_key = text(child(port, "portgroupKey")) if port is not None else None
    net_moref = network.text if network is not None else portgroup_key
    connected, start_connected = _connectable(dev)
    return NIC(
        label=_label(dev),
        adapter_type=kind,
        network_name=text(backing.get("deviceName")) or tree.names.get(net_moref or ""),
        network_id=tree.id(net_moref) if net_moref and net_moref in tree.types else None,
        connected=connected,
        start_connected=start_connected,
        mac_address=text(dev.get("macAddress")),
    )


def _disk(dev: dict[str, Any], tree: InventoryTree, controllers: dict[str, Any]) -> Disk:
    backing = fields(dev.get("backing"))
    capacity = integer(dev.get("capacityInBytes"))
    if capacity is None:
        capacity = (integer(dev.get("capacityInKB")) or 0) * 1024
    ds = backing.get("datastore")
    controller = controllers.get(text(dev.get("controllerKey")) or "")
    return Disk(
        label=_label(dev),
        capacity_bytes=capacity,
        datastore_id=tree.id(ds.text) if ds is not None and ds.text else None,
        file_name=text(backing.get("fileName")),
        thin=boolean(backing.get("thinProvisioned")),
        disk_mode=text(backing.get("diskMode")),
        controller=_label(fields(controller)) if controller is not None else None,
    )


def _removable(dev: dict[str, Any], kind: str) -> RemovableDevice:
    backing = dev.get("backing")
    btype = xtype(backing)
    if "Iso" in btype or "Image" in btype:
        source = text(child(backing, "fileName"))
    elif "Remote" in btype:
        source = "client device"
    elif backing is not None:
        source = "host device"
    else:
        source = None
    connected, start_connected = _connectable(dev)
    return RemovableDevice(
        kind=kind,
        label=_label(dev),
        connected=bool(connected),
        start_connected=bool(start_connected),
        backing=source,
    )


def _devices(el: Any, tree: InventoryTree) -> tuple[list[NIC], list[Disk], list[RemovableDevice]]:
    nics: list[NIC] = []
    disks: list[Disk] = []
    removable: list[RemovableDevice] = []
    controllers: dict[str, Any] = {}  # key -> element; labelled only when a disk names it
    wanted: list[tuple[str, dict[str, Any]]] = []
    # Controllers first (a disk names its controller by key), whatever the device order.
    for dev in items(el):
        dtype = xtype(dev)
        if dtype.endswith("Controller"):
            controllers[text(child(dev, "key")) or ""] = dev
        elif dtype == "VirtualDisk" or dtype in _NIC_TYPES or dtype in _REMOVABLE:
            wanted.append((dtype, fields(dev)))
    for dtype, f in wanted:
        if dtype == "VirtualDisk":
            disks.append(_disk(f, tree, controllers))
        elif dtype in _NIC_TYPES:
            nics.append(_nic(f, _NIC_TYPES[dtype], tree))
        else:
            removable.append(_removable(f, _REMOVABLE[dtype]))
    return nics, disks, removable


def _snapshots(info: Any, vm_id: str) -> list[Snapshot]:
    out: list[Snapshot] = []

    def walk(nodes: Any, parent: str | None) -> None:
        for node in nodes:
            snap_ref = text(node, "snapshot") or text(node, "id") or str(len(out))
            snap_id = f"{vm_id}/{snap_ref}"
            created = when(node, "createTime")
            if created is not None:
                out.append(
                    Snapshot(
                        id=snap_id,
                        name=text(node, "name") or "",
                        created=created,
                        parent_id=parent,
                        description=text(node, "description") or "",
                        quiesced=boolean(node, "quiesced"),
                    )
                )
            walk(children(node, "childSnapshotList"), snap_id)

    walk(children(info, "rootSnapshotList"), None)
    return out


def vm(obj: ObjectProps, tree: InventoryTree) -> VM:
    p = obj.props
    vm_id = f"{tree.vcenter_id}:{obj.moref}"
    host = p.get("runtime.host")
    pool = p.get("resourcePool")
    quick = fields(p.get("summary.quickStats"))
    storage = fields(p.get("summary.storage"))
    cpu = fields(p.get("config.cpuAllocation"))
    mem = fields(p.get("config.memoryAllocation"))
    devices = p.get("config.hardware.device")
    nics, disks, removable = _devices(devices, tree)
    host_moref = host.text if host is not None else None
    extra = p.get("config.extraConfig")
    config_read = p.get("config.hardware.numCPU") is not None
    return VM(
        id=vm_id,
        name=tree.names.get(obj.moref, obj.moref),
        vcenter_id=tree.vcenter_id,
        datacenter_id=tree.datacenter_id(obj.moref),
        cluster_id=tree.cluster_of_compute(tree.parents.get(host_moref or "")),
        host_id=tree.id(host_moref),
        resource_pool_id=tree.id(pool.text) if pool is not None else None,
        folder=tree.names.get(tree.parents.get(obj.moref, "")),
        vmx_path=text(p.get("config.files.vmPathName")),
        uuid=text(p.get("config.uuid")),
        template=bool(boolean(p.get("config.template"))),
        power_state=text(p.get("runtime.powerState")) or "poweredOff",
        connection_state=text(p.get("runtime.connectionState")) or "connected",
        guest_id=text(p.get("config.guestId")),
        guest_full_name=text(p.get("config.guestFullName")),
        guest_id_running=text(p.get("guest.guestId")),
        guest_hostname=text(p.get("guest.hostName")),
        guest_ip=text(p.get("guest.ipAddress")),
        tools_status=text(p.get("guest.toolsStatus")),
        tools_running_status=text(p.get("guest.toolsRunningStatus")),
        tools_version=integer(p.get("guest.toolsVersion")),
        tools_version_status=text(p.get("guest.toolsVersionStatus2")),
        hw_version=text(p.get("config.version")),
        firmware=text(p.get("config.firmware")),
        num_cpu=integer(p.get("config.hardware.numCPU")) or 0,
        cores_per_socket=integer(p.get("config.hardware.numCoresPerSocket")),
        memory_mb=integer(p.get("config.hardware.memoryMB")) or 0,
        cpu_reservation_mhz=integer(cpu.get("reservation")) or 0,
        cpu_limit_mhz=_limit(integer(cpu.get("limit"))),
        memory_reservation_mb=integer(mem.get("reservation")) or 0,
        memory_limit_mb=_limit(integer(mem.get("limit"))),
        cpu_hot_add=boolean(p.get("config.cpuHotAddEnabled")),
        memory_hot_add=boolean(p.get("config.memoryHotAddEnabled")),
        overall_cpu_usage_mhz=integer(quick.get("overallCpuUsage")),
        guest_memory_usage_mb=integer(quick.get("guestMemoryUsage")),
        host_memory_usage_mb=integer(quick.get("hostMemoryUsage")),
        ballooned_memory_mb=integer(quick.get("balloonedMemory")),
        swapped_memory_mb=integer(quick.get("swappedMemory")),
        uptime_s=integer(quick.get("uptimeSeconds")),
        boot_time=when(p.get("runtime.bootTime")),
        storage_committed_bytes=integer(storage.get("committed")),
        storage_uncommitted_bytes=integer(storage.get("uncommitted")),
        consolidation_needed=boolean(p.get("runtime.consolidationNeeded")),
        ft_state=text(p.get("runtime.faultToleranceState")),
        annotation=text(p.get("config.annotation")) or "",
        nics=nics,
        disks=disks,
        # The snapshot property is unset when a VM has none: absent means [] once config was read.
        snapshots=_snapshots(p["snapshot"], vm_id)
        if "snapshot" in p
        else ([] if config_read else None),
        removable_devices=removable if devices is not None else None,
        advanced_settings=option_values(extra)
        if extra is not None
        else ({} if config_read else None),
        datastore_ids=[f"{tree.vcenter_id}:{d.text}" for d in items(p.get("datastore")) if d.text],
        network_ids=[f"{tree.vcenter_id}:{n.text}" for n in items(p.get("network")) if n.text],
    )
