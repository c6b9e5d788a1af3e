"""Shared metric math and per-index aggregates (vmdoctor.checks.metrics)."""

from __future__ import annotations

import gc
import math
import weakref
from datetime import timedelta

import pytest

from vmdoctor.checks import metrics
from vmdoctor.model import EnvironmentIndex

from factories import NOW, make_cluster, make_env, make_host, make_series, make_vm

NAN = math.nan


@pytest.mark.parametrize(
    ("value_ms", "interval_s", "pct"),
    [
        (2000, 20, 10.0),
        (30000, 300, 10.0),
        (180000, 1800, 10.0),
        (720000, 7200, 10.0),
        (0, 20, 0.0),
    ],
    ids=["realtime", "day", "week", "month", "zero"],
)
def test_summation_pct_matches_the_ready_table(
    value_ms: float, interval_s: int, pct: float
) -> None:
    assert metrics.summation_pct(value_ms, interval_s) == pytest.approx(pct)
    assert metrics.pct_to_summation_ms(pct, interval_s) == pytest.approx(value_ms)


def test_percentile_interpolates_like_numpy() -> None:
    values = [float(v) for v in range(1, 101)]
    assert metrics.percentile(values, 95) == pytest.approx(95.05)
    assert metrics.percentile(values, 50) == pytest.approx(50.5)
    assert metrics.percentile([3.0], 95) == 3.0
    assert metrics.percentile([NAN, 1.0, NAN, 3.0], 100) == 3.0


def test_percentile_of_nothing_is_an_error_not_zero() -> None:
    with pytest.raises(ValueError):
        metrics.percentile([NAN, NAN], 95)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0, 5.0, 2.0], 5.0),
        ([NAN, 1.0, 7.0], 7.0),
        ([1.0, NAN, 0.5], 1.0),
        ([NAN, NAN], None),
        ([], None),
    ],
    ids=["plain", "leading-nan", "inner-nan", "all-nan", "empty"],
)
def test_peak_ignores_missing_samples(values: list[float], expected: float | None) -> None:
    assert metrics.peak(values) == expected


def test_summarize_skips_missing_and_reports_none_for_no_data() -> None:
    summary = metrics.summarize([NAN, 1.0, 2.0, 3.0, NAN])
    assert summary is not None
    assert (summary.count, summary.mean, summary.peak, summary.latest) == (3, 2.0, 3.0, 3.0)
    assert metrics.summarize([NAN, NAN]) is None
    assert metrics.summarize([]) is None


def test_recent_keeps_only_the_window_before_now() -> None:
    series = make_series(
        "vm1", "cpu.ready.summation", [float(i) for i in range(10)], interval_s=3600
    )
    last3 = metrics.recent(series, NOW, 2 * 3600)  # samples at now-2h, now-1h, now
    assert list(last3) == [7.0, 8.0, 9.0]
    assert list(metrics.recent(series, NOW, 100 * 3600)) == [float(i) for i in range(10)]


def test_recent_is_empty_for_a_stale_series_and_ignores_the_future() -> None:
    stale = make_series("vm1", "c", [1.0, 2.0], interval_s=20, end=NOW - timedelta(days=3))
    assert len(metrics.recent(stale, NOW, 24 * 3600)) == 0
    future = make_series("vm1", "c", [1.0, 2.0, 3.0], interval_s=3600, end=NOW + timedelta(hours=1))
    assert list(metrics.recent(future, NOW, 24 * 3600)) == [1.0, 2.0]


def test_no_data_message_cites_the_gap() -> None:
    from vmdoctor.model import Gap

    env = make_env(gaps=[Gap(what="metrics", reason="performance manager timed out")])
    message = metrics.no_data_message(EnvironmentIndex(env), "vm1", "cpu.ready.summation")
    assert "performance manager timed out" in message
    plain = metrics.no_data_message(EnvironmentIndex(make_env()), "vm1", "cpu.ready.summation")
    assert "cpu.ready.summation" in plain


def test_per_index_computes_once_per_index_and_forgets_it() -> None:
    calls: list[int] = []

    @metrics.per_index
    def count(index: EnvironmentIndex) -> int:
        calls.append(1)
        return len(index.env.vms)

    first = EnvironmentIndex(make_env())
    assert count(first) == 1 and count(first) == 1
    assert len(calls) == 1
    second = EnvironmentIndex(make_env(vms=[]))
    assert count(second) == 0
    assert len(calls) == 2
    alive = weakref.ref(first)
    del first, second
    gc.collect()
    assert alive() is None, "the cache must not keep an analysed estate alive"


def test_host_loads_count_only_powered_on_vms() -> None:
    env = make_env(
        vms=[
            make_vm(id="a", num_cpu=4, memory_mb=1024),
            make_vm(id="b", num_cpu=8, memory_mb=2048),
            make_vm(id="c", num_cpu=16, memory_mb=4096, power_state="poweredOff"),
        ]
    )
    load = metrics.host_loads(EnvironmentIndex(env))["h1"]
    assert (load.vms_on, load.vcpus_on, load.memory_mb_on) == (2, 12, 3072)


def test_cluster_capacity_counts_usable_hosts_only() -> None:
    env = make_env(
        clusters=[make_cluster()],
        hosts=[
            make_host(id="h1", memory_mb=1000, cpu_cores=10, cpu_mhz=1000),
            make_host(id="h2", memory_mb=2000, cpu_cores=20, cpu_mhz=1000),
            make_host(id="h3", memory_mb=4000, in_maintenance_mode=True),
            make_host(id="h4", memory_mb=8000, connection_state="notResponding"),
        ],
        vms=[make_vm(id="a", host_id="h4", num_cpu=2, memory_mb=512)],
    )
    cap = metrics.cluster_capacities(EnvironmentIndex(env))["c1"]
    assert (cap.hosts_total, cap.hosts_usable) == (4, 2)
    assert (cap.memory_mb, cap.largest_memory_mb, cap.smallest_memory_mb) == (3000, 2000, 1000)
    assert (cap.cpu_mhz, cap.largest_cpu_mhz, cap.smallest_cpu_mhz) == (30000, 20000, 10000)
    assert cap.load.vcpus_on == 2  # the VMs of an unusable host still need room in the cluster


def test_cluster_capacity_is_none_when_a_host_lacks_data() -> None:
    env = make_env(hosts=[make_host(id="h1"), make_host(id="h2", memory_mb=None)])
    cap = metrics.cluster_capacities(EnvironmentIndex(env))["c1"]
    assert cap.memory_mb is None
    assert cap.cores == 128
