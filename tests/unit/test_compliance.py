"""Compliance per control: a pure function of (baseline controls, ScanResult)."""

from __future__ import annotations

from typing import Any

import msgspec

from report_factories import make_finding, make_result
from vmdoctor.knowledge.tables import ProfileControl
from vmdoctor.model import ScanResult, Status, Suppression
from vmdoctor.report.compliance import ControlStatus, evaluate_compliance


def control(control_id: str, status: str, *checks: str, stig: tuple[str, ...] = ()) -> Any:
    return ProfileControl(
        profile="scg-8",
        control_id=control_id,
        disa_stig_ids=stig,
        check_ids=checks,
        status=status,  # type: ignore[arg-type]
        title=f"title of {control_id}",
        confidence="high",
        source="test",
    )


def host_finding(check_id: str, host_id: str, status: Status = Status.FAIL) -> Any:
    return make_finding(check_id, status=status, obj_type="host", obj_id=host_id, obj_name=host_id)


def status_of(row: ProfileControl, result: ScanResult) -> Any:
    return evaluate_compliance("scg-8", [row], result).controls[0]


def test_pass_needs_every_mapped_check_passing_on_every_object() -> None:
    result = make_result([], passed={"SEC004": 3, "SEC005": 3})
    c = status_of(control("esxi-8.ssh", "automated", "SEC004", "SEC005", stig=("X-1",)), result)
    assert c.status is ControlStatus.PASS
    assert (c.evaluations, c.failed_objects, c.stig_ids) == (6, 0, ("X-1",))
    assert c.title == "title of esxi-8.ssh"


def test_fail_counts_distinct_failing_objects_across_checks() -> None:
    findings = [host_finding("SEC004", "h1"), host_finding("SEC005", "h1"),
                host_finding("SEC005", "h2")]  # fmt: skip
    result = make_result(findings, passed={"SEC004": 2})
    c = status_of(control("esxi-8.shells", "automated", "SEC004", "SEC005"), result)
    assert c.status is ControlStatus.FAIL
    assert c.failed_objects == 2 and "2 objects fail" in c.reason


def test_fail_wins_over_unknown() -> None:
    findings = [host_finding("SEC004", "h1"), host_finding("SEC004", "h2", Status.UNKNOWN)]
    c = status_of(control("c", "automated", "SEC004"), make_result(findings))
    assert c.status is ControlStatus.FAIL
    assert (c.failed_objects, c.unknown_objects) == (1, 1)


def test_suppressed_failure_is_still_a_deviation() -> None:
    suppressed = msgspec.structs.replace(
        host_finding("SEC004", "h1", Status.SKIPPED), suppression=Suppression(reason="vendor tool")
    )
    c = status_of(control("c", "automated", "SEC004"), make_result([suppressed], {"SEC004": 1}))
    assert c.status is ControlStatus.FAIL
    assert (c.failed_objects, c.suppressed_objects) == (0, 1) and "suppressed" in c.reason


def test_unknown_when_data_is_missing_or_the_check_errored() -> None:
    for status in (Status.UNKNOWN, Status.ERROR):
        findings = [host_finding("SEC021", "h1", status)]
        c = status_of(control("c", "automated", "SEC021"), make_result(findings, {"SEC021": 4}))
        assert c.status is ControlStatus.UNKNOWN, status
        assert c.unknown_objects == 1 and "could not be decided" in c.reason


def test_unknown_when_a_mapped_check_did_not_run() -> None:
    result = make_result([], passed={"SEC004": 2})
    c = status_of(control("c", "automated", "SEC004", "SEC005"), result)
    assert c.status is ControlStatus.UNKNOWN and "SEC005 did not run" in c.reason


def test_not_applicable_when_no_object_is_in_scope() -> None:
    result = make_result([], passed={"SEC015": 0})
    c = status_of(control("vcenter-8.dvpg", "automated", "SEC015"), result)
    assert c.status is ControlStatus.NOT_APPLICABLE


def test_manual_is_never_passed_even_when_everything_else_passes() -> None:
    result = make_result([], passed={"SEC004": 5})
    c = status_of(control("esxi-8.ssh-fips", "manual"), result)
    assert c.status is ControlStatus.MANUAL and "manual review" in c.reason


def test_not_covered_controls() -> None:
    c = status_of(control("vm-8.pci", "not-covered"), make_result([], {"SEC004": 1}))
    assert c.status is ControlStatus.NOT_COVERED


def test_counts_have_every_status_and_sum_to_the_controls() -> None:
    rows = [
        control("a", "automated", "SEC004"),
        control("b", "automated", "SEC005"),
        control("c", "manual"),
        control("d", "not-covered"),
    ]
    result = make_result([host_finding("SEC005", "h1")], passed={"SEC004": 1})
    compliance = evaluate_compliance("scg-8", rows, result, "desc")
    counts = compliance.counts()
    assert list(counts) == list(ControlStatus)
    assert counts[ControlStatus.PASS] == 1 and counts[ControlStatus.FAIL] == 1
    assert sum(counts.values()) == len(rows)
    assert [c.control_id for c in compliance.with_status(ControlStatus.FAIL)] == ["b"]
    assert compliance.description == "desc"


def test_real_baseline_maps_every_automated_control_to_a_registered_check() -> None:
    from vmdoctor.checks.registry import registry
    from vmdoctor.knowledge.profiles import profile_controls

    rows = profile_controls("scg-8")
    assert all(r.title for r in rows)
    for row in rows:
        for check_id in row.check_ids:
            assert registry().find(check_id) is not None, (row.control_id, check_id)
    automated = [r for r in rows if r.status == "automated"]
    assert len(automated) >= 70
