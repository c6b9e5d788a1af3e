"""Named pass / fail cases for the datastore capacity checks."""

from __future__ import annotations

import pytest

from vmdoctor.model import Severity, Status

from factories import GIB, make_datastore, run_one

CASES = [
    ("plenty-free", make_datastore(free_bytes=1024 * GIB), Status.PASS, None),
    ("warning-10pct", make_datastore(free_bytes=205 * GIB), Status.FAIL, Severity.MEDIUM),
    ("critical-2pct", make_datastore(free_bytes=40 * GIB), Status.FAIL, Severity.CRITICAL),
    ("not-collected", make_datastore(free_bytes=None), Status.UNKNOWN, None),
]


@pytest.mark.parametrize(("case", "ds", "status", "severity"), CASES, ids=[c[0] for c in CASES])
def test_datastore_free_space(case: str, ds, status: Status, severity: Severity | None) -> None:
    outcome = run_one("STO001", ds)
    assert outcome.status is status
    if severity is not None:
        assert (outcome.severity or Severity.MEDIUM) is severity


def test_threshold_override_moves_the_floor() -> None:
    ds = make_datastore(free_bytes=400 * GIB)  # 19.5 % free
    assert run_one("STO001", ds).status is Status.PASS
    assert run_one("STO001", ds, warning_pct=25).status is Status.FAIL


# --- STO002 datastore-overprovisioned: 2 TiB capacity, 1 TiB free -------------------------------

OVERPROVISIONED_CASES = [
    ("within-limits", make_datastore(uncommitted_bytes=1024 * GIB), Status.PASS, None),  # 100 %
    ("warning-160pct", make_datastore(uncommitted_bytes=2253 * GIB), Status.FAIL, Severity.MEDIUM),
    (
        "critical-250pct",
        make_datastore(uncommitted_bytes=4096 * GIB),
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("uncommitted-not-collected", make_datastore(uncommitted_bytes=None), Status.UNKNOWN, None),
    ("capacity-not-collected", make_datastore(capacity_bytes=None), Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "ds", "status", "severity"),
    OVERPROVISIONED_CASES,
    ids=[c[0] for c in OVERPROVISIONED_CASES],
)
def test_datastore_overprovisioned(
    case: str, ds, status: Status, severity: Severity | None
) -> None:
    outcome = run_one("STO002", ds)
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or Severity.MEDIUM) is severity


def test_overprovisioned_evidence_is_the_ratio() -> None:
    outcome = run_one("STO002", make_datastore(uncommitted_bytes=3072 * GIB))
    assert outcome.evidence["provisioned_pct"] == 200.0
    assert "200 % provisioned" in outcome.message
