"""Scan reports: one module per format, all rendering the same :class:`Report`.

    report = Report(environment=env, result=result)   # or build_report(env, result, checks)
    REPORTERS["html"].write(report, ReportOptions(output=Path("report.html")))
    REPORTERS["terminal"].write(report, ReportOptions(console=console, top=15))
    body: bytes = REPORTERS["json"](report)

Adding a format is one module defining ``REPORTER`` plus one line in ``_FORMAT_MODULES``.
"""

from __future__ import annotations

from vmdoctor.report import csv_report, html, json_report, terminal
from vmdoctor.report.csv_report import render_csv
from vmdoctor.report.exit_codes import DEFAULT_FAIL_ON, ExitCode, exit_code
from vmdoctor.report.html import render_html
from vmdoctor.report.json_report import SCHEMA_VERSION, render_json, schema_text
from vmdoctor.report.model import (
    JOINER,
    FamilySummary,
    Report,
    StatusCounts,
    Summary,
    build_report,
    describe_source,
)
from vmdoctor.report.output import Reporter, ReportOptions
from vmdoctor.report.scoring import SEVERITY_WEIGHT, health_score
from vmdoctor.report.terminal import render_terminal

_FORMAT_MODULES = (terminal, json_report, html, csv_report)

#: format name (the ``--format`` value) -> reporter
REPORTERS: dict[str, Reporter] = {m.REPORTER.name: m.REPORTER for m in _FORMAT_MODULES}

__all__ = [
    "DEFAULT_FAIL_ON",
    "JOINER",
    "REPORTERS",
    "SCHEMA_VERSION",
    "SEVERITY_WEIGHT",
    "ExitCode",
    "FamilySummary",
    "Report",
    "ReportOptions",
    "Reporter",
    "StatusCounts",
    "Summary",
    "build_report",
    "describe_source",
    "exit_code",
    "health_score",
    "render_csv",
    "render_html",
    "render_json",
    "render_terminal",
    "schema_text",
]
