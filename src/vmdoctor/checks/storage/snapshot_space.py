"""Combined risk: a VM with snapshots whose datastore is already short of free space."""

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
from vmdoctor.checks.gaps import missing, missing_any
from vmdoctor.checks.storage._support import vm_datastore_ids
from vmdoctor.model import VM, Family, Severity
from vmdoctor.model.finding import EvidenceValue


@check(
    id="STO007",
    name="snapshot-on-low-space-datastore",
    title="VM with snapshots sits on a datastore that is nearly full",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.HIGH,
    thresholds={"warning_pct": 15, "critical_pct": 5},
    fix=Fix.MANUAL,
    references=("VMware KB 1002103", "VMware KB 1025279"),
)
def snapshot_on_low_space_datastore(vm: VM, ctx: CheckContext) -> Outcome:
    """No VM with snapshots lives on a datastore below the free-space floor.

    What it checks:
        For VMs that have at least one snapshot: the free space of every datastore holding the
        VM's files, against a warning floor (15 % free) and a critical floor (5 % free).
    Why it matters:
        Snapshot delta disks grow with every guest write, and the swap file of a running VM
        needs room at every power-on. On a datastore that is already short of space, the
        growing delta is what takes the last free block: the VM is stunned with "There is no
        more space for the redo log", and so is every other thin-provisioned VM on it.
    Example:
        app-db-01 has 2 snapshots and its datastore ds-prod-03 has 3.8 % free: critical.
    Remediation:
        Free space first (Storage vMotion another VM away, or grow the datastore), then delete
        the snapshots: consolidation itself needs free space, so deleting them on a full
        datastore can fail.
    """
    if vm.snapshots is None:
        return missing(ctx, vm.id, "snapshots were not collected", "vm.snapshots", "vm.snapshot")
    if not vm.snapshots:
        return not_applicable()
    worst_pct: float | None = None
    worst_name = ""
    unmeasured: list[str] = []
    unmeasured_ids: list[str] = []
    ds_ids = vm_datastore_ids(vm)
    for ds_id in ds_ids:
        ds = ctx.index.datastore(ds_id)
        free_pct = ds.free_pct if ds is not None else None
        if ds is None or free_pct is None:
            unmeasured.append(ds.name if ds is not None else ds_id)
            unmeasured_ids.append(ds_id)
            continue
        if worst_pct is None or free_pct < worst_pct:
            worst_pct, worst_name = free_pct, ds.name
    if worst_pct is None:
        if not ds_ids:
            return missing(
                ctx,
                vm.id,
                "the VM's datastores were not collected",
                "vm.datastores",
                "vm.datastore",
            )
        return missing_any(
            ctx,
            unmeasured_ids,
            f"free space of the VM's datastores was not collected: {', '.join(unmeasured[:3])}",
            "datastore.summary",
            "datastore",
        )
    evidence: dict[str, EvidenceValue] = {
        "datastore": worst_name,
        "free_pct": round(worst_pct, 1),
        "snapshots": len(vm.snapshots),
    }
    message = (
        f"{len(vm.snapshots)} snapshot(s) on datastore {worst_name} "
        f"with only {worst_pct:.1f} % free"
    )
    if worst_pct < ctx.threshold("critical_pct"):
        return fail(message, Severity.CRITICAL, **evidence)
    if worst_pct < ctx.threshold("warning_pct"):
        return fail(message, **evidence)
    if unmeasured:
        return missing_any(
            ctx,
            unmeasured_ids,
            f"free space not collected for datastore(s) {', '.join(unmeasured[:3])}",
            "datastore.summary",
            "datastore",
        )
    return ok()
