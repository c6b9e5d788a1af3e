"""Flaws planted on randomly chosen hosts, datastores and vCenters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec

from vmdoctor.model import (
    Family,
    Host,
    HostPortGroup,
    HostService,
    PortGroupSecurity,
    StorageDevice,
)
from vmdoctor.sources.demo.host_baseline import HEALTHY_SERVICES
from vmdoctor.sources.demo.metrics import DS_WRITE_LATENCY, SAMPLES
from vmdoctor.sources.demo.planter import MODERN, Planter


def with_service(
    services: list[HostService], key: str, running: bool, policy: str
) -> list[HostService]:
    return [
        msgspec.structs.replace(s, running=running, policy=policy) if s.key == key else s
        for s in services
    ]


def plant_host_problems(p: Planter) -> None:
    draft = p.draft

    host = p.pick_host(MODERN)
    draft.replace_host(host.id, services=with_service(HEALTHY_SERVICES, "TSM-SSH", True, "on"))
    p.flag(
        host,
        "ssh-running",
        Family.SECURITY,
        "SSH was enabled for a support case and set to start with the host.",
        ["esxi-ssh-running"],
    )
    p.rec.host_event(
        draft.now - timedelta(days=9),
        host,
        "esx.audit.ssh.enabled",
        "SSH access has been enabled",
        user="root",
    )

    host = p.pick_host(MODERN)
    services = with_service(
        with_service(HEALTHY_SERVICES, "TSM", True, "on"), "TSM-SSH", True, "on"
    )
    settings = {
        **host.advanced_settings,
        "UserVars.ESXiShellInteractiveTimeOut": "0",
        "UserVars.ESXiShellTimeOut": "0",
        "UserVars.SuppressShellWarning": "1",
    }
    draft.replace_host(host.id, services=services, advanced_settings=settings)
    p.flag(
        host,
        "esxi-shell-running",
        Family.SECURITY,
        "ESXi Shell and SSH are running permanently, the shell warning suppressed.",
        ["esxi-shell-running", "esxi-ssh-running"],
    )
    p.flag(
        host,
        "shell-timeout-zero",
        Family.SECURITY,
        "Shell timeouts are 0: idle sessions stay open forever.",
        ["esxi-shell-timeouts"],
    )

    host = p.pick_host(MODERN)
    draft.replace_host(host.id, lockdown_mode="lockdownDisabled")
    p.flag(
        host,
        "lockdown-disabled",
        Family.SECURITY,
        "Lockdown mode is off: anyone with root credentials can manage the host directly.",
        ["esxi-lockdown-disabled"],
    )

    host = p.pick_host(MODERN)
    settings = {**host.advanced_settings, "Config.HostAgent.plugins.solo.enableMob": "true"}
    draft.replace_host(host.id, advanced_settings=settings)
    p.flag(
        host,
        "mob-enabled",
        Family.SECURITY,
        "The Managed Object Browser was turned on for debugging.",
        ["esxi-mob-enabled"],
    )

    host = p.pick_host(MODERN)
    settings = {**host.advanced_settings, "Security.AccountLockFailures": "0"}
    draft.replace_host(host.id, advanced_settings=settings)
    p.flag(
        host,
        "no-account-lockout",
        Family.SECURITY,
        "Account lockout is disabled: password guessing is never slowed down.",
        ["esxi-account-lockout"],
    )

    host = p.pick_host(("legacy",))
    loose = PortGroupSecurity(allow_promiscuous=True, forged_transmits=True, mac_changes=True)
    portgroups = [
        msgspec.structs.replace(pg, security=loose) if pg.name == "VLAN110-Web" else pg
        for pg in host.portgroups or []
    ]
    draft.replace_host(
        host.id,
        portgroups=[
            *portgroups,
            HostPortGroup(name="IDS-Mirror", vswitch="vSwitch1", vlan_id=4095, security=loose),
        ],
    )
    p.flag(
        host,
        "portgroup-promiscuous",
        Family.SECURITY,
        "A web portgroup accepts promiscuous mode, forged transmits and MAC changes (copied "
        "from an IDS mirror portgroup).",
        ["host-portgroup-insecure-policy"],
    )

    host = p.pick_host(("legacy",))
    draft.replace_host(
        host.id, ntp_servers=[], services=with_service(HEALTHY_SERVICES, "ntpd", False, "off")
    )
    p.flag(
        host,
        "ntp-missing",
        Family.CONFIGURATION,
        "No NTP server configured and ntpd stopped: the clock drifts.",
        ["host-ntp-not-configured"],
    )
    p.rec.vobd(
        draft.now - timedelta(days=3),
        host,
        "[esx.problem.clock.correction.adjtime.lostsync] system clock no longer "
        "synchronized to upstream time servers",
    )

    host = p.pick_host(MODERN)
    settings = {**host.advanced_settings, "Syslog.global.logHost": ""}
    draft.replace_host(host.id, syslog_hosts=[], advanced_settings=settings)
    p.flag(
        host,
        "syslog-missing",
        Family.CONFIGURATION,
        "Remote syslog was never set after a reinstall: logs are lost on reboot.",
        ["host-syslog-not-configured", "esxi-remote-syslog-missing"],
    )

    host = p.pick_host(MODERN)
    draft.replace_host(host.id, in_maintenance_mode=True)
    _, info = draft.cluster_of(host.cluster_id)
    siblings = [
        draft.hosts[i]
        for i in info.host_indexes
        if draft.hosts[i].id != host.id and draft.hosts[i].version == host.version
    ]
    if not siblings:
        siblings = [host]  # nowhere to go: the VMs stay (registered, powered as they were)
    for n, vm in enumerate(p.vms_on(host.id)):
        # DRS evacuated it: its VMs now run on the sibling hosts.
        draft.replace_vm(vm.id, host_id=siblings[n % len(siblings)].id)
    p.rec.host_event(
        draft.now - timedelta(days=6),
        host,
        "EnteredMaintenanceModeEvent",
        f"Host {host.name} in {p.rec.dc_name(host)} has entered maintenance mode",
        user="DEMO\\akim-adm",
    )
    p.flag(
        host,
        "host-in-maintenance",
        Family.CONFIGURATION,
        "Left in maintenance mode after a firmware update six days ago.",
        ["host-in-maintenance-mode"],
    )

    host, lun = _change_first_lun(p, paths_total=4, paths_active=2, paths_dead=2)
    p.flag(
        host,
        "dead-paths",
        Family.STORAGE,
        f"Two of four paths to {lun.canonical_name} are dead (a failed HBA port).",
        ["storage-path-redundancy", "storage-connectivity-lost"],
    )
    p.rec.host_event(
        draft.now - timedelta(days=2, hours=5),
        host,
        "esx.problem.storage.redundancy.degraded",
        f"Path redundancy to storage device {lun.canonical_name} degraded. "
        "Path vmhba2:C0:T1:L12 is down. 2 remaining active paths.",
        "warning",
        datastore_id=lun.datastore_id,
    )

    host, lun = _change_first_lun(p, paths_total=1, paths_active=1)
    p.flag(
        host,
        "single-path",
        Family.STORAGE,
        f"{lun.canonical_name} was zoned to one fabric only: a single path.",
        ["storage-path-redundancy"],
    )

    host = p.pick_host(MODERN)
    draft.replace_host(host.id, connection_state="disconnected")
    p.rec.host_event(
        draft.now - timedelta(days=4),
        host,
        "HostDisconnectedEvent",
        f"Disconnected from {host.name} in {p.rec.dc_name(host)}. Reason: The "
        "connection was closed by the user",
        "warning",
        user="DEMO\\mlopez-adm",
    )
    p.flag(
        host,
        "host-disconnected",
        Family.CONFIGURATION,
        "Disconnected by an administrator during a hardware check and forgotten.",
        ["host-not-connected"],
    )

    # A burst of failed logins against the vCenter from one address, then a lockout.
    vc = draft.vcenters[0]
    start = draft.now - timedelta(days=1, hours=7)
    for i in range(40):
        user = ("root", "administrator", "admin", "DEMO\\svc-backup")[i % 4]
        p.rec.vcenter_event(
            start + timedelta(seconds=9 * i),
            vc.id,
            "BadUsernameSessionEvent",
            f"Cannot login {user}@10.66.13.77",
            "warning",
            user=user,
        )
    p.flag(
        vc,
        "failed-login-burst",
        Family.SECURITY,
        "40 failed logins in six minutes from 10.66.13.77 against several accounts.",
        ["failed-login-burst"],
    )

    # Datastore latency: a VMFS datastore on a busy array.
    ds = next(
        d
        for d in draft.shuffled_datastores()
        if d.type == "VMFS" and not d.local and d.id not in draft.taken
    )
    p.overrides[(ds.id, DS_WRITE_LATENCY)] = [
        (28.0 if i % 12 in range(4, 9) else 9.0) + (i % 5) for i in range(SAMPLES)
    ]
    p.flag(
        ds,
        "datastore-latency",
        Family.RESOURCES,
        "Write latency above 30 ms through every working day (array controller saturated).",
        ["datastore-latency"],
    )

    # A datastore heading for full, not there yet.
    candidates = [
        d
        for d in draft.shuffled_datastores()
        if d.type == "VMFS" and not d.local and d.id not in draft.taken
    ]
    ds = next(
        (d for d in candidates if not any(vm.snapshots for vm in draft.vms_on_datastore(d.id))),
        candidates[0],
    )
    ds.used_fraction = 0.885
    p.flag(
        ds,
        "datastore-free-space-low",
        Family.STORAGE,
        "About 11.5 % free after a quarter of growth without new capacity.",
        ["datastore-free-space"],
    )


def _change_first_lun(p: Planter, **changes: Any) -> tuple[Host, StorageDevice]:
    """Change the paths of the first SAN LUN of a random modern host with several devices."""
    host = p.pick_host(
        MODERN, lambda h: h.storage_devices is not None and len(h.storage_devices) > 1
    )
    devices = list(host.storage_devices or [])
    lun = next(i for i, d in enumerate(devices) if not d.is_local)
    devices[lun] = msgspec.structs.replace(devices[lun], **changes)
    p.draft.replace_host(host.id, storage_devices=devices)
    return host, devices[lun]
