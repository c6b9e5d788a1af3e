"""Power-on incidents: a hardware version beyond the host, a used-up pool reservation."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from vmdoctor.model import Family
from vmdoctor.sources.demo.incident_base import IncidentDraft, power_off, step
from vmdoctor.sources.demo.planter import Planter
from vmdoctor.sources.demo.records import short


def incident_hw_version_beyond_host(p: Planter, rep: int) -> IncidentDraft | None:
    """VM power-on fails: upgraded to vmx-21, registered on the cluster's last 7.0 host."""
    draft, rec = p.draft, p.rec
    mgmt = draft.clusters_with("mgmt")
    if rep >= len(mgmt):
        return None
    cluster, info = mgmt[rep]
    old = next(
        (draft.hosts[i] for i in info.host_indexes if draft.hosts[i].version == "7.0.3"), None
    )
    if old is None:
        return None
    vms = [draft.vms[i] for i in info.vm_indexes if draft.vms[i].id not in draft.taken]
    victim = next(v for v in vms if v.host_id != old.id and v.is_on)
    victim = power_off(p, victim, host_id=old.id)
    victim = draft.replace_vm(victim.id, hw_version="vmx-21")
    t = draft.now - timedelta(hours=30)
    user = "DEMO\\akim-adm"
    h = [
        rec.vm_task(
            t - timedelta(minutes=20),
            victim,
            "UpgradeVM_Task",
            "VirtualMachine.upgradeVirtualHardware",
            user=user,
        ),
        *rec.power_on_failure(
            t,
            victim,
            "NotSupported",
            f"The virtual machine version is not compatible with the version of "
            f"the host '{short(old.name)}'.",
            user,
        ),
        rec.hostd(
            t + timedelta(seconds=1),
            old,
            f"Failed to power on VM {victim.name}: virtual "
            "hardware version vmx-21 is not supported on this host (maximum vmx-19)",
            "error",
            sub="Vmsvc.vm",
        ),
    ]
    ids = [
        p.flag(
            victim,
            "hardware-version-beyond-host",
            Family.COMPATIBILITY,
            "vmx-21 VM registered on an ESXi 7.0 U3 host (maximum vmx-19).",
            ["vm-hardware-version-beyond-host"],
        ),
    ]
    # Another VM on the old host runs a guest the 7.0 host does not know.
    other = next(v for v in vms if v.host_id == old.id and v.is_on and v.id not in draft.taken)
    draft.replace_vm(
        other.id,
        guest_id="windows2022srvNext_64Guest",
        guest_id_running="windows2022srvNext_64Guest",
        guest_full_name="Microsoft Windows Server 2025 (64-bit)",
    )
    p.flag(
        other,
        "guest-unknown-to-host",
        Family.COMPATIBILITY,
        "Windows Server 2025 guest on an ESXi 7.0 host, which does not support it.",
        ["vm-guest-id-unknown-to-host"],
    )
    return IncidentDraft.about(
        victim,
        symptom="vm-power-on-failed",
        time=t,
        summary=f"{victim.name} will not power on after a hardware upgrade.",
        chain=[
            step(
                Family.COMPATIBILITY,
                f"{cluster.name} was left half-upgraded: {old.name} still runs ESXi 7.0 U3.",
                "cluster",
                cluster.id,
            ),
            step(
                Family.COMPATIBILITY,
                f"{victim.name} was upgraded to vmx-21, which needs ESXi 8.0 U2 or later.",
                "vm",
                victim.id,
            ),
            step(
                Family.COMPATIBILITY,
                f"It is registered on {old.name}, which cannot run vmx-21: power-on fails.",
                "vm",
                victim.id,
            ),
        ],
        handles=h,
        problem_ids=ids,
    )


def incident_pool_reservation(p: Planter, rep: int) -> IncidentDraft | None:
    """VM power-on fails: its resource pool's fixed reservation is used up."""
    draft, rec = p.draft, p.rec
    mgmt = draft.clusters_with("mgmt")
    if rep >= len(mgmt):
        return None
    cluster, info = mgmt[rep]
    pool_id = info.resource_pool_ids[-1]
    index = next(i for i, rp in enumerate(draft.resource_pools) if rp.id == pool_id)
    pool = draft.resource_pools[index]
    draft.resource_pools[index] = msgspec.structs.replace(
        pool, memory_reservation_mb=64 * 1024, expandable_reservation=False
    )
    vms = [
        draft.vms[i]
        for i in info.vm_indexes
        if draft.vms[i].id not in draft.taken and draft.vms[i].is_on
    ]
    batch = vms[:3]
    for vm in batch:
        draft.replace_vm(
            vm.id,
            resource_pool_id=pool_id,
            memory_mb=24 * 1024,
            memory_reservation_mb=24 * 1024,
            folder="Batch",
        )
    victim = power_off(p, draft.vm(batch[2].id))
    t = draft.now - timedelta(hours=16)
    h = list(
        rec.power_on_failure(
            t,
            victim,
            "InsufficientResourcesFault",
            "The available Memory resources in the parent resource pool are insufficient for the "
            "operation.",
            "DEMO\\svc-batch",
        )
    )
    h.append(
        rec.vmware_log(t, victim, "vmx", "Admission check failed for memory resource", "error")
    )
    ids = [
        p.flag(
            pool,
            "resource-pool-reservation-exhausted",
            Family.CONFIGURATION,
            "Fixed 64 GiB memory reservation, expandable reservation off, "
            "fully taken by two running VMs.",
            ["resource-pool-reservation-exhausted"],
        ),
    ]
    return IncidentDraft.about(
        victim,
        symptom="vm-power-on-failed",
        time=t,
        summary=f"{victim.name} cannot start: {pool.name} has no reservation left.",
        chain=[
            step(
                Family.CONFIGURATION,
                f"{pool.name} in {cluster.name} has a fixed 64 GiB memory "
                "reservation and may not borrow from its parent.",
                "resource_pool",
                pool.id,
            ),
            step(
                Family.CONFIGURATION,
                "Its VMs reserve all their memory: two running VMs hold 48 GiB.",
                "resource_pool",
                pool.id,
            ),
            step(
                Family.RESOURCES,
                f"{victim.name}'s 24 GiB reservation does not fit in the "
                "16 GiB left: power-on is refused.",
                "vm",
                victim.id,
            ),
        ],
        handles=h,
        problem_ids=ids,
    )
