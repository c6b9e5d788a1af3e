"""Datastore capacity: free space and thin over-provisioning."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok, unknown
from vmdoctor.model import Datastore, Family, Severity

GIB = 1024**3


@check(
    id="STO001",
    name="datastore-free-space",
    title="Datastore is running out of free space",
    family=Family.STORAGE,
    applies_to="datastore",
    severity=Severity.MEDIUM,
    thresholds={"warning_pct": 15, "critical_pct": 5},
    fix=Fix.MANUAL,
    references=("VMware KB 1003412", "VMware KB 2003964"),
)
def datastore_free_space(ds: Datastore, ctx: CheckContext) -> Outcome:
    """Datastore free space stays above the warning and critical floors.

    What it checks:
        The share of the datastore's capacity that is free, against a warning floor (15 %) and
        a critical floor (5 %).
    Why it matters:
        When a VMFS or NFS datastore fills up, every VM with a thin disk or a snapshot on it is
        stunned ("There is no more space for virtual disk ..." / msg.hbacommon.outofspace) and
        VMs cannot power on because their swap file cannot be created.
    Example:
        ds-prod-01 has 2.1 % free (43 GiB of 2 TiB): critical.
    Remediation:
        Delete or consolidate old snapshots, remove orphaned files, Storage vMotion VMs to a
        datastore with room, or grow the LUN/volume and expand the datastore.
    """
    if ds.capacity_bytes is None or ds.free_bytes is None:
        return unknown("capacity or free space was not collected")
    if ds.capacity_bytes <= 0:
        return unknown("datastore reports zero capacity (inaccessible?)")
    free_pct = 100.0 * ds.free_bytes / ds.capacity_bytes
    evidence = {
        "free_pct": round(free_pct, 1),
        "free_gib": round(ds.free_bytes / GIB, 1),
        "capacity_gib": round(ds.capacity_bytes / GIB, 1),
    }
    if free_pct < ctx.threshold("critical_pct"):
        return fail(
            f"only {free_pct:.1f} % free ({ds.free_bytes / GIB:.0f} GiB of "
            f"{ds.capacity_bytes / GIB:.0f} GiB)",
            Severity.CRITICAL,
            **evidence,
        )
    if free_pct < ctx.threshold("warning_pct"):
        return fail(
            f"{free_pct:.1f} % free ({ds.free_bytes / GIB:.0f} GiB of "
            f"{ds.capacity_bytes / GIB:.0f} GiB)",
            **evidence,
        )
    return ok()
