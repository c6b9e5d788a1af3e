"""VM flaws of storage: old, deep and large snapshots, consolidation, missing backups."""

from __future__ import annotations

from datetime import timedelta

from vmdoctor.model import VM, Family, Snapshot
from vmdoctor.sources.demo.draft import GIB
from vmdoctor.sources.demo.planter import ANY_PROFILE, MODERN, Planter


def plant_snapshots_and_backups(p: Planter) -> None:
    draft = p.draft
    now = draft.now

    def chain(vm: VM, count: int, first_days: float, size_gib: int, name: str) -> list[Snapshot]:
        out: list[Snapshot] = []
        for i in range(count):
            out.append(
                Snapshot(
                    id=f"{vm.id}-snapshot-{i + 1}",
                    name=name if count == 1 else f"{name} {i + 1}",
                    created=now - timedelta(days=first_days - i, hours=3),
                    size_bytes=size_gib * GIB,
                    parent_id=out[-1].id if out else None,
                    quiesced=False,
                    memory=False,
                )
            )
        return out

    def grow(vm: VM, extra: int) -> None:
        draft.datastore_by_id[vm.datastore_ids[0]].committed_bytes += extra

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    size = max(1, min(80, int(vm.provisioned_disk_bytes / GIB * 0.15)))
    snaps = chain(vm, 1, 118, size, "before upgrade to 5.2")
    draft.replace_vm(vm.id, snapshots=snaps)
    grow(vm, size * GIB)
    p.flag(
        vm,
        "snapshot-too-old",
        Family.STORAGE,
        "A snapshot taken before an application upgrade four months ago was never deleted.",
        ["snapshot-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    size = max(1, min(12, int(vm.provisioned_disk_bytes / GIB * 0.04)))
    snaps = chain(vm, 6, 9, size, "daily-test")
    draft.replace_vm(vm.id, snapshots=snaps)
    grow(vm, 6 * size * GIB)
    p.flag(
        vm,
        "snapshot-chain-too-deep",
        Family.STORAGE,
        "A test script takes a snapshot every day and never removes one: a chain of six.",
        ["snapshot-chain-too-deep", "snapshot-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.provisioned_disk_bytes >= 400 * GIB)
    size = int(vm.provisioned_disk_bytes / GIB * 0.8)
    snaps = chain(vm, 1, 16, size, "pre-migration")
    draft.replace_vm(vm.id, snapshots=snaps)
    grow(vm, size * GIB)
    p.flag(
        vm,
        "snapshot-too-large",
        Family.STORAGE,
        f"A 16-day-old snapshot of a busy VM has grown to {size} GiB (80 % of its disks).",
        ["snapshot-too-large", "snapshot-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(vm.id, consolidation_needed=True)
    p.flag(
        vm,
        "consolidation-needed",
        Family.STORAGE,
        "A backup job's snapshot removal failed half-way: the disks need consolidation.",
        ["consolidation-needed"],
    )

    vm = p.pick_vm(ANY_PROFILE, lambda v: v.is_on)
    stale = (now - timedelta(days=41, hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    draft.replace_vm(vm.id, custom_attributes={**vm.custom_attributes, "Last Backup": stale})
    p.flag(
        vm,
        "backup-too-old",
        Family.STORAGE,
        "The VM dropped out of its backup job after a rename: last backup 41 days ago.",
        ["backup-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    attrs = {
        k: v for k, v in vm.custom_attributes.items() if k not in ("Last Backup", "Backup Job")
    }
    draft.replace_vm(vm.id, custom_attributes=attrs)
    p.flag(
        vm,
        "backup-missing",
        Family.STORAGE,
        "A VM created last month was never added to any backup job.",
        ["backup-too-old"],
    )
