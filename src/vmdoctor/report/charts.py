"""Chart geometry for the HTML report: plain numbers the template draws as inline SVG.

Python computes positions and widths; the Jinja template only places ``<rect>`` and ``<text>``
elements, so no markup is ever built here and every label goes through autoescaping.
Large estates have thousands of datastores and hosts: charts show the most loaded ones and say
how many were left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from vmdoctor.model import Environment, Severity

MAX_BARS = 30
BAR_HEIGHT = 16
BAR_GAP = 6
LABEL_WIDTH = 220  # room on the left for object names
PLOT_WIDTH = 420  # 100 % maps to this many pixels
VALUE_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value_pct: float
    width: float
    y: float
    level: str  # "ok" | "warn" | "crit": the CSS class that colours it
    title: str  # tooltip


@dataclass(frozen=True, slots=True)
class BarGroup:
    """One object with one or more bars (a host has a CPU bar and a memory bar)."""

    label: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    series: tuple[str, ...]  # legend, one name per bar of a group
    groups: tuple[BarGroup, ...]
    total: int  # objects with data, before truncation
    missing: int  # objects without the data this chart needs
    height: float
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    width: int = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH

    @property
    def shown(self) -> int:
        return len(self.groups)


def _level(pct: float, warn: float, crit: float) -> str:
    return "crit" if pct >= crit else "warn" if pct >= warn else "ok"


def _chart(
    title: str,
    series: tuple[str, ...],
    rows: list[tuple[str, tuple[float, ...]]],
    missing: int,
    warn: float,
    crit: float,
) -> BarChart:
    rows.sort(key=lambda r: (-max(r[1]), r[0]))
    per_group = len(series) * BAR_HEIGHT + BAR_GAP
    groups = []
    for i, (label, values) in enumerate(rows[:MAX_BARS]):
        y0 = i * per_group
        bars = tuple(
            Bar(
                label=label,
                value_pct=round(v, 1),
                width=round(PLOT_WIDTH * min(max(v, 0.0), 100.0) / 100.0, 1),
                y=y0 + j * BAR_HEIGHT,
                level=_level(v, warn, crit),
                title=f"{label} {name}: {v:.1f} %",
            )
            for j, (name, v) in enumerate(zip(series, values, strict=True))
        )
        groups.append(BarGroup(label=label, y=y0, bars=bars))
    return BarChart(
        title=title,
        series=series,
        groups=tuple(groups),
        total=len(rows),
        missing=missing,
        height=max(len(groups) * per_group, BAR_HEIGHT),
    )


def datastore_usage(env: Environment) -> BarChart:
    rows: list[tuple[str, tuple[float, ...]]] = []
    missing = 0
    for ds in env.datastores:
        free = ds.free_pct
        if free is None:
            missing += 1
            continue
        rows.append((ds.name, (100.0 - free,)))
    return _chart("Datastore usage (% of capacity used)", ("used",), rows, missing, 85.0, 95.0)


def host_load(env: Environment) -> BarChart:
    rows: list[tuple[str, tuple[float, ...]]] = []
    missing = 0
    for host in env.hosts:
        capacity = host.cpu_capacity_mhz
        if not capacity or host.cpu_usage_mhz is None or not host.memory_mb:
            missing += 1
            continue
        if host.memory_usage_mb is None:
            missing += 1
            continue
        cpu = 100.0 * host.cpu_usage_mhz / capacity
        mem = 100.0 * host.memory_usage_mb / host.memory_mb
        rows.append((host.name, (cpu, mem)))
    return _chart(
        "Host load (% of CPU and memory in use)", ("cpu", "memory"), rows, missing, 80.0, 90.0
    )


@dataclass(frozen=True, slots=True)
class SeverityBar:
    severity: Severity
    count: int
    height: float
    x: float


def severity_columns(counts: dict[Severity, int], plot_height: int = 95) -> tuple[SeverityBar, ...]:
    """Vertical bars of FAIL findings per severity, scaled to the largest."""
    top = max(counts.values(), default=0) or 1
    return tuple(
        SeverityBar(severity=s, count=n, height=round(plot_height * n / top, 1), x=10 + i * 60)
        for i, (s, n) in enumerate(counts.items())
    )
