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


def _label(dev: Any) -> str:
    return text(dev, "deviceInfo", "label") or f"device-{text(dev, 'key')}"


def _nic(dev: Any, kind: str, tree: InventoryTree) -> NIC:
    backing = child(dev, "backing")
    network = child(backing, "network")
    portgroup_key = text(backing, "port", "portgroupKey")
    net_moref = network.text if network is not None else portgroup_key
    return NIC(
        label=_label(dev),
        adapter_type=kind,
        network_name=text(backing, "deviceName") or tree.names.get(net_moref or ""),
        network_id=tree.id(net_moref) if net_moref and net_moref in tree.types else None,
        connected=boolean(dev, "connectable", "connected"),
        start_connected=boolean(dev, "connectable", "startConnected"),
        mac_address=text(dev, "macAddress"),
    )


def _disk(dev: Any, tree: InventoryTree, controllers: dict[str, str]) -> Disk:
    backing = child(dev, "backing")
    capacity = integer(dev, "capacityInBytes")
    if capacity is None:
        capacity = (integer(dev, "capacityInKB") or 0) * 1024
    ds = child(backing, "datastore")
    return Disk(
        label=_label(dev),
        capacity_bytes=capacity,
        datastore_id=tree.id(ds.text) if ds is not None and ds.text else None,
        file_name=text(backing, "fileName"),
        thin=boolean(backing, "thinProvisioned"),
        disk_mode=text(backing, "diskMode"),
        controller=controllers.get(text(dev, "controllerKey") or ""),
    )


def _removable(dev: Any, kind: str) -> RemovableDevice:
    backing = child(dev, "backing")
    btype = xtype(backing)
    if "Iso" in btype or "Image" in btype:
        source = text(backing, "fileName")
    elif "Remote" in btype:
        source = "client device"
    elif backing is not None:
        source = "host device"
    else:
        source = None
    return RemovableDevice(
        kind=kind,
        label=_label(dev),
        connected=bool(boolean(dev, "connectable", "connected")),
        start_connected=bool(boolean(dev, "connectable", "startConnected")),
        backing=source,
    )


def _devices(el: Any, tree: InventoryTree) -> tuple[list[NIC], list[Disk], list[RemovableDevice]]:
    nics: list[NIC] = []
    disks: list[Disk] = []
    removable: list[RemovableDevice] = []
    devices = items(el)
    controllers = {
        text(d, "key") or "": _label(d)
        for d in devices
        if xtype(d).endswith(("Controller", "SCSIController"))
    }
    for dev in devices:
        dtype = xtype(dev)
        if dtype == "VirtualDisk":
            disks.append(_disk(dev, tree, controllers))
        elif dtype in _NIC_TYPES:
            nics.append(_nic(dev, _NIC_TYPES[dtype], tree))
        elif dtype in _REMOVABLE:
            removable.append(_removable(dev, _REMOVABLE[dtype]))
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
    quick = p.get("summary.quickStats")
    storage = p.get("summary.storage")
    cpu = p.get("config.cpuAllocation")
    mem = p.get("config.memoryAllocation")
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
        cpu_reservation_mhz=integer(cpu, "reservation") or 0,
        cpu_limit_mhz=_limit(integer(cpu, "limit")),
        memory_reservation_mb=integer(mem, "reservation") or 0,
        memory_limit_mb=_limit(integer(mem, "limit")),
        cpu_hot_add=boolean(p.get("config.cpuHotAddEnabled")),
        memory_hot_add=boolean(p.get("config.memoryHotAddEnabled")),
        overall_cpu_usage_mhz=integer(quick, "overallCpuUsage"),
        guest_memory_usage_mb=integer(quick, "guestMemoryUsage"),
        host_memory_usage_mb=integer(quick, "hostMemoryUsage"),
        ballooned_memory_mb=integer(quick, "balloonedMemory"),
        swapped_memory_mb=integer(quick, "swappedMemory"),
        uptime_s=integer(quick, "uptimeSeconds"),
        boot_time=when(p.get("runtime.bootTime")),
        storage_committed_bytes=integer(storage, "committed"),
        storage_uncommitted_bytes=integer(storage, "uncommitted"),
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
