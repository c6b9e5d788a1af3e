"""Performance series for the counters the checks need, resolved by name, queried in batches.

Counters are named ``group.name.rollup`` and resolved to the server's counter IDs once. Each
QueryPerf asks for at most ``maxQueryMetrics`` entity x counter pairs (vpxd refuses more).
A counter with no samples for an object is no data — recorded as a gap — never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from vmdoctor.model import Gap, MetricSeries
from vmdoctor.sources.vsphere.pyprops import read_property
from vmdoctor.sources.vsphere.session import Session
from vmdoctor.sources.vsphere.vmomi import vim, vmodl

REALTIME_INTERVAL_S = 20
DEFAULT_MAX_QUERY_METRICS = 64  # vpxd's historical default; read from the server when set

VM_COUNTERS = (
    "cpu.ready.summation",
    "cpu.costop.summation",
    "cpu.usage.average",
    "mem.usage.average",
    "mem.vmmemctl.average",
    "mem.swapped.average",
    "disk.maxTotalLatency.latest",
)
HOST_COUNTERS = (
    "cpu.ready.summation",
    "cpu.usage.average",
    "mem.usage.average",
    "mem.vmmemctl.average",
    "mem.swapped.average",
    "disk.maxTotalLatency.latest",
    "datastore.totalReadLatency.average",
    "datastore.totalWriteLatency.average",
)

_UNITS = {
    "percent": "percent",
    "millisecond": "ms",
    "kiloBytes": "KB",
    "megaHertz": "MHz",
    "number": "number",
}


@dataclass(frozen=True, slots=True)
class Counter:
    key: int
    name: str
    unit: str
    scale: float  # percent counters are reported in hundredths


@dataclass
class PerfResult:
    series: list[MetricSeries] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    queries: int = 0


def resolve_counters(session: Session, names: Sequence[str]) -> dict[str, Counter]:
    available = (
        read_property(session, session.content.perfManager, "PerformanceManager", "perfCounter")
        or []
    )
    by_name: dict[str, Counter] = {}
    for info in available:
        name = f"{info.groupInfo.key}.{info.nameInfo.key}.{info.rollupType}"
        if name in names:
            unit = str(info.unitInfo.key)
            by_name[name] = Counter(
                key=int(info.key),
                name=name,
                unit=_UNITS.get(unit, unit),
                scale=0.01 if unit == "percent" else 1.0,
            )
    return by_name


def max_query_metrics(session: Session) -> int:
    """vpxd's ``config.vpxd.stats.maxQueryMetrics`` (-1 = unlimited); a default when unset."""
    try:
        options = session.call(
            lambda: session.content.setting.QueryOptions(name="config.vpxd.stats.maxQueryMetrics")
        )
        value = int(options[0].value) if options else DEFAULT_MAX_QUERY_METRICS
    except vmodl.MethodFault:  # InvalidName when never set, NotSupported on ESXi: the default
        return DEFAULT_MAX_QUERY_METRICS
    return 100_000 if value < 0 else max(value, 1)


def batches(
    entities: Sequence[tuple[str, str]], per_entity: int, limit: int
) -> list[list[tuple[str, str]]]:
    """Split entities so that entities x counters per query stays within ``limit``."""
    size = max(1, limit // max(per_entity, 1))
    return [list(entities[i : i + size]) for i in range(0, len(entities), size)]


def collect_perf(
    session: Session,
    vc: str,
    entities: dict[str, list[tuple[str, str]]],  # "vm"/"host" -> [(vSphere type, moref)]
    window: timedelta,
    now: datetime,
) -> PerfResult:
    result = PerfResult()
    wanted = {"vm": VM_COUNTERS, "host": HOST_COUNTERS}
    counters = resolve_counters(session, sorted({*VM_COUNTERS, *HOST_COUNTERS}))
    for name in sorted({*VM_COUNTERS, *HOST_COUNTERS} - set(counters)):
        result.gaps.append(
            Gap(what=f"metrics:{name}", reason="counter not available on this server", source=vc)
        )
    limit = max_query_metrics(session)
    max_sample = max(1, int(window.total_seconds() // REALTIME_INTERVAL_S))
    manager = session.content.perfManager
    for kind, refs in entities.items():
        names = [n for n in wanted[kind] if n in counters]
        if not names or not refs:
            continue
        metric_ids = [
            vim.PerformanceManager.MetricId(counterId=counters[n].key, instance="") for n in names
        ]
        by_key = {counters[n].key: counters[n] for n in names}
        seen: dict[str, set[str]] = {n: set() for n in names}
        for batch in batches(refs, len(names), limit):
            specs = [
                vim.PerformanceManager.QuerySpec(
                    entity=_ref(vtype, moref, session),
                    metricId=metric_ids,
                    intervalId=REALTIME_INTERVAL_S,
                    maxSample=max_sample,
                    startTime=now - window,
                )
                for vtype, moref in batch
            ]
            result.queries += 1
            answer = session.call(_query(manager, specs)) or []
            for metric in answer:
                for series in _series(metric, kind, vc, by_key):
                    seen[series.counter].add(series.entity_id)
                    result.series.append(series)
        result.gaps.extend(_missing(kind, vc, refs, seen))
    return result


def _ref(vtype: str, moref: str, session: Session) -> Any:
    return getattr(vim, vtype)(moref, session.stub)


def _series(metric: Any, kind: str, vc: str, counters: dict[int, Counter]) -> list[MetricSeries]:
    info = list(metric.sampleInfo or [])
    if not info:
        return []
    entity_id = f"{vc}:{metric.entity._moId}"
    out = []
    for values in metric.value or []:
        counter = counters.get(int(values.id.counterId))
        raw = list(values.value or [])
        if counter is None or not raw:
            continue  # no samples = no data, never zero
        samples = [None if v is None or v < 0 else v * counter.scale for v in raw[: len(info)]]
        out.append(
            MetricSeries(
                entity_type=kind,
                entity_id=entity_id,
                counter=counter.name,
                unit=counter.unit,
                interval_s=int(info[0].interval or REALTIME_INTERVAL_S),
                start=info[0].timestamp.astimezone(UTC),
                samples=MetricSeries.pack(samples),
                instance=values.id.instance or "",
            )
        )
    return out


def _missing(
    kind: str, vc: str, refs: list[tuple[str, str]], seen: dict[str, set[str]]
) -> list[Gap]:
    gaps = []
    for name, have in seen.items():
        missing = len(refs) - len(have)
        if missing == 0:
            continue
        if not have:
            gaps.append(
                Gap(
                    what=f"metrics:{name}",
                    reason=f"no samples for any {kind}",
                    object_type=kind,
                    source=vc,
                )
            )
            continue
        for _vtype, moref in refs:
            object_id = f"{vc}:{moref}"
            if object_id not in have:
                gaps.append(
                    Gap(
                        what=f"metrics:{name}",
                        reason="no samples returned",
                        object_type=kind,
                        object_id=object_id,
                        source=vc,
                    )
                )
    return gaps


def _query(manager: Any, specs: list[Any]) -> Any:
    return lambda: manager.QueryPerf(querySpec=specs)
