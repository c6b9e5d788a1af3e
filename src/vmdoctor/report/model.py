"""The Report: everything a reporter renders, computed once from an Environment and a ScanResult.

Reporters only format; every number they show (counts, health scores) is computed here so the
terminal, JSON, HTML and CSV outputs can never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

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
from vmdoctor.report.scoring import health_score


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


@dataclass(frozen=True, slots=True)
class Report:
    """The input of every reporter. Build it with :func:`build_report`."""

    env: Environment
    result: ScanResult
    checks: Mapping[str, CheckDef]  # check ID -> definition (titles, docs, fix kind)
    source: str  # what the user recognises: "demo lab (demo)"
    generated_at: datetime
    summary: Summary

    @property
    def gaps(self) -> list[Gap]:
        return self.env.gaps

    @property
    def findings(self) -> list[Finding]:
        """Non-PASS findings (sorted by the engine), then PASS ones when they were asked for."""
        if not self.result.passed_findings:
            return self.result.findings
        return [*self.result.findings, *self.result.passed_findings]


def build_report(
    env: Environment,
    result: ScanResult,
    checks: Iterable[CheckDef] = (),
    *,
    source: str | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """Assemble a Report; ``checks`` is the registry (or any iterable of CheckDef) for metadata."""
    return Report(
        env=env,
        result=result,
        checks={c.id: c for c in checks},
        source=source if source is not None else describe_source(env),
        generated_at=generated_at or datetime.now(UTC),
        summary=summarize(env, result),
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
