"""``vmdoctor incidents [SOURCE...]``: the symptoms found in the sources, newest first."""

from __future__ import annotations

from typing import Annotated

import msgspec
import typer

from vmdoctor.cli.common import die, load_environment, stdout_console


def incidents(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Sources as for scan. None: the demo lab.", show_default=False),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Output: terminal or json.")
    ] = "terminal",
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many.")] = 50,
) -> None:
    """List the incidents (symptoms) found in the timeline, newest first.

    Then ask `vmdoctor why TARGET --at TIME` about one of them.
    """
    from vmdoctor.diagnose import find_incidents
    from vmdoctor.diagnose.render import render_incidents

    if output_format not in ("terminal", "json"):
        die(f"unknown format {output_format!r} (choose from terminal, json)")
    env = load_environment(sources or [])
    found = find_incidents(env)[:limit]
    if output_format == "json":
        doc = {"incidents": msgspec.to_builtins(found)}
        typer.echo(msgspec.json.format(msgspec.json.encode(doc)).decode())
    else:
        render_incidents(stdout_console(), found)


def register(app: typer.Typer) -> None:
    app.command(no_args_is_help=False)(incidents)
