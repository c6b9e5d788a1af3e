"""Hosts from the vHost tab, with multipathing (vMultiPath) and what vHealth says of services.

Connection state. vHost has no "Connection state" column in any RVTools version seen (3.x to
4.7); the column is read when present. Without it, a row carrying runtime data (CPU or memory
usage, boot time) whose "Config status" is not gray comes from a host vCenter was talking to
at export time: vCenter has no quickStats and no boot time for a disconnected or not
responding host, and reports its status gray. Such a host is "connected". A row without
runtime data, or with a gray status, is recorded as "unknown" with a gap on that host: the
export cannot tell "disconnected" from "not responding", and guessing either would be wrong.
"""

from __future__ import annotations

import re
from collections import defaultdict

import msgspec

from vmdoctor.model import Gap, Host, HostService, StorageDevice
from vmdoctor.sources.rvtools.inventory import Inventory, cols, get, slug
from vmdoctor.sources.rvtools.table import Table, as_bool, as_datetime, as_float, as_int, as_str

_ESX_VERSION = re.compile(r"(\d+\.\d+\.\d+)(?:.*?build-(\d+))?")
_CONNECTION_STATES = {
    "connected": "connected",
    "disconnected": "disconnected",
    "notresponding": "notResponding",
    "not responding": "notResponding",
}
#: vHealth "Message type" Security message RVTools writes for a host whose SSH service runs
_SSH_RUNNING = re.compile(r"\bSSH service is running\b", re.IGNORECASE)
UNKNOWN_STATE = "unknown"


def build_hosts(
    inv: Inventory, table: Table, multipath: Table | None, health: Table | None = None
) -> None:
    c = cols(
        table,
        name=("Host",),
        dc=("Datacenter",),
        cluster=("Cluster",),
        conn=("Connection state",),
        status=("Config status",),
        cpu_model=("CPU Model",),
        speed=("Speed",),
        sockets=("# CPU",),
        cores=("# Cores",),
        ht=("HT Active",),
        mem=("# Memory",),
        cpu_pct=("CPU usage %",),
        mem_pct=("Memory usage %",),
        version=("ESX Version",),
        vendor=("Vendor",),
        model=("Model",),
        maint=("in Maintenance Mode",),
        boot=("Boot time",),
        ntp=("NTP Server(s)",),
        ntpd=("NTPD running",),
        evc=("Max EVC",),
        current_evc=("Current EVC",),
        oid=("Object ID",),
    )
    devices = storage_devices(multipath) if multipath is not None else None
    ssh_running = _ssh_running_hosts(health)
    for row in table.rows:
        name = as_str(get(row, c["name"]))
        if not name:
            continue  # RVTools ends vHost with a blank row and a totals row
        dc = as_str(get(row, c["dc"]))
        cores = as_int(get(row, c["cores"]))
        speed = as_int(get(row, c["speed"]))
        mem = as_int(get(row, c["mem"]))
        version, build = _esx_version(as_str(get(row, c["version"])))
        cpu_pct, mem_pct = as_float(get(row, c["cpu_pct"])), as_float(get(row, c["mem_pct"]))
        boot = as_datetime(get(row, c["boot"]))
        oid = as_str(get(row, c["oid"]))
        cpu_model = as_str(get(row, c["cpu_model"]))
        host_id = f"{inv.vcenter_id}:{oid}" if oid else f"{inv.vcenter_id}:host:{slug(name)}"
        state = _connection_state(
            as_str(get(row, c["conn"])),
            as_str(get(row, c["status"])),
            has_runtime=cpu_pct is not None or mem_pct is not None or boot is not None,
        )
        if state == UNKNOWN_STATE:
            inv.gaps.append(
                Gap(
                    what="host.connection_state",
                    reason="the export lists this host without runtime data (no usage, no "
                    "boot time, or a gray status): vCenter was probably not connected to it, "
                    "but an RVTools export cannot tell disconnected from not responding",
                    object_type="host",
                    object_id=host_id,
                    object_name=name,
                )
            )
        inv.hosts[name] = Host(
            id=host_id,
            name=name,
            vcenter_id=inv.vcenter_id,
            datacenter_id=inv.datacenter_id(dc),
            cluster_id=inv.cluster_id(as_str(get(row, c["cluster"])), dc),
            version=version,
            build=build,
            vendor=as_str(get(row, c["vendor"])),
            model=as_str(get(row, c["model"])),
            cpu_model=cpu_model,
            cpu_vendor=_cpu_vendor(cpu_model),
            cpu_sockets=as_int(get(row, c["sockets"])),
            cpu_cores=cores,
            cpu_threads=cores * 2 if cores and as_bool(get(row, c["ht"])) else cores,
            cpu_mhz=speed,
            memory_mb=mem,
            cpu_usage_mhz=int(cores * speed * cpu_pct / 100)
            if cores and speed and cpu_pct is not None
            else None,
            memory_usage_mb=int(mem * mem_pct / 100) if mem and mem_pct is not None else None,
            connection_state=state,
            in_maintenance_mode=bool(as_bool(get(row, c["maint"]))),
            boot_time=boot,
            max_evc_mode=as_str(get(row, c["evc"])),
            services=_services(as_bool(get(row, c["ntpd"])), name in ssh_running),
            ntp_servers=None
            if c["ntp"] is None
            else [s.strip() for s in (as_str(get(row, c["ntp"])) or "").split(",") if s.strip()],
            storage_devices=None if devices is None else devices.get(name, []),
        )
        current_evc = as_str(get(row, c["current_evc"]))
        if c["current_evc"] is not None:
            inv.host_current_evc[name] = current_evc


def _connection_state(column: str | None, status: str | None, has_runtime: bool) -> str:
    if column:
        return _CONNECTION_STATES.get(column.strip().lower(), column)
    if has_runtime and (status or "").lower() != "gray":
        return "connected"
    return UNKNOWN_STATE


def _services(ntpd: bool | None, ssh_running: bool) -> list[HostService] | None:
    services = []
    if ntpd is not None:
        services.append(HostService(key="ntpd", label="NTP Daemon", running=ntpd))
    if ssh_running:
        # vHealth only ever says SSH runs; a host without the message is not known to have it
        # stopped (the service then stays out of the list, and checks say UNKNOWN).
        services.append(HostService(key="TSM-SSH", label="SSH", running=True))
    return services or None


def _ssh_running_hosts(health: Table | None) -> set[str]:
    if health is None:
        return set()
    name_col, msg_col = health.col("Name"), health.col("Message")
    return {
        name
        for row in health.rows
        if (name := as_str(get(row, name_col)))
        and _SSH_RUNNING.search(as_str(get(row, msg_col)) or "")
    }


def _cpu_vendor(model: str | None) -> str | None:
    text = (model or "").lower()
    return "intel" if "intel" in text else "amd" if "amd" in text else None


def _esx_version(text: str | None) -> tuple[str | None, int | None]:
    m = _ESX_VERSION.search(text or "")
    if not m:
        return None, None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def storage_devices(table: Table) -> dict[str, list[StorageDevice]]:
    c = cols(table, host=("Host",), disk=("Disk",), display=("Display name",))
    table.col("Datastore")
    states = [i for i, h in enumerate(table.header) if re.fullmatch(r"Path \d+ state", str(h))]
    table.used.update(states)
    table.used.update(i for i, h in enumerate(table.header) if re.fullmatch(r"Path \d+", str(h)))
    out: dict[str, list[StorageDevice]] = defaultdict(list)
    for row in table.rows:
        host, disk = as_str(get(row, c["host"])), as_str(get(row, c["disk"]))
        if not host or not disk:
            continue
        values = [v for i in states if (v := (as_str(get(row, i)) or "").lower())]
        out[host].append(
            StorageDevice(
                canonical_name=disk,
                display_name=as_str(get(row, c["display"])) or "",
                is_local=disk.startswith(("mpx.", "t10.")),
                paths_total=len(values),
                paths_active=sum(v in ("active", "active (i/o)", "standby") for v in values),
                paths_dead=sum(v in ("dead", "disabled", "unavailable") for v in values),
            )
        )
    return out


def apply_cluster_evc(inv: Inventory) -> None:
    """A cluster's EVC mode is the "Current EVC" its hosts share (vCluster has no EVC column).

    With EVC on, every connected host of the cluster runs at the cluster's mode; with it off,
    hosts report none. Hosts that disagree leave the mode unset rather than guessed.
    """
    by_cluster: dict[str, set[str | None]] = defaultdict(set)
    for name, mode in inv.host_current_evc.items():
        host = inv.hosts[name]
        if host.cluster_id and host.connection_state == "connected":
            by_cluster[host.cluster_id].add(mode)
    for key, cluster in list(inv.clusters.items()):
        modes = by_cluster.get(cluster.id)
        if modes and len(modes) == 1 and (mode := next(iter(modes))):
            inv.clusters[key] = msgspec.structs.replace(cluster, evc_mode=mode)


def host_gap_reasons(table: Table) -> list[str]:
    """What this export's vHost tab lacks, beyond what no RVTools export has."""
    wanted = {
        "ESX Version": "ESXi version and build",
        "in Maintenance Mode": "maintenance mode",
        "NTP Server(s)": "NTP servers",
        "Max EVC": "EVC modes",
    }
    return [label for column, label in wanted.items() if table.col(column) is None]
