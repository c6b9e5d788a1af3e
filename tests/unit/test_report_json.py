"""The JSON report validates against the shipped schema, and the schema itself is valid."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from report_factories import XSS, make_finding, make_result, sample_report
from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.model import Severity, Status, Suppression
from vmdoctor.report import REPORTERS, SCHEMA_VERSION, ReportOptions, build_report, render_json
from vmdoctor.report.json_report import schema_text

from factories import make_env

DOCS = Path(__file__).parents[2] / "docs" / "json-schema.md"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_sample_report_validates(validator: jsonschema.protocols.Validator) -> None:
    doc = json.loads(render_json(sample_report()))
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, errors[0]


def test_real_engine_report_validates(validator: jsonschema.protocols.Validator) -> None:
    env = make_env()
    doc = json.loads(render_json(build_report(env, run_checks(env, registry()), registry())))
    assert not list(validator.iter_errors(doc))
    assert doc["summary"]["checks_run"] == len(registry())
    assert {c["check_id"] for c in doc["checks"]} == {c.id for c in registry()}


def test_validation_catches_a_broken_document(validator: jsonschema.protocols.Validator) -> None:
    doc = json.loads(render_json(sample_report()))
    doc["findings"][0]["severity"] = "urgent"
    del doc["summary"]["counts"]
    assert len(list(validator.iter_errors(doc))) == 2


def test_fields_and_values() -> None:
    doc = json.loads(render_json(sample_report()))
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["source"]["description"] == "factories (test)"
    assert doc["summary"]["by_status"]["FAIL"] == 4
    assert doc["summary"]["failed_by_severity"]["critical"] == 1
    first = doc["findings"][0]
    assert first["check_id"] == "STO001"
    assert first["object"] == {
        "type": "datastore",
        "id": "ds1",
        "name": "ds-prod-01",
        "cluster": None,
    }
    assert first["evidence"] == {"free_pct": 3.9, "thin": True, "note": None}
    assert first["references"] == ["VMware KB 2003964"]
    assert first["suppression"] is None
    assert any(f["object"]["name"] == f"vm-{XSS}" for f in doc["findings"])  # kept verbatim
    assert [g["what"] for g in doc["gaps"]] == ["metrics", "host.config"]
    families = {f["family"]: f for f in doc["summary"]["families"]}
    assert families["configuration"]["score"] is None  # only an ERROR: nothing decided
    assert families["security"]["counts"]["failed"] == 2


def test_empty_defaults_are_present_not_omitted(validator: jsonschema.protocols.Validator) -> None:
    bare = make_finding(evidence={}, references=(), message="")
    doc = json.loads(render_json(build_report(make_env(), make_result([bare]))))
    assert doc["findings"][0]["evidence"] == {}
    assert doc["findings"][0]["references"] == []
    assert not list(validator.iter_errors(doc))


def test_suppressed_and_passed_findings(validator: jsonschema.protocols.Validator) -> None:
    from datetime import date

    import msgspec

    skipped = msgspec.structs.replace(
        make_finding(status=Status.SKIPPED),
        suppression=Suppression(reason="lab", expires=date(2027, 3, 31)),
    )
    passed = make_finding("RES001", status=Status.PASS, severity=Severity.LOW, message="")
    result = make_result([skipped], passed_findings=[passed])
    doc = json.loads(render_json(build_report(make_env(), result)))
    assert doc["findings"][0]["suppression"] == {"reason": "lab", "expires": "2027-03-31"}
    assert doc["findings"][1]["status"] == "PASS"
    assert not list(validator.iter_errors(doc))


def test_writer_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "scan.json"
    REPORTERS["json"].write(sample_report(), ReportOptions(output=target))
    assert json.loads(target.read_bytes())["schema_version"] == SCHEMA_VERSION


def test_docs_describe_every_top_level_and_finding_field() -> None:
    text = DOCS.read_text("utf-8")
    schema = json.loads(schema_text())
    fields = [*schema["properties"], *schema["$defs"]["finding"]["properties"]]
    missing = [f for f in fields if not re.search(rf"`{re.escape(f)}`", text)]
    assert not missing, f"docs/json-schema.md does not mention {missing}"
    assert f"`{SCHEMA_VERSION}`" in text
