"""vSphere HostSystem -> Host, with configuration (settings, services, network, sensors)."""

from __future__ import annotations

from typing import Any

from vmdoctor.model import (
    HealthSensor,
    Host,
    HostPortGroup,
    HostService,
    PortGroupSecurity,
    VSwitch,
)
from vmdoctor.model.entities import FirewallRuleset
from vmdoctor.sources.vsphere.map_storage import storage_devices
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
    when,
)

MB = 1024 * 1024


def option_values(el: Any) -> dict[str, str]:
    """An ``ArrayOfOptionValue`` as key -> value text (advanced settings, extraConfig)."""
    out: dict[str, str] = {}
    for option in items(el):  # hundreds per host: index each option's children once
        f = fields(option)
        key = text(f.get("key"))
        if key:
            out[key] = text(f.get("value")) or ""
    return out


def _security(policy: Any) -> PortGroupSecurity:
    return PortGroupSecurity(
        allow_promiscuous=boolean(policy, "allowPromiscuous"),
        forged_transmits=boolean(policy, "forgedTransmits"),
        mac_changes=boolean(policy, "macChanges"),
    )


def _vswitches(el: Any) -> list[VSwitch] | None:
    if el is None:
        return None
    return [
        VSwitch(
            name=text(sw, "name") or "",
            security=_security(child(sw, "spec", "policy", "security")),
            uplinks=[(p.text or "").rsplit("-", 1)[-1] for p in children(sw, "pnic")],
            mtu=integer(sw, "mtu"),
        )
        for sw in items(el)
    ]


def _portgroups(el: Any) -> list[HostPortGroup] | None:
    if el is None:
        return None
    return [
        HostPortGroup(
            name=text(pg, "spec", "name") or "",
            vswitch=text(pg, "spec", "vswitchName") or "",
            vlan_id=integer(pg, "spec", "vlanId"),
            security=_security(child(pg, "computedPolicy", "security")),
        )
        for pg in items(el)
    ]


def _services(el: Any) -> list[HostService] | None:
    if el is None:
        return None
    return [
        HostService(
            key=text(svc, "key") or "",
            label=text(svc, "label") or "",
            running=bool(boolean(svc, "running")),
            policy=text(svc, "policy"),
        )
        for svc in children(el, "service")
    ]


def _sensors(el: Any) -> list[HealthSensor] | None:
    if el is None:
        return None
    out = []
    for sensor in items(el):  # dozens per host: index each sensor's children once
        f = fields(sensor)
        state = f.get("healthState")
        out.append(
            HealthSensor(
                name=text(f.get("name")) or "",
                sensor_type=text(f.get("sensorType")) or "",
                state=((text(state, "key") if state is not None else None) or "unknown").lower(),
            )
        )
    return out


def _firewall(el: Any) -> list[FirewallRuleset] | None:
    """The enabled rulesets of ``config.firewall`` with the addresses allowed to reach them."""
    if el is None:
        return None
    out = []
    for ruleset in children(el, "ruleset"):
        f = fields(ruleset)
        if boolean(f.get("enabled")) is not True:
            continue
        allowed = f.get("allowedHosts")
        networks = [
            f"{text(net, 'network')}/{text(net, 'prefixLength')}"
            for net in children(allowed, "ipNetwork")
        ]
        out.append(
            FirewallRuleset(
                key=text(f.get("key")) or "",
                label=text(f.get("label")) or "",
                required=boolean(f.get("required")),
                all_ip=boolean(allowed, "allIp") if allowed is not None else None,
                allowed_ips=[a.text for a in children(allowed, "ipAddress") if a.text] + networks,
            )
        )
    return out


def _lockdown(obj: ObjectProps) -> str | None:
    mode = text(obj.props.get("config.lockdownMode"))
    if mode:
        return mode
    disabled = boolean(obj.props.get("config.adminDisabled"))
    if disabled is None:
        return None
    return "lockdownNormal" if disabled else "lockdownDisabled"


def _cpu_vendor(model: str | None) -> str | None:
    if not model:
        return None
    lowered = model.lower()
    return "intel" if "intel" in lowered else "amd" if "amd" in lowered else None


def host(
    obj: ObjectProps,
    tree: InventoryTree,
    option_settings: dict[str, str] | None = None,
    device_datastores: dict[str, str] | None = None,
) -> Host:
    p = obj.props
    product = p.get("summary.config.product")
    hw = p.get("summary.hardware")
    settings = {**option_values(p.get("config.option")), **(option_settings or {})}
    ntp = p.get("config.dateTimeInfo.ntpConfig.server")
    log_host = settings.get("Syslog.global.logHost")
    build = text(product, "build")
    memory = integer(hw, "memorySize")
    cpu_model = text(hw, "cpuModel")
    compute = tree.parents.get(obj.moref)
    # An unset list property is simply absent: when the host's config was read, absent = none.
    config_empty: list[str] | None = [] if p.get("config.service") is not None else None
    return Host(
        id=f"{tree.vcenter_id}:{obj.moref}",
        name=tree.names.get(obj.moref, obj.moref),
        vcenter_id=tree.vcenter_id,
        datacenter_id=tree.datacenter_id(obj.moref),
        cluster_id=tree.cluster_of_compute(compute),
        product=text(product, "name") or "ESXi",
        version=text(product, "version"),
        build=int(build) if build and build.isdigit() else None,
        vendor=text(hw, "vendor"),
        model=text(hw, "model"),
        cpu_model=cpu_model,
        cpu_vendor=_cpu_vendor(cpu_model),
        cpu_sockets=integer(hw, "numCpuPkgs"),
        cpu_cores=integer(hw, "numCpuCores"),
        cpu_threads=integer(hw, "numCpuThreads"),
        cpu_mhz=integer(hw, "cpuMhz"),
        memory_mb=memory // MB if memory is not None else None,
        cpu_usage_mhz=integer(p.get("summary.quickStats.overallCpuUsage")),
        memory_usage_mb=integer(p.get("summary.quickStats.overallMemoryUsage")),
        connection_state=text(p.get("runtime.connectionState")) or "connected",
        power_state=text(p.get("runtime.powerState")),
        in_maintenance_mode=bool(boolean(p.get("runtime.inMaintenanceMode"))),
        lockdown_mode=_lockdown(obj),
        boot_time=when(p.get("runtime.bootTime")),
        max_evc_mode=text(p.get("summary.maxEVCModeKey")) or None,
        advanced_settings=settings,
        services=_services(p.get("config.service")),
        ntp_servers=[s.text for s in items(ntp) if s.text] if ntp is not None else config_empty,
        syslog_hosts=[h.strip() for h in log_host.split(",") if h.strip()]
        if log_host is not None
        else None,
        vswitches=_vswitches(p.get("config.network.vswitch")),
        portgroups=_portgroups(p.get("config.network.portgroup")),
        storage_devices=storage_devices(
            p.get("config.storageDevice.scsiLun"),
            p.get("config.storageDevice.multipathInfo"),
            device_datastores or {},
        ),
        health_sensors=_sensors(
            p.get("runtime.healthSystemRuntime.systemHealthInfo.numericSensorInfo")
        ),
        datastore_ids=[f"{tree.vcenter_id}:{d.text}" for d in items(p.get("datastore")) if d.text],
        network_ids=[f"{tree.vcenter_id}:{n.text}" for n in items(p.get("network")) if n.text],
        firewall_rulesets=_firewall(p.get("config.firewall")),
    )
