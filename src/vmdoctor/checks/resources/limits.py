"""Limits that cap VMs and resource pools below what they were given."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.metrics import vms_by_resource_pool
from vmdoctor.model import VM, Family, ResourcePool, Severity


@check(
    id="RES014",
    name="vm-cpu-limit",
    title="VM has a CPU limit below what its vCPUs could use",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("VMware KB 1005362", "vSphere Resource Management guide: limits"),
)
def vm_cpu_limit(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM has no CPU limit, or one at least as large as its vCPUs at full host clock.

    What it checks:
        ``cpu_limit_mhz`` of every VM (templates excluded). A limit fails unless it is at
        least the VM's vCPU count times the clock of its host (then it has no effect).
    Why it matters:
        A CPU limit throttles the VM even when the host is idle: the guest sees its full
        vCPUs but is descheduled (``cpu.maxlimited``), which looks like CPU ready and is often
        a forgotten leftover from a test or a template.
    Example:
        app-04 (4 vCPUs on a 2,000 MHz host) is limited to 1,000 MHz: 12.5 % of its capacity.
    Remediation:
        Remove the limit (set CPU limit to Unlimited) - safe and live - and use shares or
        reservations if the VM really needs to be ranked.
    """
    if vm.template:
        return not_applicable()
    if vm.cpu_limit_mhz is None:
        return ok()
    host = ctx.index.host(vm.host_id)
    full = vm.num_cpu * host.cpu_mhz if host is not None and host.cpu_mhz else None
    if full is not None and vm.cpu_limit_mhz >= full:
        return ok()
    share = f" ({100.0 * vm.cpu_limit_mhz / full:.0f} % of {full} MHz)" if full else ""
    return fail(
        f"CPU limited to {vm.cpu_limit_mhz} MHz{share} for {vm.num_cpu} vCPUs",
        Severity.HIGH if vm.cpu_limit_mhz == 0 else None,
        cpu_limit_mhz=vm.cpu_limit_mhz,
        full_speed_mhz=full,
    )


@check(
    id="RES015",
    name="vm-memory-limit",
    title="VM has a memory limit below its configured memory",
    family=Family.RESOURCES,
    applies_to="vm",
    severity=Severity.HIGH,
    fix=Fix.SAFE,
    references=("VMware KB 1005362", "vSphere Resource Management guide: limits"),
)
def vm_memory_limit(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM has no memory limit, or one at least as large as its configured memory.

    What it checks:
        ``memory_limit_mb`` of every VM (templates excluded) against its configured memory.
    Why it matters:
        The guest believes it has all its configured memory, but ESXi never backs more than
        the limit with RAM: the rest is ballooned or swapped even on an idle host. This is a
        classic cause of a slow VM on a healthy cluster, often inherited from a template.
    Example:
        web-01 has 16,384 MB configured and a 4,096 MB limit: 75 % of its memory lives in the
        balloon or in host swap.
    Remediation:
        Remove the limit (set memory limit to Unlimited) - safe and live - or size the VM's
        memory to what it should really have.
    """
    if vm.template:
        return not_applicable()
    if vm.memory_limit_mb is None or vm.memory_limit_mb >= vm.memory_mb:
        return ok()
    return fail(
        f"memory limited to {vm.memory_limit_mb} MB of {vm.memory_mb} MB configured",
        memory_limit_mb=vm.memory_limit_mb,
        memory_mb=vm.memory_mb,
    )


@check(
    id="RES016",
    name="resource-pool-limit",
    title="Resource pool has a CPU or memory limit",
    family=Family.RESOURCES,
    applies_to="resource_pool",
    severity=Severity.LOW,
    fix=Fix.SAFE,
    references=("vSphere Resource Management guide: resource pools",),
)
def resource_pool_limit(pool: ResourcePool, ctx: CheckContext) -> Outcome:
    """A resource pool sets no CPU or memory limit, or one its running VMs fit in.

    What it checks:
        ``cpu_limit_mhz`` and ``memory_limit_mb`` of every resource pool. Any limit fails at
        low severity; a memory limit below the configured memory of the powered-on VMs
        directly in the pool fails at high severity.
    Why it matters:
        A pool limit caps all its VMs together, whatever the cluster has free: the VMs
        balloon, swap or wait for CPU on an idle cluster, and VMs may be refused power-on
        when the pool's reservations are used up.
    Example:
        Pool "Test" is limited to 64 GiB while its running VMs are configured with 96 GiB.
    Remediation:
        Remove the limit (Unlimited) unless it is a deliberate cap; prefer shares to rank
        workloads and reservations to protect them.
    """
    if pool.cpu_limit_mhz is None and pool.memory_limit_mb is None:
        return ok()
    vms = vms_by_resource_pool(ctx.index).get(pool.id, ())
    configured_mb = sum(vm.memory_mb for vm in vms if vm.power_state == "poweredOn")
    limits = []
    if pool.cpu_limit_mhz is not None:
        limits.append(f"CPU {pool.cpu_limit_mhz} MHz")
    if pool.memory_limit_mb is not None:
        limits.append(f"memory {pool.memory_limit_mb} MB")
    starved = pool.memory_limit_mb is not None and configured_mb > pool.memory_limit_mb
    detail = f"; its running VMs are configured with {configured_mb} MB" if starved else ""
    return fail(
        f"limited to {' and '.join(limits)}{detail}",
        Severity.HIGH if starved else None,
        cpu_limit_mhz=pool.cpu_limit_mhz,
        memory_limit_mb=pool.memory_limit_mb,
        running_vm_memory_mb=configured_mb,
    )
