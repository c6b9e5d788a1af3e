"""``vmdoctor collect``: read a live vCenter or ESXi host into a saved Environment snapshot."""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vmdoctor.cli.common import parse_duration

if TYPE_CHECKING:
    from vmdoctor.model import Environment
    from vmdoctor.sources.vsphere import ServerTarget

EXIT_USAGE = 3  # monitoring-plugin UNKNOWN: could not run (bad credentials or options)
EXIT_NOTHING_COLLECTED = 3


def resolve_targets(
    servers: list[str] | None,
    servers_file: Path | None,
    user: str | None,
    ca_file: Path | None,
    thumbprint: str | None,
    insecure: bool,
) -> list[ServerTarget]:
    """Servers from options, a servers file and the environment, with credentials resolved."""
    from getpass import getpass

    from vmdoctor.sources.vsphere import Credentials, parse_server, resolve_credentials
    from vmdoctor.sources.vsphere.target import (
        insecure_from_environment,
        load_servers_file,
        servers_from_environment,
    )

    targets = list(load_servers_file(servers_file)) if servers_file else []
    names = list(servers or [])
    if not names and not targets:
        names = servers_from_environment(os.environ)
    if not names and not targets:
        raise typer.BadParameter(
            "no server: give --server HOST, --servers-file FILE or set VSPHERE_SERVER"
        )
    for name in names:
        try:
            targets.append(parse_server(name))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--server") from None
    insecure = insecure or insecure_from_environment(os.environ)

    def prompt(question: str, secret: bool) -> str:
        return getpass(question) if secret else input(question)

    resolved = []
    for target in targets:
        if user and (target.credentials is None or not target.credentials.user):
            target = replace(target, credentials=Credentials(user, ""))
        target = replace(
            target,
            ca_file=target.ca_file or (str(ca_file) if ca_file else None),
            thumbprint=target.thumbprint or thumbprint,
            insecure=target.insecure or insecure,
        )
        resolved.append(resolve_credentials(target, prompt=prompt))
    return resolved


ServerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--server",
        "-s",
        help="vCenter or ESXi: host, host:port or https://host[:port]/sdk (repeatable).",
    ),
]
ServersFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--servers-file",
        help="TOML file of vcenter tables (chmod 600 if it holds passwords).",
    ),
]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user", "-u", help="User name (the password is never taken on the command line)."
    ),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="Seconds to wait for any one answer.")]
EventsSinceOpt = Annotated[
    str, typer.Option("--events-since", help="Events and tasks window: 30m, 12h, 7d.")
]
PerfWindowOpt = Annotated[
    str, typer.Option("--perf-window", help="Real-time performance window (max 1h).")
]
NoPerfOpt = Annotated[bool, typer.Option("--no-perf", help="Skip performance counters.")]
CaFileOpt = Annotated[
    Path | None,
    typer.Option("--ca-file", help="PEM bundle of the CA that signed the vCenter certificate."),
]
ThumbprintOpt = Annotated[
    str | None,
    typer.Option("--thumbprint", help="Pin the server certificate (SHA-1/SHA-256 hex)."),
]
InsecureOpt = Annotated[
    bool, typer.Option("--insecure", help="Do not verify the TLS certificate (warns).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")]


@dataclass(frozen=True, slots=True)
class LiveOptions:
    """The live-collection options shared by ``collect``, ``scan`` and ``why``."""

    servers: list[str] | None = None
    servers_file: Path | None = None
    user: str | None = None
    timeout: float = 60.0
    events_since: str = "7d"
    perf_window: str = "1h"
    no_perf: bool = False
    ca_file: Path | None = None
    thumbprint: str | None = None
    insecure: bool = False
    quiet: bool = False

    @property
    def wanted(self) -> bool:
        return bool(self.servers or self.servers_file)


def collect_live(opts: LiveOptions) -> Environment:
    """Collect from the servers (progress and summary on stderr); exit cleanly on failure."""
    from vmdoctor.sources.vsphere import CollectOptions, CredentialsError, collect

    try:
        targets = resolve_targets(
            opts.servers, opts.servers_file, opts.user, opts.ca_file, opts.thumbprint, opts.insecure
        )
        options = CollectOptions(
            timeout_s=opts.timeout,
            events_since=parse_duration(opts.events_since),
            perf=not opts.no_perf,
            perf_window=min(parse_duration(opts.perf_window), timedelta(hours=1)),
        )
    except (CredentialsError, typer.BadParameter) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    progress = _Progress(enabled=not opts.quiet and sys.stderr.isatty())
    options = replace(options, progress=progress.update)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome = collect(targets, options)
        finally:
            progress.stop()
    for warning in caught:
        typer.echo(f"warning: {warning.message}", err=True)
    for message in outcome.errors.values():
        typer.echo(f"error: {message}", err=True)
    if not outcome.useful:
        raise typer.Exit(EXIT_NOTHING_COLLECTED)
    if not opts.quiet:
        for line in summary_lines(outcome):
            typer.echo(line, err=True)
    return outcome.environment


def register(app: typer.Typer) -> None:
    @app.command("collect")
    def collect_command(
        server: ServerOpt = None,
        output: Annotated[
            Path, typer.Option("--output", "-o", help="Snapshot to write (.json or .json.gz).")
        ] = Path("env.json.gz"),
        servers_file: ServersFileOpt = None,
        user: UserOpt = None,
        timeout: TimeoutOpt = 60.0,
        events_since: EventsSinceOpt = "7d",
        perf_window: PerfWindowOpt = "1h",
        no_perf: NoPerfOpt = False,
        ca_file: CaFileOpt = None,
        thumbprint: ThumbprintOpt = None,
        insecure: InsecureOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Collect inventory, configuration, events, tasks and performance (read-only)."""
        from vmdoctor.sources import snapshot

        env = collect_live(
            LiveOptions(
                servers=server,
                servers_file=servers_file,
                user=user,
                timeout=timeout,
                events_since=events_since,
                perf_window=perf_window,
                no_perf=no_perf,
                ca_file=ca_file,
                thumbprint=thumbprint,
                insecure=insecure,
                quiet=quiet,
            )
        )
        try:
            snapshot.save(env, output)
        except OSError as exc:
            typer.echo(f"error: {output}: cannot write snapshot: {exc.strerror or exc}", err=True)
            raise typer.Exit(EXIT_NOTHING_COLLECTED) from None
        if not quiet:
            typer.echo(f"saved {output}", err=True)


def summary_lines(outcome: object) -> list[str]:
    env = outcome.environment  # type: ignore[attr-defined]
    lines = []
    for name, stats in outcome.stats.items():  # type: ignore[attr-defined]
        parts = ", ".join(f"{part} {sec:.1f}s" for part, sec in stats.timings_s.items())
        lines.append(
            f"{name}: {stats.objects.get('hosts', 0)} hosts, {stats.objects.get('vms', 0)} VMs, "
            f"{stats.objects.get('datastores', 0)} datastores; {stats.round_trips} round trips "
            f"({parts})"
        )
    tl = env.timeline
    lines.append(
        f"collected {len(env.vcenters)} server(s): {len(env.hosts)} hosts, {len(env.vms)} VMs, "
        f"{len(tl.events)} events, {len(tl.tasks)} tasks, {len(tl.metrics)} metric series, "
        f"{len(env.gaps)} gap(s)"
    )
    return lines


class _Progress:
    """A one-line status on a terminal; silent when output is piped or redirected."""

    def __init__(self, enabled: bool) -> None:
        self.status = None
        if enabled:
            from rich.console import Console

            self.status = Console(stderr=True).status("connecting")
            self.status.start()

    def update(self, message: str) -> None:
        if self.status is not None:
            self.status.update(message)

    def stop(self) -> None:
        if self.status is not None:
            self.status.stop()
