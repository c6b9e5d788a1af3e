"""The scan report links each incident to its diagnosis: terminal, JSON and HTML."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from functools import cache

import jsonschema
import msgspec
from rich.console import Console

from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.diagnose import diagnose
from vmdoctor.model.diagnosis import Diagnosis
from vmdoctor.report import Report, render_html, render_json, render_terminal
from vmdoctor.report.json_report import schema_text
from vmdoctor.sources.demo import build_lab


@cache
def _report() -> Report:
    env = build_lab().environment
    result = run_checks(env, registry())
    return Report(environment=env, result=result, incidents=diagnose(env, findings=result.findings))


def _power_on_failure() -> Diagnosis:
    return next(d for d in _report().incidents if d.symptom.kind == "vm-power-on-failed")


def test_json_carries_incidents_and_validates() -> None:
    doc = json.loads(render_json(_report()))
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["schema_version"] == "1.2"
    assert len(doc["incidents"]) == len(_report().incidents) > 0
    first = doc["incidents"][0]
    assert first["symptom"]["target"]["name"] and first["causes"][0]["rank"] == 1
    assert first["causes"][0]["family"] in {
        "resources",
        "compatibility",
        "configuration",
        "storage",
        "security",
    }


def test_json_schema_requires_incidents_from_1_2() -> None:
    doc = json.loads(render_json(_report()))
    del doc["incidents"]
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    assert not validator.is_valid(doc)
    doc["schema_version"] = "1.1"
    assert validator.is_valid(doc)


def test_terminal_shows_each_incident_with_its_cause_and_the_why_command() -> None:
    out = io.StringIO()
    render_terminal(_report(), Console(file=out, width=200))
    text = out.getvalue()
    failure = _power_on_failure()
    assert "Incidents (" in text
    assert failure.symptom.title in text
    assert f"vmdoctor why {failure.symptom.target.name}" in text
    assert failure.causes[0].title in text


def test_html_has_an_incident_section_with_escaped_evidence() -> None:
    report = _report()
    failure = _power_on_failure()
    cause = failure.causes[0]
    evidence = msgspec.structs.replace(cause.evidence[0], text='<script>alert("x")</script>')
    hostile = msgspec.structs.replace(
        failure, causes=[msgspec.structs.replace(cause, evidence=[evidence])]
    )
    html = render_html(replace(report, incidents=[hostile]))
    assert 'id="incidents"' in html
    assert failure.symptom.title in html
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(" in html


def test_no_incidents_no_section() -> None:
    report = replace(_report(), incidents=())
    assert 'id="incidents"' not in render_html(report)
    assert json.loads(render_json(report))["incidents"] == []


def test_terminal_incidents_fold_on_a_narrow_console_and_tell_the_root() -> None:
    out = io.StringIO()
    render_terminal(_report(), Console(file=out, width=60, force_terminal=False))
    text = out.getvalue()
    section = text.split("Incidents (", 1)[1]
    squashed = "".join(section.split())
    failure = _power_on_failure()
    assert "".join(failure.verdict.split()) in squashed  # whole verdict, folded not cut
    assert "".join(failure.causes[0].title.split()) in squashed
    assert "why:" in section  # the chain's root and consequence, when there is one
