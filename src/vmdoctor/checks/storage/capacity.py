"""Datastore capacity: free space and thin over-provisioning."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok, unknown
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Datastore, Family, Severity
from vmdoctor.model.finding import EvidenceValue

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
        return missing(
            ctx, ds.id, "capacity or free space was not collected", "datastore.summary", "datastore"
        )
    if ds.capacity_bytes <= 0:
        return unknown("datastore reports zero capacity (inaccessible?)")
    free_pct = 100.0 * ds.free_bytes / ds.capacity_bytes
    evidence: dict[str, EvidenceValue] = {
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


@check(
    id="STO002",
    name="datastore-overprovisioned",
    title="Datastore is thin over-provisioned",
    family=Family.STORAGE,
    applies_to="datastore",
    severity=Severity.MEDIUM,
    thresholds={"warning_pct": 150, "critical_pct": 200},
    fix=Fix.MANUAL,
    references=("VMware KB 1025279", "VMware KB 1002103"),
)
def datastore_overprovisioned(ds: Datastore, ctx: CheckContext) -> Outcome:
    """Space promised to thin disks stays within a safe multiple of the datastore's capacity.

    What it checks:
        Provisioned space (used space plus the space thin disks and snapshots may still grow
        into, the vSphere "uncommitted" figure) as a share of capacity: warning from 150 %,
        critical from 200 %.
    Why it matters:
        Thin disks only take space when the guest writes. When the promised space is far larger
        than the datastore, ordinary guest growth, a patch run or a snapshot is enough to fill
        it, and then every VM that needs one more block is stunned
        (msg.hbacommon.outofspace) at the same moment.
    Example:
        ds-prod-02: 2 TiB capacity, 4.6 TiB provisioned (230 %): critical.
    Remediation:
        Stop placing new thin VMs on the datastore (Storage DRS or placement rules), Storage
        vMotion some VMs away, delete old snapshots, or grow the LUN/volume. Monitor free space
        closely (STO001) until the ratio is back under the warning level.
    """
    if ds.capacity_bytes is None or ds.free_bytes is None:
        return missing(
            ctx, ds.id, "capacity or free space was not collected", "datastore.summary", "datastore"
        )
    if ds.uncommitted_bytes is None:
        return missing(
            ctx,
            ds.id,
            "uncommitted (thin-provisioned) space was not collected",
            "datastore.summary",
            "datastore",
        )
    if ds.capacity_bytes <= 0:
        return unknown("datastore reports zero capacity (inaccessible?)")
    provisioned = ds.capacity_bytes - ds.free_bytes + ds.uncommitted_bytes
    ratio_pct = 100.0 * provisioned / ds.capacity_bytes
    evidence: dict[str, EvidenceValue] = {
        "provisioned_pct": round(ratio_pct, 1),
        "provisioned_gib": round(provisioned / GIB, 1),
        "capacity_gib": round(ds.capacity_bytes / GIB, 1),
    }
    message = (
        f"{ratio_pct:.0f} % provisioned ({provisioned / GIB:.0f} GiB promised on "
        f"{ds.capacity_bytes / GIB:.0f} GiB)"
    )
    if ratio_pct >= ctx.threshold("critical_pct"):
        return fail(message, Severity.CRITICAL, **evidence)
    if ratio_pct >= ctx.threshold("warning_pct"):
        return fail(message, **evidence)
    return ok()
