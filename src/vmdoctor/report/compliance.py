"""Compliance per control of a hardening baseline (``scan --profile scg-8`` / ``stig-8``).

A pure function of the baseline's controls and a ScanResult: no I/O, no registry. Each control
ends in one status:

- ``pass``: every check mapped to it ran and passed on every object it applies to;
- ``fail``: at least one object failed (or failed but is suppressed: an accepted exception is
  still a deviation from the baseline, so it never counts as compliant);
- ``unknown``: nothing failed, but some object could not be decided (data missing, the check
  errored) or a mapped check did not run;
- ``not-applicable``: the mapped checks ran but no object was in their scope (no distributed
  port group, no vCenter in the source);
- ``manual``: the vSphere API cannot show the value: it needs a manual review and is never
  reported as passed;
- ``not-covered``: vmdoctor has no check for it yet.

A check can verify several controls at once (SEC014 covers three port-group policies); its
failure then fails every control it is mapped to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from vmdoctor.knowledge.tables import ProfileControl
from vmdoctor.model import CheckStats, Finding, ScanResult, Status


class ControlStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"
    MANUAL = "manual"
    NOT_COVERED = "not-covered"


MANUAL_REVIEW = "needs manual review: the vSphere API cannot show this setting"
NOT_COVERED = "no vmdoctor check yet"


@dataclass(frozen=True, slots=True)
class ControlResult:
    control_id: str
    title: str
    stig_ids: tuple[str, ...]
    check_ids: tuple[str, ...]
    status: ControlStatus
    reason: str  # one line for a person: why this status
    failed_objects: int = 0  # distinct objects with a FAIL (suppressed ones excluded)
    suppressed_objects: int = 0  # distinct objects whose failure is suppressed
    unknown_objects: int = 0  # distinct objects with UNKNOWN or ERROR
    evaluations: int = 0  # object evaluations of the mapped checks (not applicable excluded)


@dataclass(frozen=True, slots=True)
class Compliance:
    profile: str
    controls: tuple[ControlResult, ...]
    description: str = ""

    def counts(self) -> dict[ControlStatus, int]:
        """Controls per status, every status present, in ControlStatus order."""
        out = dict.fromkeys(ControlStatus, 0)
        for control in self.controls:
            out[control.status] += 1
        return out

    def with_status(self, *statuses: ControlStatus) -> list[ControlResult]:
        return [c for c in self.controls if c.status in statuses]


def evaluate_compliance(
    profile: str,
    controls: Iterable[ProfileControl],
    result: ScanResult,
    description: str = "",
) -> Compliance:
    """The status of every control of ``profile`` given what the scan found."""
    stats = {s.check_id: s for s in result.stats}
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_check[finding.check_id].append(finding)
    return Compliance(
        profile=profile,
        controls=tuple(_control(row, stats, by_check) for row in controls),
        description=description,
    )


def _control(
    row: ProfileControl,
    stats: Mapping[str, CheckStats],
    by_check: Mapping[str, Sequence[Finding]],
) -> ControlResult:
    def result(status: ControlStatus, reason: str, **counts: int) -> ControlResult:
        return ControlResult(
            control_id=row.control_id,
            title=row.title or row.control_id,
            stig_ids=row.disa_stig_ids,
            check_ids=row.check_ids,
            status=status,
            reason=reason,
            **counts,
        )

    if row.status == "manual":
        return result(ControlStatus.MANUAL, MANUAL_REVIEW)
    if row.status == "not-covered" or not row.check_ids:
        return result(ControlStatus.NOT_COVERED, NOT_COVERED)

    not_run = [c for c in row.check_ids if c not in stats]
    failed: set[tuple[str, str]] = set()
    suppressed: set[tuple[str, str]] = set()
    undecided: set[tuple[str, str]] = set()
    first_undecided = ""  # an example of what is missing, e.g. the collector's gap reason
    for check_id in row.check_ids:
        for f in by_check.get(check_id, ()):
            key = (f.object.type, f.object.id)
            if f.status is Status.FAIL:
                failed.add(key)
            elif f.status is Status.SKIPPED and f.suppression is not None:
                suppressed.add(key)
            elif f.status in (Status.UNKNOWN, Status.ERROR):
                undecided.add(key)
                first_undecided = first_undecided or f"{f.check_id}: {f.message}"
    suppressed -= failed
    undecided -= failed | suppressed
    evaluations = sum(stats[c].checked for c in row.check_ids if c in stats)
    counts = {
        "failed_objects": len(failed),
        "suppressed_objects": len(suppressed),
        "unknown_objects": len(undecided),
        "evaluations": evaluations,
    }
    if failed or suppressed:
        parts = []
        if failed:
            parts.append(f"{len(failed)} object{_s(len(failed))} fail{_verb_s(len(failed))}")
        if suppressed:
            parts.append(f"{len(suppressed)} suppressed")
        return result(ControlStatus.FAIL, ", ".join(parts), **counts)
    if not_run:
        return result(
            ControlStatus.UNKNOWN, f"check {', '.join(not_run)} did not run in this scan", **counts
        )
    if undecided:
        return result(
            ControlStatus.UNKNOWN,
            f"{len(undecided)} object{_s(len(undecided))} could not be decided "
            f"(e.g. {first_undecided})",
            **counts,
        )
    if evaluations == 0:
        return result(ControlStatus.NOT_APPLICABLE, "no object in scope of its checks", **counts)
    return result(ControlStatus.PASS, f"{evaluations} evaluation{_s(evaluations)} passed", **counts)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _verb_s(n: int) -> str:
    return "s" if n == 1 else ""
