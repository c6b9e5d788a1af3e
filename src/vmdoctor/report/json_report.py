"""The JSON report: a versioned document described by ``schema/scan-report.schema.json``.

The document is built from msgspec Structs and encoded by msgspec, which keeps 200k findings
to about a second. Every field is always present (no omitted defaults) so consumers can index
without guards; docs/json-schema.md is the reference and states the versioning policy.
"""

from __future__ import annotations

from datetime import date, datetime
from importlib import resources
from typing import Any

import msgspec

from vmdoctor import __version__
from vmdoctor.diagnose.render.json import diagnosis_document
from vmdoctor.model import CheckStats, Finding, Gap
from vmdoctor.model.finding import EvidenceValue
from vmdoctor.report.compliance import Compliance
from vmdoctor.report.model import Report, StatusCounts
from vmdoctor.report.output import Reporter

#: MAJOR.MINOR: MINOR grows when fields are added, MAJOR when one is removed, renamed or retyped.
SCHEMA_VERSION = "1.2"
SCHEMA_FILE = "scan-report.schema.json"


class Generator(msgspec.Struct, frozen=True):
    name: str
    version: str


class SourceDoc(msgspec.Struct, frozen=True):
    kind: str
    name: str
    description: str
    collected_at: datetime


class ScanDoc(msgspec.Struct, frozen=True):
    started_at: datetime
    duration_s: float


class CountsDoc(msgspec.Struct, frozen=True):
    checked: int
    passed: int
    failed: int
    unknown: int
    skipped: int
    errors: int

    @classmethod
    def of(cls, c: StatusCounts) -> CountsDoc:
        return cls(c.checked, c.passed, c.failed, c.unknown, c.skipped, c.errors)


class FamilyDoc(msgspec.Struct, frozen=True):
    family: str
    checks: int
    score: float | None
    counts: CountsDoc
    failed_by_severity: dict[str, int]


class SummaryDoc(msgspec.Struct, frozen=True):
    score: float | None
    objects: dict[str, int]
    objects_total: int
    checks_run: int
    counts: CountsDoc
    by_status: dict[str, int]
    failed_by_severity: dict[str, int]
    families: list[FamilyDoc]


class ObjectDoc(msgspec.Struct, frozen=True):
    type: str
    id: str
    name: str
    cluster: str | None


class SuppressionDoc(msgspec.Struct, frozen=True):
    reason: str
    expires: date | None


class FindingDoc(msgspec.Struct, frozen=True):
    check_id: str
    name: str
    title: str
    family: str
    severity: str
    status: str
    object: ObjectDoc
    message: str
    evidence: dict[str, EvidenceValue]
    remediation: str
    references: list[str]
    suppression: SuppressionDoc | None


class GapDoc(msgspec.Struct, frozen=True):
    what: str
    reason: str
    object_type: str | None
    object_id: str | None
    object_name: str | None
    source: str | None


class CheckDoc(msgspec.Struct, frozen=True):
    check_id: str
    name: str
    title: str
    family: str
    severity: str
    applies_to: str | None
    fix: str | None
    checked: int
    passed: int
    failed: int
    unknown: int
    skipped: int
    errors: int


class ControlDoc(msgspec.Struct, frozen=True):
    control_id: str
    title: str
    stig_ids: list[str]
    check_ids: list[str]
    status: str
    reason: str
    failed_objects: int
    suppressed_objects: int
    unknown_objects: int
    evaluations: int


class ComplianceDoc(msgspec.Struct, frozen=True):
    profile: str
    description: str
    controls_total: int
    counts: dict[str, int]
    controls: list[ControlDoc]


class ScanReportDoc(msgspec.Struct, frozen=True):
    schema_version: str
    generator: Generator
    generated_at: datetime
    source: SourceDoc
    scan: ScanDoc
    summary: SummaryDoc
    findings: list[FindingDoc]
    gaps: list[GapDoc]
    checks: list[CheckDoc]
    compliance: ComplianceDoc | None  # since 1.1; null unless a baseline profile was scanned
    incidents: list[dict[str, Any]]  # since 1.2; the diagnoses of `vmdoctor why`, newest first


def build_document(report: Report) -> ScanReportDoc:
    env, result, summary = report.environment, report.result, report.summary
    return ScanReportDoc(
        schema_version=SCHEMA_VERSION,
        generator=Generator("vmdoctor", __version__),
        generated_at=report.generated_at,
        source=SourceDoc(env.source.kind, env.source.name, report.source, env.collected_at),
        scan=ScanDoc(result.started_at, round(result.duration_s, 3)),
        summary=SummaryDoc(
            score=summary.score,
            objects=dict(summary.objects),
            objects_total=sum(summary.objects.values()),
            checks_run=len(result.stats),
            counts=CountsDoc.of(summary.counts),
            by_status=summary.counts.by_status(),
            failed_by_severity={s.value: n for s, n in summary.failed_by_severity.items()},
            families=[
                FamilyDoc(
                    family=f.family.value,
                    checks=f.checks,
                    score=f.score,
                    counts=CountsDoc.of(f.counts),
                    failed_by_severity={s.value: n for s, n in f.failed_by_severity.items()},
                )
                for f in summary.families
            ],
        ),
        findings=[_finding(f) for f in report.findings],
        gaps=[_gap(g) for g in report.gaps],
        checks=[_check(report, s) for s in result.stats],
        compliance=_compliance(report.compliance),
        incidents=[diagnosis_document(d) for d in report.incidents],
    )


def _compliance(compliance: Compliance | None) -> ComplianceDoc | None:
    if compliance is None:
        return None
    return ComplianceDoc(
        profile=compliance.profile,
        description=compliance.description,
        controls_total=len(compliance.controls),
        counts={status.value: n for status, n in compliance.counts().items()},
        controls=[
            ControlDoc(
                control_id=c.control_id,
                title=c.title,
                stig_ids=list(c.stig_ids),
                check_ids=list(c.check_ids),
                status=c.status.value,
                reason=c.reason,
                failed_objects=c.failed_objects,
                suppressed_objects=c.suppressed_objects,
                unknown_objects=c.unknown_objects,
                evaluations=c.evaluations,
            )
            for c in compliance.controls
        ],
    )


def _finding(f: Finding) -> FindingDoc:
    o = f.object
    sup = f.suppression
    return FindingDoc(
        check_id=f.check_id,
        name=f.name,
        title=f.title,
        family=f.family.value,
        severity=f.severity.value,
        status=f.status.value,
        object=ObjectDoc(o.type, o.id, o.name, o.cluster),
        message=f.message,
        evidence=f.evidence,
        remediation=f.remediation,
        references=f.references,
        suppression=SuppressionDoc(sup.reason, sup.expires) if sup else None,
    )


def _gap(g: Gap) -> GapDoc:
    return GapDoc(g.what, g.reason, g.object_type, g.object_id, g.object_name, g.source)


def _check(report: Report, s: CheckStats) -> CheckDoc:
    definition = report.checks.get(s.check_id)
    return CheckDoc(
        check_id=s.check_id,
        name=s.name,
        title=definition.title if definition else s.name,
        family=s.family.value,
        severity=s.severity.value,
        applies_to=definition.applies_to if definition else None,
        fix=definition.fix.value if definition else None,
        checked=s.checked,
        passed=s.passed,
        failed=s.failed,
        unknown=s.unknown,
        skipped=s.skipped,
        errors=s.errors,
    )


_ENCODER = msgspec.json.Encoder()


def render_json(report: Report) -> bytes:
    return _ENCODER.encode(build_document(report)) + b"\n"


def schema_text() -> str:
    """The JSON Schema shipped with the package (draft 2020-12)."""
    return resources.files("vmdoctor.report").joinpath("schema", SCHEMA_FILE).read_text("utf-8")


REPORTER = Reporter(
    name="json",
    extension=".json",
    description=f"machine-readable document, schema version {SCHEMA_VERSION}",
    render=render_json,
)
