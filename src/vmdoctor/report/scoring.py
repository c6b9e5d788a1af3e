"""Health scores: how much of what could be decided is healthy, weighted by severity.

    score = 100 × P / (P + F)

    P = Σ over checks of  passed(check) × weight(severity of the check)
    F = Σ over FAIL findings of  weight(severity of the finding)

A finding's severity can be higher than its check's default (a datastore at 2 % free fails as
critical), so one critical failure outweighs many passes of a low-severity check. UNKNOWN,
SKIPPED (suppressed) and ERROR results are in neither term: they are shown next to the score,
never counted as healthy or unhealthy. When nothing could be decided (P + F = 0) the score is
``None`` ("n/a"), never 100.

Weights double per level, so a critical failure costs as much as sixteen info ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vmdoctor.model import CheckStats, Severity

SEVERITY_WEIGHT: Mapping[Severity, int] = {
    Severity.INFO: 1,
    Severity.LOW: 2,
    Severity.MEDIUM: 4,
    Severity.HIGH: 8,
    Severity.CRITICAL: 16,
}


def health_score(stats: Iterable[CheckStats], fails: Mapping[Severity, int]) -> float | None:
    """0–100 rounded to one decimal, or None when no evaluation passed or failed."""
    passed = sum(s.passed * SEVERITY_WEIGHT[s.severity] for s in stats)
    failed = sum(n * SEVERITY_WEIGHT[sev] for sev, n in fails.items())
    if passed + failed == 0:
        return None
    return round(100.0 * passed / (passed + failed), 1)
