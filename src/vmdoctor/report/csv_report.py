"""The CSV report: one row per finding, the JSON finding fields flattened.

Evidence becomes ``key=value`` pairs and references one cell, both joined by ``"; "``.
Text that a spreadsheet would run as a formula (starting with = + - @ or a tab) gets a leading
apostrophe: object names and messages come from the estate, and a VM named ``=HYPERLINK(...)``
must not become a live formula when the file is opened in Excel.
"""

from __future__ import annotations

import csv
import io

from vmdoctor.model import Finding
from vmdoctor.report.model import JOINER, Report, evidence_text
from vmdoctor.report.output import Reporter, utf8

COLUMNS = (
    "check_id",
    "name",
    "title",
    "family",
    "severity",
    "status",
    "object_type",
    "object_id",
    "object_name",
    "object_cluster",
    "message",
    "evidence",
    "remediation",
    "references",
    "suppression_reason",
    "suppression_expires",
)
_FORMULA_START = frozenset("=+-@\t\r")


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    per_check: dict[str, tuple[str, str, str]] = {}  # constant cells, defused once per check
    writer.writerows(_row(f, per_check) for f in report.findings)
    return buffer.getvalue()


def _row(f: Finding, per_check: dict[str, tuple[str, str, str]]) -> tuple[str, ...]:
    fixed = per_check.get(f.check_id)
    if fixed is None:
        fixed = per_check[f.check_id] = (
            _defuse(f.title),
            _defuse(f.remediation),
            _defuse(JOINER.join(f.references)),
        )
    title, remediation, references = fixed
    sup = f.suppression
    o = f.object
    return (
        f.check_id,
        f.name,
        title,
        f.family.value,
        f.severity.value,
        f.status.value,
        o.type,
        _defuse(o.id),
        _defuse(o.name),
        _defuse(o.cluster or ""),
        _defuse(f.message),
        _defuse(evidence_text(f.evidence)) if f.evidence else "",
        remediation,
        references,
        _defuse(sup.reason) if sup else "",
        sup.expires.isoformat() if sup and sup.expires else "",
    )


def _defuse(cell: str) -> str:
    return "'" + cell if cell[:1] in _FORMULA_START else cell


REPORTER = Reporter(
    name="csv",
    extension=".csv",
    description="one row per finding, for spreadsheets",
    render=utf8(render_csv),
)
