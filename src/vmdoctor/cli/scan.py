"""``vmdoctor scan``: run the checks over a source and report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vmdoctor.cli.common import (
    EXIT_UNKNOWN,
    die,
    get_config,
    load_environment,
    note,
    stdout_console,
)
from vmdoctor.model import Severity

FORMATS = ("terminal", "json", "html", "csv")


def scan(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="What to scan: a saved snapshot (env.json.gz), an RVTools export, a log file, "
            "folder or support bundle, an esxtop capture, or 'demo' / 'demo:10k' for the "
            "built-in lab. Several are merged. None: the demo lab.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", help="Report format: terminal, json, html or csv."),
    ] = "terminal",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file (default: stdout)."),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Configuration file (TOML). Default: $VMDOCTOR_CONFIG, ./vmdoctor.toml or "
            "~/.config/vmdoctor/config.toml.",
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help="Run only the checks of this profile (e.g. storage)."),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--check", help="Run only this check (ID or name); repeatable."),
    ] = None,
    fail_on: Annotated[
        Severity | None,
        typer.Option(
            "--fail-on",
            help="Exit non-zero only for failures of this severity or higher (for CI).",
            case_sensitive=False,
        ),
    ] = None,
    include_pass: Annotated[
        bool, typer.Option("--include-pass", help="List passed results too (JSON, CSV, HTML).")
    ] = False,
    top: Annotated[int, typer.Option("--top", help="Findings shown in the terminal summary.")] = 15,
    save: Annotated[
        Path | None,
        typer.Option("--save", help="Also save the scanned Environment as a snapshot (.json.gz)."),
    ] = None,
) -> None:
    """Scan an estate and report findings per family, with gaps, severities and remediation.

    Exit codes follow the monitoring-plugin convention: 0 OK, 1 warning, 2 critical,
    3 unknown (could not run).
    """
    from vmdoctor.checks.engine import run_checks
    from vmdoctor.checks.registry import UnknownCheckError, registry
    from vmdoctor.config import ConfigError, select_checks
    from vmdoctor.report import REPORTERS, Report, exit_code, render_terminal

    if output_format not in FORMATS:
        die(f"unknown format {output_format!r} (choose from {', '.join(FORMATS)})")
    config = get_config(config_file)
    try:
        checks = select_checks(config, registry(), profile, only)
    except (ConfigError, UnknownCheckError) as exc:
        die(str(exc).strip("'\""))
    env = load_environment(sources or [])
    if save is not None:
        from vmdoctor.sources import snapshot

        try:
            snapshot.save(env, save)
        except OSError as exc:
            die(f"{save}: cannot write snapshot: {exc.strerror or exc}")
    result = run_checks(env, checks, config, include_pass=include_pass)
    report = Report(environment=env, result=result)
    console = stdout_console()
    if output_format == "terminal":
        render_terminal(report, console, top=top)
    else:
        body = REPORTERS[output_format](report)
        if output is None:
            if isinstance(body, bytes):
                typer.echo(body.decode())
            else:
                typer.echo(body, nl=False)
        else:
            try:
                output.write_bytes(body if isinstance(body, bytes) else body.encode())
            except OSError as exc:
                die(f"{output}: cannot write report: {exc.strerror or exc}")
            render_terminal(report, console, top=top)
            note(f"{output_format.upper()} report written to {output}")
    code = exit_code(result, fail_on)
    if not checks or not any(s.checked for s in result.stats):
        code = EXIT_UNKNOWN
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command(no_args_is_help=False)(scan)
