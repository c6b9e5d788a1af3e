"""Datastore growth: when will it be full at the current rate?"""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok, unknown
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.storage._support import DAY_S
from vmdoctor.model import Datastore, Family, MetricSeries, Severity
from vmdoctor.model.finding import EvidenceValue

#: Bytes per unit of the used-space counter as sources record it.
_UNIT_BYTES = {
    "bytes": 1,
    "B": 1,
    "KB": 1024,
    "kiloBytes": 1024,
    "MB": 1024**2,
    "megaBytes": 1024**2,
}


def growth_per_second(series: MetricSeries) -> tuple[float, float, int] | None:
    """(slope in units/s, last fitted value, samples used) by least squares, or None."""
    xs: list[float] = []
    ys: list[float] = []
    for i, value in enumerate(series.values()):
        if value == value:  # NaN marks a missing sample
            xs.append(i * series.interval_s)
            ys.append(value)
    n = len(xs)
    if n < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    last_fit = mean_y + slope * (xs[-1] - mean_x)
    return slope, last_fit, n


@check(
    id="STO016",
    name="datastore-full-forecast",
    title="Datastore will be full soon at its current growth",
    family=Family.STORAGE,
    applies_to="datastore",
    severity=Severity.MEDIUM,
    thresholds={
        "warning_days": 30,
        "critical_days": 7,
        "min_samples": 3,
        "counter": "disk.used.latest",
    },
    fix=Fix.MANUAL,
    references=("VMware KB 1002103", "VMware KB 1025279"),
    requires=("metrics",),
)
def datastore_full_forecast(ds: Datastore, ctx: CheckContext) -> Outcome:
    """At the growth rate seen in its used-space history, the datastore stays short of full.

    What it checks:
        A straight-line fit over the datastore's used-space samples (counter
        disk.used.latest by default) and the days left until used space reaches capacity:
        warning under 30 days, critical under 7 days. At least 3 samples are needed.
    Why it matters:
        Free-space thresholds (STO001) fire late on a fast-growing datastore: a runaway
        snapshot or a log-filling guest can go from 20 % free to full within days, and then
        every thin or snapshotted VM on it is stunned at once.
    Example:
        ds-prod-05 grew 40 GiB a day over the last week; 180 GiB are free: full in 4.5 days.
    Remediation:
        Find what grows (snapshot deltas, thin disks of one VM, ISO or log uploads), stop or
        move it, and add capacity before the forecast date.
    """
    if ds.capacity_bytes is None or ds.capacity_bytes <= 0:
        return missing(ctx, ds.id, "capacity was not collected", "datastore.summary", "datastore")
    counter = str(ctx.setting("counter"))
    series = ctx.index.series(ds.id, counter)
    if series is None:
        return missing(
            ctx, ds.id, f"no {counter} history for this datastore", f"metrics:{counter}", "metrics"
        )
    scale = _UNIT_BYTES.get(series.unit)
    if scale is None:
        return unknown(f"{counter} is recorded in an unsupported unit {series.unit!r}")
    fit = growth_per_second(series)
    if fit is None or fit[2] < ctx.threshold("min_samples"):
        return unknown(f"not enough {counter} samples to see a trend")
    slope, last_used, samples = fit
    bytes_per_day = slope * scale * DAY_S
    if bytes_per_day <= 0:
        return ok()
    remaining = ds.capacity_bytes - last_used * scale
    days_left = max(remaining, 0) / bytes_per_day
    evidence: dict[str, EvidenceValue] = {
        "days_left": round(days_left, 1),
        "growth_gib_per_day": round(bytes_per_day / 1024**3, 2),
        "samples": samples,
    }
    message = f"full in about {days_left:.1f} days at {bytes_per_day / 1024**3:.1f} GiB/day growth"
    if days_left < ctx.threshold("critical_days"):
        return fail(message, Severity.CRITICAL, **evidence)
    if days_left < ctx.threshold("warning_days"):
        return fail(message, **evidence)
    return ok()
