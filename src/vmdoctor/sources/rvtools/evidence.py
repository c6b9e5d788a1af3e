"""vHealth and vLicense rows, imported as timeline evidence.

RVTools' own health findings are not facts about configuration but opinions about it, so they
are kept as LogRecords (``log="rvtools.vHealth"``) linked to the VM, host or datastore they
name: the diagnosis can cite them, and no check depends on them. Licence rows become records
too (``log="rvtools.vLicense"``) without the key, which is a secret.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from vmdoctor.model import LogRecord, ObjectLink
from vmdoctor.sources.rvtools.inventory import Inventory
from vmdoctor.sources.rvtools.table import Table, as_datetime, as_float, as_str

#: RVTools "Message type" -> (family, severity)
_HEALTH_TYPES: dict[str, tuple[str, str]] = {
    "zombie": ("storage", "low"),
    "vm tools": ("compatibility", "medium"),
    "storage": ("storage", "high"),
    "security": ("security", "medium"),
    "cdrom": ("configuration", "low"),
    "ntp": ("configuration", "medium"),
    "ntpd": ("configuration", "medium"),
    "snapshot": ("storage", "medium"),
    "foldername": ("configuration", "info"),
    "cpu": ("resources", "low"),
    "performance tip": ("resources", "info"),
    "consolidation": ("storage", "high"),
    "disk space": ("storage", "high"),
}
_DS_IN_NAME = re.compile(r"^\[([^\]]+)\]")
_LOW_FREE = re.compile(r"is (\d+)% disk space available")


def health_records(table: Table, inv: Inventory, origin: str) -> list[LogRecord]:
    name_col, msg_col, type_col = table.col("Name"), table.col("Message"), table.col("Message type")
    out: list[LogRecord] = []
    for n, row in enumerate(table.rows, start=2):
        name = as_str(row[name_col]) if name_col is not None and name_col < len(row) else None
        message = as_str(row[msg_col]) if msg_col is not None and msg_col < len(row) else None
        kind = as_str(row[type_col]) if type_col is not None and type_col < len(row) else None
        if not message:
            continue
        family, severity = _HEALTH_TYPES.get((kind or "").lower(), ("configuration", "low"))
        free = _LOW_FREE.search(message)
        if free and int(free.group(1)) <= 10:
            severity = "high"
        out.append(
            LogRecord(
                time=None,
                log="rvtools.vHealth",
                text=f"{kind or 'health'}: {name + ': ' if name else ''}{message}",
                severity=severity,
                signature=f"rvtools.{(kind or 'health').lower().replace(' ', '-')}",
                family=family,
                file=origin,
                line=n,
                objects=_link(name, inv),
            )
        )
    return out


def _link(name: str | None, inv: Inventory) -> ObjectLink:
    if not name:
        return ObjectLink(vcenter_id=inv.vcenter_id)
    if name in inv.vms:
        vm = inv.vms[name]
        return ObjectLink(vm_id=vm.id, host_id=vm.host_id, cluster_id=vm.cluster_id)
    if name in inv.hosts:
        host = inv.hosts[name]
        return ObjectLink(host_id=host.id, cluster_id=host.cluster_id)
    m = _DS_IN_NAME.match(name)
    ds_id = inv.datastore_id(m.group(1) if m else name)
    if ds_id:
        return ObjectLink(datastore_id=ds_id)
    return ObjectLink(vcenter_id=inv.vcenter_id)


def license_records(table: Table, inv: Inventory, origin: str, now: datetime) -> list[LogRecord]:
    c = {
        k: table.col(*v)
        for k, v in dict(
            name=("Name",), total=("Total",), used=("Used",), exp=("Expiration Date",)
        ).items()
    }
    out: list[LogRecord] = []
    for n, row in enumerate(table.rows, start=2):

        def get(key: str, row: object = row) -> object:
            idx = c[key]
            return row[idx] if idx is not None and idx < len(row) else None  # type: ignore[index, arg-type]

        name = as_str(get("name"))
        if not name:
            continue
        exp_text = as_str(get("exp")) or "unknown"
        expires = as_datetime(get("exp"))
        severity = "info"
        if expires is not None:
            severity = (
                "critical"
                if expires <= now
                else "high"
                if expires <= now + timedelta(days=30)
                else "info"
            )
        used, total = as_float(get("used")), as_float(get("total"))
        usage = (
            f"{used:g} of {total:g} used"
            if used is not None and total is not None
            else "usage unknown"
        )
        out.append(
            LogRecord(
                time=None,
                log="rvtools.vLicense",
                text=f"licence {name}: {usage}, expires {exp_text}",
                severity=severity,
                signature="rvtools.license",
                family="configuration",
                file=origin,
                line=n,
                objects=ObjectLink(vcenter_id=inv.vcenter_id),
            )
        )
    return out
