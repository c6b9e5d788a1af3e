"""The terminal story: what happened (timeline), the verdict, then each cause with its chain.

Evidence text is never cut: it is the one thing the admin must read in full. Lines fold onto
as many rows as they need, under their own column (time, source, object, then the text); on a
narrow console the text goes on its own indented rows below the time, source and object.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from vmdoctor.diagnose.chain import remedies, tells_more
from vmdoctor.model.diagnosis import Cause, Diagnosis, EvidenceItem, Symptom

_FAMILY_STYLE = {
    "resources": "magenta",
    "compatibility": "cyan",
    "configuration": "yellow",
    "storage": "blue",
    "security": "red",
}
MAX_TIMELINE_LINES = 20
MAX_CAUSES = 5
#: below this width the text of an evidence line goes below its time, source and object
WIDE = 110
SOURCE_WIDTH = 16
OBJECT_WIDTH = 22


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "(standing)"


# The time is shown in its own column: drop the log line's own leading timestamp.
_LEADING_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?:?\|?\s*")


def evidence_text(item: EvidenceItem) -> str:
    """The original text, less a log line's leading timestamp (shown in the time column)."""
    return _LEADING_STAMP.sub("", item.text) if item.source.startswith("log:") else item.text


def evidence_grid(console: Console, items: Sequence[EvidenceItem], indent: int) -> RenderableType:
    """Aligned columns; the text column folds, never truncates."""
    if console.width < WIDE:
        rows: list[RenderableType] = []
        for item in items:
            who = item.object.name if item.object else ""
            head = Text(f"{_when(item.time)}  ") + Text(item.source, style="dim") + Text(f"  {who}")
            rows.append(Padding(head, (0, 0, 0, indent), expand=False))
            rows.append(
                Padding(
                    Text(evidence_text(item), overflow="fold"), (0, 0, 0, indent + 2), expand=False
                )
            )
        return Group(*rows)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=max(indent - 1, 0), no_wrap=True)
    grid.add_column(no_wrap=True, width=19)
    grid.add_column(no_wrap=True, width=SOURCE_WIDTH, style="dim", overflow="fold")
    grid.add_column(width=OBJECT_WIDTH, overflow="fold")
    grid.add_column(overflow="fold")
    for item in items:
        who = item.object.name if item.object else ""
        grid.add_row("", _when(item.time), item.source, who, Text(evidence_text(item)))
    return grid


def _labelled(label: str, text: str | Text, indent: int, label_width: int = 0) -> Table:
    """'Label: text' whose text wraps under itself, not under the label."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=max(indent - 1, 0), no_wrap=True)
    grid.add_column(no_wrap=True, width=label_width or None)
    grid.add_column(overflow="fold")
    grid.add_row("", Text(label, style="bold"), text if isinstance(text, Text) else Text(text))
    return grid


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
    console.print(
        Text("Why: ", style="bold")
        + Text(s.title, style="bold")
        + Text(f"  ({s.kind}, {_when(s.time)} UTC)", style="dim")
    )
    if diag.timeline:
        console.print("\n[bold]What happened[/]")
        shown = diag.timeline[-MAX_TIMELINE_LINES:]
        if len(diag.timeline) > len(shown):
            console.print(f"  [dim]… {len(diag.timeline) - len(shown)} earlier records[/]")
        console.print(evidence_grid(console, shown, 2))
    style = "green" if diag.conclusive else "yellow"
    console.print()
    console.print(_verdict(diag, style))
    for cause in diag.causes[:MAX_CAUSES]:
        _cause(console, cause, first=cause.rank == 1)
    if diag.missing_data:
        console.print("\n[bold]What would settle it:[/]")
        for hint in diag.missing_data:
            console.print(_labelled("-", hint, 2))


def _verdict(diag: Diagnosis, style: str) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text("Verdict:", style=f"bold {style}"), Text(diag.verdict))
    return grid


def _cause(console: Console, cause: Cause, *, first: bool) -> None:
    fam = _FAMILY_STYLE.get(cause.family, "white")
    head = (
        Text(f"{cause.rank}. ", style="bold")
        + Text(str(cause.family), style=fam)
        + Text("  ")
        + Text(cause.title, style="bold")
        + Text(f" on {cause.object.name}" if cause.object else "")
        + Text(f"  {cause.confidence:.0%} · {cause.cause_id}", style="dim")
    )
    console.print()
    console.print(_labelled("", head, 1))
    if tells_more(cause) and (first or cause.confidence >= 0.2):
        _chain(console, cause)
    console.print(evidence_grid(console, cause.evidence, 6))
    now, prevent = remedies(cause)
    for label, texts in (("Now:", now), ("Prevent:", prevent)):
        for i, text in enumerate(texts):
            tag = label if i == 0 else ("Then:" if label == "Now:" else "Also:")
            console.print(_labelled(tag, text, 6, label_width=8))


def _chain(console: Console, cause: Cause) -> None:
    root, *rest = cause.chain
    where = f"  [{root.family}" + (f" · {root.object.name}]" if root.object else "]")
    console.print(_labelled("Root cause:", Text(root.statement) + Text(where, style="dim"), 6))
    for step in rest:
        where = f"  [{step.family}" + (f" · {step.object.name}]" if step.object else "]")
        console.print(_labelled("  →", Text(step.statement) + Text(where, style="dim"), 6, 11))


def render_incidents(console: Console, incidents: Sequence[Symptom]) -> None:
    if not incidents:
        console.print("No incident found in the sources.")
        return
    console.print(f"[bold]{len(incidents)} incident(s), newest first[/]")
    # the title names the object: time and title on one line, the kind below, so a narrow
    # console or a pipe still shows each title whole
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for s in incidents:
        grid.add_row(
            "", _when(s.time), Text(s.title) + Text(f"\n{s.kind} · {s.target.type}", style="dim")
        )
    console.print(grid)
