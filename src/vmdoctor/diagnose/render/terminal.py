"""The terminal story: what happened (timeline), then the verdict and the ranked causes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from rich.console import Console
from rich.markup import escape

from vmdoctor.model.diagnosis import Diagnosis, EvidenceItem, Symptom

_FAMILY_STYLE = {
    "resources": "magenta",
    "compatibility": "cyan",
    "configuration": "yellow",
    "storage": "blue",
    "security": "red",
}
MAX_TIMELINE_LINES = 20
MAX_CAUSES = 5


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "(standing)"


# The time is shown in its own column: drop the log line's own leading timestamp.
_LEADING_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?:?\|?\s*")


def _line(item: EvidenceItem, width: int = 150) -> str:
    text = _LEADING_STAMP.sub("", item.text) if item.source.startswith("log:") else item.text
    text = text if len(text) <= width else text[: width - 1] + "…"
    who = item.object.name if item.object else ""
    return f"{_when(item.time)}  [dim]{escape(item.source):<18}[/] {escape(who):<18} {escape(text)}"


def render_terminal(console: Console, diagnoses: Sequence[Diagnosis]) -> None:
    if not diagnoses:
        console.print("No incident found in the sources.")
        return
    for i, diag in enumerate(diagnoses):
        if i:
            console.rule(style="dim")
        _one(console, diag)


def _one(console: Console, diag: Diagnosis) -> None:
    s = diag.symptom
    console.print(f"[bold]Why: {escape(s.title)}[/]  [dim]({s.kind}, {_when(s.time)} UTC)[/]")
    if diag.timeline:
        console.print("\n[bold]What happened[/]")
        shown = diag.timeline[-MAX_TIMELINE_LINES:]
        if len(diag.timeline) > len(shown):
            console.print(f"  [dim]… {len(diag.timeline) - len(shown)} earlier records[/]")
        for item in shown:
            console.print("  " + _line(item), no_wrap=True, overflow="ellipsis")
    style = "green" if diag.conclusive else "yellow"
    console.print(f"\n[bold {style}]Verdict:[/] {escape(diag.verdict)}")
    for cause in diag.causes[:MAX_CAUSES]:
        fam = _FAMILY_STYLE.get(cause.family, "white")
        where = f" on {escape(cause.object.name)}" if cause.object else ""
        console.print(
            f"\n [bold]{cause.rank}.[/] [{fam}]{cause.family}[/]  [bold]{escape(cause.title)}[/]"
            f"{where}  [dim]{cause.confidence:.0%} · {cause.cause_id}[/]"
        )
        for item in cause.evidence:
            console.print("      " + _line(item, 120), no_wrap=True, overflow="ellipsis")
        console.print(f"      [bold]Now:[/] {escape(cause.remediation)}")
        console.print(f"      [bold]Prevent:[/] {escape(cause.prevention)}")
    if diag.missing_data:
        console.print("\n[bold]What would settle it:[/]")
        for hint in diag.missing_data:
            console.print(f"  - {escape(hint)}")


def render_incidents(console: Console, incidents: Sequence[Symptom]) -> None:
    if not incidents:
        console.print("No incident found in the sources.")
        return
    console.print(f"[bold]{len(incidents)} incident(s), newest first[/]")
    for s in incidents:
        console.print(
            f"  {_when(s.time)}  {s.kind:<24} {escape(s.target.type):<9} {escape(s.title)}"
        )
