"""Removable media left connected to VMs."""

from __future__ import annotations

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    check,
    fail,
    not_applicable,
    ok,
)
from vmdoctor.checks.gaps import missing
from vmdoctor.model import VM, Family, RemovableDevice, Severity

MEDIA_KINDS = ("cdrom", "floppy")


def _host_bound(device: RemovableDevice) -> bool:
    return (device.backing or "").lower().startswith("host")


@check(
    id="CFG005",
    name="vm-removable-media-connected",
    title="CD-ROM or floppy is connected to a VM",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("VMware KB 1003794",),
)
def vm_removable_media_connected(vm: VM, ctx: CheckContext) -> Outcome:
    """No CD-ROM or floppy drive is connected (running VM) or set to connect (powered off).

    What it checks:
        CD-ROM and floppy devices of every VM except templates: connected on a powered-on VM,
        or "connect at power on" on a powered-off one. A host device backing (the host's
        physical drive) is high severity; a datastore ISO or image is medium.
    Why it matters:
        A connected host device pins the VM to its host: vMotion fails, DRS cannot move it,
        and maintenance mode hangs waiting for it. An ISO on a datastore that other hosts do
        not see has the same effect, and a mounted ISO keeps its datastore from being removed.
    Example:
        app-07 has "CD/DVD drive 1" connected to "[ds-local-esx02] iso/win2022.iso".
    Remediation:
        Disconnect the drive, or set it to "Client Device" (live); untick "connect at power
        on" for drives that must stay configured.
    """
    if vm.template:
        return not_applicable()
    if vm.removable_devices is None:
        return missing(
            ctx, vm.id, "removable devices were not collected", "vm.removable_devices", "vm.config"
        )
    on = vm.power_state == "poweredOn"
    attached = [
        d
        for d in vm.removable_devices
        if d.kind in MEDIA_KINDS
        and (d.connected if on else d.start_connected)
        and (d.backing or "").lower() != "client device"
    ]
    if not attached:
        return ok()
    host_bound = any(_host_bound(d) for d in attached)
    state = "connected" if on else "set to connect at power-on"
    listing = ", ".join(f"{d.label} -> {d.backing or 'unknown backing'}" for d in attached)
    return fail(
        f"{state}: {listing}",
        Severity.HIGH if host_bound else None,
        devices=len(attached),
        host_device=host_bound,
    )
