"""Overcommit: configured vCPUs and memory of running VMs against physical capacity."""

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
from vmdoctor.checks.gaps import (
    HOST_HARDWARE,
    cluster_host_ids,
    missing,
    missing_any,
    no_usable_host,
)
from vmdoctor.checks.metrics import Load, cluster_capacities, host_loads
from vmdoctor.model import Cluster, Family, Host, Severity

_NO_LOAD = Load()


def _ratio_outcome(
    ratio: float, ctx: CheckContext, what: str, detail: str, **evidence: int | float | str
) -> Outcome:
    if ratio <= ctx.threshold("warning_ratio"):
        return ok()
    critical = ratio > ctx.threshold("critical_ratio")
    return fail(
        f"{what} {ratio:.2f}:1 ({detail})",
        Severity.CRITICAL if critical else None,
        ratio=round(ratio, 2),
        **evidence,
    )


def _physical_cpus(ctx: CheckContext, cores: int | None, threads: int | None) -> int | None:
    basis = str(ctx.setting("basis"))
    if basis not in ("cores", "threads"):
        raise ValueError(f"threshold 'basis' must be 'cores' or 'threads', not {basis!r}")
    return threads if basis == "threads" else cores


@check(
    id="RES007",
    name="host-vcpu-overcommit",
    title="Too many vCPUs per physical core on a host",
    family=Family.RESOURCES,
    applies_to="host",
    severity=Severity.LOW,
    thresholds={"warning_ratio": 4.0, "critical_ratio": 8.0, "basis": "cores"},
    fix=Fix.MANUAL,
    references=("VMware KB 1005362", "vSphere Resource Management guide: CPU virtualization"),
)
def host_vcpu_overcommit(host: Host, ctx: CheckContext) -> Outcome:
    """The vCPUs of powered-on VMs per physical core of a host stay under 4:1 (8:1 critical).

    What it checks:
        The sum of vCPUs of the powered-on VMs on a connected host divided by its physical
        cores (set ``basis = "threads"`` to count hyper-threads instead). Ratios are
        configurable: ``warning_ratio`` 4.0, ``critical_ratio`` 8.0.
    Why it matters:
        Every vCPU that wants to run needs a physical CPU; the more vCPUs per core, the more
        time VMs spend in the ready queue, and the more a busy hour turns into CPU ready and
        co-stop across every VM of the host.
    Example:
        esx05 runs 310 vCPUs on 32 cores: 9.7:1, critical.
    Remediation:
        Rightsize VMs with idle vCPUs, balance VMs across hosts (DRS), or add hosts. Judge with
        CPU ready (RES003): a high ratio with low ready time is a choice, not a fault.
    """
    if not host.is_connected:
        return not_applicable()
    physical = _physical_cpus(ctx, host.cpu_cores, host.cpu_threads)
    if not physical:
        return missing(
            ctx,
            host.id,
            f"the host's CPU {ctx.setting('basis')} were not collected",
            *HOST_HARDWARE,
        )
    load = host_loads(ctx.index).get(host.id, _NO_LOAD)
    return _ratio_outcome(
        load.vcpus_on / physical,
        ctx,
        "vCPU overcommit",
        f"{load.vcpus_on} vCPUs of {load.vms_on} running VMs on {physical} {ctx.setting('basis')}",
        vcpus=load.vcpus_on,
        physical=physical,
    )


@check(
    id="RES008",
    name="host-memory-overcommit",
    title="Running VMs are configured with more memory than the host has",
    family=Family.RESOURCES,
    applies_to="host",
    severity=Severity.MEDIUM,
    thresholds={"warning_ratio": 1.0, "critical_ratio": 1.5},
    fix=Fix.MANUAL,
    references=("VMware KB 1005362", "vSphere Resource Management guide: memory overcommitment"),
)
def host_memory_overcommit(host: Host, ctx: CheckContext) -> Outcome:
    """The configured memory of powered-on VMs stays within the host's physical memory.

    What it checks:
        The sum of configured memory of the powered-on VMs on a connected host divided by the
        host's memory: above 1.0 fails, above 1.5 is critical (both configurable).
    Why it matters:
        Overcommitted memory only works while guests leave part of theirs idle. When they
        all get busy, the host must balloon, compress and swap - and every VM on it slows down.
    Example:
        esx01 runs VMs configured with 1,400 GiB on 1,024 GiB: 1.37:1.
    Remediation:
        Spread VMs across hosts, shrink VMs that do not use their memory, or add memory.
        Ballooning and swapping checks (RES005, RES006) tell whether it hurts already.
    """
    if not host.is_connected:
        return not_applicable()
    if not host.memory_mb:
        return missing(ctx, host.id, "the host's memory size was not collected", *HOST_HARDWARE)
    load = host_loads(ctx.index).get(host.id, _NO_LOAD)
    return _ratio_outcome(
        load.memory_mb_on / host.memory_mb,
        ctx,
        "memory overcommit",
        f"{load.memory_mb_on / 1024:.0f} GiB configured in {load.vms_on} running VMs on "
        f"{host.memory_mb / 1024:.0f} GiB",
        configured_mb=load.memory_mb_on,
        host_memory_mb=host.memory_mb,
    )


@check(
    id="RES009",
    name="cluster-vcpu-overcommit",
    title="Too many vCPUs per physical core in a cluster",
    family=Family.RESOURCES,
    applies_to="cluster",
    severity=Severity.LOW,
    thresholds={"warning_ratio": 4.0, "critical_ratio": 8.0, "basis": "cores"},
    fix=Fix.MANUAL,
    references=("VMware KB 1005362", "vSphere Resource Management guide: CPU virtualization"),
)
def cluster_vcpu_overcommit(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """The vCPUs of a cluster's powered-on VMs per core of its usable hosts stay under 4:1.

    What it checks:
        All vCPUs of the cluster's powered-on VMs divided by the physical cores (or threads,
        with ``basis = "threads"``) of its usable hosts: connected, not in maintenance mode,
        not in standby.
    Why it matters:
        DRS can only balance what the cluster has. A cluster-wide ratio this high means every
        host is crowded and CPU ready rises everywhere at the busy hour.
    Example:
        Cluster-B: 1,900 vCPUs on 4 usable hosts with 224 cores = 8.5:1, critical.
    Remediation:
        Rightsize VMs, move workloads to a cluster with room, or add hosts.
    """
    cap = cluster_capacities(ctx.index)[cluster.id]
    if cap.hosts_usable == 0:
        return no_usable_host(ctx, cluster)
    physical = _physical_cpus(ctx, cap.cores, cap.threads)
    if not physical:
        return missing_any(
            ctx,
            cluster_host_ids(ctx, cluster.id),
            f"CPU {ctx.setting('basis')} of some usable hosts were not collected",
            *HOST_HARDWARE,
        )
    return _ratio_outcome(
        cap.load.vcpus_on / physical,
        ctx,
        "vCPU overcommit",
        f"{cap.load.vcpus_on} vCPUs on {physical} {ctx.setting('basis')} of "
        f"{cap.hosts_usable} usable hosts",
        vcpus=cap.load.vcpus_on,
        physical=physical,
        usable_hosts=cap.hosts_usable,
    )


@check(
    id="RES010",
    name="cluster-memory-overcommit",
    title="A cluster's running VMs are configured with more memory than its hosts have",
    family=Family.RESOURCES,
    applies_to="cluster",
    severity=Severity.MEDIUM,
    thresholds={"warning_ratio": 1.0, "critical_ratio": 1.5},
    fix=Fix.MANUAL,
    references=("VMware KB 1005362", "vSphere Resource Management guide: memory overcommitment"),
)
def cluster_memory_overcommit(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """The configured memory of a cluster's powered-on VMs fits in its usable hosts' memory.

    What it checks:
        All configured memory of the cluster's powered-on VMs divided by the memory of its
        usable hosts (connected, not in maintenance mode, not in standby): above 1.0 fails,
        above 1.5 is critical.
    Why it matters:
        A cluster that is overcommitted as a whole cannot be fixed by DRS moving VMs around:
        some host will reclaim memory, and an HA failover makes it worse.
    Example:
        Cluster-A: 5.2 TiB configured on 4 TiB of usable hosts = 1.3:1.
    Remediation:
        Reclaim memory from oversized VMs, move workloads, or add hosts or memory.
    """
    cap = cluster_capacities(ctx.index)[cluster.id]
    if cap.hosts_usable == 0:
        return no_usable_host(ctx, cluster)
    if not cap.memory_mb:
        return missing_any(
            ctx,
            cluster_host_ids(ctx, cluster.id),
            "the memory size of some usable hosts was not collected",
            *HOST_HARDWARE,
        )
    return _ratio_outcome(
        cap.load.memory_mb_on / cap.memory_mb,
        ctx,
        "memory overcommit",
        f"{cap.load.memory_mb_on / 1024:.0f} GiB configured on {cap.memory_mb / 1024:.0f} GiB "
        f"of {cap.hosts_usable} usable hosts",
        configured_mb=cap.load.memory_mb_on,
        usable_memory_mb=cap.memory_mb,
        usable_hosts=cap.hosts_usable,
    )
