"""Storage latency seen by hosts: per datastore and per host."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, not_applicable, ok, unknown
from vmdoctor.checks.metrics import no_data_message
from vmdoctor.checks.resources._series import WINDOW, Judged, judge_summary, summary_of
from vmdoctor.model import Datastore, Family, Host, MetricSeries, Severity

READ = "datastore.totalReadLatency.average"
WRITE = "datastore.totalWriteLatency.average"
HOST_MAX = "disk.maxTotalLatency.latest"
LATENCY = {"warning_ms": 20, "critical_ms": 50, **WINDOW}


def _datastore_series(ds: Datastore, ctx: CheckContext) -> list[MetricSeries]:
    """Series on the datastore itself; else every host's series for it (instance = ds id)."""
    own = [s for c in (READ, WRITE) if (s := ctx.index.series(ds.id, c)) is not None]
    if own:
        return own
    return [
        s
        for host_id in ds.host_ids
        for c in (READ, WRITE)
        if (s := ctx.index.series(host_id, c, ds.id)) is not None
    ]


def _worst(series_list: list[MetricSeries], ctx: CheckContext) -> Judged | None:
    worst: Judged | None = None
    for series in series_list:
        summary = summary_of(series, ctx)
        if summary is not None and (worst is None or summary.p95 > worst.summary.p95):
            worst = Judged(summary, series)
    return worst


@check(
    id="RES011",
    name="datastore-latency",
    title="Datastore read or write latency is high",
    family=Family.RESOURCES,
    applies_to="datastore",
    severity=Severity.HIGH,
    thresholds=LATENCY,
    fix=Fix.MANUAL,
    references=("VMware KB 1008205", "VMware KB 1005362"),
    requires=("metrics",),
)
def datastore_latency(ds: Datastore, ctx: CheckContext) -> Outcome:
    """Read and write latency of a datastore stay under 20 ms (warning) and 50 ms (critical).

    What it checks:
        ``datastore.totalReadLatency.average`` and ``datastore.totalWriteLatency.average`` (ms):
        the series collected for the datastore itself, or else each host's series for it
        (instance = the datastore's ID). The worst 95th percentile over the last 24 hours of
        any of them is judged. Inaccessible datastores are left to the storage checks.
    Why it matters:
        Guest-visible latency above ~20 ms makes databases and file servers crawl; long stalls
        make guests log disk timeouts, remount file systems read-only, or hang - the usual
        cause behind "the VM froze" when CPU and memory look fine.
    Example:
        ds-sas-03 shows a write latency p95 of 64 ms from esx02: critical.
    Remediation:
        Find the busy VMs (per-VM disk latency and IOPS), move them to faster storage with
        Storage vMotion, check the array and fabric (DAVG) versus the host queue (KAVG), and
        review queue depths and multipathing.
    """
    if not ds.accessible:
        return not_applicable()
    series_list = _datastore_series(ds, ctx)
    if not series_list:
        return unknown(no_data_message(ctx.index, ds.id, "datastore latency"))
    worst = _worst(series_list, ctx)
    if worst is None:
        return unknown(f"no latency samples in the last {ctx.threshold('window_hours'):g} h")
    return judge_summary(
        worst,
        ctx,
        "latency",
        unit="ms",
        warning_key="warning_ms",
        critical_key="critical_ms",
    )


@check(
    id="RES012",
    name="host-disk-latency",
    title="Highest disk latency seen by a host is high",
    family=Family.RESOURCES,
    applies_to="host",
    severity=Severity.HIGH,
    thresholds=LATENCY,
    fix=Fix.MANUAL,
    references=("VMware KB 1008205",),
    requires=("metrics",),
)
def host_disk_latency(host: Host, ctx: CheckContext) -> Outcome:
    """The highest disk latency of a host stays under 20 ms (warning) and 50 ms (critical).

    What it checks:
        ``disk.maxTotalLatency.latest`` (ms): the highest latency among all devices of a
        connected host in each sample, judged by its 95th percentile over the last 24 hours.
    Why it matters:
        One slow device is enough to stall the VMs on it; this counter catches it even when
        the datastore-level view is not collected, and points at the host whose path is slow.
    Example:
        esx04 shows a maximum disk latency p95 of 35 ms: warning.
    Remediation:
        Find the device (esxtop, disk device view: DAVG vs KAVG), check paths, HBA firmware,
        the fabric and the array, and move busy VMs to faster storage.
    """
    if not host.is_connected:
        return not_applicable()
    series = ctx.index.series(host.id, HOST_MAX)
    if series is None:
        return unknown(no_data_message(ctx.index, host.id, HOST_MAX))
    summary = summary_of(series, ctx)
    if summary is None:
        return unknown(f"no {HOST_MAX} samples in the last {ctx.threshold('window_hours'):g} h")
    if summary.p95 <= ctx.threshold("warning_ms"):
        return ok()
    return judge_summary(
        Judged(summary, series),
        ctx,
        "maximum disk latency",
        unit="ms",
        warning_key="warning_ms",
        critical_key="critical_ms",
    )
