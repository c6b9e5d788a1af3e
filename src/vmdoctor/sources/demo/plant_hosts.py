"""Flaws on hosts, clusters, datastores and vCenters.

Profile flaws (a cluster without EVC, a site on ESXi 6.7) come with the cluster and are
recorded once per cluster; the rest are planted on randomly chosen hosts and datastores.
"""

from __future__ import annotations

from datetime import timedelta

import msgspec

from vmdoctor.model import Family, HostPortGroup, HostService, PortGroupSecurity
from vmdoctor.sources.demo.catalog import ESXI_67P08, ESXI_80U3B
from vmdoctor.sources.demo.metrics import DS_WRITE_LATENCY, SAMPLES
from vmdoctor.sources.demo.plan import PROFILES
from vmdoctor.sources.demo.planter import Planter
from vmdoctor.sources.demo.topology import HEALTHY_SERVICES


def with_service(
    services: list[HostService], key: str, running: bool, policy: str
) -> list[HostService]:
    return [
        msgspec.structs.replace(s, running=running, policy=policy) if s.key == key else s
        for s in services
    ]


FILLED_DATASTORES = frozenset({"datastore-free-space-low", "datastore-full", "datastore-full-thin"})


def note_snapshots_on_filled_datastores(p: Planter) -> None:
    """Any snapshot on a datastore that was made to run out of space is a risk of its own."""
    filled = {pr.object_id for pr in p.draft.planted if pr.kind in FILLED_DATASTORES}
    noted = {
        pr.object_id
        for pr in p.draft.planted
        if "snapshot-on-low-space-datastore" in pr.check_names
    }
    for ds_id in sorted(filled):
        ds = p.draft.datastore_by_id[ds_id]
        for vm in p.draft.vms_on_datastore(ds_id):
            if vm.snapshots and vm.id not in noted:
                p.add(
                    "snapshot-on-low-space-datastore",
                    Family.STORAGE,
                    "vm",
                    vm.id,
                    vm.name,
                    f"Its snapshot grows on {ds.name}, which is running out of space.",
                    ["snapshot-on-low-space-datastore"],
                    exclusive=False,
                )


def plant_profile_problems(p: Planter) -> None:
    """Record what every cluster of a flawed profile carries (see plan.PROFILES)."""
    draft = p.draft
    for cluster, info in zip(draft.clusters, draft.cluster_info, strict=True):
        profile = PROFILES[info.profile]
        hosts = [draft.hosts[i] for i in info.host_indexes]
        if info.profile == "vsan" and len(hosts) > 2:
            p.add(
                "mixed-cpus-without-evc",
                Family.COMPATIBILITY,
                "cluster",
                cluster.id,
                cluster.name,
                "A Cascade Lake host joined an Ice Lake cluster that never had EVC enabled.",
                ["cluster-mixed-cpus-without-evc"],
            )
            p.add(
                "drs-manual",
                Family.CONFIGURATION,
                "cluster",
                cluster.id,
                cluster.name,
                "DRS was set to manual for a maintenance and never set back.",
                ["cluster-drs-not-fully-automated"],
            )
            p.add(
                "ha-host-monitoring-off",
                Family.CONFIGURATION,
                "cluster",
                cluster.id,
                cluster.name,
                "HA host monitoring was disabled for network work and left off.",
                ["cluster-ha-host-monitoring-disabled"],
            )
            odd = hosts[profile.odd_build_position]
            p.add(
                "esxi-exploited-vulnerability",
                Family.SECURITY,
                "host",
                odd.id,
                odd.name,
                f"Still on ESXi {ESXI_80U3B.label} (build {ESXI_80U3B.build}): affected by "
                "VMSA-2025-0004, exploited in the wild.",
                ["esxi-vulnerable-build"],
                exclusive=False,
            )
        elif info.profile == "mgmt" and len(hosts) > 2:
            for host in hosts:
                if host.version == "7.0.3":
                    p.add(
                        "esxi-end-of-support",
                        Family.COMPATIBILITY,
                        "host",
                        host.id,
                        host.name,
                        "ESXi 7.0 passed its end of general support on 2025-10-02.",
                        ["esxi-end-of-support"],
                        exclusive=False,
                    )
                    p.add(
                        "esxi-exploited-vulnerability",
                        Family.SECURITY,
                        "host",
                        host.id,
                        host.name,
                        "ESXi 7.0 has no fix for VMSA-2024-0013 (exploited).",
                        ["esxi-vulnerable-build"],
                        exclusive=False,
                    )
            p.add(
                "mixed-esxi-versions",
                Family.COMPATIBILITY,
                "cluster",
                cluster.id,
                cluster.name,
                "An upgrade to 8.0 stopped after two hosts: one still runs 7.0 U3.",
                ["cluster-mixed-esxi-versions"],
            )
            p.add(
                "ha-admission-control-off",
                Family.CONFIGURATION,
                "cluster",
                cluster.id,
                cluster.name,
                "Admission control was disabled to power on more VMs 'temporarily'.",
                ["cluster-ha-admission-control-disabled"],
            )
            # Just under the host warning line, yet more than n-1 hosts can carry.
            memory_pct = 100.0 * (len(hosts) - 1) / len(hosts) + 8.0
            for host in hosts:
                p.load[host.id] = (38.0, memory_pct)
            p.add(
                "cluster-not-n-plus-1",
                Family.RESOURCES,
                "cluster",
                cluster.id,
                cluster.name,
                f"Memory use of ~{memory_pct:.0f} % on every host: the cluster cannot absorb "
                "one host failure.",
                ["cluster-n-plus-1"],
            )
        elif info.profile == "legacy":
            p.add(
                "ha-disabled",
                Family.CONFIGURATION,
                "cluster",
                cluster.id,
                cluster.name,
                "vSphere HA was never enabled on the legacy cluster.",
                ["cluster-ha-disabled"],
            )
            for host in hosts:
                p.add(
                    "esxi-end-of-support",
                    Family.COMPATIBILITY,
                    "host",
                    host.id,
                    host.name,
                    f"ESXi {ESXI_67P08.label} is past its end of general support (2022-10-15).",
                    ["esxi-end-of-support"],
                    exclusive=False,
                )
            for i in info.vm_indexes:
                vm = draft.vms[i]
                p.add(
                    "hardware-version-capped-by-host",
                    Family.COMPATIBILITY,
                    "vm",
                    vm.id,
                    vm.name,
                    f"{vm.hw_version} is all ESXi 6.7 can run: below the vmx-17 floor.",
                    ["vm-hardware-version-old"],
                    exclusive=False,
                )
            vc = next(v for v in draft.vcenters if v.id == cluster.vcenter_id)
            if vc.id not in draft.taken:
                p.add(
                    "vcenter-end-of-support",
                    Family.COMPATIBILITY,
                    "vcenter",
                    vc.id,
                    vc.name,
                    "vCenter 7.0 reached end of general support on 2025-10-02.",
                    ["vcenter-end-of-support"],
                )


def plant_host_problems(p: Planter) -> None:
    draft = p.draft
    modern = ("prod", "vsan", "mgmt")

    host = p.pick_host(modern)
    draft.replace_host(host.id, services=with_service(HEALTHY_SERVICES, "TSM-SSH", True, "on"))
    p.add(
        "ssh-running",
        Family.SECURITY,
        "host",
        host.id,
        host.name,
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

    host = p.pick_host(modern)
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
    p.add(
        "esxi-shell-running",
        Family.SECURITY,
        "host",
        host.id,
        host.name,
        "ESXi Shell and SSH are running permanently, the shell warning suppressed.",
        ["esxi-shell-running", "esxi-ssh-running"],
    )
    p.add(
        "shell-timeout-zero",
        Family.SECURITY,
        "host",
        host.id,
        host.name,
        "Shell timeouts are 0: idle sessions stay open forever.",
        ["esxi-shell-timeouts"],
    )

    host = p.pick_host(modern)
    draft.replace_host(host.id, lockdown_mode="lockdownDisabled")
    p.add(
        "lockdown-disabled",
        Family.SECURITY,
        "host",
        host.id,
        host.name,
        "Lockdown mode is off: anyone with root credentials can manage the host directly.",
        ["esxi-lockdown-disabled"],
    )

    host = p.pick_host(modern)
    settings = {**host.advanced_settings, "Config.HostAgent.plugins.solo.enableMob": "true"}
    draft.replace_host(host.id, advanced_settings=settings)
    p.add(
        "mob-enabled",
        Family.SECURITY,
        "host",
        host.id,
        host.name,
        "The Managed Object Browser was turned on for debugging.",
        ["esxi-mob-enabled"],
    )

    host = p.pick_host(modern)
    settings = {**host.advanced_settings, "Security.AccountLockFailures": "0"}
    draft.replace_host(host.id, advanced_settings=settings)
    p.add(
        "no-account-lockout",
        Family.SECURITY,
        "host",
        host.id,
        host.name,
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
    p.add(
        "portgroup-promiscuous",
        Family.SECURITY,
        "host",
        host.id,
        host.name,
        "A web portgroup accepts promiscuous mode, forged transmits and MAC changes (copied "
        "from an IDS mirror portgroup).",
        ["host-portgroup-insecure-policy"],
    )

    host = p.pick_host(("legacy",))
    draft.replace_host(
        host.id, ntp_servers=[], services=with_service(HEALTHY_SERVICES, "ntpd", False, "off")
    )
    p.add(
        "ntp-missing",
        Family.CONFIGURATION,
        "host",
        host.id,
        host.name,
        "No NTP server configured and ntpd stopped: the clock drifts.",
        ["host-ntp-not-configured"],
    )
    p.rec.vobd(
        draft.now - timedelta(days=3),
        host,
        "[esx.problem.clock.correction.adjtime.lostsync] system clock no longer "
        "synchronized to upstream time servers",
    )

    host = p.pick_host(modern)
    settings = {**host.advanced_settings, "Syslog.global.logHost": ""}
    draft.replace_host(host.id, syslog_hosts=[], advanced_settings=settings)
    p.add(
        "syslog-missing",
        Family.CONFIGURATION,
        "host",
        host.id,
        host.name,
        "Remote syslog was never set after a reinstall: logs are lost on reboot.",
        ["host-syslog-not-configured", "esxi-remote-syslog-missing"],
    )

    host = p.pick_host(modern)
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
    p.add(
        "host-in-maintenance",
        Family.CONFIGURATION,
        "host",
        host.id,
        host.name,
        "Left in maintenance mode after a firmware update six days ago.",
        ["host-in-maintenance-mode"],
    )

    host = p.pick_host(
        modern, lambda h: h.storage_devices is not None and len(h.storage_devices) > 1
    )
    devices = list(host.storage_devices or [])
    lun = next(i for i, d in enumerate(devices) if not d.is_local)
    devices[lun] = msgspec.structs.replace(
        devices[lun], paths_total=4, paths_active=2, paths_dead=2
    )
    draft.replace_host(host.id, storage_devices=devices)
    p.add(
        "dead-paths",
        Family.STORAGE,
        "host",
        host.id,
        host.name,
        f"Two of four paths to {devices[lun].canonical_name} are dead (a failed HBA port).",
        ["storage-path-redundancy", "storage-connectivity-lost"],
    )
    p.rec.host_event(
        draft.now - timedelta(days=2, hours=5),
        host,
        "esx.problem.storage.redundancy.degraded",
        f"Path redundancy to storage device {devices[lun].canonical_name} degraded. "
        "Path vmhba2:C0:T1:L12 is down. 2 remaining active paths.",
        "warning",
        datastore_id=devices[lun].datastore_id,
    )

    host = p.pick_host(
        modern, lambda h: h.storage_devices is not None and len(h.storage_devices) > 1
    )
    devices = list(host.storage_devices or [])
    lun = next(i for i, d in enumerate(devices) if not d.is_local)
    devices[lun] = msgspec.structs.replace(devices[lun], paths_total=1, paths_active=1)
    draft.replace_host(host.id, storage_devices=devices)
    p.add(
        "single-path",
        Family.STORAGE,
        "host",
        host.id,
        host.name,
        f"{devices[lun].canonical_name} was zoned to one fabric only: a single path.",
        ["storage-path-redundancy"],
    )

    host = p.pick_host(modern)
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
    p.add(
        "host-disconnected",
        Family.CONFIGURATION,
        "host",
        host.id,
        host.name,
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
    p.add(
        "failed-login-burst",
        Family.SECURITY,
        "vcenter",
        vc.id,
        vc.name,
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
    p.add(
        "datastore-latency",
        Family.RESOURCES,
        "datastore",
        ds.id,
        ds.name,
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
    p.add(
        "datastore-free-space-low",
        Family.STORAGE,
        "datastore",
        ds.id,
        ds.name,
        "About 11.5 % free after a quarter of growth without new capacity.",
        ["datastore-free-space"],
    )
