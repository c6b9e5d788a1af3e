"""Findings: what checks say about objects, and the result of a whole scan."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import msgspec


class Family(StrEnum):
    RESOURCES = "resources"
    COMPATIBILITY = "compatibility"
    CONFIGURATION = "configuration"
    STORAGE = "storage"
    SECURITY = "security"


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class Status(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"  # the data needed is missing: the message says which
    SKIPPED = "SKIPPED"  # suppressed by configuration: reason and expiry kept
    ERROR = "ERROR"  # the check itself failed; other checks are unaffected


EvidenceValue = str | int | float | bool | None


class ObjectRef(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    type: str  # "vm" | "host" | "cluster" | "datastore" | "vcenter" | "network" | ...
    id: str
    name: str
    cluster: str | None = None  # cluster name, for grouping in reports and metrics


class Suppression(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    reason: str
    expires: date | None = None


class Finding(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    check_id: str
    name: str
    title: str
    family: Family
    severity: Severity
    status: Status
    object: ObjectRef
    message: str
    evidence: dict[str, EvidenceValue] = {}
    remediation: str = ""
    references: list[str] = []
    suppression: Suppression | None = None


class CheckStats(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Per-check counts: how many objects were checked and how each ended."""

    check_id: str
    name: str
    family: Family
    severity: Severity
    checked: int = 0
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: int = 0
    errors: int = 0


class ScanResult(msgspec.Struct, kw_only=True, frozen=True):
    """Everything a reporter needs: non-PASS findings in full, PASS results as counts."""

    started_at: datetime
    duration_s: float
    findings: list[Finding]
    stats: list[CheckStats]
    passed_findings: list[Finding] = []  # only filled when asked for (--include-pass)
