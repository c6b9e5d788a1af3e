"""The shape of the lab: which clusters exist, of which profile, with how many hosts and VMs.

The default lab is written out by hand (16 hosts, 400 VMs); a scaled lab repeats the same
profiles in the same proportions, in clusters of at most 32 hosts, about 25 VMs per host.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vmdoctor.model import DRSConfig, HAConfig
from vmdoctor.sources.demo.catalog import ESXI_67P08, ESXI_70U3W, ESXI_80U3B, ESXI_80U3G, Build

DEFAULT_VMS = 400
VMS_PER_HOST = 25

_HA_FULL = HAConfig(
    enabled=True,
    admission_control_enabled=True,
    admission_control_policy="resourcePercentage",
    cpu_failover_pct=25,
    memory_failover_pct=25,
    host_monitoring_enabled=True,
    vm_monitoring="vmMonitoringOnly",
    datastore_heartbeat_count=2,
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What every cluster of one kind looks like, including the flaws that come with it."""

    key: str
    label: str
    hardware: tuple[str, ...]  # per host position, the last entry repeats
    odd_hardware: str | None  # the last host of the cluster, if it differs (mixed CPUs)
    build: Build
    odd_build: Build | None  # host position 1, if it differs (vulnerable / mid-upgrade)
    odd_build_position: int
    evc: str | None
    ha: HAConfig | None
    drs: DRSConfig
    vsan: bool
    vms_per_datastore: int
    local_datastore: bool  # the last host has a local VMFS datastore holding VMs
    nfs_datastore: bool
    distributed_switch: bool
    legacy: bool  # managed by the 7.0 vCenter
    max_hosts: int


PROFILES = {
    p.key: p
    for p in (
        # A well-run production cluster: the reference everything else is compared to.
        Profile(
            "prod",
            "Prod",
            ("r650",),
            None,
            ESXI_80U3G,
            None,
            0,
            "intel-icelake",
            _HA_FULL,
            DRSConfig(enabled=True, behavior="fullyAutomated", migration_threshold=3),
            False,
            32,
            False,
            False,
            True,
            False,
            32,
        ),
        # vSAN cluster grown over time: one older-generation host, EVC never enabled, DRS left
        # in manual after a maintenance, HA host monitoring switched off and never back on.
        Profile(
            "vsan",
            "VSAN",
            ("dl380g10p",),
            "dl380g10",
            ESXI_80U3G,
            ESXI_80U3B,
            1,
            None,
            HAConfig(
                enabled=True,
                admission_control_enabled=True,
                admission_control_policy="failoverLevel",
                failover_level=1,
                host_monitoring_enabled=False,
                vm_monitoring="vmMonitoringDisabled",
                datastore_heartbeat_count=2,
            ),
            DRSConfig(enabled=True, behavior="manual", migration_threshold=3),
            True,
            10_000,
            False,
            False,
            True,
            False,
            24,
        ),
        # Management cluster in the middle of an upgrade, admission control off "temporarily".
        Profile(
            "mgmt",
            "Mgmt",
            ("sr665",),
            None,
            ESXI_80U3G,
            ESXI_70U3W,
            -1,
            "amd-zen3",
            HAConfig(
                enabled=True,
                admission_control_enabled=False,
                host_monitoring_enabled=True,
                vm_monitoring="vmMonitoringOnly",
                datastore_heartbeat_count=2,
            ),
            DRSConfig(enabled=True, behavior="fullyAutomated", migration_threshold=3),
            False,
            75,
            True,
            False,
            True,
            False,
            4,
        ),
        # The legacy site: ESXi 6.7 past end of support, its own 7.0 vCenter, HA never enabled.
        Profile(
            "legacy",
            "Legacy",
            ("r740",),
            None,
            ESXI_67P08,
            None,
            0,
            "intel-cascadelake",
            HAConfig(enabled=False),
            DRSConfig(enabled=True, behavior="fullyAutomated", migration_threshold=3),
            False,
            75,
            False,
            True,
            False,
            True,
            16,
        ),
    )
}

#: share of the hosts each profile gets (the default lab: 5 / 5 / 3 / 3 of 16)
PROFILE_SHARE = {"prod": 5, "vsan": 5, "mgmt": 3, "legacy": 3}


@dataclass(frozen=True, slots=True)
class ClusterPlan:
    name: str
    short: str  # used in host names
    profile: str
    site: int  # 0 = east (modern vCenter), 1 = west (legacy vCenter); scaled: site index
    vcenter: int  # index into the lab's vCenters
    hosts: int
    vms: int


@dataclass(frozen=True, slots=True)
class LabPlan:
    modern_vcenters: int
    clusters: tuple[ClusterPlan, ...]
    legacy_vcenters: int = 1

    @property
    def vm_count(self) -> int:
        return sum(c.vms for c in self.clusters)


def default_plan() -> LabPlan:
    return LabPlan(
        modern_vcenters=1,
        clusters=(
            ClusterPlan("East-Prod-A", "ea", "prod", 0, 0, 5, 125),
            ClusterPlan("East-Prod-B", "eb", "vsan", 0, 0, 5, 125),
            ClusterPlan("East-Mgmt", "em", "mgmt", 0, 0, 3, 75),
            ClusterPlan("West-Legacy", "wl", "legacy", 1, 1, 3, 75),
        ),
    )


def scaled_plan(vm_count: int) -> LabPlan:
    """Same proportions as the default lab; at most 32 hosts per cluster."""
    total_hosts = max(16, round(vm_count / VMS_PER_HOST))
    share_total = sum(PROFILE_SHARE.values())
    hosts_by_profile = {
        key: max(3, round(total_hosts * share / share_total))
        for key, share in PROFILE_SHARE.items()
    }
    legacy_vms = vm_count * PROFILE_SHARE["legacy"] / share_total
    # vCenter limits: 2,500 hosts and 40,000 powered-on VMs (7.0 and 8.0); stay well inside.
    modern_vcenters = max(1, math.ceil((vm_count - legacy_vms) / 30_000))
    legacy_vcenters = max(1, math.ceil(legacy_vms / 30_000))
    legacy_seen = 0
    clusters: list[ClusterPlan] = []
    counter = 0
    for key, hosts in hosts_by_profile.items():
        profile = PROFILES[key]
        n_clusters = math.ceil(hosts / profile.max_hosts)
        for i in range(n_clusters):
            size = hosts // n_clusters + (1 if i < hosts % n_clusters else 0)
            counter += 1
            if profile.legacy:
                vcenter, site = modern_vcenters + legacy_seen % legacy_vcenters, 1
                legacy_seen += 1
            else:
                vcenter = (counter - 1) % modern_vcenters
                site = 0
            clusters.append(
                ClusterPlan(
                    name=f"{profile.label}-{i + 1:03d}",
                    short=f"{key[0]}{i + 1:03d}",
                    profile=key,
                    site=site,
                    vcenter=vcenter,
                    hosts=size,
                    vms=0,
                )
            )
    # VMs follow hosts; the remainder goes to the first clusters so the total is exact.
    host_sum = sum(c.hosts for c in clusters)
    vms = [c.hosts * vm_count // host_sum for c in clusters]
    for i in range(vm_count - sum(vms)):
        vms[i % len(vms)] += 1
    return LabPlan(
        modern_vcenters=modern_vcenters,
        legacy_vcenters=legacy_vcenters,
        clusters=tuple(
            ClusterPlan(c.name, c.short, c.profile, c.site, c.vcenter, c.hosts, n)
            for c, n in zip(clusters, vms, strict=True)
        ),
    )
