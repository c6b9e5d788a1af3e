"""VM snapshots: age, chain depth, size and pending consolidation."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.storage._support import GIB, age_days
from vmdoctor.model import VM, Family, Severity, Snapshot
from vmdoctor.model.finding import EvidenceValue

#: ESXi refuses to create a 33rd delta disk in one chain.
SNAPSHOT_CHAIN_LIMIT = 32


def _snapshots_unknown(vm: VM, ctx: CheckContext) -> Outcome:
    return missing(ctx, vm.id, "snapshots were not collected", "vm.snapshots", "vm.snapshot")


@check(
    id="STO003",
    name="snapshot-too-old",
    title="VM runs on an old snapshot",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"warning_days": 3, "critical_days": 14},
    fix=Fix.MANUAL,
    references=("VMware KB 1025279", "VMware KB 1015180"),
)
def snapshot_too_old(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM's oldest snapshot is younger than the warning and critical ages.

    What it checks:
        The age of the VM's oldest snapshot at collection time: warning after 3 days,
        critical after 14 days.
    Why it matters:
        A snapshot is not a backup. Every write since it was taken goes to a delta disk that
        keeps growing; reads walk the chain, so I/O slows down; deleting it later means a long
        consolidation with stuns; and a growing delta is the most common way a datastore fills
        up and stops every VM on it.
    Example:
        app-db-01 has had the snapshot "before patch" for 41 days: critical.
    Remediation:
        Confirm with the owner that the snapshot is no longer needed, then delete it (Delete /
        Delete All in the Snapshot Manager) outside business hours; check free space first,
        because consolidation needs room. Backup tools that leave snapshots behind need their
        jobs fixed.
    """
    if vm.snapshots is None:
        return _snapshots_unknown(vm, ctx)
    if not vm.snapshots:
        return ok()
    oldest = min(vm.snapshots, key=lambda s: s.created)
    days = max(age_days(oldest.created, ctx.now), 0.0)
    evidence: dict[str, EvidenceValue] = {
        "oldest_days": round(days, 1),
        "oldest_name": oldest.name,
        "snapshots": len(vm.snapshots),
    }
    message = f'oldest snapshot "{oldest.name}" is {days:.0f} days old'
    if days >= ctx.threshold("critical_days"):
        return fail(message, Severity.CRITICAL, **evidence)
    if days >= ctx.threshold("warning_days"):
        return fail(message, **evidence)
    return ok()


def chain_depth(snapshots: list[Snapshot]) -> int:
    """The longest parent chain. Without parent links the snapshots are taken as one chain."""
    if not any(s.parent_id for s in snapshots):
        return len(snapshots)
    parent_of = {s.id: s.parent_id for s in snapshots}
    longest = 0
    for snap in snapshots:
        depth, node = 1, parent_of.get(snap.id)
        # Bounded walk: a corrupt tree with a loop must not hang the scan.
        while node is not None and node in parent_of and depth <= len(snapshots):
            depth, node = depth + 1, parent_of[node]
        longest = max(longest, depth)
    return longest


@check(
    id="STO004",
    name="snapshot-chain-too-deep",
    title="VM has too many snapshots in a chain",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"max_depth": 3, "critical_depth": 24},
    fix=Fix.MANUAL,
    references=("VMware KB 1025279", "VMware KB 1015180"),
)
def snapshot_chain_too_deep(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM's snapshot chain stays short.

    What it checks:
        The depth of the VM's deepest snapshot chain (how many delta disks a read may have to
        walk): more than 3 is a warning, 24 or more is critical because ESXi stops at 32.
    Why it matters:
        Each level adds a lookup to every read and another file that must open at power-on.
        Long chains slow the VM, make consolidation take hours, and at 32 levels new snapshots
        (and therefore backups) fail outright.
    Example:
        app-web-07 has a chain of 6 snapshots left behind by a backup tool: warning.
    Remediation:
        Delete snapshots that are no longer needed (oldest first keeps the stun short), then
        find what creates them: a backup job that fails before cleanup, or a manual habit.
    """
    if vm.snapshots is None:
        return _snapshots_unknown(vm, ctx)
    if not vm.snapshots:
        return ok()
    depth = chain_depth(vm.snapshots)
    evidence: dict[str, EvidenceValue] = {
        "depth": depth,
        "snapshots": len(vm.snapshots),
        "limit": SNAPSHOT_CHAIN_LIMIT,
    }
    if depth >= ctx.threshold("critical_depth"):
        return fail(
            f"snapshot chain is {depth} deep (ESXi limit {SNAPSHOT_CHAIN_LIMIT})",
            Severity.CRITICAL,
            **evidence,
        )
    if depth > ctx.threshold("max_depth"):
        return fail(f"snapshot chain is {depth} deep", **evidence)
    return ok()


@check(
    id="STO005",
    name="snapshot-too-large",
    title="VM snapshots have grown large",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"warning_pct": 50, "critical_pct": 100, "warning_gib": 100, "critical_gib": 500},
    fix=Fix.MANUAL,
    references=("VMware KB 1025279", "VMware KB 1002103"),
)
def snapshot_too_large(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM's snapshot files stay small compared with its disks and in absolute size.

    What it checks:
        The total size of the VM's snapshot files, as a share of its provisioned disk size
        (warning from 50 %, critical from 100 %) and in GiB (warning from 100 GiB, critical
        from 500 GiB).
    Why it matters:
        A delta disk can grow up to the size of its base disk. Large deltas are what fills a
        datastore ("There is no more space for the redo log"), and deleting them means a long,
        I/O-heavy consolidation that can stun the VM.
    Example:
        app-file-02: 380 GiB of snapshots on 400 GiB of disks (95 %): warning.
    Remediation:
        Delete the snapshots once the owner agrees, in a quiet period, after checking the
        datastore has free space for the consolidation. If a backup tool keeps the snapshot
        open, fix the job first.
    """
    if vm.snapshots is None:
        return _snapshots_unknown(vm, ctx)
    if not vm.snapshots:
        return ok()
    known = [s.size_bytes for s in vm.snapshots if s.size_bytes is not None]
    total = sum(known)
    disk_bytes = vm.provisioned_disk_bytes
    pct = 100.0 * total / disk_bytes if disk_bytes > 0 else None
    total_gib = total / GIB
    evidence: dict[str, EvidenceValue] = {
        "snapshot_gib": round(total_gib, 1),
        "disk_gib": round(disk_bytes / GIB, 1),
        "snapshot_pct": round(pct, 1) if pct is not None else None,
    }
    message = f"snapshots use {total_gib:.0f} GiB" + (
        f" ({pct:.0f} % of {disk_bytes / GIB:.0f} GiB of disks)" if pct is not None else ""
    )
    if total_gib >= ctx.threshold("critical_gib") or (
        pct is not None and pct >= ctx.threshold("critical_pct")
    ):
        return fail(message, Severity.CRITICAL, **evidence)
    if total_gib >= ctx.threshold("warning_gib") or (
        pct is not None and pct >= ctx.threshold("warning_pct")
    ):
        return fail(message, **evidence)
    if len(known) < len(vm.snapshots):
        # What is known is below the limits, but the missing sizes could push it over.
        return missing(
            ctx,
            vm.id,
            f"size of {len(vm.snapshots) - len(known)} of {len(vm.snapshots)} snapshots "
            "was not collected",
            "vm.snapshots.size",
            "vm.layoutEx",
            **evidence,
        )
    return ok()


@check(
    id="STO006",
    name="consolidation-needed",
    title="VM disks need consolidation",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.HIGH,
    fix=Fix.SAFE,
    references=("VMware KB 2003638", "VMware KB 1002310"),
)
def consolidation_needed(vm: VM, ctx: CheckContext) -> Outcome:
    """vSphere does not flag the VM as needing disk consolidation.

    What it checks:
        The VM's "Consolidation Needed" flag (runtime.consolidationNeeded), which vSphere sets
        when a snapshot was deleted but its delta disks were not merged back.
    Why it matters:
        The VM keeps running on delta disks that no snapshot in the Snapshot Manager shows:
        they keep growing unseen until the datastore fills, reads stay slow, and the next
        backup snapshot stacks another level on the hidden chain.
    Example:
        app-sql-03 needs consolidation after a backup job was interrupted.
    Remediation:
        Run Snapshots > Consolidate on the VM (it runs live; large deltas stun the VM briefly,
        so prefer a quiet hour). If it fails with a lock error, find the process holding the
        disk (often a backup proxy with the disk still hot-added) and release it first.
    """
    if vm.consolidation_needed is None:
        return missing(
            ctx, vm.id, "consolidation flag was not collected", "vm.runtime.consolidationNeeded"
        )
    if vm.consolidation_needed:
        return fail("vSphere reports that the VM's disks need consolidation")
    return ok()
