"""The terminal report's incidents section: each incident with its most likely cause.

Text wraps under its own label, never cut: a verdict or a root cause is read in full.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from vmdoctor.diagnose.chain import tells_more
from vmdoctor.model.diagnosis import Diagnosis
from vmdoctor.report.model import Report

LABEL_WIDTH = 6  # "cause:", "why:", "more:"


def why_command(diagnosis: Diagnosis) -> str:
    """The command that tells the whole story of this incident."""
    symptom = diagnosis.symptom
    target = symptom.target.name
    quoted = f'"{target}"' if " " in target else target
    at = f" --at {symptom.time:%Y-%m-%dT%H:%M}" if symptom.time else ""
    return f"vmdoctor why {quoted}{at}"


def _row(grid: Table, label: str, text: Text) -> None:
    grid.add_row("", Text(label, style="dim" if label == "more:" else ""), text)


def render_incidents(report: Report, console: Console) -> None:
    """Nothing when the sources show no incident."""
    if not report.incidents:
        return
    console.print(Text(f"Incidents ({len(report.incidents)}, newest first)", style="bold"))
    for diagnosis in report.incidents:
        symptom = diagnosis.symptom
        when = f"{symptom.time:%Y-%m-%d %H:%M}" if symptom.time else "now"
        head = Table.grid(padding=(0, 1))
        head.add_column(width=1, no_wrap=True)
        head.add_column(no_wrap=True)
        head.add_column(overflow="fold")
        head.add_row("", Text(when, style="bold"), Text(symptom.title))
        console.print(head)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=5, no_wrap=True)
        grid.add_column(width=LABEL_WIDTH, no_wrap=True)
        grid.add_column(overflow="fold")
        if diagnosis.causes and diagnosis.conclusive:
            top = diagnosis.causes[0]
            _row(
                grid,
                "cause:",
                Text(f"[{top.family.value}] ", style="cyan")
                + Text(f"{top.title} ({top.confidence:.0%})"),
            )
            if tells_more(top):  # the verdict tells the chain: root cause -> consequence
                _row(grid, "why:", Text(diagnosis.verdict))
        else:
            _row(
                grid,
                "cause:",
                Text("not conclusive — ", style="yellow") + Text(diagnosis.verdict),
            )
        _row(grid, "more:", Text(why_command(diagnosis), style="dim"))
        console.print(grid)
    console.print()
