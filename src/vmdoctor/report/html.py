"""The HTML report: one self-contained file rendered from Jinja2 templates with autoescape.

Nothing is fetched at view time: CSS and JS are inlined from ``templates/``, charts are inline
SVG drawn by the template, and findings travel as one JSON blob that report.js pages through,
so a report with 200k findings opens in a browser without 200k table rows in the DOM.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2

from vmdoctor import __version__
from vmdoctor.model import CheckStats, Family, Gap
from vmdoctor.report.charts import datastore_usage, host_load, severity_columns
from vmdoctor.report.html_payload import build_payload, json_for_script
from vmdoctor.report.model import FamilySummary, Report
from vmdoctor.report.output import Reporter, utf8

MAX_GAPS_LISTED = 2000  # beyond this the JSON report has them all


@dataclass(frozen=True, slots=True)
class CheckRow:
    stats: CheckStats
    title: str
    applies_to: str
    fix: str


@dataclass(frozen=True, slots=True)
class FamilySection:
    summary: FamilySummary
    checks: tuple[CheckRow, ...]  # most failures first

    @property
    def family(self) -> Family:
        return self.summary.family


@cache
def _jinja() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("vmdoctor.report", "templates"),
        autoescape=True,  # every template, whatever its extension (.css/.js are only included)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = _format_score
    env.filters["score_level"] = _score_level
    return env


def _format_score(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1f}"


def _score_level(score: float | None) -> str:
    if score is None:
        return "none"
    return "ok" if score >= 90 else "warn" if score >= 70 else "crit"


def render_html(report: Report) -> str:
    template = _jinja().get_template("report.html.j2")
    gaps: list[Gap] = report.gaps
    return template.render(
        report=report,
        summary=report.summary,
        version=__version__,
        sections=_sections(report),
        checks=_check_rows(report, report.result.stats),
        datastore_chart=datastore_usage(report.environment),
        host_chart=host_load(report.environment),
        severity_bars=severity_columns(dict(report.summary.failed_by_severity)),
        gaps=gaps[:MAX_GAPS_LISTED],
        gaps_hidden=max(len(gaps) - MAX_GAPS_LISTED, 0),
        payload=json_for_script(build_payload(report)),
        compliance=report.compliance,
        incidents=report.incidents,
    )


def _check_rows(report: Report, stats: list[CheckStats]) -> tuple[CheckRow, ...]:
    rows = []
    for s in stats:
        definition = report.checks.get(s.check_id)
        rows.append(
            CheckRow(
                stats=s,
                title=definition.title if definition else s.name,
                applies_to=definition.applies_to if definition else "",
                fix=definition.fix.value if definition else "",
            )
        )
    return tuple(rows)


def _sections(report: Report) -> tuple[FamilySection, ...]:
    sections = []
    for fam in report.summary.families:
        stats = [s for s in report.result.stats if s.family == fam.family]
        stats.sort(key=lambda s: (-s.failed, -s.errors, -s.unknown, s.check_id))
        sections.append(FamilySection(summary=fam, checks=_check_rows(report, stats)))
    return tuple(sections)


REPORTER = Reporter(
    name="html",
    extension=".html",
    description="one self-contained page: drill-down, filters, charts (works offline)",
    render=utf8(render_html),
)
