"""Flaws that come with a cluster's profile, and snapshots on datastores made to run full.

Profile flaws (a cluster without EVC, a site on ESXi 6.7) come with the cluster and are
recorded once per cluster (see plan.PROFILES).
"""

from __future__ import annotations

from vmdoctor.model import (
    Family,
)
from vmdoctor.sources.demo.catalog import ESXI_67P08, ESXI_80U3B
from vmdoctor.sources.demo.plan import PROFILES
from vmdoctor.sources.demo.planter import Planter

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
                p.flag(
                    vm,
                    "snapshot-on-low-space-datastore",
                    Family.STORAGE,
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
            p.flag(
                cluster,
                "mixed-cpus-without-evc",
                Family.COMPATIBILITY,
                "A Cascade Lake host joined an Ice Lake cluster that never had EVC enabled.",
                ["cluster-mixed-cpus-without-evc"],
            )
            p.flag(
                cluster,
                "drs-manual",
                Family.CONFIGURATION,
                "DRS was set to manual for a maintenance and never set back.",
                ["cluster-drs-not-fully-automated"],
            )
            p.flag(
                cluster,
                "ha-host-monitoring-off",
                Family.CONFIGURATION,
                "HA host monitoring was disabled for network work and left off.",
                ["cluster-ha-host-monitoring-disabled"],
            )
            odd = hosts[profile.odd_build_position]
            p.flag(
                odd,
                "esxi-exploited-vulnerability",
                Family.SECURITY,
                f"Still on ESXi {ESXI_80U3B.label} (build {ESXI_80U3B.build}): affected by "
                "VMSA-2025-0004, exploited in the wild.",
                ["esxi-vulnerable-build"],
                exclusive=False,
            )
        elif info.profile == "mgmt" and len(hosts) > 2:
            for host in hosts:
                if host.version == "7.0.3":
                    p.flag(
                        host,
                        "esxi-end-of-support",
                        Family.COMPATIBILITY,
                        "ESXi 7.0 passed its end of general support on 2025-10-02.",
                        ["esxi-end-of-support"],
                        exclusive=False,
                    )
                    p.flag(
                        host,
                        "esxi-exploited-vulnerability",
                        Family.SECURITY,
                        "ESXi 7.0 has no fix for VMSA-2024-0013 (exploited).",
                        ["esxi-vulnerable-build"],
                        exclusive=False,
                    )
            p.flag(
                cluster,
                "mixed-esxi-versions",
                Family.COMPATIBILITY,
                "An upgrade to 8.0 stopped after two hosts: one still runs 7.0 U3.",
                ["cluster-mixed-esxi-versions"],
            )
            p.flag(
                cluster,
                "ha-admission-control-off",
                Family.CONFIGURATION,
                "Admission control was disabled to power on more VMs 'temporarily'.",
                ["cluster-ha-admission-control-disabled"],
            )
            # Just under the host warning line, yet more than n-1 hosts can carry.
            memory_pct = 100.0 * (len(hosts) - 1) / len(hosts) + 8.0
            for host in hosts:
                p.load[host.id] = (38.0, memory_pct)
            p.flag(
                cluster,
                "cluster-not-n-plus-1",
                Family.RESOURCES,
                f"Memory use of ~{memory_pct:.0f} % on every host: the cluster cannot absorb "
                "one host failure.",
                ["cluster-n-plus-1"],
            )
        elif info.profile == "legacy":
            p.flag(
                cluster,
                "ha-disabled",
                Family.CONFIGURATION,
                "vSphere HA was never enabled on the legacy cluster.",
                ["cluster-ha-disabled"],
            )
            for host in hosts:
                p.flag(
                    host,
                    "esxi-end-of-support",
                    Family.COMPATIBILITY,
                    f"ESXi {ESXI_67P08.label} is past its end of general support (2022-10-15).",
                    ["esxi-end-of-support"],
                    exclusive=False,
                )
            for i in info.vm_indexes:
                vm = draft.vms[i]
                p.flag(
                    vm,
                    "hardware-version-capped-by-host",
                    Family.COMPATIBILITY,
                    f"{vm.hw_version} is all ESXi 6.7 can run: below the vmx-17 floor.",
                    ["vm-hardware-version-old"],
                    exclusive=False,
                )
            vc = next(v for v in draft.vcenters if v.id == cluster.vcenter_id)
            if vc.id not in draft.taken:
                p.flag(
                    vc,
                    "vcenter-end-of-support",
                    Family.COMPATIBILITY,
                    "vCenter 7.0 reached end of general support on 2025-10-02.",
                    ["vcenter-end-of-support"],
                )
