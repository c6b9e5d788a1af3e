"""vCenters, datacenters, clusters, hosts, networks, resource pools and datastores.

Everything here is built healthy; the planters add the flaws afterwards. Host sub-objects
that are identical across hosts (services, settings, switches, LUN lists of a cluster) are one
shared object: a 4,000-host lab then costs little more memory than a 16-host one.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from vmdoctor.model import (
    Cluster,
    Datacenter,
    HealthSensor,
    Host,
    HostPortGroup,
    HostService,
    Network,
    PortGroupSecurity,
    ResourcePool,
    StorageDevice,
    VCenter,
    VSwitch,
)
from vmdoctor.sources.demo.catalog import (
    API_VERSION,
    DOMAIN,
    HARDWARE,
    VCENTER_70U3V,
    VCENTER_80U3G,
)
from vmdoctor.sources.demo.draft import GIB, ClusterInfo, DatastoreDraft, Draft
from vmdoctor.sources.demo.plan import PROFILES, ClusterPlan, LabPlan

TIB = 1024 * GIB
SECURE = PortGroupSecurity(allow_promiscuous=False, forged_transmits=False, mac_changes=False)

HEALTHY_SETTINGS: dict[str, str] = {
    "UserVars.ESXiShellInteractiveTimeOut": "900",
    "UserVars.ESXiShellTimeOut": "600",
    "UserVars.DcuiTimeOut": "600",
    "UserVars.HostClientSessionTimeout": "900",
    "UserVars.SuppressShellWarning": "0",
    "UserVars.SuppressHyperthreadWarning": "0",
    "Security.AccountLockFailures": "5",
    "Security.AccountUnlockTime": "900",
    "Security.PasswordQualityControl": "retry=3 min=disabled,disabled,disabled,disabled,15",
    "Config.HostAgent.plugins.solo.enableMob": "false",
    "Config.HostAgent.vmacore.soap.sessionTimeout": "30",
    "DCUI.Access": "root",
    "Syslog.global.logHost": f"udp://syslog-01.{DOMAIN}:514",
    "Syslog.global.logLevel": "error",
    "Syslog.global.logDir": "[] /scratch/log",
    "Misc.APDHandlingEnable": "1",
    "Misc.APDTimeout": "140",
    "Net.BlockGuestBPDU": "1",
    "Mem.ShareForceSalting": "2",
    "Mem.MemEagerZero": "1",
    "Security.PasswordHistory": "5",
    "Security.PasswordMaxDays": "9999",
    "Annotations.WelcomeMessage": "Authorized use only. Activity is logged.",
    "Config.Etc.issue": "Authorized use only. Activity is logged.",
    "Net.BMCNetworkEnable": "0",
    "Syslog.global.auditRecord.storageEnable": "true",
    "Syslog.global.auditRecord.storageCapacity": "100",
    "Syslog.global.auditRecord.remoteEnable": "true",
    "Config.HostAgent.log.level": "info",
    "Syslog.global.certificate.checkSSLCerts": "true",
    "Syslog.global.certificate.strictX509Compliance": "true",
    "Net.DVFilterBindIpAddress": "",
    "UserVars.ESXiVPsDisabledProtocols": "sslv3,tlsv1,tlsv1.1",
    "VMkernel.Boot.execInstalledOnly": "true",
    "Syslog.global.auditRecord.storageDirectory": "[] /scratch/auditLog",
}
NTP_SERVERS = [f"ntp-01.{DOMAIN}", f"ntp-02.{DOMAIN}"]
SYSLOG_HOSTS = [f"udp://syslog-01.{DOMAIN}:514"]


def service(key: str, label: str, running: bool, policy: str) -> HostService:
    return HostService(key=key, label=label, running=running, policy=policy)


HEALTHY_SERVICES = [
    service("DCUI", "Direct Console UI", True, "on"),
    service("TSM", "ESXi Shell", False, "off"),
    service("TSM-SSH", "SSH", False, "off"),
    service("lbtd", "Load-Based Teaming Daemon", True, "on"),
    service("ntpd", "NTP Daemon", True, "on"),
    service("sfcbd-watchdog", "CIM Server", False, "off"),
    service("slpd", "SLP Server", False, "off"),
    service("snmpd", "SNMP Server", False, "off"),
    service("vmsyslogd", "Syslog Server", True, "on"),
    service("vpxa", "VMware vCenter Agent", True, "on"),
]
HEALTHY_SENSORS = [
    HealthSensor(name="System Board 1 Inlet Temp", sensor_type="temperature", state="green"),
    HealthSensor(name="Power Supply 1 PS1 Status", sensor_type="power", state="green"),
    HealthSensor(name="Power Supply 2 PS2 Status", sensor_type="power", state="green"),
    HealthSensor(name="Processor 1 CPU1 Status", sensor_type="processors", state="green"),
]
DVS_HOST_SWITCHES = [
    VSwitch(name="vSwitch0", security=SECURE, uplinks=["vmnic0", "vmnic1"], mtu=1500)
]
DVS_HOST_PORTGROUPS = [
    HostPortGroup(name="Management Network", vswitch="vSwitch0", vlan_id=10, security=SECURE)
]

#: (role, portgroup name, VLAN) per datacenter kind
DVS_PORTGROUPS = (
    ("web", "dvPG-Web-VLAN110", 110),
    ("app", "dvPG-App-VLAN120", 120),
    ("db", "dvPG-DB-VLAN130", 130),
    ("mgmt", "dvPG-Mgmt-VLAN10", 10),
    ("infra", "dvPG-Infra-VLAN20", 20),
    ("vmotion", "dvPG-vMotion-VLAN30", 30),
    ("dmz", "dvPG-DMZ-VLAN200", 200),
)
STANDARD_PORTGROUPS = (
    ("mgmt", "VM Network", 0, "vSwitch0"),
    ("web", "VLAN110-Web", 110, "vSwitch1"),
    ("app", "VLAN120-App", 120, "vSwitch1"),
    ("db", "VLAN130-DB", 130, "vSwitch1"),
    ("infra", "VLAN20-Infra", 20, "vSwitch1"),
)
LEGACY_SWITCHES = [
    VSwitch(name="vSwitch0", security=SECURE, uplinks=["vmnic0", "vmnic1"], mtu=1500),
    VSwitch(name="vSwitch1", security=SECURE, uplinks=["vmnic2", "vmnic3"], mtu=1500),
]
LEGACY_PORTGROUPS = [
    HostPortGroup(name="Management Network", vswitch="vSwitch0", vlan_id=0, security=SECURE),
    HostPortGroup(name="vMotion", vswitch="vSwitch0", vlan_id=30, security=SECURE),
    *(
        HostPortGroup(name=name, vswitch=switch, vlan_id=vlan, security=SECURE)
        for _, name, vlan, switch in STANDARD_PORTGROUPS
    ),
]


def build_topology(draft: Draft, plan: LabPlan) -> None:
    vcenters = _vcenters(draft, plan)
    dc_by_vcenter: dict[int, list[str]] = {}
    for i, vc in enumerate(vcenters):
        west = i - plan.modern_vcenters
        dc_id = draft.moref(vc.id, "datacenter")
        if west >= 0:
            name = "DC-West" if west == 0 else f"DC-West-{west + 1}"
        else:
            name = "DC-East" if i == 0 else f"DC-East-{i + 1}"
        draft.datacenters.append(Datacenter(id=dc_id, name=name, vcenter_id=vc.id))
        dc_by_vcenter[i] = [dc_id]
    iso_by_dc: dict[str, DatastoreDraft] = {}
    for cluster_plan in plan.clusters:
        dc_id = dc_by_vcenter[cluster_plan.vcenter][0]
        _cluster(draft, cluster_plan, vcenters[cluster_plan.vcenter], dc_id, iso_by_dc)
    _networks(draft)


def _vcenters(draft: Draft, plan: LabPlan) -> list[VCenter]:
    for i in range(plan.modern_vcenters):
        draft.vcenters.append(
            VCenter(
                id=f"vc{i + 1:02d}",
                name=f"vcsa-{i + 1:02d}.{DOMAIN}",
                version=VCENTER_80U3G.version,
                build=VCENTER_80U3G.build,
                api_version=API_VERSION["8.0.3"],
                instance_uuid=draft.uuid(),
                advanced_settings={
                    "config.vpxd.sso.default.solutionUser": "vpxd",
                    "event.maxAge": "30",
                    "task.maxAge": "30",
                    "VirtualCenter.MaxDBConnection": "50",
                },
                active_sessions=90 + draft.rng.randrange(60),
                max_sessions=2000,
            )
        )
    for k in range(plan.legacy_vcenters):
        _legacy_vcenter(draft, plan.modern_vcenters + k + 1, k)
    return draft.vcenters


def _legacy_vcenter(draft: Draft, number: int, k: int) -> None:
    draft.vcenters.append(
        VCenter(
            id=f"vc{number:02d}",
            name=f"vcsa-legacy.{DOMAIN}" if k == 0 else f"vcsa-legacy-{k + 1:02d}.{DOMAIN}",
            version=VCENTER_70U3V.version,
            build=VCENTER_70U3V.build,
            api_version=API_VERSION["7.0.3"],
            instance_uuid=draft.uuid(),
            advanced_settings={"event.maxAge": "30", "task.maxAge": "30"},
            active_sessions=20 + draft.rng.randrange(20),
            max_sessions=2000,
        )
    )


def _cluster(
    draft: Draft,
    cp: ClusterPlan,
    vc: VCenter,
    dc_id: str,
    iso_by_dc: dict[str, DatastoreDraft],
) -> None:
    profile = PROFILES[cp.profile]
    rng = draft.rng
    cluster_id = draft.moref(vc.id, "domain-c")
    cluster = Cluster(
        id=cluster_id,
        name=cp.name,
        datacenter_id=dc_id,
        vcenter_id=vc.id,
        ha=profile.ha,
        drs=profile.drs,
        evc_mode=profile.evc,
        vsan_enabled=profile.vsan,
    )
    info = ClusterInfo(index=len(draft.clusters), profile=cp.profile)
    draft.clusters.append(cluster)
    draft.cluster_info.append(info)

    host_ids = [draft.moref(vc.id, "host") for _ in range(cp.hosts)]
    # Datastores first: the hosts' LUN lists point at them.
    shared: list[DatastoreDraft] = []
    if profile.vsan:
        shared.append(
            DatastoreDraft(
                id=draft.moref(vc.id, "datastore"),
                name=f"vsan-{cp.short}",
                vcenter_id=vc.id,
                datacenter_id=dc_id,
                type="vsan",
                url=f"ds:///vmfs/volumes/vsan:{_hex(rng, 16)}-{_hex(rng, 16)}/",
                host_ids=host_ids,
                cluster_id=cluster_id,
                used_fraction=rng.uniform(0.5, 0.62),
            )
        )
    else:
        count = max(1, math.ceil(cp.vms / profile.vms_per_datastore))
        for i in range(count):
            shared.append(
                DatastoreDraft(
                    id=draft.moref(vc.id, "datastore"),
                    name=f"ds-{cp.short}-vmfs-{i + 1:02d}",
                    vcenter_id=vc.id,
                    datacenter_id=dc_id,
                    type="VMFS",
                    url=f"ds:///vmfs/volumes/{_vmfs_uuid(rng)}/",
                    host_ids=host_ids,
                    cluster_id=cluster_id,
                    naa="naa.624a9370" + _hex(rng, 24),
                    used_fraction=rng.uniform(0.42, 0.68),
                )
            )
    if profile.nfs_datastore:
        shared.append(
            DatastoreDraft(
                id=draft.moref(vc.id, "datastore"),
                name=f"nfs-{cp.short}-prod-01",
                vcenter_id=vc.id,
                datacenter_id=dc_id,
                type="NFS",
                url=f"ds:///vmfs/volumes/{_hex(rng, 8)}-{_hex(rng, 8)}/",
                host_ids=host_ids,
                cluster_id=cluster_id,
                used_fraction=rng.uniform(0.5, 0.6),
            )
        )
    for ds in shared:
        draft.add_datastore(ds)
    info.datastore_ids = [ds.id for ds in shared]

    iso: DatastoreDraft | None = None
    if not profile.legacy:
        iso = iso_by_dc.get(dc_id)
        if iso is None:
            iso = DatastoreDraft(
                id=draft.moref(vc.id, "datastore"),
                name="nfs-iso-library",
                vcenter_id=vc.id,
                datacenter_id=dc_id,
                type="NFS",
                url=f"ds:///vmfs/volumes/{_hex(rng, 8)}-{_hex(rng, 8)}/",
                host_ids=[],
                cluster_id=None,
                committed_bytes=1300 * GIB,
                capacity_bytes=4 * TIB,
            )
            iso_by_dc[dc_id] = iso
            draft.add_datastore(iso)
        iso.host_ids.extend(host_ids)
        info.iso_datastore_id = iso.id

    boot = StorageDevice(
        canonical_name="t10.ATA_____Boot_Device_M.2_" + _hex(rng, 12),
        display_name="Local ATA Disk (boot)",
        is_local=True,
        paths_total=1,
        paths_active=1,
    )
    luns = [boot] + [
        StorageDevice(
            canonical_name=ds.naa,
            display_name=f"PURE Fibre Channel Disk ({ds.naa})",
            paths_total=4,
            paths_active=4,
            datastore_id=ds.id,
        )
        for ds in shared
        if ds.naa
    ]
    hw_keys = [profile.hardware[min(i, len(profile.hardware) - 1)] for i in range(cp.hosts)]
    if profile.odd_hardware and cp.hosts > 2:
        hw_keys[-1] = profile.odd_hardware
    builds = [profile.build] * cp.hosts
    if profile.odd_build and cp.hosts > 2:
        builds[profile.odd_build_position] = profile.odd_build
    for i, host_id in enumerate(host_ids):
        hw = HARDWARE[hw_keys[i]]
        build = builds[i]
        name = f"esx-{cp.short}-{i + 1:02d}.{DOMAIN}"
        ds_ids = [ds.id for ds in shared] + ([iso.id] if iso else [])
        host = Host(
            id=host_id,
            name=name,
            vcenter_id=vc.id,
            datacenter_id=dc_id,
            cluster_id=cluster_id,
            version=build.version,
            build=build.build,
            vendor=hw.vendor,
            model=hw.model,
            cpu_model=hw.cpu_model,
            cpu_vendor=hw.cpu_vendor,
            cpu_sockets=hw.sockets,
            cpu_cores=hw.cores,
            cpu_threads=hw.cores * 2,
            cpu_mhz=hw.mhz,
            memory_mb=hw.memory_gb * 1024,
            connection_state="connected",
            power_state="poweredOn",
            lockdown_mode="lockdownNormal",
            boot_time=draft.now
            - timedelta(days=rng.randint(12, 150), seconds=rng.randrange(86400)),
            max_evc_mode=hw.max_evc,
            advanced_settings={
                **HEALTHY_SETTINGS,
                # ESX-OSData on the boot device: persistent, unlike a RAM-disk /tmp/scratch.
                "ScratchConfig.CurrentScratchLocation": f"/vmfs/volumes/OSDATA-{_vmfs_uuid(rng)}",
            },
            services=HEALTHY_SERVICES,
            ntp_servers=NTP_SERVERS,
            syslog_hosts=SYSLOG_HOSTS,
            vswitches=LEGACY_SWITCHES if profile.legacy else DVS_HOST_SWITCHES,
            portgroups=LEGACY_PORTGROUPS if profile.legacy else DVS_HOST_PORTGROUPS,
            storage_devices=luns,
            health_sensors=HEALTHY_SENSORS,
            datastore_ids=ds_ids,
        )
        info.host_indexes.append(draft.add_host(host))
    if profile.local_datastore and cp.hosts >= 2:
        last = host_ids[-1]
        local = DatastoreDraft(
            id=draft.moref(vc.id, "datastore"),
            name=f"esx-{cp.short}-{cp.hosts:02d}-local",
            vcenter_id=vc.id,
            datacenter_id=dc_id,
            type="VMFS",
            url=f"ds:///vmfs/volumes/{_vmfs_uuid(rng)}/",
            host_ids=[last],
            cluster_id=cluster_id,
            local=True,
            capacity_bytes=1788 * GIB,
            naa="naa.5000c500" + _hex(rng, 24),
        )
        draft.add_datastore(local)
        host = draft.host(last)
        device = StorageDevice(
            canonical_name=local.naa or "",
            display_name="Local SAS Disk",
            is_local=True,
            paths_total=1,
            paths_active=1,
            datastore_id=local.id,
        )
        draft.replace_host(
            last,
            datastore_ids=[*host.datastore_ids, local.id],
            storage_devices=[*(host.storage_devices or []), device],
        )
    _resource_pools(draft, vc.id, cluster_id, cp, info)


def _resource_pools(
    draft: Draft, vcenter_id: str, cluster_id: str, cp: ClusterPlan, info: ClusterInfo
) -> None:
    root = draft.moref(vcenter_id, "resgroup")
    draft.resource_pools.append(
        ResourcePool(id=root, name="Resources", cluster_id=cluster_id, expandable_reservation=True)
    )
    info.resource_pool_ids.append(root)
    children = {"prod": ("RP-Prod", "RP-Test"), "mgmt": ("RP-Infra", "RP-Batch")}.get(
        cp.profile, ()
    )
    for name in children:
        rp_id = draft.moref(vcenter_id, "resgroup")
        draft.resource_pools.append(
            ResourcePool(
                id=rp_id,
                name=name,
                cluster_id=cluster_id,
                parent_id=root,
                cpu_reservation_mhz=0,
                memory_reservation_mb=0,
                expandable_reservation=True,
            )
        )
        info.resource_pool_ids.append(rp_id)


def _networks(draft: Draft) -> None:
    """One set of portgroups per datacenter, seen by every host of that datacenter."""
    for dc in draft.datacenters:
        hosts = [h for h in draft.hosts if h.datacenter_id == dc.id]
        host_ids = [h.id for h in hosts]
        legacy = bool(hosts) and hosts[0].version == "6.7.0"
        by_role: dict[str, tuple[str, str]] = {}
        if legacy:
            for role, name, vlan, switch in STANDARD_PORTGROUPS:
                net_id = draft.moref(dc.vcenter_id, "network")
                draft.networks.append(
                    Network(
                        id=net_id,
                        name=name,
                        datacenter_id=dc.id,
                        vcenter_id=dc.vcenter_id,
                        type="Network",
                        vlan_id=vlan,
                        switch_name=switch,
                        host_ids=host_ids,
                    )
                )
                by_role[role] = (net_id, name)
        else:
            switch = f"dvs-{dc.name.lower()}"
            for role, name, vlan in DVS_PORTGROUPS:
                net_id = draft.moref(dc.vcenter_id, "dvportgroup")
                draft.networks.append(
                    Network(
                        id=net_id,
                        name=name,
                        datacenter_id=dc.id,
                        vcenter_id=dc.vcenter_id,
                        type="DistributedVirtualPortgroup",
                        vlan_id=vlan,
                        switch_name=switch,
                        security=SECURE,
                        host_ids=host_ids,
                    )
                )
                by_role[role] = (net_id, name)
        network_ids = [net_id for net_id, _ in by_role.values()]
        for host in hosts:
            draft.replace_host(host.id, network_ids=network_ids)
        for cluster, info in zip(draft.clusters, draft.cluster_info, strict=True):
            if cluster.datacenter_id == dc.id:
                info.network_by_role = by_role


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def _vmfs_uuid(rng: random.Random) -> str:
    return f"{_hex(rng, 8)}-{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 12)}"
