"""``vmdoctor scan``: run the checks over a source and report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vmdoctor.cli.collect import (
    CaFileOpt,
    EventsSinceOpt,
    InsecureOpt,
    LiveOptions,
    NoPerfOpt,
    ServerOpt,
    ServersFileOpt,
    ThumbprintOpt,
    TimeoutOpt,
    UserOpt,
)
from vmdoctor.cli.common import (
    die,
    get_config,
    load_environment,
    note,
    stdout_console,
    with_configured_vcenters,
)
from vmdoctor.model import Severity


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
    server: ServerOpt = None,
    servers_file: ServersFileOpt = None,
    user: UserOpt = None,
    ca_file: CaFileOpt = None,
    thumbprint: ThumbprintOpt = None,
    insecure: InsecureOpt = False,
    timeout: TimeoutOpt = 60.0,
    events_since: EventsSinceOpt = "7d",
    no_perf: NoPerfOpt = False,
    incidents: Annotated[
        int,
        typer.Option(
            "--incidents",
            help="Explain this many of the newest incidents found in the timeline (0: none).",
        ),
    ] = 10,
) -> None:
    """Scan an estate and report findings per family, with gaps, severities and remediation.

    Exit codes follow the monitoring-plugin convention: 0 OK, 1 warning, 2 critical,
    3 unknown (could not run).
    """
    from vmdoctor.checks.engine import run_checks
    from vmdoctor.checks.registry import UnknownCheckError, registry
    from vmdoctor.config import ConfigError, select_checks
    from vmdoctor.report import REPORTERS, Report, ReportOptions, exit_code

    reporter = REPORTERS.get(output_format)
    if reporter is None:
        die(f"unknown format {output_format!r} (choose from {', '.join(REPORTERS)})")
    config = get_config(config_file)
    try:
        checks = select_checks(config, registry(), profile, only)
    except (ConfigError, UnknownCheckError) as exc:
        die(str(exc).strip("'\""))
    live = LiveOptions(
        servers=server,
        servers_file=servers_file,
        user=user,
        ca_file=ca_file,
        thumbprint=thumbprint,
        insecure=insecure,
        timeout=timeout,
        events_since=events_since,
        no_perf=no_perf,
    )
    live = with_configured_vcenters(live, sources or [], config, config_file)
    env = load_environment(sources or [], live)
    if save is not None:
        from vmdoctor.sources import snapshot

        try:
            snapshot.save(env, save)
        except OSError as exc:
            die(f"{save}: cannot write snapshot: {exc.strerror or exc}")
    result = run_checks(env, checks, config, include_pass=include_pass)
    diagnoses = []
    if incidents > 0:
        from vmdoctor.diagnose import diagnose

        diagnoses = diagnose(env, findings=result.findings, limit=incidents)
    report = Report(environment=env, result=result, profile=profile, incidents=diagnoses)
    console = stdout_console()
    try:
        reporter.write(report, ReportOptions(console=console, output=output, top=top))
    except OSError as exc:
        die(f"{output}: cannot write report: {exc.strerror or exc}")
    if output is not None:
        if output_format != "terminal":
            REPORTERS["terminal"].write(report, ReportOptions(console=console, top=top))
        note(f"{output_format.upper()} report written to {output}")
    raise typer.Exit(exit_code(result, fail_on))


def register(app: typer.Typer) -> None:
    app.command(no_args_is_help=False)(scan)
