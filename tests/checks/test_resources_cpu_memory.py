"""Named cases for the CPU and memory pressure checks (RES001-RES006)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest

from vmdoctor.checks.registry import registry
from vmdoctor.model import Gap, MetricSeries, Severity, Status, Timeline

from factories import NOW, make_env, make_host, make_series, make_vm, run_one

READY = "cpu.ready.summation"
COSTOP = "cpu.costop.summation"


def per_vcpu_ms(pct: float, interval_s: int, vcpus: int) -> float:
    return pct / 100.0 * interval_s * 1000.0 * vcpus


def ready_series(
    pcts: list[float | None],
    *,
    vcpus: int = 4,
    interval_s: int = 20,
    counter: str = READY,
    instance: str = "",
    vm_id: str = "vm1",
    end: Any = NOW,
) -> MetricSeries:
    values = [None if p is None else per_vcpu_ms(p, interval_s, vcpus) for p in pcts]
    return make_series(vm_id, counter, values, interval_s=interval_s, instance=instance, end=end)


def env_with(*series: MetricSeries, gaps: list[Gap] | None = None, **kw: Any) -> Any:
    return make_env(timeline=Timeline(metrics=list(series)), gaps=gaps or [], **kw)


def effective(check_key: str, severity: Severity | None) -> Severity:
    return severity or registry().get(check_key).severity


VM4 = make_vm(num_cpu=4)
STEADY = [2.0] * 180

READY_CASES = [
    ("low-ready", VM4, [ready_series(STEADY)], Status.PASS, None),
    ("sustained-7pct", VM4, [ready_series([7.0] * 180)], Status.FAIL, Severity.MEDIUM),
    ("sustained-15pct", VM4, [ready_series([15.0] * 180)], Status.FAIL, Severity.CRITICAL),
    ("one-spike-passes", VM4, [ready_series([1.0] * 179 + [80.0])], Status.PASS, None),
    (
        "daily-300s-rollup",
        VM4,
        [ready_series([12.0] * 288, interval_s=300)],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "week-1800s-rollup",
        VM4,
        [ready_series([6.0] * 48, interval_s=1800)],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    ("month-7200s-rollup", VM4, [ready_series([3.0] * 12, interval_s=7200)], Status.PASS, None),
    (
        "leading-missing-sample",
        VM4,
        [ready_series([None] + [12.0] * 100)],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "per-vcpu-instances",
        VM4,
        [
            ready_series([1.0] * 100, vcpus=1, instance="0"),
            ready_series([11.0] * 100, vcpus=1, instance="1"),
        ],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "wide-vm-divides-by-vcpus",
        make_vm(num_cpu=16),
        [ready_series([4.0] * 100, vcpus=16)],
        Status.PASS,
        None,
    ),
    ("no-series", VM4, [], Status.UNKNOWN, None),
    ("all-samples-missing", VM4, [ready_series([None] * 50)], Status.UNKNOWN, None),
    (
        "stale-series",
        VM4,
        [ready_series([20.0] * 50, end=NOW - timedelta(days=3))],
        Status.UNKNOWN,
        None,
    ),
    (
        "powered-off",
        make_vm(power_state="poweredOff"),
        [ready_series([20.0] * 50)],
        Status.SKIPPED,
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "vm", "series", "status", "severity"), READY_CASES, ids=[c[0] for c in READY_CASES]
)
def test_vm_cpu_ready(
    case: str, vm: Any, series: list[MetricSeries], status: Status, severity: Severity | None
) -> None:
    outcome = run_one("RES003", vm, env_with(*series, vms=[vm]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert effective("RES003", outcome.severity) is severity


def test_cpu_ready_fail_reports_percent_per_vcpu() -> None:
    outcome = run_one("RES003", VM4, env_with(ready_series([12.0] * 180), vms=[VM4]))
    assert outcome.evidence["p95"] == pytest.approx(12.0, rel=1e-3)
    assert outcome.evidence["interval_s"] == 20
    assert "per vCPU" in outcome.message


def test_cpu_ready_unknown_cites_the_collection_gap() -> None:
    gap = Gap(what="metrics", reason="statistics level 1 does not keep cpu.ready")
    outcome = run_one("RES003", VM4, env_with(gaps=[gap], vms=[VM4]))
    assert outcome.status is Status.UNKNOWN
    assert "statistics level 1" in outcome.message


def test_cpu_ready_threshold_override() -> None:
    env = env_with(ready_series([4.0] * 100), vms=[VM4])
    assert run_one("RES003", VM4, env).status is Status.PASS
    assert run_one("RES003", VM4, env, warning_pct=3).status is Status.FAIL


COSTOP_CASES = [
    ("low-costop", VM4, [ready_series([0.5] * 100, counter=COSTOP)], Status.PASS, None),
    ("costop-5pct", VM4, [ready_series([5.0] * 100, counter=COSTOP)], Status.FAIL, Severity.MEDIUM),
    (
        "costop-12pct",
        VM4,
        [ready_series([12.0] * 100, counter=COSTOP)],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("single-vcpu", make_vm(num_cpu=1, cores_per_socket=1), [], Status.SKIPPED, None),
    ("no-series", VM4, [], Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "vm", "series", "status", "severity"), COSTOP_CASES, ids=[c[0] for c in COSTOP_CASES]
)
def test_vm_cpu_costop(
    case: str, vm: Any, series: list[MetricSeries], status: Status, severity: Severity | None
) -> None:
    outcome = run_one("RES004", vm, env_with(*series, vms=[vm]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert effective("RES004", outcome.severity) is severity


def host_series(counter: str, values: list[float], unit: str = "percent") -> MetricSeries:
    return make_series("h1", counter, list(values), entity_type="host", unit=unit, interval_s=300)


HOST = make_host()  # 64 cores x 2000 MHz, 1 TiB; quickStats 40,000 MHz (31 %) and 400 GiB (39 %)
HOST_CASES = [
    ("RES001", "quickstats-low", HOST, [], Status.PASS, None),
    (
        "RES001",
        "quickstats-hot",
        make_host(cpu_usage_mhz=120_000),
        [],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "RES001",
        "series-sustained-80",
        HOST,
        [host_series("cpu.usage.average", [80.0] * 288)],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "RES001",
        "series-beats-quickstats",
        make_host(cpu_usage_mhz=120_000),
        [host_series("cpu.usage.average", [30.0] * 288)],
        Status.PASS,
        None,
    ),
    (
        "RES001",
        "mhz-series",
        HOST,
        [host_series("cpu.usagemhz.average", [124_000.0] * 288, unit="MHz")],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("RES001", "nothing-collected", make_host(cpu_usage_mhz=None), [], Status.UNKNOWN, None),
    (
        "RES001",
        "disconnected",
        make_host(connection_state="disconnected"),
        [],
        Status.SKIPPED,
        None,
    ),
    ("RES002", "quickstats-low", HOST, [], Status.PASS, None),
    (
        "RES002",
        "quickstats-full",
        make_host(memory_usage_mb=1000 * 1024),
        [],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "RES002",
        "series-88",
        HOST,
        [host_series("mem.usage.average", [88.0] * 288)],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "RES002",
        "consumed-kb-series",
        HOST,
        [host_series("mem.consumed.average", [0.9 * 1024 * 1024 * 1024] * 288, unit="KB")],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    ("RES002", "nothing-collected", make_host(memory_usage_mb=None), [], Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("check_id", "case", "host", "series", "status", "severity"),
    HOST_CASES,
    ids=[f"{c[0]}-{c[1]}" for c in HOST_CASES],
)
def test_host_usage(
    check_id: str,
    case: str,
    host: Any,
    series: list[MetricSeries],
    status: Status,
    severity: Severity | None,
) -> None:
    outcome = run_one(check_id, host, env_with(*series, hosts=[host]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert effective(check_id, outcome.severity) is severity


def vm_kb_series(counter: str, mb: list[float | None], unit: str = "KB") -> MetricSeries:
    return make_series(
        "vm1", counter, [None if v is None else v * 1024 for v in mb], unit=unit, interval_s=300
    )


VM16 = make_vm(memory_mb=16384)
BALLOON_CASES = [
    ("quickstats-zero", make_vm(ballooned_memory_mb=0), [], Status.PASS, None),
    ("quickstats-some", make_vm(ballooned_memory_mb=512), [], Status.FAIL, Severity.MEDIUM),
    ("quickstats-large", make_vm(ballooned_memory_mb=4096), [], Status.FAIL, Severity.CRITICAL),
    ("series-zero", VM16, [vm_kb_series("mem.vmmemctl.average", [0.0] * 288)], Status.PASS, None),
    (
        "series-sustained",
        VM16,
        [vm_kb_series("mem.vmmemctl.average", [1024.0] * 288)],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "series-brief-blip",
        VM16,
        [vm_kb_series("mem.vmmemctl.average", [0.0] * 280 + [2048.0] * 8)],
        Status.PASS,
        None,
    ),
    ("no-data", make_vm(ballooned_memory_mb=None), [], Status.UNKNOWN, None),
    (
        "powered-off",
        make_vm(power_state="poweredOff", ballooned_memory_mb=900),
        [],
        Status.SKIPPED,
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "vm", "series", "status", "severity"),
    BALLOON_CASES,
    ids=[c[0] for c in BALLOON_CASES],
)
def test_vm_memory_ballooning(
    case: str, vm: Any, series: list[MetricSeries], status: Status, severity: Severity | None
) -> None:
    outcome = run_one("RES005", vm, env_with(*series, vms=[vm]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert effective("RES005", outcome.severity) is severity


SWAP_CASES = [
    ("quickstats-zero", make_vm(swapped_memory_mb=0), [], Status.PASS, None),
    ("quickstats-swapped", make_vm(swapped_memory_mb=300), [], Status.FAIL, Severity.MEDIUM),
    (
        "series-latest-zero",
        VM16,
        [vm_kb_series("mem.swapped.average", [500.0] * 10 + [0.0] * 10)],
        Status.PASS,
        None,
    ),
    (
        "series-latest-swapped",
        VM16,
        [vm_kb_series("mem.swapped.average", [0.0] * 10 + [700.0])],
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "active-swap-in",
        VM16,
        [
            vm_kb_series("mem.swapped.average", [700.0] * 20),
            make_series(
                "vm1", "mem.swapinRate.average", [4096.0] * 20, unit="KBps", interval_s=300
            ),
        ],
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("no-data", make_vm(swapped_memory_mb=None), [], Status.UNKNOWN, None),
]


@pytest.mark.parametrize(
    ("case", "vm", "series", "status", "severity"), SWAP_CASES, ids=[c[0] for c in SWAP_CASES]
)
def test_vm_memory_swapping(
    case: str, vm: Any, series: list[MetricSeries], status: Status, severity: Severity | None
) -> None:
    outcome = run_one("RES006", vm, env_with(*series, vms=[vm]))
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert effective("RES006", outcome.severity) is severity


def test_missing_samples_are_not_zero() -> None:
    series = vm_kb_series("mem.vmmemctl.average", [math.nan] * 288)
    outcome = run_one("RES005", make_vm(ballooned_memory_mb=None), env_with(series))
    assert outcome.status is Status.UNKNOWN
