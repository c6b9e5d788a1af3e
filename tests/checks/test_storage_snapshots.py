"""Named cases for the snapshot checks: age, chain depth, size, consolidation, low space."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from vmdoctor.checks.storage.snapshots import chain_depth
from vmdoctor.model import Disk, Gap, Severity, Status

from factories import GIB, NOW, make_datastore, make_env, make_snapshot, make_vm, run_one


def _chain(n: int, *, days_old: float = 1.0, size_gib: float | None = 1.0) -> list[Any]:
    """A linear chain of ``n`` snapshots, each the child of the previous one."""
    return [
        make_snapshot(
            f"s{i}",
            days_old=days_old,
            parent_id=f"s{i - 1}" if i else None,
            size_bytes=None if size_gib is None else int(size_gib * GIB),
        )
        for i in range(n)
    ]


def _check(check_id: str, vm: Any, env: Any, status: Status, severity: Severity | None) -> None:
    outcome = run_one(check_id, vm, env)
    assert outcome.status is status, outcome.message
    if severity is not None:
        default = Severity.HIGH if check_id in {"STO006", "STO007"} else Severity.MEDIUM
        assert (outcome.severity or default) is severity


# --- STO003 snapshot-too-old --------------------------------------------------------------------

AGE_CASES = [
    ("no-snapshots", make_vm(snapshots=[]), Status.PASS, None),
    ("one-day-old", make_vm(snapshots=[make_snapshot(days_old=1)]), Status.PASS, None),
    ("five-days-old", make_vm(snapshots=[make_snapshot(days_old=5)]), Status.FAIL, Severity.MEDIUM),
    (
        "oldest-of-two-is-40-days",
        make_vm(snapshots=[make_snapshot("a", days_old=1), make_snapshot("b", days_old=40)]),
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("not-collected", make_vm(snapshots=None), Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "vm", "status", "severity"), AGE_CASES, ids=[c[0] for c in AGE_CASES]
)
def test_snapshot_too_old(case: str, vm: Any, status: Status, severity: Severity | None) -> None:
    _check("STO003", vm, make_env(vms=[vm]), status, severity)


def test_snapshot_age_uses_collection_time_not_the_wall_clock() -> None:
    vm = make_vm(snapshots=[make_snapshot(days_old=2)])
    assert run_one("STO003", vm, make_env(vms=[vm])).status is Status.PASS
    later = make_env(vms=[vm], collected_at=NOW + timedelta(days=20))
    outcome = run_one("STO003", vm, later)
    assert outcome.status is Status.FAIL and outcome.evidence["oldest_days"] == 22.0


def test_missing_snapshots_cite_the_gap() -> None:
    vm = make_vm(snapshots=None)
    env = make_env(
        vms=[vm],
        gaps=[Gap(what="vm.snapshots", reason="permission denied", object_id="vm1")],
    )
    assert "permission denied" in run_one("STO003", vm, env).message


# --- STO004 snapshot-chain-too-deep -------------------------------------------------------------

DEPTH_CASES = [
    ("chain-of-2", make_vm(snapshots=_chain(2)), Status.PASS, None),
    ("chain-of-5", make_vm(snapshots=_chain(5)), Status.FAIL, Severity.MEDIUM),
    ("chain-of-30", make_vm(snapshots=_chain(30)), Status.FAIL, Severity.CRITICAL),
    (
        "five-siblings-are-depth-1",
        make_vm(
            snapshots=[make_snapshot(f"s{i}") for i in range(1)]
            + [make_snapshot(f"c{i}", parent_id="s0") for i in range(4)]
        ),
        Status.PASS,
        None,
    ),
    ("not-collected", make_vm(snapshots=None), Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "vm", "status", "severity"), DEPTH_CASES, ids=[c[0] for c in DEPTH_CASES]
)
def test_snapshot_chain_too_deep(
    case: str, vm: Any, status: Status, severity: Severity | None
) -> None:
    _check("STO004", vm, make_env(vms=[vm]), status, severity)


def test_chain_depth_without_parent_links_counts_every_snapshot() -> None:
    assert chain_depth([make_snapshot(f"s{i}") for i in range(4)]) == 4


def test_chain_depth_survives_a_parent_loop() -> None:
    loop = [make_snapshot("a", parent_id="b"), make_snapshot("b", parent_id="a")]
    assert chain_depth(loop) <= 3


# --- STO005 snapshot-too-large: the default VM has 100 GiB of disk ------------------------------

SIZE_CASES = [
    ("small", make_vm(snapshots=_chain(2, size_gib=5)), Status.PASS, None),
    ("60pct-of-disk", make_vm(snapshots=_chain(2, size_gib=30)), Status.FAIL, Severity.MEDIUM),
    ("larger-than-disk", make_vm(snapshots=_chain(2, size_gib=60)), Status.FAIL, Severity.CRITICAL),
    (
        "150-gib-on-a-2-tib-vm",
        make_vm(
            disks=[Disk(label="Hard disk 1", capacity_bytes=2048 * GIB, datastore_id="ds1")],
            snapshots=_chain(1, size_gib=150),
        ),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    ("sizes-not-collected", make_vm(snapshots=_chain(2, size_gib=None)), Status.UNKNOWN, None),
    ("no-snapshots", make_vm(snapshots=[]), Status.PASS, None),
]


@pytest.mark.parametrize(
    ("case", "vm", "status", "severity"), SIZE_CASES, ids=[c[0] for c in SIZE_CASES]
)
def test_snapshot_too_large(case: str, vm: Any, status: Status, severity: Severity | None) -> None:
    _check("STO005", vm, make_env(vms=[vm]), status, severity)


# --- STO006 consolidation-needed ----------------------------------------------------------------

CONSOLIDATION_CASES = [
    ("clean", make_vm(consolidation_needed=False), Status.PASS, None),
    ("needs-consolidation", make_vm(consolidation_needed=True), Status.FAIL, Severity.HIGH),
    ("not-collected", make_vm(consolidation_needed=None), Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "vm", "status", "severity"),
    CONSOLIDATION_CASES,
    ids=[c[0] for c in CONSOLIDATION_CASES],
)
def test_consolidation_needed(
    case: str, vm: Any, status: Status, severity: Severity | None
) -> None:
    _check("STO006", vm, make_env(vms=[vm]), status, severity)


# --- STO007 snapshot-on-low-space-datastore: the datastore is 2 TiB -----------------------------

LOW_SPACE_CASES = [
    ("snapshot-on-roomy-datastore", _chain(1), 1024 * GIB, Status.PASS, None),
    ("snapshot-on-10pct-free", _chain(1), 205 * GIB, Status.FAIL, Severity.HIGH),
    ("snapshot-on-2pct-free", _chain(1), 40 * GIB, Status.FAIL, Severity.CRITICAL),
    ("free-space-not-collected", _chain(1), None, Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "snapshots", "free", "status", "severity"),
    LOW_SPACE_CASES,
    ids=[c[0] for c in LOW_SPACE_CASES],
)
def test_snapshot_on_low_space_datastore(
    case: str, snapshots: list[Any], free: int | None, status: Status, severity: Severity | None
) -> None:
    vm = make_vm(snapshots=snapshots)
    env = make_env(vms=[vm], datastores=[make_datastore(free_bytes=free)])
    _check("STO007", vm, env, status, severity)


def test_vm_without_snapshots_is_not_counted_for_low_space() -> None:
    vm = make_vm(snapshots=[])
    env = make_env(vms=[vm], datastores=[make_datastore(free_bytes=10 * GIB)])
    outcome = run_one("STO007", vm, env)
    assert outcome.status is Status.SKIPPED and outcome.message == "not applicable"


def test_low_space_looks_at_every_disk_datastore() -> None:
    vm = make_vm(
        snapshots=_chain(1),
        datastore_ids=["ds1"],
        disks=[Disk(label="Hard disk 2", capacity_bytes=GIB, datastore_id="ds2")],
    )
    env = make_env(
        vms=[vm],
        datastores=[make_datastore(), make_datastore(id="ds2", name="ds-full", free_bytes=GIB)],
    )
    outcome = run_one("STO007", vm, env)
    assert outcome.status is Status.FAIL and outcome.evidence["datastore"] == "ds-full"
