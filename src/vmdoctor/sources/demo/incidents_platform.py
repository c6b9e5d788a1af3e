"""Incidents of the platform: a host crash (PSOD) and exhausted vCenter sessions."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from vmdoctor.model import Family
from vmdoctor.sources.demo.events import Handle
from vmdoctor.sources.demo.incident_base import IncidentDraft, power_off, step
from vmdoctor.sources.demo.planter import Planter


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
        p.flag(
            crashed,
            "nic-driver-psod",
            Family.COMPATIBILITY,
            "The i40en NIC driver is older than the one certified for this ESXi build and "
            "crashed the host (PSOD).",
            ["host-driver-not-certified"],
        ),
        p.flag(
            victim,
            "vm-full-reservation",
            Family.CONFIGURATION,
            f"A {big // 1024} GiB memory reservation that no surviving host could honour "
            "(the VM is off now, so vm-reservation-blocks-failover no longer sees it).",
            [],
        ),
    ]
    return IncidentDraft.about(
        victim,
        symptom="vm-down",
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
        p.flag(
            vc,
            "vcenter-session-leak",
            Family.CONFIGURATION,
            "A monitoring script logs in every 10 minutes and never logs out: 1,994 of 2,000 "
            "sessions in use.",
            ["vcenter-session-limit"],
        ),
    ]
    return IncidentDraft.about(
        vc,
        symptom="management-unresponsive",
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
