"""The Report: everything a reporter renders, computed once from an Environment and a ScanResult.

Reporters only format; every number they show (counts, health scores) is computed here so the
terminal, JSON, HTML and CSV outputs can never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from vmdoctor.checks.base import CheckDef
from vmdoctor.model import (
    OBJECT_TYPES,
    CheckStats,
    Environment,
    Family,
    Finding,
    Gap,
    ScanResult,
    Severity,
    Status,
)
from vmdoctor.model.diagnosis import Diagnosis
from vmdoctor.model.finding import EvidenceValue
from vmdoctor.report.compliance import Compliance, evaluate_compliance
from vmdoctor.report.scoring import health_score

#: how lists become one text cell (evidence pairs, references) in CSV and HTML
JOINER = "; "


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """How object evaluations ended (one evaluation = one check on one object)."""

    checked: int = 0
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: int = 0
    errors: int = 0

    @classmethod
    def of(cls, stats: Iterable[CheckStats]) -> StatusCounts:
        total = Counter[str]()
        for s in stats:
            total.update(
                checked=s.checked,
                passed=s.passed,
                failed=s.failed,
                unknown=s.unknown,
                skipped=s.skipped,
                errors=s.errors,
            )
        return cls(**total)

    def by_status(self) -> dict[str, int]:
        return {
            Status.PASS.value: self.passed,
            Status.FAIL.value: self.failed,
            Status.UNKNOWN.value: self.unknown,
            Status.SKIPPED.value: self.skipped,
            Status.ERROR.value: self.errors,
        }


@dataclass(frozen=True, slots=True)
class FamilySummary:
    family: Family
    checks: int  # checks of this family that ran
    counts: StatusCounts
    failed_by_severity: Mapping[Severity, int]
    score: float | None  # None: nothing in this family could be decided (see scoring.py)


@dataclass(frozen=True, slots=True)
class Summary:
    objects: Mapping[str, int]  # inventory counts by object type
    counts: StatusCounts
    failed_by_severity: Mapping[Severity, int]  # FAIL findings only; SKIPPED ones excluded
    families: tuple[FamilySummary, ...]  # every family, in Family order, even without checks
    score: float | None  # the whole estate, same formula


@dataclass(frozen=True)
class Report:
    """The input of every reporter: ``Report(environment=env, result=result)``.

    ``checks`` is the check catalog used for metadata (titles, applies-to, fix kind); ``None``
    means the full registry. ``source_description`` defaults to the Environment's source.
    ``profile`` is the scan profile used (``--profile``); a hardening baseline (``scg-8``,
    ``stig-8``) adds compliance per control. Derived values (summary, scores, compliance) are
    computed once, on first use.
    """

    environment: Environment
    result: ScanResult
    checks_used: Iterable[CheckDef] | None = None
    source_description: str | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    profile: str | None = None
    incidents: Sequence[Diagnosis] = ()  # newest first: what `vmdoctor why` says of each

    @property
    def env(self) -> Environment:
        return self.environment

    @property
    def source(self) -> str:
        """What the user recognises: ``demo lab (demo)``."""
        return self.source_description or describe_source(self.environment)

    @cached_property
    def checks(self) -> Mapping[str, CheckDef]:
        """Check ID -> definition."""
        if self.checks_used is None:
            from vmdoctor.checks.registry import registry

            return {c.id: c for c in registry()}
        return {c.id: c for c in self.checks_used}

    @cached_property
    def summary(self) -> Summary:
        return summarize(self.environment, self.result)

    @cached_property
    def compliance(self) -> Compliance | None:
        """Compliance per control when the profile is a hardening baseline, else None."""
        if self.profile is None:
            return None
        from vmdoctor.knowledge.profiles import PROFILE_DESCRIPTIONS, profile_controls

        description = PROFILE_DESCRIPTIONS.get(self.profile)
        if description is None:
            return None
        controls = profile_controls(self.profile)
        return evaluate_compliance(self.profile, controls, self.result, description)

    @property
    def gaps(self) -> list[Gap]:
        return self.environment.gaps

    @property
    def findings(self) -> list[Finding]:
        """Non-PASS findings (sorted by the engine), then PASS ones when they were asked for."""
        if not self.result.passed_findings:
            return self.result.findings
        return [*self.result.findings, *self.result.passed_findings]


def build_report(
    environment: Environment,
    result: ScanResult,
    checks: Iterable[CheckDef] | None = None,
    *,
    source: str | None = None,
    generated_at: datetime | None = None,
    profile: str | None = None,
) -> Report:
    """A Report; ``checks`` is the registry (or any CheckDefs) for metadata, ``None`` = all."""
    return Report(
        environment=environment,
        result=result,
        checks_used=None if checks is None else tuple(checks),
        source_description=source,
        generated_at=generated_at or datetime.now(UTC),
        profile=profile,
    )


def describe_source(env: Environment) -> str:
    return f"{env.source.name} ({env.source.kind})"


def summarize(env: Environment, result: ScanResult) -> Summary:
    fails_by_family: dict[Family, Counter[Severity]] = {f: Counter() for f in Family}
    for finding in result.findings:
        if finding.status is Status.FAIL:
            fails_by_family[finding.family][finding.severity] += 1
    families = tuple(
        _family_summary(
            family,
            [s for s in result.stats if s.family == family],
            fails_by_family[family],
        )
        for family in Family
    )
    all_fails = sum(fails_by_family.values(), Counter[Severity]())
    return Summary(
        objects={kind: len(getattr(env, attr)) for kind, attr in OBJECT_TYPES.items()},
        counts=StatusCounts.of(result.stats),
        failed_by_severity=_all_severities(all_fails),
        families=families,
        score=health_score(result.stats, all_fails),
    )


def _family_summary(
    family: Family, stats: list[CheckStats], fails: Counter[Severity]
) -> FamilySummary:
    return FamilySummary(
        family=family,
        checks=len(stats),
        counts=StatusCounts.of(stats),
        failed_by_severity=_all_severities(fails),
        score=health_score(stats, fails),
    )


def _all_severities(counts: Mapping[Severity, int]) -> dict[Severity, int]:
    """Every severity, most severe first, so reporters show zeros instead of omitting them."""
    return {s: counts.get(s, 0) for s in reversed(Severity)}


def evidence_text(evidence: Mapping[str, EvidenceValue]) -> str:
    """``free_pct=2.1; thin=true``: evidence as one line of ``key=value`` pairs."""
    return JOINER.join(f"{key}={_evidence_value(value)}" for key, value in evidence.items())


def _evidence_value(value: EvidenceValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
