"""Shared math for checks that read metric series and per-host / per-cluster aggregates.

Conventions every resources check relies on:

* ``*.summation`` counters in milliseconds (``cpu.ready``, ``cpu.costop``) are turned into a
  percent of the sample interval: ``pct = ms / (interval_s * 1000) * 100``. The aggregate
  instance ``""`` of a VM sums all its vCPUs, so it is divided by ``num_cpu`` to get a
  per-vCPU figure (VMware KB 2002181). This works for every stats interval: 20 s real time,
  300 / 1800 / 7200 s historical rollups.
* A series with unit ``"percent"`` holds 0-100 percent (the collector divides the API's
  hundredths of a percent by 100).
* A missing sample is NaN; a series with no present sample in the window is "no data",
  never zero.
* Series are judged over a recent window (default 24 h before ``collected_at``) by their
  95th percentile: sustained pressure, not one spike (a backup job at 02:00 is not a capacity
  problem), and not the mean either (which hides a daily hour of contention).

Aggregates (vCPUs and memory per host, usable capacity per cluster, ...) are computed once per
:class:`EnvironmentIndex` with :func:`per_index`, so a per-VM check stays O(1).
"""

from __future__ import annotations

import functools
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from vmdoctor.checks.gaps import find_gap, with_reason
from vmdoctor.model import VM, EnvironmentIndex, Host, MetricSeries

T = TypeVar("T")

DEFAULT_WINDOW_HOURS = 24
DEFAULT_PERCENTILE = 95.0


# --- conversions --------------------------------------------------------------------------------


def summation_pct(value_ms: float, interval_s: int) -> float:
    """A ``*.summation`` millisecond value as a percent of its sample interval."""
    return value_ms / (interval_s * 1000.0) * 100.0


def pct_to_summation_ms(pct: float, interval_s: int) -> float:
    """The millisecond value that equals ``pct`` percent of one sample interval."""
    return pct * interval_s * 10.0


# --- windows and statistics ---------------------------------------------------------------------


def recent(series: MetricSeries, now: datetime, window_s: float) -> array[float]:
    """The samples taken in the ``window_s`` seconds up to ``now`` (NaN kept for missing ones).

    Samples stamped after ``now`` are ignored: ``now`` is when the estate was collected.
    """
    values = series.values()
    n = len(values)
    if n == 0:
        return values
    interval = series.interval_s
    since_start = (now - series.start).total_seconds()
    first = max(0, math.ceil((since_start - window_s) / interval))
    last = min(n, math.floor(since_start / interval) + 1)
    if first == 0 and last == n:
        return values
    if first >= last:
        return array("f")
    return values[first:last]


def peak(values: Sequence[float]) -> float | None:
    """The largest present sample, or None when none is present.

    Fast path: ``max`` over floats ignores NaN unless the first sample is NaN (no value compares
    greater than NaN), so only that case needs the slow filtered scan.
    """
    if not values:
        return None
    top = max(values)
    if top == top:  # not NaN
        return top
    return max((v for v in values if v == v), default=None)


def present(values: Sequence[float]) -> list[float]:
    return [v for v in values if v == v]


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (numpy's default method) of present values.

    Raises ValueError on an empty input: "no data" must be decided by the caller.
    """
    data = sorted(present(values))
    if not data:
        raise ValueError("percentile of an empty series")
    if len(data) == 1:
        return data[0]
    rank = (len(data) - 1) * pct / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Summary:
    """Statistics of the present samples of one window."""

    count: int
    mean: float
    p95: float
    peak: float
    latest: float

    def scaled(self, factor: float) -> Summary:
        return Summary(
            self.count,
            self.mean * factor,
            self.p95 * factor,
            self.peak * factor,
            self.latest * factor,
        )


def summarize(values: Sequence[float], pct: float = DEFAULT_PERCENTILE) -> Summary | None:
    data = present(values)
    if not data:
        return None
    return Summary(
        count=len(data),
        mean=sum(data) / len(data),
        p95=percentile(data, pct),
        peak=max(data),
        latest=data[-1],
    )


def window_s(hours: float) -> float:
    return hours * 3600.0


def no_data_message(index: EnvironmentIndex, object_id: str, counter: str) -> str:
    """Why a series is missing: the collector's gap if there is one, else a plain statement."""
    gap = find_gap(index, object_id, f"metrics:{counter}", "metrics")
    return with_reason(f"no {counter} samples were collected for this object", gap)


# --- per-index aggregates -----------------------------------------------------------------------


def per_index(fn: Callable[[EnvironmentIndex], T]) -> Callable[[EnvironmentIndex], T]:
    """Compute ``fn(index)`` once per EnvironmentIndex (that is, once per analysis)."""

    @functools.wraps(fn)
    def cached(index: EnvironmentIndex) -> T:
        return index.memo(fn, lambda: fn(index))

    return cached


@dataclass(slots=True)
class Load:
    """What the powered-on VMs placed on a host (or a cluster) are configured with."""

    vms_on: int = 0
    vcpus_on: int = 0
    memory_mb_on: int = 0


@per_index
def host_loads(index: EnvironmentIndex) -> dict[str, Load]:
    out: dict[str, Load] = defaultdict(Load)
    for vm in index.env.vms:
        if vm.host_id and vm.power_state == "poweredOn":
            load = out[vm.host_id]
            load.vms_on += 1
            load.vcpus_on += vm.num_cpu
            load.memory_mb_on += vm.memory_mb
    return dict(out)


def is_usable(host: Host) -> bool:
    """A host that can run VMs now: connected, not in maintenance mode, not in standby."""
    return (
        host.connection_state == "connected"
        and not host.in_maintenance_mode
        and host.power_state in (None, "poweredOn")
    )


@dataclass(slots=True)
class ClusterCapacity:
    """Capacity and demand of a cluster's usable hosts (None where a host lacked the datum)."""

    hosts_total: int = 0
    hosts_usable: int = 0
    cores: int | None = 0
    threads: int | None = 0
    memory_mb: int | None = 0
    cpu_mhz: int | None = 0
    largest_memory_mb: int = 0
    largest_cpu_mhz: int = 0
    smallest_memory_mb: int | None = None
    smallest_cpu_mhz: int | None = None
    cpu_demand_mhz: int | None = 0
    memory_demand_mb: int | None = 0
    load: Load = field(default_factory=Load)


def _add(total: int | None, value: int | None) -> int | None:
    return None if total is None or value is None else total + value


@per_index
def cluster_capacities(index: EnvironmentIndex) -> dict[str, ClusterCapacity]:
    """Per cluster: capacity of its usable hosts, their current demand, and the configured
    size of every powered-on VM of the cluster (wherever it runs: all must fit on usable hosts).
    """
    out: dict[str, ClusterCapacity] = {}
    for cluster in index.env.clusters:
        cap = ClusterCapacity(load=_cluster_load(index.vms_by_cluster.get(cluster.id, ())))
        for host in index.hosts_by_cluster.get(cluster.id, ()):
            cap.hosts_total += 1
            if is_usable(host):
                _add_host(cap, host)
        out[cluster.id] = cap
    return out


def _cluster_load(vms: Sequence[VM]) -> Load:
    load = Load()
    for vm in vms:
        if vm.power_state == "poweredOn":
            load.vms_on += 1
            load.vcpus_on += vm.num_cpu
            load.memory_mb_on += vm.memory_mb
    return load


def _add_host(cap: ClusterCapacity, host: Host) -> None:
    cap.hosts_usable += 1
    cap.cores = _add(cap.cores, host.cpu_cores)
    cap.threads = _add(cap.threads, host.cpu_threads or host.cpu_cores)
    cap.memory_mb = _add(cap.memory_mb, host.memory_mb)
    cap.cpu_mhz = _add(cap.cpu_mhz, host.cpu_capacity_mhz)
    cap.cpu_demand_mhz = _add(cap.cpu_demand_mhz, host.cpu_usage_mhz)
    cap.memory_demand_mb = _add(cap.memory_demand_mb, host.memory_usage_mb)
    if host.memory_mb is not None:
        cap.largest_memory_mb = max(cap.largest_memory_mb, host.memory_mb)
        if cap.smallest_memory_mb is None or host.memory_mb < cap.smallest_memory_mb:
            cap.smallest_memory_mb = host.memory_mb
    mhz = host.cpu_capacity_mhz
    if mhz is not None:
        cap.largest_cpu_mhz = max(cap.largest_cpu_mhz, mhz)
        if cap.smallest_cpu_mhz is None or mhz < cap.smallest_cpu_mhz:
            cap.smallest_cpu_mhz = mhz


@per_index
def vms_by_resource_pool(index: EnvironmentIndex) -> dict[str, list[VM]]:
    out: dict[str, list[VM]] = defaultdict(list)
    for vm in index.env.vms:
        if vm.resource_pool_id:
            out[vm.resource_pool_id].append(vm)
    return dict(out)
