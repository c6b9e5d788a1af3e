"""The terminal report: a one-screen summary with rich, plain text when not on a terminal.

rich drops colours and styles by itself when the console's file is not a TTY (a pipe, a file),
so the same code serves both; tables keep their box characters, which read fine as text.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from vmdoctor.model import Finding, Severity, Status
from vmdoctor.report.model import Report
from vmdoctor.report.output import Reporter, ReportOptions, utf8
from vmdoctor.report.terminal_compliance import render_compliance
from vmdoctor.report.terminal_incidents import render_incidents

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
STATUS_STYLE = {
    Status.FAIL: "red",
    Status.ERROR: "magenta",
    Status.UNKNOWN: "yellow",
    Status.SKIPPED: "dim",
    Status.PASS: "green",
}
MAX_GAPS_SHOWN = 10


def render_terminal(report: Report, console: Console, top: int = 15) -> None:
    _header(report, console)
    _families(report, console)
    _severities(report, console)
    render_compliance(report, console)
    render_incidents(report, console)
    _top_findings(report, console, top)
    _gaps(report, console)
    console.print(
        "More: every finding, per-object drill-down and charts with "
        "[bold]--format html -o report.html[/]; machine-readable with [bold]--format json[/]."
    )


def _header(report: Report, console: Console) -> None:
    env = report.environment
    console.print(Text("vmdoctor scan", style="bold"))
    console.print(f"Source:    {escape(report.source)}")
    console.print(f"Collected: {env.collected_at.isoformat(timespec='seconds')}")
    objects = ", ".join(f"{n} {kind}" for kind, n in report.summary.objects.items() if n)
    console.print(f"Objects:   {escape(objects) or 'none'}")
    counts = report.summary.counts
    console.print(
        f"Checks:    {len(report.result.stats)} checks, {counts.checked} evaluations in "
        f"{report.result.duration_s:.2f} s"
    )
    console.print()


def _families(report: Report, console: Console) -> None:
    table = Table(title="Health per family", title_justify="left")
    table.add_column("family")
    table.add_column("score", justify="right")
    for name in ("failed", "unknown", "errors", "checked"):
        table.add_column(name, justify="right")
    for fam in report.summary.families:
        c = fam.counts
        table.add_row(
            fam.family.value,
            _score(fam.score),
            str(c.failed),
            str(c.unknown),
            str(c.errors),
            str(c.checked) if fam.checks else "no checks",
        )
    table.add_section()
    total = report.summary.counts
    table.add_row(
        "all",
        _score(report.summary.score),
        str(total.failed),
        str(total.unknown),
        str(total.errors),
        str(total.checked),
        style="bold",
    )
    console.print(table)


def _score(score: float | None) -> Text:
    if score is None:
        return Text("n/a", style="dim")
    style = "green" if score >= 90 else "yellow" if score >= 70 else "red"
    return Text(f"{score:.1f}", style=style)


def _severities(report: Report, console: Console) -> None:
    parts = Text("Failed by severity: ")
    for i, (severity, n) in enumerate(report.summary.failed_by_severity.items()):
        if i:
            parts.append("  ")
        parts.append(f"{severity.value} {n}", style=SEVERITY_STYLE[severity] if n else "dim")
    console.print(parts)
    console.print()


def _top_findings(report: Report, console: Console, top: int) -> None:
    findings = report.result.findings
    if not findings:
        console.print(Text("No findings: every evaluation passed.", style="green"))
        console.print()
        return
    shown = findings[: max(top, 0)]
    table = Table(title=f"Top {len(shown)} of {len(findings)} findings", title_justify="left")
    table.add_column("severity", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("object", overflow="fold")
    table.add_column("message", overflow="fold", ratio=1)
    for f in shown:
        table.add_row(*_finding_cells(f))
    console.print(table)
    console.print()


def _finding_cells(f: Finding) -> tuple[Text, Text, Text, Text, Text]:
    return (
        Text(f.severity.value, style=SEVERITY_STYLE[f.severity]),
        Text(f.status.value, style=STATUS_STYLE[f.status]),
        Text(f.check_id),
        Text(f"{f.object.type} {f.object.name}"),
        Text(f.message or f.title),
    )


def _gaps(report: Report, console: Console) -> None:
    gaps = report.gaps
    if not gaps:
        console.print("Gaps: none, everything asked for was collected.")
        console.print()
        return
    console.print(Text(f"Gaps: {len(gaps)} things could not be collected", style="yellow"))
    for gap in gaps[:MAX_GAPS_SHOWN]:
        scope = _gap_scope(gap.object_type, gap.object_name or gap.object_id)
        line = Text("  - ")
        line.append(gap.what, style="bold")
        if scope:
            line.append(f" ({scope})")
        line.append(f": {gap.reason}")
        console.print(line)
    if len(gaps) > MAX_GAPS_SHOWN:
        console.print(f"  ... and {len(gaps) - MAX_GAPS_SHOWN} more (see the HTML or JSON report)")
    console.print()


def _gap_scope(object_type: str | None, name: str | None) -> str:
    """ "host esx01", "every host" (a gap about a type, not one object), or "" (the estate)."""
    if not object_type:
        return ""
    return f"{object_type} {name}" if name else f"every {object_type}"


def render_plain(report: Report, width: int = 120) -> str:
    """The terminal report as plain text, for a file or anything that is not a console."""
    buffer = io.StringIO()
    render_terminal(report, Console(file=buffer, width=width, color_system=None), top=15)
    return buffer.getvalue()


def _to_console(report: Report, options: ReportOptions) -> None:
    render_terminal(report, options.console, options.top)


REPORTER = Reporter(
    name="terminal",
    extension=".txt",
    description="summary for a person at a terminal (plain text when piped)",
    render=utf8(render_plain),
    to_console=_to_console,
)
