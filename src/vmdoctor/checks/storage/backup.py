"""Backups: the last backup time that backup tools record on each VM."""

from __future__ import annotations

from datetime import datetime

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    check,
    fail,
    not_applicable,
    ok,
    unknown,
)
from vmdoctor.checks.storage._support import (
    age_days,
    split_names,
)
from vmdoctor.checks.storage.backup_dates import latest_time
from vmdoctor.model import VM, EnvironmentIndex, Family, Severity
from vmdoctor.model.finding import EvidenceValue

#: Attribute names backup products write (Veeam, Commvault, Rubrik, NetBackup, Dell vProxy).
DEFAULT_ATTRIBUTES = (
    "Last Backup,Veeam Backup,Veeam Last Backup,Rubrik_LastBackup,NB_LAST_BACKUP,"
    "Last EMC vProxy Backup,Dell EMC vProxy Session,EMC vProxy Session,LastBackup"
)
#: Markers in the VM notes after which a tool writes its last backup (Veeam "notes" option).
DEFAULT_ANNOTATION_MARKERS = "Veeam Backup,Last backup"


class _Scan:
    """One scan's view of the backup settings, plus what it learns once per scan."""

    __slots__ = ("date_order", "estate_has_records", "markers", "names", "parsed")

    def __init__(self, names: frozenset[str], markers: tuple[str, ...], date_order: str) -> None:
        self.names = names
        self.markers = markers
        self.date_order = date_order
        self.estate_has_records: bool | None = None  # computed on the first VM without a record
        # Backup jobs write the same text for many VMs: each distinct text is parsed once.
        self.parsed: dict[str, datetime | None] = {}


def _scan_state(ctx: CheckContext) -> _Scan:
    attributes = ctx.thresholds["attributes"]
    markers = ctx.thresholds["annotation_markers"]
    order = ctx.thresholds["date_order"]
    return ctx.index.memo(
        ("backup", attributes, markers, order),
        lambda: _Scan(
            frozenset(name.lower() for name in split_names(attributes)),
            tuple(marker.lower() for marker in split_names(markers)),
            str(order).lower(),
        ),
    )


def _records(vm: VM, settings: _Scan) -> list[tuple[str, str]]:
    """(where, text) of every backup record on the VM, empty texts included."""
    found = [
        (name, value)
        for name, value in vm.custom_attributes.items()
        if name.lower() in settings.names
    ]
    if vm.annotation and settings.markers:
        lowered = vm.annotation.lower()
        for marker in settings.markers:
            at = lowered.find(marker)
            if at >= 0:
                found.append(("notes", vm.annotation[at : at + 300]))
                break
    return found


def _estate_has_backup_records(index: EnvironmentIndex, settings: _Scan) -> bool:
    return any(_records(vm, settings) for vm in index.env.vms if not vm.template)


@check(
    id="STO015",
    name="backup-too-old",
    title="VM has no recent backup",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.MEDIUM,
    thresholds={
        "warning_days": 2,
        "critical_days": 7,
        "attributes": DEFAULT_ATTRIBUTES,
        "annotation_markers": DEFAULT_ANNOTATION_MARKERS,
        "date_order": "mdy",
    },
    fix=Fix.MANUAL,
    references=("VMware KB 1025279",),
)
def backup_too_old(vm: VM, ctx: CheckContext) -> Outcome:
    """The last backup that a backup tool recorded on the VM is recent.

    What it checks:
        The last-backup time that backup products write into vCenter: custom attributes
        (Veeam, Commvault "Last Backup", Rubrik_LastBackup, NetBackup NB_LAST_BACKUP, Dell
        vProxy) or a marker in the VM notes (Veeam "Last backup: ..."). Medium after 2 days,
        critical after 7, high when there is no record at all. Attribute names, note markers
        and the day/month order of numeric dates ("mdy" or "dmy") are settings. A VM without
        any record fails when other VMs of the estate have one (it is not in any job); when no
        VM has one, the result is UNKNOWN.
    Why it matters:
        Snapshots are not backups. When a datastore is lost (PDL, corruption, a deleted LUN) or
        a VM is damaged by a failed consolidation or ransomware, the backup is the only way
        back; a VM silently dropped from its job is found out on the day it is needed.
    Example:
        app-erp-01: Rubrik_LastBackup says "Last Backup successfully completed at Thu Nov 05
        22:43:27 UTC 2026", 15 days before collection: critical.
    Remediation:
        Check the VM's backup job in the backup product: is the VM still included (a rename or
        move can drop it from a rule), did the last runs fail (snapshot errors, CBT,
        independent disks, locked files)? Run a backup now and fix the job.
    """
    if vm.template:
        return not_applicable()
    scan = _scan_state(ctx)
    records = _records(vm, scan)
    if not records:
        if scan.estate_has_records is None:
            scan.estate_has_records = _estate_has_backup_records(ctx.index, scan)
        if scan.estate_has_records:
            return fail(
                "no backup record on this VM, while other VMs have one: not in any backup job?",
                Severity.HIGH,
            )
        return unknown("no backup tool attributes found on any VM of the estate")
    written = [(where, text) for where, text in records if text.strip()]
    if not written:
        names = ", ".join(where for where, _ in records)
        return fail(f"backup attribute {names} is empty: the VM was never backed up", Severity.HIGH)
    latest: datetime | None = None
    latest_where = ""
    for where, text in written:
        try:
            moment = scan.parsed[text]
        except KeyError:
            moment = scan.parsed[text] = latest_time(text, scan.date_order)
        if moment is not None and (latest is None or moment > latest):
            latest, latest_where = moment, where
    if latest is None:
        where, text = written[0]
        return unknown(f"cannot read a date in {where}: {text[:60]!r}")
    days = age_days(latest, ctx.now)
    evidence: dict[str, EvidenceValue] = {
        "last_backup": latest.isoformat(),
        "age_days": round(days, 1),
        "source": latest_where,
    }
    if days < -1:
        return unknown(
            f"last backup date in {latest_where} lies in the future ({latest:%Y-%m-%d}): "
            "check the date_order setting",
            **evidence,
        )
    message = f"last backup {days:.0f} days ago (from {latest_where})"
    if days >= ctx.threshold("critical_days"):
        return fail(message, Severity.CRITICAL, **evidence)
    if days >= ctx.threshold("warning_days"):
        return fail(message, **evidence)
    return ok()
