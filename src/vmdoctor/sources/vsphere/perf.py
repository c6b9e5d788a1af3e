"""Performance series for the counters the checks need, resolved by name, queried in batches.

Counters are named ``group.name.rollup`` and resolved to the server's counter IDs once. Each
QueryPerf asks for at most ``maxQueryMetrics`` entity x counter x instance triples (vpxd
refuses more), and is posted and parsed on the raw path (:mod:`.perf_xml`), like properties.
A counter with no samples for an object is no data — recorded as a gap — never zero.

Units follow the checks' conventions (:mod:`vmdoctor.checks.metrics`): percent counters are
0-100 (the API sends hundredths), memory counters stay in KB, latencies in ms. Datastore
latency is asked of each host per datastore; the instance the API uses (the datastore's
UUID, the last element of its URL) is turned into the datastore's ID.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from vmdoctor.model import Gap, MetricSeries
from vmdoctor.sources.vsphere.perf_xml import QuerySpec, RawSeries, parse_body, query_envelope
from vmdoctor.sources.vsphere.pyprops import read_property
from vmdoctor.sources.vsphere.session import Session
from vmdoctor.sources.vsphere.soap import Poster
from vmdoctor.sources.vsphere.vmomi import vmodl

REALTIME_INTERVAL_S = 20
DEFAULT_MAX_QUERY_METRICS = 64  # vpxd's historical default; read from the server when set

VM_COUNTERS = (
    "cpu.ready.summation",
    "cpu.costop.summation",
    "cpu.usage.average",
    "mem.usage.average",
    "mem.vmmemctl.average",
    "mem.swapped.average",
    "mem.swapinRate.average",
    "disk.maxTotalLatency.latest",
)
HOST_COUNTERS = (
    "cpu.ready.summation",
    "cpu.usage.average",
    "mem.usage.average",
    "mem.vmmemctl.average",
    "mem.swapped.average",
    "mem.swapused.average",
    "disk.maxTotalLatency.latest",
)
#: Asked of hosts once per datastore they mount (instance = the datastore's UUID).
DATASTORE_COUNTERS = (
    "datastore.totalReadLatency.average",
    "datastore.totalWriteLatency.average",
)
ALL_COUNTERS = tuple(sorted({*VM_COUNTERS, *HOST_COUNTERS, *DATASTORE_COUNTERS}))

_UNITS = {
    "percent": "percent",
    "millisecond": "ms",
    "kiloBytes": "KB",
    "kiloBytesPerSecond": "KBps",
    "megaHertz": "MHz",
    "number": "number",
}


@dataclass(frozen=True, slots=True)
class Counter:
    key: int
    name: str
    unit: str
    scale: float  # percent counters are reported in hundredths


@dataclass(frozen=True, slots=True)
class PerfEntity:
    """One object to query: its kind ("vm"/"host"), vSphere type and moref, and for hosts the
    datastores it mounts as perf instance -> datastore ID."""

    kind: str
    vtype: str
    moref: str
    datastores: dict[str, str] = field(default_factory=dict)


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


def pack_specs(specs: Sequence[QuerySpec], limit: int) -> list[list[QuerySpec]]:
    """Group query specs so that no query asks for more than ``limit`` metrics in all; an
    entity with more metrics than the limit is split over several specs."""
    limit = max(limit, 1)
    out: list[list[QuerySpec]] = []
    current: list[QuerySpec] = []
    used = 0
    for spec in specs:
        for i in range(0, len(spec.metrics), limit):
            part = QuerySpec(spec.vtype, spec.moref, spec.metrics[i : i + limit])
            if current and used + len(part.metrics) > limit:
                out.append(current)
                current, used = [], 0
            current.append(part)
            used += len(part.metrics)
    if current:
        out.append(current)
    return out


def instance_of(url: str | None) -> str | None:
    """The perf instance of a datastore: the last element of its URL (``ds:///vmfs/volumes/
    5f1c...-.../`` -> ``5f1c...``), which is the datastore's UUID."""
    if not url:
        return None
    last = url.rstrip("/").rsplit("/", 1)[-1]
    return last or None


def collect_perf(
    session: Session,
    post: Poster,
    vc: str,
    entities: Sequence[PerfEntity],
    window: timedelta,
    now: datetime,
) -> PerfResult:
    result = PerfResult()
    counters = resolve_counters(session, ALL_COUNTERS)
    for name in sorted(set(ALL_COUNTERS) - set(counters)):
        result.gaps.append(
            Gap(what=f"metrics:{name}", reason="counter not available on this server", source=vc)
        )
    limit = max_query_metrics(session)
    max_sample = max(1, int(window.total_seconds() // REALTIME_INTERVAL_S))
    manager = session.content.perfManager._moId
    by_key = {c.key: c for c in counters.values()}
    specs = [_spec(entity, counters) for entity in entities]
    by_moref = {e.moref: e for e in entities}
    seen: dict[tuple[str, str], set[str]] = {}  # (kind, counter) -> entity IDs with samples
    for group in pack_specs([s for s in specs if s.metrics], limit):
        body = query_envelope(manager, group, now - window, max_sample, REALTIME_INTERVAL_S)
        result.queries += 1
        answer = session.call(functools.partial(post, "QueryPerf", body))
        for raw in parse_body(answer):
            series = _series(raw, by_moref, by_key, vc)
            if series is None:
                continue
            seen.setdefault((series.entity_type, series.counter), set()).add(series.entity_id)
            result.series.append(series)
    result.gaps.extend(_missing(vc, entities, counters, seen))
    return result


def _spec(entity: PerfEntity, counters: dict[str, Counter]) -> QuerySpec:
    names = VM_COUNTERS if entity.kind == "vm" else HOST_COUNTERS
    metrics = [(counters[n].key, "") for n in names if n in counters]
    if entity.kind == "host":
        for instance in sorted(entity.datastores):
            metrics += [(counters[n].key, instance) for n in DATASTORE_COUNTERS if n in counters]
    return QuerySpec(entity.vtype, entity.moref, tuple(metrics))


def _series(
    raw: RawSeries, entities: dict[str, PerfEntity], counters: dict[int, Counter], vc: str
) -> MetricSeries | None:
    entity = entities.get(raw.moref)
    counter = counters.get(raw.counter_id)
    if entity is None or counter is None:
        return None
    instance = raw.instance
    if counter.name in DATASTORE_COUNTERS:
        instance = entity.datastores.get(instance, "")
        if not instance:
            return None  # a datastore we did not ask for (or "*"): nothing to attach it to
    return MetricSeries(
        entity_type=entity.kind,
        entity_id=f"{vc}:{raw.moref}",
        counter=counter.name,
        unit=counter.unit,
        interval_s=raw.interval_s,
        start=raw.start.astimezone(UTC),
        samples=MetricSeries.pack([None if v is None else v * counter.scale for v in raw.values]),
        instance=instance,
    )


def _missing(
    vc: str,
    entities: Sequence[PerfEntity],
    counters: dict[str, Counter],
    seen: dict[tuple[str, str], set[str]],
) -> list[Gap]:
    gaps: list[Gap] = []
    for kind, names in (
        ("vm", VM_COUNTERS),
        ("host", HOST_COUNTERS),
        ("host", DATASTORE_COUNTERS),
    ):
        ids = [
            f"{vc}:{e.moref}"
            for e in entities
            if e.kind == kind and (names is not DATASTORE_COUNTERS or e.datastores)
        ]
        if not ids:
            continue
        for name in (n for n in names if n in counters):
            have = seen.get((kind, name), set())
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
            gaps.extend(
                Gap(
                    what=f"metrics:{name}",
                    reason="no samples returned",
                    object_type=kind,
                    object_id=object_id,
                    source=vc,
                )
                for object_id in ids
                if object_id not in have
            )
    return gaps
