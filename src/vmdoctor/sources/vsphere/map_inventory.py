"""vSphere objects -> Environment entities: datacenters, clusters, pools, datastores, networks."""

from __future__ import annotations

from typing import Any

from vmdoctor.model import (
    Cluster,
    Datacenter,
    Datastore,
    DRSConfig,
    HAConfig,
    Network,
    PortGroupSecurity,
    ResourcePool,
)
from vmdoctor.model.entities import ClusterRule
from vmdoctor.sources.vsphere.soap import ObjectProps
from vmdoctor.sources.vsphere.tree import InventoryTree
from vmdoctor.sources.vsphere.xmlval import (
    boolean,
    child,
    children,
    fields,
    integer,
    items,
    text,
    xtype,
)

_ADMISSION_POLICIES = {
    "ClusterFailoverLevelAdmissionControlPolicy": "failoverLevel",
    "ClusterFailoverResourcesAdmissionControlPolicy": "resourcePercentage",
    "ClusterFailoverHostAdmissionControlPolicy": "failoverHosts",
    "ClusterFixedSizeSlotPolicy": "slot",
}


def datacenter(obj: ObjectProps, tree: InventoryTree) -> Datacenter:
    return Datacenter(
        id=f"{tree.vcenter_id}:{obj.moref}",
        name=tree.names.get(obj.moref, obj.moref),
        vcenter_id=tree.vcenter_id,
    )


def _ha(das: Any) -> HAConfig | None:
    if das is None:
        return None
    policy = child(das, "admissionControlPolicy")
    heartbeat = None
    for option in children(das, "option"):
        if text(option, "key") == "das.heartbeatDsPerHost":
            heartbeat = integer(option, "value")
    return HAConfig(
        enabled=bool(boolean(das, "enabled")),
        admission_control_enabled=boolean(das, "admissionControlEnabled"),
        admission_control_policy=_ADMISSION_POLICIES.get(xtype(policy))
        if policy is not None
        else None,
        failover_level=integer(policy, "failoverLevel") if policy is not None else None,
        cpu_failover_pct=integer(policy, "cpuFailoverResourcesPercent")
        if policy is not None
        else None,
        memory_failover_pct=integer(policy, "memoryFailoverResourcesPercent")
        if policy is not None
        else None,
        host_monitoring_enabled=(text(das, "hostMonitoring") == "enabled")
        if text(das, "hostMonitoring")
        else None,
        vm_monitoring=text(das, "vmMonitoring"),
        datastore_heartbeat_count=heartbeat,
    )


def _drs(drs: Any) -> DRSConfig | None:
    if drs is None:
        return None
    rate = integer(drs, "vmotionRate")
    return DRSConfig(
        enabled=bool(boolean(drs, "enabled")),
        behavior=text(drs, "defaultVmBehavior"),
        # The API's vmotionRate runs 1 (aggressive) .. 5 (conservative); the UI shows 6 - rate.
        migration_threshold=6 - rate if rate else None,
    )


_RULE_KINDS = {
    "ClusterAffinityRuleSpec": "affinity",
    "ClusterAntiAffinityRuleSpec": "anti-affinity",
    "ClusterVmHostRuleInfo": "vm-host",
    "ClusterDependencyRuleInfo": "dependency",
}


def _rule(el: Any, tree: InventoryTree) -> ClusterRule:
    f = fields(el)
    rtype = xtype(el)
    affine, anti = text(f.get("affineHostGroupName")), text(f.get("antiAffineHostGroupName"))
    return ClusterRule(
        name=text(f.get("name")) or f"rule-{text(f.get('key'))}",
        kind=_RULE_KINDS.get(rtype, rtype or "unknown"),
        enabled=boolean(f.get("enabled")) is not False,
        mandatory=boolean(f.get("mandatory")),
        in_compliance=boolean(f.get("inCompliance")),
        vm_ids=[i for vm in children(el, "vm") if (i := tree.id(vm.text))],
        vm_group=text(f.get("vmGroupName")) or text(f.get("vmGroup")),
        host_group=affine or anti,
        host_group_affine=True if affine else False if anti else None,
        depends_on_vm_group=text(f.get("dependsOnVmGroup")),
    )


def cluster(obj: ObjectProps, tree: InventoryTree) -> Cluster:
    config = obj.props.get("configurationEx")
    summary = obj.props.get("summary")
    evc = text(summary, "currentEVCModeKey")
    return Cluster(
        id=f"{tree.vcenter_id}:{obj.moref}",
        name=tree.names.get(obj.moref, obj.moref),
        vcenter_id=tree.vcenter_id,
        datacenter_id=tree.datacenter_id(obj.moref) or "",
        ha=_ha(child(config, "dasConfig")),
        drs=_drs(child(config, "drsConfig")),
        evc_mode=evc or None,
        vsan_enabled=boolean(config, "vsanConfigInfo", "enabled"),
        # An empty rule list is simply absent: with the configuration read, absent = none.
        drs_rules=[_rule(r, tree) for r in children(config, "rule")]
        if config is not None
        else None,
    )


def _limit(value: int | None) -> int | None:
    return None if value is None or value < 0 else value


def resource_pool(obj: ObjectProps, tree: InventoryTree) -> ResourcePool:
    cpu = obj.props.get("config.cpuAllocation")
    mem = obj.props.get("config.memoryAllocation")
    parent = tree.parents.get(obj.moref)
    owner = obj.props.get("owner")
    return ResourcePool(
        id=f"{tree.vcenter_id}:{obj.moref}",
        name=tree.names.get(obj.moref, obj.moref),
        cluster_id=tree.cluster_of_compute(owner.text if owner is not None else None),
        parent_id=tree.id(parent) if tree.types.get(parent or "") == "ResourcePool" else None,
        cpu_reservation_mhz=integer(cpu, "reservation"),
        cpu_limit_mhz=_limit(integer(cpu, "limit")),
        memory_reservation_mb=integer(mem, "reservation"),
        memory_limit_mb=_limit(integer(mem, "limit")),
        expandable_reservation=boolean(cpu, "expandableReservation"),
    )


def datastore(obj: ObjectProps, tree: InventoryTree) -> Datastore:
    summary = obj.props.get("summary")
    mounts = obj.props.get("host")
    accessible = boolean(summary, "accessible")
    return Datastore(
        id=f"{tree.vcenter_id}:{obj.moref}",
        name=tree.names.get(obj.moref, obj.moref),
        vcenter_id=tree.vcenter_id,
        datacenter_id=tree.datacenter_id(obj.moref),
        type=text(summary, "type") or "unknown",
        capacity_bytes=integer(summary, "capacity"),
        free_bytes=integer(summary, "freeSpace"),
        uncommitted_bytes=integer(summary, "uncommitted"),
        accessible=accessible is not False,
        maintenance_mode=text(summary, "maintenanceMode"),
        multiple_host_access=boolean(summary, "multipleHostAccess"),
        url=text(summary, "url"),
        host_ids=[f"{tree.vcenter_id}:{text(m, 'key')}" for m in items(mounts) if text(m, "key")],
    )


def _security(policy: Any) -> PortGroupSecurity | None:
    if policy is None:
        return None
    return PortGroupSecurity(
        allow_promiscuous=boolean(policy, "allowPromiscuous", "value"),
        forged_transmits=boolean(policy, "forgedTransmits", "value"),
        mac_changes=boolean(policy, "macChanges", "value"),
    )


def network(obj: ObjectProps, tree: InventoryTree) -> Network:
    port_config = obj.props.get("config.defaultPortConfig")
    switch = obj.props.get("config.distributedVirtualSwitch")
    vlan = child(port_config, "vlan")
    accessible = boolean(obj.props.get("summary.accessible"))
    return Network(
        id=f"{tree.vcenter_id}:{obj.moref}",
        name=tree.names.get(obj.moref, obj.moref),
        vcenter_id=tree.vcenter_id,
        datacenter_id=tree.datacenter_id(obj.moref),
        type=obj.type,
        vlan_id=integer(vlan, "vlanId") if xtype(vlan).endswith("VlanIdSpec") else None,
        switch_name=tree.names.get(switch.text) if switch is not None and switch.text else None,
        security=_security(child(port_config, "securityPolicy")),
        accessible=accessible is not False,
        host_ids=[f"{tree.vcenter_id}:{h.text}" for h in items(obj.props.get("host")) if h.text],
    )
