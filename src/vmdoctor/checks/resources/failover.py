"""Failover capacity: can a cluster lose its largest host and still carry its load?"""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok, unknown
from vmdoctor.checks.gaps import HOST_HARDWARE, cluster_host_ids, missing_any, no_usable_host
from vmdoctor.checks.metrics import cluster_capacities
from vmdoctor.model import Cluster, Family, Severity


@check(
    id="RES013",
    name="cluster-n-plus-1",
    title="Cluster cannot absorb the loss of its largest host",
    family=Family.RESOURCES,
    applies_to="cluster",
    severity=Severity.HIGH,
    thresholds={"warning_pct": 90, "critical_pct": 100},
    fix=Fix.MANUAL,
    references=("VMware KB 1001596", "vSphere Availability guide: admission control"),
)
def cluster_n_plus_1(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """The current demand of a cluster fits on its usable hosts minus the largest one.

    What it checks:
        Among usable hosts (connected, not in maintenance mode, not in standby), the current
        CPU demand (sum of quickStats CPU usage, MHz) and memory demand (sum of consumed
        memory, MB) against what is left when the largest host (by CPU and by memory) fails.
        Demand above 90 % of what remains fails; above 100 % (it does not fit) is critical.
        A cluster with a single usable host always fails.
    Why it matters:
        When a host dies, HA restarts its VMs on the others. If they cannot carry the load, the
        restarts fail or everything runs starved, turning a one-host outage into a
        cluster-wide one.
    Example:
        Cluster-A has 4 hosts of 1 TiB and 3.3 TiB of consumed memory: 3 TiB remain after a
        failure, 110 %: critical.
    Remediation:
        Add a host, reclaim memory and CPU from oversized VMs, move workloads to another
        cluster, and enable HA admission control so that the cluster keeps failover capacity.
    """
    cap = cluster_capacities(ctx.index)[cluster.id]
    if cap.hosts_usable == 0:
        return no_usable_host(ctx, cluster)
    if cap.hosts_usable == 1:
        return fail(
            f"only 1 of {cap.hosts_total} hosts is usable: losing it stops every VM",
            Severity.CRITICAL,
            usable_hosts=1,
        )
    if None in (cap.cpu_mhz, cap.memory_mb, cap.cpu_demand_mhz, cap.memory_demand_mb):
        return missing_any(
            ctx,
            cluster_host_ids(ctx, cluster.id),
            "CPU/memory capacity or current usage of some usable hosts was not collected",
            *HOST_HARDWARE,
        )
    assert cap.cpu_mhz is not None and cap.memory_mb is not None  # narrowed above
    assert cap.cpu_demand_mhz is not None and cap.memory_demand_mb is not None
    cpu_left = cap.cpu_mhz - cap.largest_cpu_mhz
    mem_left = cap.memory_mb - cap.largest_memory_mb
    if cpu_left <= 0 or mem_left <= 0:
        return unknown("capacity of the remaining hosts is unknown")
    cpu_pct = 100.0 * cap.cpu_demand_mhz / cpu_left
    mem_pct = 100.0 * cap.memory_demand_mb / mem_left
    worst = max(cpu_pct, mem_pct)
    if worst <= ctx.threshold("warning_pct"):
        return ok()
    resource = "memory" if mem_pct >= cpu_pct else "CPU"
    return fail(
        f"after losing its largest host the cluster would run at {worst:.0f} % {resource} "
        f"(CPU {cpu_pct:.0f} %, memory {mem_pct:.0f} % of the {cap.hosts_usable - 1} "
        "remaining hosts)",
        Severity.CRITICAL if worst > ctx.threshold("critical_pct") else None,
        cpu_after_failure_pct=round(cpu_pct, 1),
        memory_after_failure_pct=round(mem_pct, 1),
        usable_hosts=cap.hosts_usable,
    )
