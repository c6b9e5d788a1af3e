"""QueryPerf on the raw SOAP path: the request envelope, and lxml parsing of the answer.

The request asks for the CSV format (vpxd answers one comma-separated string per series instead
of one XML element per sample: several times smaller); the normal format is parsed as well,
since some servers (vcsim) ignore the format. Samples are put on a regular grid by timestamp,
whatever order the server sends them in; a missing or negative (-1 = no data) value is None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from vmdoctor.sources.vsphere.soap import VIM, XSI_TYPE, envelope, moref_xml, parse_response

_V = "{urn:vim25}"


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """One entity and the (counter ID, instance) pairs asked for it."""

    vtype: str
    moref: str
    metrics: tuple[tuple[int, str], ...]


@dataclass(slots=True)
class RawSeries:
    """One counter x instance of one entity, samples on a regular grid from ``start``."""

    moref: str
    counter_id: int
    instance: str
    interval_s: int
    start: datetime
    values: list[float | None] = field(default_factory=list)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def query_envelope(
    manager: str,
    specs: Sequence[QuerySpec],
    start: datetime,
    max_sample: int,
    interval_s: int,
    csv: bool = True,
) -> bytes:
    # Element order follows the WSDL's PerfQuerySpec sequence; vpxd is strict about it.
    parts = [f'<QueryPerf xmlns="{VIM}">', moref_xml("_this", "PerformanceManager", manager)]
    for spec in specs:
        parts.append("<querySpec>")
        parts.append(moref_xml("entity", spec.vtype, spec.moref))
        parts.append(
            f"<startTime>{_iso(start)}</startTime><maxSample>{int(max_sample)}</maxSample>"
        )
        for counter_id, instance in spec.metrics:
            parts.append(
                f"<metricId><counterId>{int(counter_id)}</counterId>"
                f"<instance>{escape(instance)}</instance></metricId>"
            )
        parts.append(f"<intervalId>{int(interval_s)}</intervalId>")
        if csv:
            parts.append("<format>csv</format>")
        parts.append("</querySpec>")
    parts.append("</QueryPerf>")
    return envelope("".join(parts))


def _when(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _number(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return None if number < 0 else number  # -1: the server has no sample there


def parse_query(response: Any) -> list[RawSeries]:
    """Every non-empty series of a ``QueryPerfResponse`` element."""
    out: list[RawSeries] = []
    for metric in response.iterfind(_V + "returnval"):
        entity = metric.find(_V + "entity")
        moref = (entity.text or "") if entity is not None else ""
        csv = (
            metric.get(XSI_TYPE, "").endswith("CSV")
            or metric.find(_V + "sampleInfoCSV") is not None
        )
        info = _csv_info(metric) if csv else _xml_info(metric)
        if not info:
            continue
        for values in metric.iterfind(_V + "value"):
            counter_id = values.findtext(f"{_V}id/{_V}counterId")
            if not counter_id:
                continue
            if csv:
                raw = [_number(v) for v in (values.findtext(_V + "value") or "").split(",")]
            else:
                raw = [_number(v.text) for v in values.iterfind(_V + "value")]
            series = _on_grid(info, raw)
            if series is None:
                continue
            interval, start, grid = series
            out.append(
                RawSeries(
                    moref=moref,
                    counter_id=int(counter_id),
                    instance=values.findtext(f"{_V}id/{_V}instance") or "",
                    interval_s=interval,
                    start=start,
                    values=grid,
                )
            )
    return out


def _csv_info(metric: Any) -> list[tuple[datetime, int]]:
    fields = (metric.findtext(_V + "sampleInfoCSV") or "").split(",")
    out = []
    for i in range(0, len(fields) - 1, 2):  # "interval,timestamp,interval,timestamp,..."
        when = _when(fields[i + 1])
        if when is not None and fields[i].strip().isdigit():
            out.append((when, int(fields[i])))
    return out


def _xml_info(metric: Any) -> list[tuple[datetime, int]]:
    out = []
    for info in metric.iterfind(_V + "sampleInfo"):
        when = _when(info.findtext(_V + "timestamp") or "")
        interval = info.findtext(_V + "interval") or ""
        if when is not None and interval.strip().isdigit():
            out.append((when, int(interval)))
    return out


def _on_grid(
    info: list[tuple[datetime, int]], raw: list[float | None]
) -> tuple[int, datetime, list[float | None]] | None:
    pairs = sorted(
        ((when, value) for (when, _), value in zip(info, raw, strict=False)), key=lambda p: p[0]
    )
    if not any(value is not None for _, value in pairs):
        return None  # no samples = no data, never zero
    interval = max(info[0][1], 1)
    start = pairs[0][0]
    slots = int((pairs[-1][0] - start).total_seconds() // interval) + 1
    grid: list[float | None] = [None] * slots
    for when, value in pairs:
        grid[min(int((when - start).total_seconds() // interval), slots - 1)] = value
    return interval, start, grid


def parse_body(body: bytes) -> list[RawSeries]:
    return parse_query(parse_response(body))
