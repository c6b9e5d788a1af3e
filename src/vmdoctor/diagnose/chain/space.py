"""Datastore space: a VM with no room (swap file, thin disk) <- a full datastore <- what filled
it (a forgotten snapshot, thin disks promised beyond the capacity)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vmdoctor.diagnose.chain.context import GIB, ChainContext, gib
from vmdoctor.diagnose.chain.link import Expander, Link, Seed
from vmdoctor.diagnose.records import aware
from vmdoctor.model import VM, Datastore, Family
from vmdoctor.model.diagnosis import Cause, EvidenceItem

#: a datastore with less free space than this is "full" for the chain
FULL_BELOW_PCT = 5.0
#: a snapshot matters when it holds at least this share of the datastore's capacity
SNAPSHOT_MIN_SHARE = 0.02
SNAPSHOT_OLD_DAYS = 3  # the default of STO003 (snapshot-too-old)
OVERCOMMIT_RATIO = 1.2  # provisioned / capacity from which thin disks explain a full datastore
USED_COUNTER = "disk.used.latest"  # KB, vSphere's datastore counter

_SWAP = re.compile(r"swap", re.IGNORECASE)
_OUT_OF_SPACE = re.compile(r"outofspace|no more space|No space left|NoDiskSpace", re.IGNORECASE)


def _vm(ctx: ChainContext, cause: Cause) -> VM | None:
    return ctx.get(ctx.symptom.target.id, VM) or (
        ctx.get(cause.object.id, VM) if cause.object else None
    )


def _fullest(ctx: ChainContext, ids: Sequence[str]) -> Datastore | None:
    stores = [ds for i in ids if (ds := ctx.get(i, Datastore)) and ds.free_pct is not None]
    return min(stores, key=lambda ds: ds.free_pct or 0.0, default=None)


def _datastore_of(ctx: ChainContext, cause: Cause, vm: VM | None) -> Datastore | None:
    named = [e.object.id for e in cause.evidence if e.object and e.object.type == "datastore"]
    found = _fullest(ctx, named)
    if found is None and vm is not None:
        found = _fullest(
            ctx, [*vm.datastore_ids, *(d.datastore_id for d in vm.disks if d.datastore_id)]
        )
    return found


def _timed(cause: Cause, pattern: re.Pattern[str], limit: int = 2) -> tuple[EvidenceItem, ...]:
    return tuple(e for e in cause.evidence if e.time and pattern.search(e.text))[:limit]


def seed_swap(ctx: ChainContext, cause: Cause) -> Link | None:
    vm = _vm(ctx, cause)
    ds = _datastore_of(ctx, cause, vm)
    if vm is None or ds is None:
        return None
    swap = gib((vm.memory_mb - vm.memory_reservation_mb) * 1024**2)
    return Link(
        key="vm-no-room",
        object_id=vm.id,
        family=cause.family,
        statement=f"{vm.name} needs a {swap} swap file to power on and {ds.name} has no room "
        "for it.",
        clause=f"{vm.name} had no room for its swap file",
        evidence=_timed(cause, _SWAP),
        about_id=ds.id,
    )


def seed_disk_full(ctx: ChainContext, cause: Cause) -> Link | None:
    vm = _vm(ctx, cause)
    ds = _datastore_of(ctx, cause, vm)
    if ds is None:
        return None
    if vm is None:
        return _full(ctx, ds)
    stunned = any(_OUT_OF_SPACE.search(e.text) for e in cause.evidence)
    return Link(
        key="vm-no-room",
        object_id=vm.id,
        family=cause.family,
        statement=f"{vm.name}'s disks could not grow on {ds.name}"
        + (": the VM stopped on an out-of-space question." if stunned else "."),
        clause=f"{vm.name} ran out of disk space",
        evidence=_timed(cause, _OUT_OF_SPACE),
        about_id=ds.id,
    )


def _full(ctx: ChainContext, ds: Datastore) -> Link | None:
    pct = ds.free_pct
    if pct is None or pct >= FULL_BELOW_PCT or not ds.capacity_bytes:
        return None
    used = 100.0 - pct
    text = (
        f"{ds.name} is {used:.1f} % full: {gib(ds.free_bytes or 0)} free of "
        f"{gib(ds.capacity_bytes)}"
    )
    evidence = [ctx.fact(ds.id, text, "free_pct")]
    growth = _growth(ctx, ds)
    if growth:
        evidence.append(ctx.fact(ds.id, growth, USED_COUNTER, source="metric"))
    evidence += ctx.findings_on(ds.id, ("STO001", "STO016"))
    return Link(
        key="datastore-full",
        object_id=ds.id,
        family=Family.STORAGE,
        statement=f"{text}." + (f" Its {growth}." if growth else ""),
        clause=f"{ds.name} filled up",
        evidence=tuple(evidence),
        weight=0.9,
    )


def _growth(ctx: ChainContext, ds: Datastore) -> str:
    series = ctx.index.series(ds.id, USED_COUNTER)
    values = [v for v in series.values() if v == v] if series else []
    if series is None or len(values) < 2 or not ds.capacity_bytes:
        return ""
    first, last = (100.0 * v * 1024 / ds.capacity_bytes for v in (values[0], values[-1]))
    days = len(series.values()) * series.interval_s / 86400
    if last - first < 1.0:
        return ""
    return f"used space rose from {first:.0f} % to {last:.1f} % in {days:.0f} days"


def up_from_vm(ctx: ChainContext, link: Link) -> Sequence[Link]:
    ds = ctx.get(link.about_id, Datastore)
    full = _full(ctx, ds) if ds else None
    return [full] if full else []


def up_from_full(ctx: ChainContext, link: Link) -> Sequence[Link]:
    ds = ctx.get(link.object_id, Datastore)
    if ds is None or not ds.capacity_bytes:
        return []
    return [*_snapshots(ctx, ds), *_overcommit(ctx, ds)]


def _snapshots(ctx: ChainContext, ds: Datastore) -> list[Link]:
    out: list[Link] = []
    capacity = ds.capacity_bytes or 1
    for vm in ctx.vms_on_datastore(ds.id):
        snaps = vm.snapshots or []
        size = sum(s.size_bytes or 0 for s in snaps)
        share = size / capacity
        if not snaps or share < SNAPSHOT_MIN_SHARE:
            continue
        oldest = min(snaps, key=lambda s: aware(s.created))
        days = max(0, (ctx.now - aware(oldest.created)).days)
        old = days >= SNAPSHOT_OLD_DAYS
        what = (
            f"A snapshot of {vm.name} ('{oldest.name}')"
            if len(snaps) == 1
            else f"{vm.name} has {len(snaps)} snapshots (the oldest, '{oldest.name}',"
            f" {days} days old) that"
        )
        statement = (
            f"{what} was taken {days} days ago and never removed; its delta disks hold "
            f"{gib(size)} on {ds.name} ({share:.0%} of its capacity)."
            if len(snaps) == 1
            else f"{what} hold {gib(size)} on {ds.name} ({share:.0%} of its capacity)."
        )
        findings = ctx.findings_on(vm.id, ("STO003", "STO004", "STO005"))
        fact = ctx.fact(
            vm.id,
            f"VM {vm.name}: {len(snaps)} snapshot(s), oldest '{oldest.name}' created "
            f"{aware(oldest.created):%Y-%m-%d}, {gib(size)} of delta disks",
            "snapshots",
        )
        out.append(
            Link(
                key="snapshot-grown",
                object_id=vm.id,
                family=Family.STORAGE,
                statement=statement,
                clause=f"a {days}-day-old snapshot of {vm.name} grew to {gib(size)}",
                evidence=(fact, *findings),
                weight=min(1.0, 4 * share) + (0.1 if old else 0.0) + (0.1 if findings else 0.0),
                remediation=f"Delete the snapshot(s) of {vm.name} (Delete All consolidates "
                f"them) once no backup job still holds '{oldest.name}': that gives about "
                f"{gib(size)} back to {ds.name}.",
                prevention="Alert on snapshots older than 3 days or larger than 10 % of their "
                "datastore (STO003, STO005), and make backup jobs remove the snapshots they "
                "take.",
            )
        )
    return out


def _overcommit(ctx: ChainContext, ds: Datastore) -> list[Link]:
    capacity = ds.capacity_bytes or 0
    if not capacity or ds.free_bytes is None or ds.uncommitted_bytes is None:
        return []
    provisioned = capacity - ds.free_bytes + ds.uncommitted_bytes
    ratio = provisioned / capacity
    if ratio < OVERCOMMIT_RATIO:
        return []
    biggest = _largest_thin_disk(ctx, ds)
    detail = f"; the largest thin disk is {gib(biggest[1])} on {biggest[0].name}" if biggest else ""
    findings = ctx.findings_on(ds.id, ("STO002",))
    text = f"{ds.name}: {gib(provisioned)} provisioned on {gib(capacity)} of capacity ({ratio:.0%})"
    return [
        Link(
            key="datastore-overcommitted",
            object_id=ds.id,
            family=Family.STORAGE,
            statement=f"{ds.name} is thin-provisioned to {ratio:.0%} of its capacity "
            f"({gib(provisioned)} promised on {gib(capacity)}){detail}: the thin disks grew "
            "into the free space.",
            clause=f"{ds.name} was thin-provisioned to {ratio:.0%} of its capacity",
            evidence=(ctx.fact(ds.id, text, "uncommitted_bytes"), *findings),
            weight=0.35 + (0.1 if ratio >= 1.5 else 0.0) + (0.05 if findings else 0.0),
            remediation=f"Move thin disks off {ds.name} with Storage vMotion"
            + (f" (first {biggest[0].name}'s {gib(biggest[1])} disk)" if biggest else "")
            + " or grow the datastore.",
            prevention="Cap thin provisioning per datastore (alert above 150 % provisioned, "
            "STO002) and alert on free space below 10 % (STO001).",
        )
    ]


def _largest_thin_disk(ctx: ChainContext, ds: Datastore) -> tuple[VM, int] | None:
    best: tuple[VM, int] | None = None
    for vm in ctx.vms_on_datastore(ds.id):
        for disk in vm.disks:
            bigger = best is None or disk.capacity_bytes > best[1]
            if disk.thin and disk.datastore_id == ds.id and bigger:
                best = (vm, disk.capacity_bytes)
    return best if best and best[1] >= 100 * GIB else None


SEEDS: dict[str, Seed] = {
    "poweron-swap-space": seed_swap,
    "datastore-full": seed_disk_full,
}
UPSTREAM: dict[str, tuple[Expander, ...]] = {
    "vm-no-room": (up_from_vm,),
    "datastore-full": (up_from_full,),
}
