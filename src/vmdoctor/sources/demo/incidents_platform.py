"""Incidents of the platform: a host crash, vCenter sessions, hardware versions, pools."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from vmdoctor.model import Family
from vmdoctor.sources.demo.events import Handle
from vmdoctor.sources.demo.incident_base import IncidentDraft, power_off, step
from vmdoctor.sources.demo.planter import Planter
from vmdoctor.sources.demo.records import short


def incident_psod_failover(p: Planter, rep: int) -> IncidentDraft | None:
    """VM stayed off: a host crashed (driver PSOD) and HA could not restart everything."""
    draft, rec = p.draft, p.rec
    mgmt = draft.clusters_with("mgmt")
    if rep >= len(mgmt):
        return None
    cluster, info = mgmt[rep]
    hosts = [draft.hosts[i] for i in info.host_indexes]
    crashed = next((h for h in hosts if h.id not in draft.taken and h.version == "8.0.3"), None)
    if crashed is None:
        return None
    # HA restarts VMs only where their hardware version can run: the other 8.0 hosts.
    survivors = [h for h in hosts if h.id != crashed.id and h.version == crashed.version]
    on_host = [v for v in p.vms_on(crashed.id) if v.is_on and v.id not in draft.taken]
    if not survivors or len(on_host) < 2:
        return None
    t = draft.now - timedelta(days=6, hours=3, minutes=17)
    draft.replace_host(crashed.id, boot_time=t + timedelta(minutes=19))
    dc = rec.dc_name(crashed)
    h = [
        rec.vmkernel(
            t,
            crashed,
            "cpu21:2098311)@BlueScreen: #PF Exception 14 in world "
            "2098311:i40en-netq IP 0x420019e3a1b2 addr 0x48",
            "error",
            log="vmkernel-zdump.log",
        ),
        rec.vmkernel(
            t,
            crashed,
            "cpu21:2098311)0x451a1c79bd50:[0x420019e3a1b2]"
            "i40en_clean_rx_irq@(i40en)#<None>+0x3c4 stack: 0x0",
            "error",
            log="vmkernel-zdump.log",
        ),
        rec.host_event(
            t + timedelta(seconds=25),
            crashed,
            "HostConnectionLostEvent",
            f"Host {crashed.name} in {dc} is not responding",
            "error",
        ),
        rec.host_event(
            t + timedelta(seconds=40),
            crashed,
            "com.vmware.vc.HA.DasHostFailedEvent",
            f"vSphere HA detected a possible host failure of host {crashed.name} in "
            f"cluster {cluster.name} in {dc}",
            "error",
        ),
    ]
    victim = on_host[0]
    big = 96 * 1024
    ds = draft.datastore_by_id[victim.datastore_ids[0]]
    ds.committed_bytes += (big - victim.memory_mb) * 1024 * 1024
    victim = draft.replace_vm(victim.id, memory_mb=big, memory_reservation_mb=big)
    for n, vm in enumerate(on_host[1:7]):
        target = survivors[n % len(survivors)]
        draft.replace_vm(
            vm.id,
            host_id=target.id,
            uptime_s=int((draft.now - t).total_seconds()) - 90,
            boot_time=t + timedelta(seconds=90),
        )
        h.append(
            rec.vm_event(
                t + timedelta(seconds=80 + n),
                draft.vm(vm.id),
                "com.vmware.vc.ha.VmRestartedByHAEvent",
                f"vSphere HA restarted virtual machine {vm.name} on host "
                f"{target.name} in cluster {cluster.name} in {dc}",
                "warning",
            )
        )
    victim = power_off(p, victim, host_id=survivors[0].id)
    h.append(
        rec.vm_event(
            t + timedelta(seconds=95),
            victim,
            "VmFailoverFailed",
            f"vSphere HA virtual machine failover failed for {victim.name} in "
            f"cluster {cluster.name} in {dc}: insufficient resources to satisfy "
            f"its {big // 1024} GiB memory reservation",
            "error",
        )
    )
    ids = [
        p.add(
            "nic-driver-psod",
            Family.COMPATIBILITY,
            "host",
            crashed.id,
            crashed.name,
            "The i40en NIC driver is older than the one certified for this ESXi build and "
            "crashed the host (PSOD).",
            ["host-driver-not-certified"],
        ),
        p.add(
            "vm-full-reservation",
            Family.CONFIGURATION,
            "vm",
            victim.id,
            victim.name,
            f"A {big // 1024} GiB memory reservation that no surviving host could honour "
            "(the VM is off now, so vm-reservation-blocks-failover no longer sees it).",
            [],
        ),
    ]
    return IncidentDraft(
        symptom="vm-down",
        object_type="vm",
        object_id=victim.id,
        object_name=victim.name,
        time=t,
        summary=f"{crashed.name} crashed; HA restarted its VMs but {victim.name} stayed off.",
        chain=[
            step(
                Family.COMPATIBILITY,
                f"{crashed.name} runs an i40en driver that does not match its ESXi build.",
                "host",
                crashed.id,
            ),
            step(
                Family.COMPATIBILITY,
                "The driver crashed the host with a purple screen (#PF Exception 14 in i40en).",
                "host",
                crashed.id,
            ),
            step(
                Family.CONFIGURATION,
                f"With admission control off, {cluster.name} kept no failover capacity.",
                "cluster",
                cluster.id,
            ),
            step(
                Family.RESOURCES,
                f"No surviving host could honour {victim.name}'s "
                f"{big // 1024} GiB reservation; HA failover failed.",
                "vm",
                victim.id,
            ),
        ],
        handles=h,
        problem_ids=ids,
    )


def incident_session_exhaustion(p: Planter) -> IncidentDraft:
    """vCenter unresponsive: a monitoring script leaked sessions up to the vpxd limit."""
    draft, rec = p.draft, p.rec
    vc = draft.vcenters[0]
    draft.vcenters[0] = msgspec.structs.replace(vc, active_sessions=1994, max_sessions=2000)
    start = draft.now - timedelta(days=3, hours=2)
    h: list[Handle] = []
    t = start
    every = timedelta(minutes=10)
    first = True
    while t < draft.now - timedelta(hours=1):
        handle = rec.vcenter_event(
            t,
            vc.id,
            "UserLoginSessionEvent",
            "User DEMO\\svc-monitor@10.10.30.41 logged in as "
            "python-requests/2.31 vsphere-automation-sdk",
            user="DEMO\\svc-monitor",
        )
        if first or t + every >= draft.now - timedelta(hours=1):
            h.append(handle)
            first = False
        t += every
    t_full = draft.now - timedelta(hours=7, minutes=40)
    for k, user in enumerate(("DEMO\\jsmith-adm", "DEMO\\svc-backup", "DEMO\\akim-adm")):
        h.append(
            rec.vpxd(
                t_full + timedelta(minutes=11 * k),
                vc.name,
                vc.id,
                f"[SessionManager] Rejecting login of {user}: session limit reached "
                "(2000 active sessions, limit 2000)",
                "error",
                sub="SessionManager",
            )
        )
    h.append(
        rec.vpxd(
            t_full + timedelta(minutes=40),
            vc.name,
            vc.id,
            "[VpxLRO] -- ERROR lro-3312877 -- SessionManager -- vim.SessionManager.login: "
            "vim.fault.InvalidLogin: too many sessions",
            "error",
        )
    )
    ids = [
        p.add(
            "vcenter-session-leak",
            Family.CONFIGURATION,
            "vcenter",
            vc.id,
            vc.name,
            "A monitoring script logs in every 10 minutes and never logs out: 1,994 of 2,000 "
            "sessions in use.",
            ["vcenter-session-limit"],
        ),
    ]
    return IncidentDraft(
        symptom="management-unresponsive",
        object_type="vcenter",
        object_id=vc.id,
        object_name=vc.name,
        time=t_full,
        summary=f"{vc.name} refuses logins: its sessions are exhausted.",
        chain=[
            step(
                Family.CONFIGURATION,
                "A new version of the monitoring script (DEMO\\svc-monitor)"
                " opens a session every 10 minutes and never closes it.",
                "vcenter",
                vc.id,
            ),
            step(Family.RESOURCES, "Sessions pile up to vpxd's limit of 2,000.", "vcenter", vc.id),
            step(
                Family.CONFIGURATION,
                f"{vc.name} rejects new logins: the vSphere Client and API look dead.",
                "vcenter",
                vc.id,
            ),
        ],
        handles=h,
        problem_ids=ids,
    )


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
        p.add(
            "hardware-version-beyond-host",
            Family.COMPATIBILITY,
            "vm",
            victim.id,
            victim.name,
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
    p.add(
        "guest-unknown-to-host",
        Family.COMPATIBILITY,
        "vm",
        other.id,
        other.name,
        "Windows Server 2025 guest on an ESXi 7.0 host, which does not support it.",
        ["vm-guest-id-unknown-to-host"],
    )
    return IncidentDraft(
        symptom="vm-power-on-failed",
        object_type="vm",
        object_id=victim.id,
        object_name=victim.name,
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
        p.add(
            "resource-pool-reservation-exhausted",
            Family.CONFIGURATION,
            "resource_pool",
            pool.id,
            pool.name,
            "Fixed 64 GiB memory reservation, expandable reservation off, "
            "fully taken by two running VMs.",
            ["resource-pool-reservation-exhausted"],
        ),
    ]
    return IncidentDraft(
        symptom="vm-power-on-failed",
        object_type="vm",
        object_id=victim.id,
        object_name=victim.name,
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
