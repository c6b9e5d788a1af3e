"""The `why` and `incidents` commands end to end on a saved scenario snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagnose.scenarios._lab import Builder, background
from vmdoctor.cli.app import app
from vmdoctor.sources import snapshot

runner = CliRunner()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> str:
    b = background(Builder())
    b.vmx(
        "vm1",
        -0.1,
        "[msg.hbacommon.outofspace] There is no more space for virtual disk "
        "'app-db-01-000002.vmdk'. <script>alert(1)</script>",
    )
    b.vmx("vm1", -0.1, "Msg_Question:")
    b.ds_kw["ds1"] = {"free_bytes": 0}
    path = tmp_path_factory.mktemp("why") / "env.json.gz"
    snapshot.save(b.build(), path)
    return str(path)


def test_why_terminal_tells_the_story(source: str) -> None:
    result = runner.invoke(app, ["why", "app-db-01", "-s", source, "--no-checks"])
    assert result.exit_code == 0, result.output
    assert "Verdict" in result.output and "datastore ran out of space" in result.output


def test_why_json_follows_the_schema(source: str, tmp_path: Path) -> None:
    out = tmp_path / "why.json"
    result = runner.invoke(
        app, ["why", "app-db-01", "-s", source, "--no-checks", "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["schema_version"] == "1.1" and doc["symptom"]["kind"] == "vm-stunned"
    top = doc["causes"][0]
    assert {
        "rank",
        "family",
        "title",
        "confidence",
        "evidence",
        "remediation",
        "prevention",
    } <= set(top)
    assert top["family"] in {"resources", "compatibility", "configuration", "storage", "security"}
    assert all({"time", "source", "text"} <= set(e) for e in top["evidence"])
    # 1.1: the cause chain, root first, the symptom last
    assert top["chain"][-1]["object"]["name"] == "app-db-01"
    assert all({"statement", "family"} <= set(step) for step in top["chain"])


def test_why_without_target_lists_diagnoses(source: str) -> None:
    result = runner.invoke(app, ["why", "-s", source, "--no-checks", "-f", "json"])
    doc = json.loads(result.output)
    assert doc["diagnoses"] and "symptom" in doc["diagnoses"][0]


def test_why_html_escapes_log_text(source: str, tmp_path: Path) -> None:
    out = tmp_path / "why.html"
    runner.invoke(app, ["why", "-s", source, "--no-checks", "-f", "html", "-o", str(out)])
    page = out.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_unknown_target_is_one_line_exit_3(source: str) -> None:
    result = runner.invoke(app, ["why", "app-db-1", "-s", source, "--no-checks"])
    assert result.exit_code == 3
    assert "did you mean app-db-01" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("flag", "value"), [("--at", "25:99"), ("--window", "two hours")])
def test_bad_time_options_are_clear_errors(source: str, flag: str, value: str) -> None:
    result = runner.invoke(app, ["why", "-s", source, "--no-checks", flag, value])
    assert result.exit_code == 3 and flag in result.output and "Traceback" not in result.output


def test_incidents_lists_symptoms(source: str) -> None:
    result = runner.invoke(app, ["incidents", source])
    assert result.exit_code == 0 and "app-db-01" in result.output and "vm-stunned" in result.output
