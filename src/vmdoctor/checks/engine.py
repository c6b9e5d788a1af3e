"""Runs checks over an Environment: dispatch by object type, isolation, suppression, counting."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from vmdoctor.checks.base import (
    Analysis,
    CheckContext,
    CheckDef,
    Outcome,
    is_not_applicable,
    unknown,
)
from vmdoctor.config import DEFAULT_CONFIG, Config, SuppressRule, severity_for, thresholds_for
from vmdoctor.model import (
    CheckStats,
    Cluster,
    Environment,
    Finding,
    ObjectRef,
    ScanResult,
    Status,
    Suppression,
)

if TYPE_CHECKING:
    from vmdoctor.knowledge import Knowledge


def run_checks(
    env: Environment,
    checks: Iterable[CheckDef],
    config: Config = DEFAULT_CONFIG,
    *,
    include_pass: bool = False,
    knowledge: Knowledge | None = None,
) -> ScanResult:
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    analysis = Analysis(env, knowledge)
    today = env.collected_at.date()
    cluster_names = {c.id: c.name for c in env.clusters}
    # objects a source only names (a VM seen in a log, no inventory): nothing to judge them on
    unseen_objects = {g.object_id: g for g in env.gaps if g.what == "inventory" and g.object_id}
    findings: list[Finding] = []
    passed: list[Finding] = []
    stats: list[CheckStats] = []
    for chk in checks:
        ctx = CheckContext(analysis, thresholds_for(config, chk))
        severity = severity_for(config, chk) or chk.severity
        rules = [r for r in config.suppress if _names(chk, r.check)]
        stat = CheckStats(check_id=chk.id, name=chk.name, family=chk.family, severity=severity)
        stats.append(stat)
        fn = chk.fn
        for obj in env.objects(chk.applies_to):
            unseen = unseen_objects.get(obj.id) if unseen_objects else None
            try:
                outcome = unknown(unseen.reason) if unseen else fn(obj, ctx)
            except Exception as exc:
                outcome = Outcome(Status.ERROR, f"check failed: {type(exc).__name__}: {exc}")
            if is_not_applicable(outcome):
                continue
            stat.checked += 1
            status = outcome.status
            if status is Status.PASS:
                stat.passed += 1
                if not include_pass:
                    continue
            suppression = None
            if status is not Status.PASS and rules:
                suppression = _suppressed(rules, obj, today)
                if suppression is not None:
                    status = Status.SKIPPED
            finding = Finding(
                check_id=chk.id,
                name=chk.name,
                title=chk.title,
                family=chk.family,
                severity=outcome.severity
                if outcome.severity and status is Status.FAIL
                else severity,
                status=status,
                object=ObjectRef(
                    type=chk.applies_to,
                    id=obj.id,
                    name=obj.name,
                    cluster=cluster_names.get(_cluster_id(obj) or ""),
                ),
                message=outcome.message,
                evidence=dict(outcome.evidence),
                remediation=chk.remediation,
                references=list(chk.references),
                suppression=suppression,
            )
            if status is Status.PASS:
                passed.append(finding)
                continue
            _count(stat, status)
            findings.append(finding)
    findings.sort(key=_finding_order)
    return ScanResult(
        started_at=started,
        duration_s=time.perf_counter() - t0,
        findings=findings,
        stats=stats,
        passed_findings=passed,
    )


def _names(chk: CheckDef, key: str) -> bool:
    key = key.lower()
    return key in {chk.id.lower(), chk.name, *chk.aliases}


def _suppressed(rules: list[SuppressRule], obj: Any, today: Any) -> Suppression | None:
    for rule in rules:
        if rule.active(today) and rule.matches(obj.id, obj.name):
            return Suppression(reason=rule.reason, expires=rule.expires)
    return None


def _cluster_id(obj: Any) -> str | None:
    if isinstance(obj, Cluster):
        return obj.id
    return getattr(obj, "cluster_id", None)


def _count(stat: CheckStats, status: Status) -> None:
    if status is Status.FAIL:
        stat.failed += 1
    elif status is Status.UNKNOWN:
        stat.unknown += 1
    elif status is Status.SKIPPED:
        stat.skipped += 1
    elif status is Status.ERROR:
        stat.errors += 1


_STATUS_ORDER = {
    Status.FAIL: 0,
    Status.ERROR: 1,
    Status.UNKNOWN: 2,
    Status.SKIPPED: 3,
    Status.PASS: 4,
}


def _finding_order(f: Finding) -> tuple[int, int, str, str]:
    return (_STATUS_ORDER[f.status], -f.severity.rank, f.check_id, f.object.name)
