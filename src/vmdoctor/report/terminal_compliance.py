"""The terminal report's compliance section: counts per status, then the failing controls."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from vmdoctor.report.compliance import ControlStatus
from vmdoctor.report.model import Report

CONTROL_STYLE = {
    ControlStatus.PASS: "green",
    ControlStatus.FAIL: "red",
    ControlStatus.UNKNOWN: "yellow",
    ControlStatus.NOT_APPLICABLE: "dim",
    ControlStatus.MANUAL: "cyan",
    ControlStatus.NOT_COVERED: "dim",
}
MAX_CONTROLS_SHOWN = 25


def render_compliance(report: Report, console: Console) -> None:
    """Nothing unless the scan profile was a hardening baseline."""
    compliance = report.compliance
    if compliance is None:
        return
    console.print(
        Text(f"Compliance: {compliance.profile}", style="bold")
        + Text(f" ({len(compliance.controls)} controls, {compliance.description})")
    )
    line = Text("  ")
    for i, (status, n) in enumerate(compliance.counts().items()):
        if i:
            line.append("  ")
        line.append(f"{status.value} {n}", style=CONTROL_STYLE[status] if n else "dim")
    console.print(line)
    # failures first: they are what an auditor asks about; undecided controls after them
    attention = [
        *compliance.with_status(ControlStatus.FAIL),
        *compliance.with_status(ControlStatus.UNKNOWN),
    ]
    if attention:
        shown = attention[:MAX_CONTROLS_SHOWN]
        table = Table(
            title=f"Controls failing or undecided ({len(shown)} of {len(attention)})",
            title_justify="left",
        )
        table.add_column("status", no_wrap=True)
        table.add_column("control", overflow="fold", ratio=3)
        table.add_column("checks", overflow="fold", ratio=1)
        table.add_column("why", overflow="fold", ratio=2)
        for c in shown:
            control = Text(c.control_id)
            if c.stig_ids:
                control.append(f" ({', '.join(c.stig_ids)})", style="dim")
            control.append(f"\n{c.title}")
            table.add_row(
                Text(c.status.value, style=CONTROL_STYLE[c.status]),
                control,
                Text(", ".join(c.check_ids)),
                Text(c.reason),
            )
        console.print(table)
        if len(attention) > len(shown):
            console.print(f"  ... and {len(attention) - len(shown)} more (HTML or JSON report)")
    else:
        console.print(Text("  No control fails or is undecided.", style="green"))
    manual = compliance.counts()[ControlStatus.MANUAL]
    if manual:
        console.print(
            f"  {manual} controls need a manual review (the API cannot show them): "
            f"[bold]vmdoctor kb profile {escape(compliance.profile)} --status manual[/]"
        )
    console.print()
