"""``vmdoctor why [TARGET]``: the most likely causes of a symptom, ranked, with evidence."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from vmdoctor.cli.collect import (
    CaFileOpt,
    EventsSinceOpt,
    InsecureOpt,
    LiveOptions,
    ServersFileOpt,
    ThumbprintOpt,
    UserOpt,
)
from vmdoctor.cli.common import (
    EXIT_UNKNOWN,
    die,
    get_config,
    load_environment,
    note,
    parse_duration,
    stdout_console,
    with_configured_vcenters,
)

FORMATS = ("terminal", "json", "html")


def parse_window(text: str) -> timedelta:
    """'2h', '30m', '90s', '1d' -> timedelta; anything else is a one-line error."""
    try:
        span = parse_duration(text)
    except typer.BadParameter:
        span = timedelta(0)
    if span <= timedelta(0):
        die(f"--window {text!r}: expected a positive duration such as 30m, 2h or 1d")
    return span


def parse_at(text: str, reference: datetime) -> datetime:
    """An ISO time ('2026-11-20T03:12', '2026-11-20 03:12:00+01:00') or a time of day
    ('03:12', taken on the day the sources were collected, or the day before if later)."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", value):
            clock = datetime.strptime(value if value.count(":") == 2 else value + ":00", "%H:%M:%S")
            ref = reference.astimezone(UTC)
            moment = ref.replace(hour=clock.hour, minute=clock.minute, second=clock.second)
            return moment - timedelta(days=1) if moment > ref else moment
        moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        die(
            f"--at {text!r}: expected a time such as 03:12 or 2026-11-20T03:12 (UTC unless a "
            "zone is given)"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def why(
    target: Annotated[
        str | None,
        typer.Argument(
            help="A VM, host or datastore name (or 'vcenter'). None: explain the newest "
            "incidents found in the sources.",
            show_default=False,
        ),
    ] = None,
    sources: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            help="A source as for scan (snapshot, RVTools export, logs, bundle, 'demo'); "
            "repeatable. None: the demo lab.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it happened: 03:12 or 2026-11-20T03:12 (UTC)."),
    ] = None,
    window: Annotated[
        str, typer.Option("--window", "-w", help="How far around the time to look: 30m, 2h, 1d.")
    ] = "2h",
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Output: terminal, json or html.")
    ] = "terminal",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Without TARGET: how many incidents to explain.")
    ] = 5,
    checks: Annotated[
        bool,
        typer.Option(
            "--checks/--no-checks", help="Run the checks and use their findings as evidence."
        ),
    ] = True,
    server: Annotated[
        list[str] | None,
        typer.Option(
            "--server", help="Collect live from this vCenter or ESXi host too (repeatable)."
        ),
    ] = None,
    servers_file: ServersFileOpt = None,
    user: UserOpt = None,
    ca_file: CaFileOpt = None,
    thumbprint: ThumbprintOpt = None,
    insecure: InsecureOpt = False,
    events_since: EventsSinceOpt = "7d",
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Configuration file (TOML): check thresholds, and [[vcenter]] tables used as "
            "the source when none is given.",
        ),
    ] = None,
) -> None:
    """Why did it stop working? Ranked causes with evidence, remediation and prevention.

    Exit codes: 0 a cause was found, 1 the evidence is not conclusive, 3 could not run.
    """
    from vmdoctor.diagnose import UnknownTargetError, diagnose
    from vmdoctor.diagnose.render import render_html, render_json, render_terminal

    if output_format not in FORMATS:
        die(f"unknown format {output_format!r} (choose from {', '.join(FORMATS)})")
    span = parse_window(window)
    live = LiveOptions(
        servers=server,
        servers_file=servers_file,
        user=user,
        ca_file=ca_file,
        thumbprint=thumbprint,
        insecure=insecure,
        events_since=events_since,
    )
    config = get_config(config_file)
    live = with_configured_vcenters(live, sources or [], config, config_file)
    env = load_environment(sources or [], live)
    moment = parse_at(at, env.collected_at) if at else None
    findings = None
    if checks:
        from vmdoctor.checks.engine import run_checks
        from vmdoctor.checks.registry import registry
        from vmdoctor.config import select_checks

        findings = run_checks(env, select_checks(config, registry()), config).findings
    try:
        diagnoses = diagnose(env, target, moment, span, findings, limit=limit)
    except UnknownTargetError as exc:
        die(str(exc), EXIT_UNKNOWN)
    console = stdout_console()
    if output_format == "terminal":
        render_terminal(console, diagnoses)
    else:
        renderers = {
            "json": lambda: render_json(env, diagnoses, target=target),
            "html": lambda: render_html(env, diagnoses),
        }
        body = renderers[output_format]()
        if output is None:
            typer.echo(body.decode(), nl=False)
        else:
            try:
                output.write_bytes(body)
            except OSError as exc:
                die(f"{output}: cannot write: {exc.strerror or exc}")
            note(f"{output_format.upper()} written to {output}")
    raise typer.Exit(0 if diagnoses and all(d.conclusive for d in diagnoses) else 1)


def register(app: typer.Typer) -> None:
    app.command(no_args_is_help=False)(why)
