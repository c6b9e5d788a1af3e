"""Compliance in the reports: JSON (schema 1.1), terminal and HTML sections."""

from __future__ import annotations

import io
import json
from functools import cache

import jsonschema
import pytest
from rich.console import Console

from report_factories import sample_report
from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.config import DEFAULT_CONFIG, select_checks
from vmdoctor.model import HostService
from vmdoctor.report import SCHEMA_VERSION, Report, render_html, render_json, render_terminal
from vmdoctor.report.compliance import ControlStatus
from vmdoctor.report.json_report import schema_text

from factories import make_env, make_host


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(
        json.loads(schema_text()), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@cache
def baseline_report(profile: str = "scg-8") -> Report:
    """A scan of one host with SSH running, through the baseline's checks only."""
    host = make_host(
        services=[
            HostService(key="TSM-SSH", label="SSH", running=True, policy="on"),
            HostService(key="TSM", label="ESXi Shell", running=False, policy="off"),
        ]
    )
    env = make_env(hosts=[host])
    checks = select_checks(DEFAULT_CONFIG, registry(), profile)
    return Report(environment=env, result=run_checks(env, checks), profile=profile)


def controls_by_id(doc: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {c["control_id"]: c for c in doc["compliance"]["controls"]}


def test_json_has_compliance_per_control_and_validates(validator) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(render_json(baseline_report()))
    assert not sorted(validator.iter_errors(doc), key=str)
    comp = doc["compliance"]
    assert comp["profile"] == "scg-8" and comp["controls_total"] == len(comp["controls"])
    assert sum(comp["counts"].values()) == comp["controls_total"]
    controls = controls_by_id(doc)
    ssh = controls["esxi-8.deactivate-ssh"]
    assert ssh["status"] == "fail" and ssh["failed_objects"] == 1
    assert ssh["stig_ids"] == ["ESXI-80-000193"] and ssh["check_ids"] == ["SEC004"]
    assert controls["esxi-8.deactivate-shell"]["status"] == "pass"
    assert controls["esxi-8.ssh-fips"]["status"] == "manual"
    # the factory host has no Mem.MemEagerZero: undecided, never passed
    assert controls["esxi-8.memeagerzero"]["status"] == "unknown"


def test_stig_profile_lists_only_controls_with_stig_ids() -> None:
    doc = json.loads(render_json(baseline_report("stig-8")))
    assert doc["compliance"]["profile"] == "stig-8"
    assert all(c["stig_ids"] for c in doc["compliance"]["controls"])


def test_compliance_is_null_without_a_baseline_profile(validator) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(render_json(sample_report()))
    assert doc["compliance"] is None and doc["schema_version"] == SCHEMA_VERSION
    assert not list(validator.iter_errors(doc))
    storage = sample_report(profile="storage")
    assert storage.compliance is None


def test_schema_stays_backward_compatible_with_1_0_documents(validator) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(render_json(sample_report()))
    del doc["compliance"]
    assert list(validator.iter_errors(doc)), "a 1.1 document must carry compliance"
    doc["schema_version"] = "1.0"
    assert not list(validator.iter_errors(doc))


def test_schema_rejects_an_unknown_control_status(validator) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(render_json(baseline_report()))
    doc["compliance"]["controls"][0]["status"] = "passed-probably"
    assert len(list(validator.iter_errors(doc))) == 1


def render(report: Report) -> str:
    buffer = io.StringIO()
    render_terminal(report, Console(file=buffer, width=160), top=5)
    return buffer.getvalue()


def test_terminal_shows_counts_failing_controls_and_manual_hint() -> None:
    out = render(baseline_report())
    assert "Compliance: scg-8" in out
    comp = baseline_report().compliance
    assert comp is not None
    counts = comp.counts()
    assert " ".join(f"{s.value} {n}" for s, n in counts.items()) in " ".join(out.split())
    assert "esxi-8.deactivate-ssh" in out and "ESXI-80-000193" in out
    # passing controls are not listed, failing ones before undecided ones
    assert "esxi-8.deactivate-shell " not in out
    first_unknown = comp.with_status(ControlStatus.UNKNOWN)[0].control_id
    assert out.index("esxi-8.deactivate-ssh") < out.index(first_unknown)
    if len(comp.with_status(ControlStatus.FAIL, ControlStatus.UNKNOWN)) > 25:
        assert "more (HTML or JSON report)" in out
    assert "vmdoctor kb profile scg-8 --status manual" in out


def test_terminal_has_no_compliance_section_without_a_baseline() -> None:
    assert "Compliance:" not in render(sample_report())


def test_html_compliance_table_with_filters() -> None:
    page = render_html(baseline_report())
    comp = baseline_report().compliance
    assert comp is not None
    assert 'id="compliance-table"' in page and 'href="#compliance"' in page
    assert page.count("<tr data-status=") == len(comp.controls)
    assert 'data-status="fail"><td class="control-fail">fail</td><td>esxi-8.deactivate-ssh' in page
    assert 'id="control-filter-status"' in page and 'id="control-filter-text"' in page
    assert 'id="compliance-table"' not in render_html(sample_report())
