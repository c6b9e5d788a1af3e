"""The CSV report: one row per finding, flattened fields, no formula injection."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from report_factories import XSS, make_finding, make_result, sample_report
from vmdoctor.report import REPORTERS, ReportOptions, build_report, render_csv
from vmdoctor.report.csv_report import COLUMNS

from factories import make_env


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_finding_with_flattened_fields() -> None:
    report = sample_report()
    rows = parse(render_csv(report))
    assert len(rows) == len(report.findings)
    assert list(rows[0]) == list(COLUMNS)
    first = rows[0]
    assert first["check_id"] == "STO001"
    assert first["severity"] == "critical" and first["status"] == "FAIL"
    assert first["object_type"] == "datastore" and first["object_name"] == "ds-prod-01"
    assert first["evidence"] == "free_pct=3.9; thin=true; note="
    assert first["references"] == "VMware KB 2003964"
    assert any(r["object_name"] == f"vm-{XSS}" for r in rows)


def test_references_joined_and_multiline_text_survives() -> None:
    finding = make_finding(references=("KB 1", "KB 2"), message='line one\nline "two", three')
    rows = parse(render_csv(build_report(make_env(), make_result([finding]))))
    assert rows[0]["references"] == "KB 1; KB 2"
    assert rows[0]["message"] == 'line one\nline "two", three'


def test_formula_like_cells_are_defused() -> None:
    finding = make_finding(obj_name='=HYPERLINK("http://x","y")', message="+1 more")
    rows = parse(render_csv(build_report(make_env(), make_result([finding]))))
    assert rows[0]["object_name"].startswith("'=")
    assert rows[0]["message"] == "'+1 more"


def test_no_findings_is_a_header_only_file() -> None:
    text = render_csv(build_report(make_env(), make_result([], passed={"STO001": 1})))
    assert text == ",".join(COLUMNS) + "\r\n"


def test_writer_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "scan.csv"
    REPORTERS["csv"].write(sample_report(), ReportOptions(output=target))
    assert len(parse(target.read_text("utf-8"))) == 6
