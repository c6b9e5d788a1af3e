"""Named cases for datastore state and growth: inaccessible, maintenance mode, full forecast."""

from __future__ import annotations

from typing import Any

import pytest

from vmdoctor.model import Gap, Severity, Status, Timeline

from factories import make_datastore, make_env, make_series, make_vm, run_one

# --- STO008 datastore-inaccessible --------------------------------------------------------------

INACCESSIBLE_CASES = [
    ("accessible", make_datastore(accessible=True), Status.PASS),
    ("inaccessible", make_datastore(accessible=False), Status.FAIL),
]


@pytest.mark.parametrize(
    ("case", "ds", "status"), INACCESSIBLE_CASES, ids=[c[0] for c in INACCESSIBLE_CASES]
)
def test_datastore_inaccessible(case: str, ds: Any, status: Status) -> None:
    assert run_one("STO008", ds).status is status


def test_inaccessible_datastore_counts_the_vms_on_it() -> None:
    ds = make_datastore(accessible=False)
    vms = [
        make_vm(id="vm1"),
        make_vm(id="vm2", power_state="poweredOff"),
        make_vm(id="vm3", datastore_ids=["other"]),
    ]
    outcome = run_one("STO008", ds, make_env(vms=vms, datastores=[ds]))
    assert outcome.evidence == {"vms": 2, "vms_powered_on": 1}


# --- STO009 datastore-maintenance-mode ----------------------------------------------------------

MAINTENANCE_CASES = [
    ("normal", make_datastore(maintenance_mode="normal"), [], Status.PASS, None),
    (
        "in-maintenance-empty",
        make_datastore(maintenance_mode="inMaintenance"),
        [],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "stuck-entering-with-vms",
        make_datastore(maintenance_mode="enteringMaintenance"),
        [make_vm()],
        Status.FAIL,
        Severity.HIGH,
    ),
    ("not-collected", make_datastore(maintenance_mode=None), [], Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "ds", "vms", "status", "severity"),
    MAINTENANCE_CASES,
    ids=[c[0] for c in MAINTENANCE_CASES],
)
def test_datastore_maintenance_mode(
    case: str, ds: Any, vms: list[Any], status: Status, severity: Severity | None
) -> None:
    outcome = run_one("STO009", ds, make_env(vms=vms, datastores=[ds]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or Severity.MEDIUM) is severity


# --- STO016 datastore-full-forecast: 2 TiB datastore, samples in KB, 1 per day ------------------

KB_PER_GIB = 1024 * 1024


def _used_series(used_gib: list[float | None], counter: str = "disk.used.latest") -> Any:
    return make_series(
        "ds1",
        counter,
        [None if v is None else v * KB_PER_GIB for v in used_gib],
        entity_type="datastore",
        unit="KB",
        interval_s=86_400,
    )


FORECAST_CASES = [
    ("flat", [1000, 1000, 1001, 1000, 1000], Status.PASS, None),
    ("shrinking", [1500, 1400, 1300, 1200], Status.PASS, None),
    (
        "full-in-about-20-days",
        [1700, 1710, 1720, 1730, 1740, 1750],
        Status.FAIL,
        Severity.MEDIUM,
    ),  # 10 GiB/day
    (
        "full-in-about-3-days",
        [1600, 1700, None, 1900],
        Status.FAIL,
        Severity.CRITICAL,
    ),  # 100 GiB/day
    ("too-few-samples", [1000, 1900], Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "used", "status", "severity"), FORECAST_CASES, ids=[c[0] for c in FORECAST_CASES]
)
def test_datastore_full_forecast(
    case: str, used: list[float | None], status: Status, severity: Severity | None
) -> None:
    ds = make_datastore()
    env = make_env(datastores=[ds], timeline=Timeline(metrics=[_used_series(used)]))
    outcome = run_one("STO016", ds, env)
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or Severity.MEDIUM) is severity


def test_forecast_days_left_follow_the_trend() -> None:
    ds = make_datastore()
    env = make_env(
        datastores=[ds],
        timeline=Timeline(metrics=[_used_series([1700, 1710, 1720, 1730, 1740, 1750])]),
    )
    outcome = run_one("STO016", ds, env)
    assert outcome.evidence["days_left"] == pytest.approx((2048 - 1750) / 10, abs=0.1)


def test_forecast_without_history_cites_the_metrics_gap() -> None:
    ds = make_datastore()
    env = make_env(
        datastores=[ds], gaps=[Gap(what="metrics", reason="performance statistics level 1")]
    )
    outcome = run_one("STO016", ds, env)
    assert outcome.status is Status.UNKNOWN
    assert "performance statistics level 1" in outcome.message


def test_forecast_refuses_an_unknown_unit() -> None:
    ds = make_datastore()
    series = make_series(
        "ds1", "disk.used.latest", [1.0, 2.0, 3.0], entity_type="datastore", unit="percent"
    )
    outcome = run_one("STO016", ds, make_env(datastores=[ds], timeline=Timeline(metrics=[series])))
    assert outcome.status is Status.UNKNOWN and "unit" in outcome.message
