"""The demo lab and the checks agree: every planted problem is flagged, and the default scan
flags nothing on an object where nothing was planted."""

from __future__ import annotations

from functools import cache

from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.config import DEFAULT_CONFIG, select_checks
from vmdoctor.model import ScanResult, Status
from vmdoctor.sources.demo import DemoLab, build_lab


@cache
def _scan() -> tuple[DemoLab, ScanResult]:
    lab = build_lab()
    return lab, run_checks(lab.environment, select_checks(DEFAULT_CONFIG, registry()))


def test_every_planted_problem_is_flagged_by_one_of_its_checks() -> None:
    lab, result = _scan()
    failed = {(f.check_id, f.object.id) for f in result.findings if f.status is Status.FAIL}
    missed = [
        f"{p.id} {p.kind} on {p.object_name} (expected {', '.join(p.check_ids)})"
        for p in lab.planted
        if p.check_ids and not any((c, p.object_id) in failed for c in p.check_ids)
    ]
    assert not missed
    assert sum(1 for p in lab.planted if p.check_ids) >= 140


def test_failures_land_only_on_objects_with_a_planted_problem() -> None:
    lab, result = _scan()
    planted_objects = {p.object_id for p in lab.planted}
    stray = sorted(
        f"{f.check_id} on {f.object.name}: {f.message}"
        for f in result.findings
        if f.status is Status.FAIL and f.object.id not in planted_objects
    )
    assert not stray
