"""The terminal report's incidents section: each incident with its most likely cause."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from vmdoctor.model.diagnosis import Diagnosis
from vmdoctor.report.model import Report


def why_command(diagnosis: Diagnosis) -> str:
    """The command that tells the whole story of this incident."""
    symptom = diagnosis.symptom
    target = symptom.target.name
    quoted = f'"{target}"' if " " in target else target
    at = f" --at {symptom.time:%Y-%m-%dT%H:%M}" if symptom.time else ""
    return f"vmdoctor why {quoted}{at}"


def render_incidents(report: Report, console: Console) -> None:
    """Nothing when the sources show no incident."""
    if not report.incidents:
        return
    console.print(Text(f"Incidents ({len(report.incidents)}, newest first)", style="bold"))
    for diagnosis in report.incidents:
        symptom = diagnosis.symptom
        when = f"{symptom.time:%Y-%m-%d %H:%M}" if symptom.time else "now"
        console.print(Text(f"  {when}  ", style="bold") + Text(symptom.title))
        if diagnosis.causes and diagnosis.conclusive:
            top = diagnosis.causes[0]
            console.print(
                Text("      cause: ")
                + Text(f"[{top.family.value}] ", style="cyan")
                + Text(f"{top.title} ({top.confidence:.0%})")
            )
        else:
            console.print(
                Text("      cause: not conclusive — ", style="yellow") + Text(diagnosis.verdict)
            )
        console.print(Text(f"      more:  {why_command(diagnosis)}", style="dim"))
    console.print()
