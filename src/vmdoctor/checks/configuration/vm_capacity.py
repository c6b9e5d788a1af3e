"""VM sizes and reservations that the hosts under them cannot back."""

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
from vmdoctor.checks.gaps import missing, missing_any
from vmdoctor.checks.metrics import cluster_capacities
from vmdoctor.model import VM, Family, Severity

SLOT_POLICIES = ("failoverLevel", "slot")


@check(
    id="CFG001",
    name="vm-memory-exceeds-host",
    title="VM is configured with more memory than its host or cluster can back",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.HIGH,
    fix=Fix.DISRUPTIVE,
    references=("vSphere Resource Management guide: memory virtualization",),
)
def vm_memory_exceeds_host(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM's configured memory fits in its host and in the largest usable host of its cluster.

    What it checks:
        Configured memory (which bounds any memory reservation) of every VM except templates,
        against the memory of the host it is registered on (high), and against the largest
        usable host of its cluster - connected, not in maintenance (critical: no host can run
        it). Standalone hosts are judged on their own memory.
    Why it matters:
        A VM larger than its host runs only by swapping, and one larger than every host of the
        cluster cannot be restarted by HA or moved by DRS - the usual story behind "the VM
        would not power on after the host failure".
    Example:
        sap-01 has 1,536 GiB configured; the largest usable host has 1,024 GiB: critical.
    Remediation:
        Reduce the VM's memory to what it needs (power-off required unless hot-add covers
        it), or place it on a cluster with larger hosts.
    """
    if vm.template:
        return not_applicable()
    host = ctx.index.host(vm.host_id)
    cap = cluster_capacities(ctx.index).get(vm.cluster_id) if vm.cluster_id else None
    largest = cap.largest_memory_mb if cap is not None and cap.largest_memory_mb else None
    own = host.memory_mb if host is not None else None
    if largest is None and own is None:
        hosts = ctx.index.hosts_by_cluster.get(vm.cluster_id, ()) if vm.cluster_id else ()
        return missing_any(
            ctx,
            [vm.host_id or "", *(h.id for h in hosts)],
            "the memory size of the VM's host (and cluster hosts) was not collected",
            "host.summary",
            "host.hardware",
            "host",
        )
    if largest is not None and vm.memory_mb > largest:
        return fail(
            f"{vm.memory_mb} MB configured; the largest usable host of the cluster has "
            f"{largest} MB",
            Severity.CRITICAL,
            memory_mb=vm.memory_mb,
            largest_host_memory_mb=largest,
        )
    if own is not None and vm.memory_mb > own:
        return fail(
            f"{vm.memory_mb} MB configured on a host with {own} MB",
            memory_mb=vm.memory_mb,
            host_memory_mb=own,
        )
    return ok()


@check(
    id="CFG016",
    name="vm-reservation-blocks-failover",
    title="VM reservation is too large for HA to place it after a failure",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={"max_host_share_pct": 50},
    fix=Fix.SAFE,
    references=("VMware KB 1001596", "vSphere Availability guide: admission control"),
)
def vm_reservation_blocks_failover(vm: VM, ctx: CheckContext) -> Outcome:
    """CPU and memory reservations of a running HA-protected VM stay small against its hosts.

    What it checks:
        Powered-on VMs in HA-enabled clusters: a memory or CPU reservation above 50 % of the
        smallest usable host's memory or CPU capacity fails. Under slot-based admission
        control (host failures / slot policy), any reservation is reported at low severity
        because the largest reservation sets the slot size for every VM.
    Why it matters:
        After a host failure HA must find one host with that much unreserved capacity for the
        VM; large reservations fragment the remaining capacity so the VM is not restarted,
        and large slots make admission control refuse power-ons on a half-empty cluster.
    Example:
        db-01 reserves 400 GiB; the smallest host has 512 GiB (78 %).
    Remediation:
        Lower or remove reservations that are not required; prefer shares, or the "cluster
        resource percentage" admission policy which does not use slots.
    """
    if vm.power_state != "poweredOn" or not vm.cluster_id:
        return not_applicable()
    if not vm.memory_reservation_mb and not vm.cpu_reservation_mhz:
        return ok()
    cluster = ctx.index.cluster(vm.cluster_id)
    if cluster is None or cluster.ha is None:
        return missing(
            ctx,
            vm.cluster_id,
            "the cluster's HA configuration was not collected",
            "cluster.ha",
            "cluster.configurationEx",
        )
    if not cluster.ha.enabled:
        return not_applicable()
    cap = cluster_capacities(ctx.index)[cluster.id]
    if cap.smallest_memory_mb is None or cap.smallest_cpu_mhz is None:
        return missing_any(
            ctx,
            (h.id for h in ctx.index.hosts_by_cluster.get(cluster.id, ())),
            "the CPU or memory size of the cluster's usable hosts was not collected",
            "host.summary",
            "host.hardware",
            "host",
        )
    limit = ctx.threshold("max_host_share_pct") / 100.0
    mem_share = vm.memory_reservation_mb / cap.smallest_memory_mb
    cpu_share = vm.cpu_reservation_mhz / cap.smallest_cpu_mhz
    evidence = {
        "memory_reservation_mb": vm.memory_reservation_mb,
        "cpu_reservation_mhz": vm.cpu_reservation_mhz,
        "smallest_host_memory_mb": cap.smallest_memory_mb,
        "smallest_host_cpu_mhz": cap.smallest_cpu_mhz,
    }
    if mem_share > limit or cpu_share > limit:
        return fail(
            f"reserves {vm.memory_reservation_mb} MB / {vm.cpu_reservation_mhz} MHz: "
            f"{100 * mem_share:.0f} % of the smallest host's memory, {100 * cpu_share:.0f} % "
            "of its CPU",
            None,
            **evidence,
        )
    if cluster.ha.admission_control_policy in SLOT_POLICIES:
        return fail(
            f"reservation ({vm.memory_reservation_mb} MB / {vm.cpu_reservation_mhz} MHz) "
            "inflates the HA slot size of the cluster",
            Severity.LOW,
            **evidence,
        )
    return ok()
