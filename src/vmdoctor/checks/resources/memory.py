"""Memory pressure: host memory usage, VM ballooning and swapping."""

from __future__ import annotations

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    check,
    fail,
    not_applicable,
    ok,
)
from vmdoctor.checks.gaps import HOST_HARDWARE, missing
from vmdoctor.checks.metrics import peak, recent, summarize, window_s
from vmdoctor.checks.resources._series import (
    WINDOW,
    current_outcome,
    judge_summary,
    summary_of,
    usage_from_series,
)
from vmdoctor.model import VM, Family, Host, Severity

KB_PER_MB = 1024.0


@check(
    id="RES002",
    name="host-memory-usage",
    title="Host memory usage is high",
    family=Family.RESOURCES,
    applies_to="host",
    severity=Severity.MEDIUM,
    thresholds={"warning_pct": 85, "critical_pct": 95, **WINDOW},
    fix=Fix.MANUAL,
    references=("VMware KB 421543", "VMware KB 1005362"),
    requires=("metrics",),
)
def host_memory_usage(host: Host, ctx: CheckContext) -> Outcome:
    """Host memory usage stays under the warning and critical lines.

    What it checks:
        The 95th percentile of the host's memory usage over the last 24 hours
        (``mem.usage.average`` in percent, or ``mem.consumed.average`` in KB against the host's
        memory), against 85 % (warning) and 95 % (critical). Without a series, the current
        quickStats memory usage is judged. Disconnected hosts are not checked.
    Why it matters:
        Near full memory, ESXi reclaims memory from VMs: first ballooning, then compression,
        then swapping to disk, which slows guests by orders of magnitude. HA restarts and
        vMotion onto the host may also be refused.
    Example:
        esx02 uses 1,000 GiB of 1,024 GiB (97.7 %): critical.
    Remediation:
        Move VMs to hosts with free memory (DRS), reclaim memory from oversized VMs, remove
        unneeded memory reservations elsewhere, or add memory or hosts.
    """
    if not host.is_connected:
        return not_applicable()
    capacity_kb = host.memory_mb * KB_PER_MB if host.memory_mb else None
    judged = usage_from_series(host, ctx, "mem.usage.average", "mem.consumed.average", capacity_kb)
    if judged is not None:
        return judge_summary(judged, ctx, "memory usage")
    if host.memory_usage_mb is None or not host.memory_mb:
        return missing(
            ctx,
            host.id,
            "no memory usage series and no current memory usage or size for this host",
            "metrics:mem.usage.average",
            *HOST_HARDWARE,
        )
    pct = 100.0 * host.memory_usage_mb / host.memory_mb
    return current_outcome(pct, ctx, "memory usage", host.memory_usage_mb, host.memory_mb, "MB")


@check(
    id="RES005",
    name="vm-memory-ballooning",
    title="Host is reclaiming the VM's memory through the balloon driver",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"warning_mb": 0, "critical_pct": 10, **WINDOW},
    fix=Fix.MANUAL,
    references=("VMware KB 1005362", "vSphere Resource Management guide: memory reclamation"),
    requires=("metrics",),
)
def vm_memory_ballooning(vm: VM, ctx: CheckContext) -> Outcome:
    """No memory of a running VM is held by the balloon driver.

    What it checks:
        The ballooned memory of a running VM: the 95th percentile of ``mem.vmmemctl.average``
        (KB) over the last 24 hours when the series exists, else the current quickStats value.
        More than 0 MB fails; more than 10 % of the VM's configured memory is critical.
    Why it matters:
        Ballooning means the host is short of memory and is taking it back from guests. The
        guest pages its own memory out, so applications slow down, and it is the step before
        host swapping, which hurts far more.
    Example:
        web-07 (16 GiB) has 2.5 GiB ballooned (15.6 %): critical.
    Remediation:
        Relieve the host: vMotion VMs away, lower memory overcommit, check for memory limits
        (a limit below the configured size forces ballooning), or add memory.
    """
    if vm.power_state != "poweredOn":
        return not_applicable()
    counter = "mem.vmmemctl.average"
    ballooned_mb, basis = _level_mb(vm, ctx, counter, vm.ballooned_memory_mb, use_p95=True)
    if ballooned_mb is None:
        return missing(
            ctx,
            vm.id,
            f"no {counter} samples and no quickStats value were collected for this VM",
            f"metrics:{counter}",
            "metrics",
        )
    if ballooned_mb <= ctx.threshold("warning_mb"):
        return ok()
    pct = 100.0 * ballooned_mb / vm.memory_mb if vm.memory_mb else 0.0
    critical = pct > ctx.threshold("critical_pct")
    return fail(
        f"{ballooned_mb:.0f} MB ballooned ({pct:.1f} % of {vm.memory_mb} MB; {basis})",
        Severity.CRITICAL if critical else None,
        ballooned_mb=round(ballooned_mb),
        ballooned_pct=round(pct, 1),
        basis=basis,
    )


@check(
    id="RES006",
    name="vm-memory-swapping",
    title="VM memory is swapped to disk by the host",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"warning_mb": 0, "swapin_critical_kbps": 0, **WINDOW},
    fix=Fix.MANUAL,
    references=("VMware KB 1005362", "vSphere Resource Management guide: memory reclamation"),
    requires=("metrics",),
)
def vm_memory_swapping(vm: VM, ctx: CheckContext) -> Outcome:
    """No memory of a running VM sits in the host swap file, and none is being swapped in.

    What it checks:
        Swapped memory of a running VM: the latest ``mem.swapped.average`` sample (KB) of the
        last 24 hours, else the quickStats value. Swapped memory is a level that persists
        until the guest touches it, so the latest value counts. When ``mem.swapinRate.average``
        exists, a 95th percentile above 0 KB/s (active swap-in) is critical; swapped memory
        alone (possibly left over from old pressure) is medium.
    Why it matters:
        A guest page in host swap is read from disk when touched: milliseconds instead of
        nanoseconds. Swapping makes VMs appear hung and is the last resort of an over-committed
        host.
    Example:
        db-03 has 3.1 GB swapped and reads 4 MB/s back in: critical.
    Remediation:
        Free host memory (vMotion, lower overcommit, remove memory limits), then let the guest
        touch its memory again or vMotion the VM, which brings swapped pages back in.
    """
    if vm.power_state != "poweredOn":
        return not_applicable()
    counter = "mem.swapped.average"
    swapped_mb, basis = _level_mb(vm, ctx, counter, vm.swapped_memory_mb, use_p95=False)
    swapin_kbps = _swapin_p95(vm, ctx)
    if swapped_mb is None and swapin_kbps is None:
        return missing(
            ctx,
            vm.id,
            f"no {counter} samples and no quickStats value were collected for this VM",
            f"metrics:{counter}",
            "metrics",
        )
    active = swapin_kbps is not None and swapin_kbps > ctx.threshold("swapin_critical_kbps")
    swapped = swapped_mb is not None and swapped_mb > ctx.threshold("warning_mb")
    if not active and not swapped:
        return ok()
    parts = []
    if swapped_mb is not None:
        parts.append(f"{swapped_mb:.0f} MB swapped ({basis})")
    if swapin_kbps is not None:
        parts.append(f"swap-in p95 {swapin_kbps:.0f} KB/s")
    return fail(
        "; ".join(parts),
        Severity.CRITICAL if active else None,
        swapped_mb=None if swapped_mb is None else round(swapped_mb),
        swapin_kbps=None if swapin_kbps is None else round(swapin_kbps, 1),
    )


def _level_mb(
    vm: VM, ctx: CheckContext, counter: str, quickstats_mb: int | None, *, use_p95: bool
) -> tuple[float | None, str]:
    """The judged level in MB and how it was obtained (series first, quickStats second)."""
    series = ctx.index.series(vm.id, counter)
    if series is not None:
        values = recent(series, ctx.now, window_s(ctx.threshold("window_hours")))
        top = peak(values)
        if top is not None and top / KB_PER_MB <= ctx.threshold("warning_mb"):
            return top / KB_PER_MB, f"peak of {window_label(ctx)}"  # fast path: all under
        summary = summarize(values, ctx.threshold("percentile"))
        if summary is not None:
            value = summary.p95 if use_p95 else summary.latest
            how = f"p{ctx.threshold('percentile'):g}" if use_p95 else "latest"
            return value / KB_PER_MB, f"{how} of {window_label(ctx)}"
    if quickstats_mb is not None:
        return float(quickstats_mb), "current quickStats"
    return None, ""


def _swapin_p95(vm: VM, ctx: CheckContext) -> float | None:
    series = ctx.index.series(vm.id, "mem.swapinRate.average")
    if series is None:
        return None
    summary = summary_of(series, ctx)
    return None if summary is None else summary.p95


def window_label(ctx: CheckContext) -> str:
    return f"the last {ctx.threshold('window_hours'):g} h"
