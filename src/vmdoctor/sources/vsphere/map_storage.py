"""Host storage devices and their multipathing, and which datastore sits on which device.

A host's ``config.storageDevice.scsiLun`` names each device (canonical name, display name,
local or not); ``config.storageDevice.multipathInfo`` lists each device's paths and their
state. The datastore on a device comes from the datastores' VMFS extents (``info.vmfs.extent``,
canonical names are the same on every host that sees a shared LUN).
"""

from __future__ import annotations

from typing import Any

from vmdoctor.model import StorageDevice
from vmdoctor.sources.vsphere.soap import ObjectProps
from vmdoctor.sources.vsphere.xmlval import boolean, child, children, items, text, xtype

#: Path states that still carry I/O or take over on failover (standby paths count as usable,
#: as in RVTools' multipath tab); "dead" is a broken path, "disabled"/"unknown" neither.
_WORKING = frozenset({"active", "standby"})
#: Devices that never hold a datastore: leaving them out keeps the path check on real storage.
_NOT_STORAGE = frozenset({"cdrom", "tape", "mediaChanger", "enclosure", "communications"})


def extent_datastores(datastores: list[ObjectProps], vcenter_id: str) -> dict[str, str]:
    """Canonical device name -> datastore ID, from every VMFS datastore's extents."""
    out: dict[str, str] = {}
    for ds in datastores:
        vmfs = child(ds.props.get("info"), "vmfs")
        for extent in children(vmfs, "extent"):
            name = text(extent, "diskName")
            if name:
                out[name] = f"{vcenter_id}:{ds.moref}"
    return out


def storage_devices(
    scsi_luns: Any, multipath: Any, device_datastores: dict[str, str]
) -> list[StorageDevice] | None:
    """The host's storage devices with path counts; None when neither property was read."""
    if scsi_luns is None and multipath is None:
        return None
    luns: dict[str, Any] = {}
    for lun in items(scsi_luns):
        key = text(lun, "key")
        if key:
            luns[key] = lun
    out: list[StorageDevice] = []
    for unit in children(multipath, "lun"):
        lun = luns.get(text(unit, "lun") or "")
        if lun is not None and text(lun, "lunType") in _NOT_STORAGE:
            continue
        states = [
            (text(p, "pathState") or text(p, "state") or "unknown") for p in children(unit, "path")
        ]
        canonical = text(lun, "canonicalName") if lun is not None else None
        canonical = canonical or text(unit, "id") or ""
        out.append(
            StorageDevice(
                canonical_name=canonical,
                display_name=(text(lun, "displayName") if lun is not None else None) or "",
                is_local=_is_local(lun),
                paths_total=len(states),
                paths_active=sum(s in _WORKING for s in states),
                paths_dead=sum(s == "dead" for s in states),
                datastore_id=device_datastores.get(canonical),
            )
        )
    return out


def _is_local(lun: Any) -> bool:
    if lun is None:
        return False
    # Only HostScsiDisk has localDisk; other device types are judged by name (ESXi prefixes
    # local devices with "Local").
    local = boolean(lun, "localDisk") if xtype(lun) == "HostScsiDisk" else None
    if local is not None:
        return local
    return (text(lun, "displayName") or "").lower().startswith("local ")
