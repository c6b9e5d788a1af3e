"""CPU pressure: host CPU usage, VM CPU ready and co-stop."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, not_applicable
from vmdoctor.checks.gaps import HOST_HARDWARE, missing
from vmdoctor.checks.resources._series import (
    WINDOW,
    current_outcome,
    judge_summary,
    usage_from_series,
    vcpu_summation_outcome,
)
from vmdoctor.model import VM, Family, Host, Severity


@check(
    id="RES001",
    name="host-cpu-usage",
    title="Host CPU usage is high",
    family=Family.RESOURCES,
    applies_to="host",
    severity=Severity.MEDIUM,
    thresholds={"warning_pct": 75, "critical_pct": 90, **WINDOW},
    fix=Fix.MANUAL,
    references=("VMware KB 421543", "VMware KB 1005362"),
    requires=("metrics",),
)
def host_cpu_usage(host: Host, ctx: CheckContext) -> Outcome:
    """Host CPU usage stays under the warning and critical lines.

    What it checks:
        The 95th percentile of the host's CPU usage over the last 24 hours
        (``cpu.usage.average`` in percent, or ``cpu.usagemhz.average`` against the host's
        capacity), against 75 % (warning) and 90 % (critical) - the lines of vCenter's default
        host CPU alarm. Without a series, the current quickStats usage is judged instead.
        Disconnected hosts are left to the host-not-connected check.
    Why it matters:
        A host that runs hot for hours leaves no room: VMs queue for physical CPUs (CPU ready
        rises), vMotion and HA restarts onto it are slow, and DRS cannot balance a cluster whose
        hosts are all busy.
    Example:
        esx03 ran at a p95 of 93 % over the past day (peak 100 %): critical.
    Remediation:
        Let DRS (fully automated) spread the load, vMotion busy VMs to quieter hosts, rightsize
        VMs with idle vCPUs, or add hosts to the cluster.
    """
    if not host.is_connected:
        return not_applicable()
    capacity = host.cpu_capacity_mhz
    judged = usage_from_series(host, ctx, "cpu.usage.average", "cpu.usagemhz.average", capacity)
    if judged is not None:
        return judge_summary(judged, ctx, "CPU usage")
    if host.cpu_usage_mhz is None or not capacity:
        return missing(
            ctx,
            host.id,
            "no CPU usage series and no current CPU usage or capacity for this host",
            "metrics:cpu.usage.average",
            *HOST_HARDWARE,
        )
    pct = 100.0 * host.cpu_usage_mhz / capacity
    return current_outcome(pct, ctx, "CPU usage", host.cpu_usage_mhz, capacity, "MHz")


@check(
    id="RES003",
    name="vm-cpu-ready",
    title="VM waits too long for a physical CPU (CPU ready)",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"warning_pct": 5, "critical_pct": 10, **WINDOW},
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 2002181", "VMware KB 1005362"),
    requires=("metrics",),
)
def vm_cpu_ready(vm: VM, ctx: CheckContext) -> Outcome:
    """CPU ready per vCPU of a running VM stays under 5 % (warning) and 10 % (critical).

    What it checks:
        ``cpu.ready.summation`` (milliseconds a vCPU was ready to run but had no physical CPU,
        per sample), turned into percent of the sample interval (ms / (interval_s * 1000) *
        100) and divided by the vCPU count for the aggregate instance; this holds for 20 s
        real-time samples and 300 / 1800 / 7200 s rollups alike. The 95th percentile of the
        last 24 hours is judged, so a lone spike does not fail a VM while a daily hour of
        contention does. Powered-off VMs are not checked.
    Why it matters:
        Ready time is time the guest is frozen: applications slow down, clocks drift, and
        heartbeats or clustered services time out - a VM that "stopped responding" with no
        guest error is often a VM starved of CPU.
    Example:
        sql-01 (8 vCPUs) shows a p95 of 2,600 ms per 20 s sample = 13 % / 8 = 1.6 % per vCPU:
        pass; app-02 (2 vCPUs) at 4,800 ms per 20 s = 12 % per vCPU: critical.
    Remediation:
        Check CPU limits first (cpu.maxlimited), then reduce vCPUs of oversized VMs, spread
        wide VMs across hosts (DRS), lower the vCPU:core ratio of the host, or add capacity.
    """
    if vm.power_state != "poweredOn":
        return not_applicable()
    return vcpu_summation_outcome(vm, ctx, "cpu.ready.summation", "CPU ready")


@check(
    id="RES004",
    name="vm-cpu-costop",
    title="Multi-vCPU VM is held back by co-scheduling (co-stop)",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"warning_pct": 3, "critical_pct": 10, **WINDOW},
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1005362", "VMware KB 2002181"),
    requires=("metrics",),
)
def vm_cpu_costop(vm: VM, ctx: CheckContext) -> Outcome:
    """Co-stop per vCPU of a running multi-vCPU VM stays under 3 % (warning) and 10 %.

    What it checks:
        ``cpu.costop.summation`` converted exactly like CPU ready (ms per sample interval to
        percent, divided by the vCPU count), judged by its 95th percentile over the last
        24 hours. Single-vCPU and powered-off VMs are not checked.
    Why it matters:
        Co-stop is time a vCPU is stopped so that its siblings can catch up: the VM has more
        vCPUs than the host can schedule together. The guest runs slower with more vCPUs than
        it would with fewer.
    Example:
        etl-01 (16 vCPUs on a 2 x 12-core host) has a co-stop p95 of 6 % per vCPU: warning.
    Remediation:
        Remove the vCPUs the workload does not use, keep wide VMs on hosts with enough cores,
        and lower the number of wide VMs sharing one host.
    """
    if vm.power_state != "poweredOn" or vm.num_cpu < 2:
        return not_applicable()
    return vcpu_summation_outcome(vm, ctx, "cpu.costop.summation", "co-stop")
