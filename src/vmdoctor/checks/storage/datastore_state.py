"""Datastore state: accessible or not, in maintenance mode or not."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Datastore, Family, Severity


def _vm_counts(ds: Datastore, ctx: CheckContext) -> tuple[int, int]:
    vms = ctx.index.vms_by_datastore.get(ds.id, ())
    return len(vms), sum(1 for vm in vms if vm.is_on)


@check(
    id="STO008",
    name="datastore-inaccessible",
    title="Datastore is inaccessible",
    family=Family.STORAGE,
    applies_to="datastore",
    severity=Severity.CRITICAL,
    fix=Fix.MANUAL,
    references=("VMware KB 2004684", "VMware KB 2004605"),
)
def datastore_inaccessible(ds: Datastore, ctx: CheckContext) -> Outcome:
    """vCenter reports the datastore as accessible.

    What it checks:
        The datastore's accessible flag (summary.accessible) as vCenter reported it at
        collection time, with the number of VMs that have files on it.
    Why it matters:
        An inaccessible datastore means lost connectivity (All Paths Down, Permanent Device
        Loss, NFS server gone) or an unmounted volume. Running VMs on it freeze or crash, VMs
        cannot power on, and hostd can hang retrying I/O until the host itself stops
        responding to vCenter.
    Example:
        ds-prod-04 is inaccessible; 37 VMs (21 powered on) have files on it: critical.
    Remediation:
        Check the array, fabric or NFS server and the host's paths (esxcli storage core path
        list); look for APD/PDL events (STO014). Once the device is back, rescan storage. If
        the LUN was removed on purpose, unregister its VMs, unmount the datastore and detach
        the device on every host.
    """
    if ds.accessible:
        return ok()
    total, running = _vm_counts(ds, ctx)
    return fail(
        f"datastore is inaccessible; {total} VM(s) have files on it ({running} powered on)",
        vms=total,
        vms_powered_on=running,
    )


_MAINTENANCE_STATES = {"inMaintenance", "enteringMaintenance"}


@check(
    id="STO009",
    name="datastore-maintenance-mode",
    title="Datastore is in maintenance mode",
    family=Family.STORAGE,
    applies_to="datastore",
    severity=Severity.MEDIUM,
    fix=Fix.MANUAL,
    references=("VMware KB 2004605",),
)
def datastore_maintenance_mode(ds: Datastore, ctx: CheckContext) -> Outcome:
    """The datastore is not in (or stuck entering) Storage DRS maintenance mode.

    What it checks:
        The datastore's maintenance mode state: "inMaintenance" or "enteringMaintenance" fail;
        the message counts the VMs that still have files on it.
    Why it matters:
        A datastore in maintenance mode takes no new placements, and one stuck "entering"
        usually has VMs (or templates, ISO images) that Storage DRS could not move: the planned
        storage work behind it is blocked, and VMs left behind go down when the datastore is
        taken away.
    Example:
        ds-old-01 has been entering maintenance mode with 3 VMs still on it: warning.
    Remediation:
        Storage vMotion or unregister what is left (check CD/DVD images and templates too),
        then finish the maintenance; or take the datastore out of maintenance mode if the work
        is over.
    """
    if ds.maintenance_mode is None:
        return missing(
            ctx,
            ds.id,
            "maintenance mode state was not collected",
            "datastore.summary.maintenanceMode",
        )
    if ds.maintenance_mode not in _MAINTENANCE_STATES:
        return ok()
    total, running = _vm_counts(ds, ctx)
    stuck = ds.maintenance_mode == "enteringMaintenance" and total > 0
    return fail(
        f"datastore is {ds.maintenance_mode}; {total} VM(s) still have files on it",
        Severity.HIGH if stuck else None,
        state=ds.maintenance_mode,
        vms=total,
        vms_powered_on=running,
    )
