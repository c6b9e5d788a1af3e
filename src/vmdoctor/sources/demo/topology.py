"""vCenters, datacenters, clusters, hosts, networks, resource pools and datastores.

Everything here is built healthy; the planters add the flaws afterwards. Host sub-objects
that are identical across hosts (services, settings, switches, LUN lists of a cluster) are one
shared object: a 4,000-host lab then costs little more memory than a 16-host one.
"""

from __future__ import annotations

from datetime import timedelta

from vmdoctor.model import (
    Cluster,
    Datacenter,
    Host,
    Network,
    ResourcePool,
    StorageDevice,
    VCenter,
)
from vmdoctor.sources.demo.catalog import (
    API_VERSION,
    DOMAIN,
    HARDWARE,
    VCENTER_70U3V,
    VCENTER_80U3G,
)
from vmdoctor.sources.demo.draft import ClusterInfo, DatastoreDraft, Draft
from vmdoctor.sources.demo.host_baseline import (
    DVS_HOST_PORTGROUPS,
    DVS_HOST_SWITCHES,
    DVS_PORTGROUPS,
    HEALTHY_SENSORS,
    HEALTHY_SERVICES,
    HEALTHY_SETTINGS,
    LEGACY_PORTGROUPS,
    LEGACY_SWITCHES,
    NTP_SERVERS,
    SECURE,
    STANDARD_PORTGROUPS,
    SYSLOG_HOSTS,
)
from vmdoctor.sources.demo.plan import PROFILES, ClusterPlan, LabPlan
from vmdoctor.sources.demo.topology_storage import (
    add_local_datastore,
    add_shared_datastores,
    mount_iso_library,
    random_hex,
    vmfs_uuid,
)


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
    ids = (vc.id, dc_id, cluster_id)
    # Datastores first: the hosts' LUN lists point at them.
    shared = add_shared_datastores(draft, cp, profile, ids, host_ids, info)
    iso: DatastoreDraft | None = None
    if not profile.legacy:
        iso = mount_iso_library(draft, vc.id, dc_id, host_ids, info, iso_by_dc)

    boot = StorageDevice(
        canonical_name="t10.ATA_____Boot_Device_M.2_" + random_hex(rng, 12),
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
                "ScratchConfig.CurrentScratchLocation": f"/vmfs/volumes/OSDATA-{vmfs_uuid(rng)}",
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
        add_local_datastore(draft, cp, ids, host_ids[-1])
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
