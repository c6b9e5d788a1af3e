"""VMs wider than the hardware under them."""

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
from vmdoctor.checks.gaps import HOST_HARDWARE, missing, vm_host_missing
from vmdoctor.model import VM, Family, Severity


@check(
    id="RES017",
    name="vm-wider-than-host",
    title="VM has more vCPUs than its host has physical cores",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1005362", "VMware KB 1010184"),
)
def vm_wider_than_host(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM has no more vCPUs than its host has physical cores.

    What it checks:
        ``num_cpu`` of every VM (templates excluded) against the physical cores of the host it
        is registered on; more vCPUs than the host's logical CPUs (threads) is critical.
    Why it matters:
        A VM wider than the host's cores has vCPUs sharing hyper-threads of the same core with
        each other and with every other VM: co-stop and ready time soar. A VM wider than the
        host's logical CPUs cannot power on there at all, and HA cannot restart it there.
    Example:
        sql-02 has 48 vCPUs on a host with 2 x 16 cores (64 threads): wider than the cores.
    Remediation:
        Reduce the vCPU count to what the workload needs (power-off required unless hot
        remove is supported), or run the VM on hosts with more cores.
    """
    if vm.template:
        return not_applicable()
    host = ctx.index.host(vm.host_id)
    if host is None:
        return vm_host_missing(ctx, vm.host_id)
    if not host.cpu_cores:
        return missing(ctx, host.id, "the host's core count was not collected", *HOST_HARDWARE)
    threads = host.cpu_threads or host.cpu_cores
    if vm.num_cpu <= host.cpu_cores:
        return ok()
    beyond_threads = vm.num_cpu > threads
    return fail(
        f"{vm.num_cpu} vCPUs on a host with {host.cpu_cores} cores and {threads} threads",
        Severity.CRITICAL if beyond_threads else None,
        num_cpu=vm.num_cpu,
        host_cores=host.cpu_cores,
        host_threads=threads,
    )


@check(
    id="RES018",
    name="vm-wider-than-numa-node",
    title="VM is wider than one NUMA node of its host",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.LOW,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1010184", "vSphere Resource Management guide: NUMA"),
)
def vm_wider_than_numa_node(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM fits in one NUMA node (one socket) of its host, in vCPUs and in memory.

    What it checks:
        ``num_cpu`` against the cores of one socket of the VM's host, and configured memory
        against the host's memory divided by its sockets (one NUMA node per socket is
        assumed; sub-NUMA clustering makes nodes smaller still). Templates are excluded.
    Why it matters:
        A VM spanning NUMA nodes reaches part of its memory over the interconnect, with
        higher latency. It works, but the guest must see a matching virtual NUMA topology
        (cores per socket) or memory-heavy workloads lose a noticeable share of performance.
    Example:
        db-05 has 24 vCPUs and 512 GiB on a 2 x 16-core, 768 GiB host: wider than a node in
        both CPU and memory.
    Remediation:
        Size the VM within a node where possible; otherwise keep cores per socket aligned with
        the host's nodes (the default since vSphere 6.5) so vNUMA exposes the real layout.
    """
    if vm.template:
        return not_applicable()
    host = ctx.index.host(vm.host_id)
    if host is None:
        return vm_host_missing(ctx, vm.host_id)
    if not host.cpu_cores or not host.cpu_sockets or not host.memory_mb:
        return missing(
            ctx, host.id, "the host's sockets, cores or memory were not collected", *HOST_HARDWARE
        )
    node_cores = host.cpu_cores // host.cpu_sockets
    node_memory_mb = host.memory_mb // host.cpu_sockets
    wide_cpu = vm.num_cpu > node_cores
    wide_memory = vm.memory_mb > node_memory_mb
    if not wide_cpu and not wide_memory:
        return ok()
    parts = []
    if wide_cpu:
        parts.append(f"{vm.num_cpu} vCPUs > {node_cores} cores per node")
    if wide_memory:
        parts.append(f"{vm.memory_mb} MB > {node_memory_mb} MB per node")
    return fail(
        "; ".join(parts),
        num_cpu=vm.num_cpu,
        node_cores=node_cores,
        memory_mb=vm.memory_mb,
        node_memory_mb=node_memory_mb,
    )
