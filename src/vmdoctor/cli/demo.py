"""``vmdoctor demo``: the built-in lab — save it, and see what was planted in it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from vmdoctor.cli.common import die, note, stdout_console

demo_app = typer.Typer(
    help="The built-in demo lab: a realistic estate with planted problems and known answers.",
    no_args_is_help=True,
)

ScaleOpt = Annotated[
    str | None,
    typer.Option("--scale", help="VM count: 1k, 10k, 100k (default: the 400-VM lab)."),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same lab).")]


def _lab(scale: str | None, seed: int):  # type: ignore[no-untyped-def]
    from vmdoctor.sources.demo import build_lab, parse_scale

    try:
        return build_lab(parse_scale(scale) if scale else None, seed=seed)
    except ValueError as exc:
        die(str(exc))


@demo_app.command("save")
def save(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Snapshot to write (.json.gz).")
    ] = Path("demo-lab.json.gz"),
    scale: ScaleOpt = None,
    seed: SeedOpt = 7,
) -> None:
    """Save the lab as a snapshot, to scan or explain it later like a collected estate."""
    from vmdoctor.sources import snapshot

    env = _lab(scale, seed).environment
    try:
        snapshot.save(env, output)
    except OSError as exc:
        die(f"{output}: cannot write snapshot: {exc.strerror or exc}")
    note(f"saved {len(env.vms)} VMs, {len(env.hosts)} hosts to {output}")


@demo_app.command("truth")
def truth(scale: ScaleOpt = None, seed: SeedOpt = 7) -> None:
    """Show the ground truth: the incidents with their real cause chains, and the planted
    problems with the checks expected to flag them (spoilers for `vmdoctor why`)."""
    lab = _lab(scale, seed)
    console = stdout_console()
    for incident in lab.incidents:
        console.print(
            f"[bold]{incident.id}[/] {incident.symptom} on {incident.object_type} "
            f"{incident.object_name} at {incident.time:%Y-%m-%d %H:%M} UTC — {incident.summary}"
        )
        for step in incident.cause_chain:
            console.print(f"    {step.family.value:<13} {step.statement}")
    table = Table(box=None, header_style="bold", title="Planted problems")
    for column in ("id", "family", "object", "problem", "checks"):
        table.add_column(column, overflow="fold")
    for problem in lab.planted:
        table.add_row(
            problem.id,
            problem.family.value,
            f"{problem.object_type} {problem.object_name}",
            problem.kind,
            ", ".join(problem.check_ids) or "-",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
