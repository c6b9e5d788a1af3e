"""RVTools exports as a source: an .xlsx workbook or the per-tab CSV files.

Interface: ``detect(path)``, ``load(path)`` and ``environment_from_tables(tables, ...)`` (used by
the bundle source for CSV exports found in a directory or archive). What an export cannot tell
(performance counters, events, tasks, advanced settings) is recorded as gaps, so the checks
that need it answer UNKNOWN.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import msgspec

from vmdoctor.model import Environment, Gap, SourceInfo, Timeline, VCenter
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.rvtools import evidence
from vmdoctor.sources.rvtools.hosts import apply_cluster_evc, build_hosts, host_gap_reasons
from vmdoctor.sources.rvtools.inventory import Inventory, build_clusters, build_datastores
from vmdoctor.sources.rvtools.networks import build_networks, link_vm_networks
from vmdoctor.sources.rvtools.table import (
    Table,
    as_datetime,
    as_int,
    as_str,
    csv_tab_name,
    read_csv,
    read_xlsx,
)
from vmdoctor.sources.rvtools.vms import SNAPSHOT_SIZE_GAP, build_vms

__all__ = ["detect", "environment_from_tables", "load"]

#: what no RVTools export contains
EXPORT_GAPS = (
    ("metrics", "an RVTools export holds no performance history"),
    ("events", "an RVTools export holds no events"),
    ("tasks", "an RVTools export holds no tasks"),
    ("host.advanced_settings", "an RVTools export holds no host advanced settings"),
    # Not "vm.config": that would also explain data the export does hold (hardware version,
    # guest OS) whenever a check asks for it. Checks ask for "vm.advanced_settings" first.
    ("vm.advanced_settings", "an RVTools export holds no VM advanced settings"),
    (
        "host.services",
        "RVTools exports only whether NTPD runs (vHost) and, in vHealth, a running SSH "
        "service; other services and all start policies are not exported",
    ),
    # Named by its API path: "datastore" alone would also explain capacity or hosts, which
    # the export does hold.
    ("datastore.summary.maintenanceMode", "an RVTools export holds no datastore maintenance mode"),
    ("vm.snapshots.size", SNAPSHOT_SIZE_GAP),
)
#: tab -> what is missing without it
TAB_GAPS = {
    "vSnapshot": "vm.snapshots",
    "vDisk": "vm.disks",
    "vNetwork": "vm.nics",
    "vTools": "vm.guest",  # Tools status and version are guest info in the API
    "vHost": "host",
    "vDatastore": "datastore",
    "vMultiPath": "host.storage_devices",
    "vCD": "vm.removable_devices",
    "vCPU": "vm.cpu_allocation",
    "vMemory": "vm.memory_allocation",
    "vSwitch": "host.network",
    "vPort": "host.network",
    "dvPort": "network.config",
}


def detect(path: Path) -> bool:
    name = path.name.lower()
    if path.is_file() and name.endswith((".xlsx", ".xlsm")):
        return True
    return path.is_file() and csv_tab_name(path.name) is not None


def load(path: Path) -> Environment:
    path = Path(path)
    mtime = _mtime(path)
    if path.name.lower().endswith(".csv"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
        table = read_csv(str(path), data)
        if table is None:
            raise SourceError(
                path, "not an RVTools CSV export (expected a name like RVTools_tabvInfo.csv)"
            )
        return environment_from_tables({table.tab: table}, path.name, mtime)
    return environment_from_tables(read_xlsx(path), path.name, mtime)


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None


def environment_from_tables(
    tables: dict[str, Table], name: str, mtime: datetime | None = None
) -> Environment:
    if "vInfo" not in tables and "vHost" not in tables:
        raise SourceError(name, "no vInfo or vHost tab: not an RVTools export")
    meta = _first_row(tables.get("vMetaData"))
    src = _first_row(tables.get("vSource"))
    vc_name = (
        as_str(meta.get("Server"))
        or as_str(src.get("VI SDK Server"))
        or _first_value(tables.get("vInfo"), "VI SDK Server")
        or _first_value(tables.get("vHost"), "VI SDK Server")
        or "rvtools"
    )
    collected_at = as_datetime(meta.get("xlsx creation datetime")) or mtime or datetime.now(UTC)
    vcenter = VCenter(
        id=vc_name,
        name=vc_name,
        product=as_str(src.get("Name")) or "vCenter Server",
        version=as_str(src.get("Version")),
        build=as_int(src.get("Build")),
        api_version=as_str(src.get("API version")),
        instance_uuid=as_str(src.get("VI SDK UUID")),
    )
    inv = Inventory(vcenter_id=vcenter.id)
    if "vCluster" in tables:
        build_clusters(inv, tables["vCluster"])
    if "vHost" in tables:
        build_hosts(inv, tables["vHost"], tables.get("vMultiPath"), tables.get("vHealth"))
        apply_cluster_evc(inv)
    if "vDatastore" in tables:
        build_datastores(inv, tables["vDatastore"])
    build_networks(inv, tables)
    if "vInfo" in tables:
        build_vms(inv, tables["vInfo"], tables)
        link_vm_networks(inv)
    _fix_cluster_datacenters(inv)
    _attach_host_datastores(inv)
    records = []
    if "vHealth" in tables:
        records += evidence.health_records(tables["vHealth"], inv, tables["vHealth"].origin)
    if "vLicense" in tables:
        records += evidence.license_records(
            tables["vLicense"], inv, tables["vLicense"].origin, collected_at
        )
    gaps = [msgspec.structs.replace(g, source=name) for g in inv.gaps]
    gaps += _export_gaps(tables, name)
    details = {
        "rvtools_version": as_str(meta.get("RVTools version")) or "unknown (no vMetaData tab)",
        "tabs": ", ".join(sorted(tables)),
    }
    ignored = {
        tab: t.ignored() for tab, t in tables.items() if tab in _IGNORED_NOTE_TABS and t.ignored()
    }
    if ignored:
        details["ignored_columns"] = "; ".join(
            f"{tab}: {len(cols)} ({', '.join(cols[:5])}{', ...' if len(cols) > 5 else ''})"
            for tab, cols in sorted(ignored.items())
        )
    return Environment(
        collected_at=collected_at,
        source=SourceInfo(kind="rvtools", name=name, details=details),
        vcenters=[vcenter],
        datacenters=list(inv.datacenters.values()),
        clusters=list(inv.clusters.values()),
        hosts=list(inv.hosts.values()),
        vms=list(inv.vms.values()),
        datastores=list(inv.datastores.values()),
        networks=list(inv.networks.values()),
        timeline=Timeline(logs=records),
        gaps=gaps,
    )


_IGNORED_NOTE_TABS = ("vInfo", "vHost", "vDatastore", "vCluster")


def _export_gaps(tables: dict[str, Table], name: str) -> list[Gap]:
    """Estate-wide gaps, most specific first (a check quotes the first gap that matches)."""
    gaps = []
    if "vHost" in tables:
        lacking = host_gap_reasons(tables["vHost"])
        reason = "an RVTools export holds no lockdown mode or host service policies"
        if lacking:
            reason = f"this export's vHost tab lacks {', '.join(lacking)}; {reason}"
        gaps.append(Gap(what="host.config", reason=reason, source=name))
    if "vPort" not in tables and "dvPort" not in tables:
        gaps.append(
            Gap(what="networks", reason="the export has no vPort or dvPort tab", source=name)
        )
    if "vDisk" not in tables and ("vInfo" not in tables or tables["vInfo"].col("Path") is None):
        gaps.append(
            Gap(
                what="vm.datastores",
                reason="the export has no vDisk tab and no VM path column",
                source=name,
            )
        )
    if "vCluster" not in tables:
        no_tab = "the export has no vCluster tab"
        gaps += [
            Gap(what="cluster.ha", reason=no_tab, source=name),
            Gap(what="cluster.drs", reason=no_tab, source=name),
        ]
        if "vHost" not in tables or tables["vHost"].col("Current EVC") is None:
            gaps.append(
                Gap(
                    what="cluster.config",
                    reason=f"{no_tab}, and vHost has no Current EVC column",
                    source=name,
                )
            )
    gaps += [Gap(what=what, reason=reason, source=name) for what, reason in EXPORT_GAPS]
    gaps += [
        Gap(what=what, reason=f"the export has no {tab} tab", source=name)
        for tab, what in TAB_GAPS.items()
        if tab not in tables
    ]
    return gaps


def _fix_cluster_datacenters(inv: Inventory) -> None:
    """vCluster has no datacenter column: take it from the hosts of each cluster."""
    dc_of: dict[str, str] = {}
    for host in inv.hosts.values():
        if host.cluster_id and host.datacenter_id:
            dc_of.setdefault(host.cluster_id, host.datacenter_id)
    for vm in inv.vms.values():
        if vm.cluster_id and vm.datacenter_id:
            dc_of.setdefault(vm.cluster_id, vm.datacenter_id)
    for name, cluster in list(inv.clusters.items()):
        if not cluster.datacenter_id and cluster.id in dc_of:
            inv.clusters[name] = msgspec.structs.replace(cluster, datacenter_id=dc_of[cluster.id])
        elif not cluster.datacenter_id:
            # keep the cluster but say plainly it hangs under no known datacenter
            inv.clusters[name] = msgspec.structs.replace(
                cluster, datacenter_id=f"{inv.vcenter_id}:dc:unknown"
            )


def _attach_host_datastores(inv: Inventory) -> None:
    by_host: dict[str, list[str]] = {}
    for ds in inv.datastores.values():
        for host_id in ds.host_ids:
            by_host.setdefault(host_id, []).append(ds.id)
    for name, host in list(inv.hosts.items()):
        if host.id in by_host:
            inv.hosts[name] = msgspec.structs.replace(host, datastore_ids=by_host[host.id])


def _first_row(table: Table | None) -> dict[str, object]:
    if table is None or not table.rows:
        return {}
    table.used.update(range(len(table.header)))
    return {h: v for h, v in zip(table.header, table.rows[0], strict=False)}


def _first_value(table: Table | None, column: str) -> str | None:
    if table is None:
        return None
    idx = table.col(column)
    for row in table.rows:
        if idx is not None and idx < len(row) and (value := as_str(row[idx])):
            return value
    return None
