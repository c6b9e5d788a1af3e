"""Judging metric series for resources checks: windows, percentiles, threshold outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from vmdoctor.checks.base import CheckContext, Outcome, fail, ok, unknown
from vmdoctor.checks.metrics import (
    Summary,
    no_data_message,
    pct_to_summation_ms,
    peak,
    recent,
    summarize,
    window_s,
)
from vmdoctor.model import VM, Host, MetricSeries, Severity

#: Thresholds shared by every check that judges a window of samples.
WINDOW: dict[str, int | float | str | bool] = {"window_hours": 24, "percentile": 95}


@dataclass(frozen=True, slots=True)
class Judged:
    """The window statistics of the worst series, already in the check's unit."""

    summary: Summary
    series: MetricSeries


def window_hours(ctx: CheckContext) -> float:
    return ctx.threshold("window_hours")


def summary_of(series: MetricSeries, ctx: CheckContext, factor: float = 1.0) -> Summary | None:
    values = recent(series, ctx.now, window_s(window_hours(ctx)))
    summary = summarize(values, ctx.threshold("percentile"))
    return None if summary is None else summary.scaled(factor)


def vcpu_summation_outcome(vm: VM, ctx: CheckContext, counter: str, what: str) -> Outcome:
    """Judge a per-vCPU ``*.summation`` ms counter (ready, co-stop) as percent per vCPU.

    The aggregate instance ``""`` is divided by ``num_cpu``; without it, the per-vCPU instances
    are judged one by one and the worst counts. A VM whose samples all stay under the warning
    line passes after one ``max`` over the raw milliseconds, without sorting (the hot path
    for a 100k-VM estate).
    """
    candidates = _vcpu_candidates(vm, ctx, counter)
    if not candidates:
        return unknown(no_data_message(ctx.index, vm.id, counter))
    warn = ctx.threshold("warning_pct")
    span = window_s(window_hours(ctx))
    seen = False
    worst: Judged | None = None
    for series, divisor in candidates:
        values = recent(series, ctx.now, span)
        top = peak(values)
        if top is None:
            continue
        seen = True
        if top <= pct_to_summation_ms(warn, series.interval_s) * divisor:
            continue  # the 95th percentile cannot exceed the peak
        summary = summarize(values, ctx.threshold("percentile"))
        if summary is None:
            continue
        scaled = summary.scaled(100.0 / (series.interval_s * 1000.0) / divisor)
        if worst is None or scaled.p95 > worst.summary.p95:
            worst = Judged(scaled, series)
    if not seen:
        return unknown(f"no {counter} samples in the last {window_hours(ctx):g} h")
    if worst is None or worst.summary.p95 <= warn:
        return ok()
    return threshold_fail(worst, ctx, what, unit="% per vCPU", extra={"num_cpu": vm.num_cpu})


def _vcpu_candidates(vm: VM, ctx: CheckContext, counter: str) -> list[tuple[MetricSeries, int]]:
    aggregate = ctx.index.series(vm.id, counter)
    if aggregate is not None:
        return [(aggregate, max(vm.num_cpu, 1))]
    return [(s, 1) for s in ctx.index.metrics.get((vm.id, counter), ()) if s.instance]


def threshold_fail(
    judged: Judged,
    ctx: CheckContext,
    what: str,
    *,
    unit: str,
    critical_key: str = "critical_pct",
    extra: dict[str, int | float | str] | None = None,
) -> Outcome:
    """FAIL at the check's severity (the caller saw the warning line crossed); CRITICAL above
    the ``critical_key`` threshold."""
    s = judged.summary
    pct = ctx.threshold("percentile")
    critical = s.p95 > ctx.threshold(critical_key)
    space = "" if unit.startswith("%") else " "
    message = (
        f"{what} {s.p95:.1f}{space}{unit} (p{pct:g} over {window_hours(ctx):g} h of "
        f"{judged.series.interval_s} s samples; peak {s.peak:.1f}, mean {s.mean:.1f})"
    )
    return fail(
        message,
        Severity.CRITICAL if critical else None,
        p95=round(s.p95, 2),
        mean=round(s.mean, 2),
        peak=round(s.peak, 2),
        samples=s.count,
        interval_s=judged.series.interval_s,
        counter=judged.series.counter,
        **(extra or {}),
    )


def usage_from_series(
    host: Host, ctx: CheckContext, pct_counter: str, abs_counter: str, capacity: float | None
) -> Judged | None:
    series = ctx.index.series(host.id, pct_counter)
    if series is not None:
        summary = summary_of(series, ctx)
        if summary is not None:
            return Judged(summary, series)
    series = ctx.index.series(host.id, abs_counter)
    if series is not None and capacity:
        summary = summary_of(series, ctx, 100.0 / capacity)
        if summary is not None:
            return Judged(summary, series)
    return None


def judge_summary(
    judged: Judged,
    ctx: CheckContext,
    what: str,
    *,
    unit: str = "%",
    warning_key: str = "warning_pct",
    critical_key: str = "critical_pct",
) -> Outcome:
    """PASS while the window's percentile stays at or under the warning line."""
    if judged.summary.p95 <= ctx.threshold(warning_key):
        return ok()
    return threshold_fail(judged, ctx, what, unit=unit, critical_key=critical_key)


def current_outcome(
    pct: float, ctx: CheckContext, what: str, used: float, capacity: float, unit: str
) -> Outcome:
    if pct <= ctx.threshold("warning_pct"):
        return ok()
    critical = pct > ctx.threshold("critical_pct")
    return fail(
        f"{what} {pct:.1f} % now ({used:.0f} of {capacity:.0f} {unit}; no series to judge "
        "how long it lasts)",
        Severity.CRITICAL if critical else None,
        current_pct=round(pct, 1),
        used=round(used),
        capacity=round(capacity),
    )
