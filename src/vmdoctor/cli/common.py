"""What every command shares: error exits, consoles, loading sources and configuration."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console

from vmdoctor.config import Config, ConfigError, default_config_path, load_config
from vmdoctor.model import Environment
from vmdoctor.sources.errors import SourceError

if TYPE_CHECKING:
    from vmdoctor.cli.collect import LiveOptions

#: Monitoring-plugin exit codes.
EXIT_OK, EXIT_WARNING, EXIT_CRITICAL, EXIT_UNKNOWN = 0, 1, 2, 3

err_console = Console(stderr=True, highlight=False)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNIT_SECONDS = {"": 86400, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``12h``, ``7d``, ``2w`` (a bare number is days).

    Raises ``typer.BadParameter`` naming the text when it is not a duration.
    """
    match = _DURATION.match(text)
    if not match:
        raise typer.BadParameter(f"{text!r} is not a duration like 30m, 12h, 7d or 2w")
    return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def die(message: str, code: int = EXIT_UNKNOWN) -> NoReturn:
    """One line on stderr, no traceback, a monitoring-plugin exit code."""
    err_console.print(f"[bold red]vmdoctor:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(code)


def note(message: str) -> None:
    err_console.print(f"[dim]{message}[/]", soft_wrap=True)


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def get_config(path: Path | None) -> Config:
    try:
        return load_config(path or default_config_path())
    except ConfigError as exc:
        die(str(exc))


def with_configured_vcenters(
    live: LiveOptions, sources: Sequence[str], config: Config, config_file: Path | None
) -> LiveOptions:
    """With no source and no --server, the vCenters listed in the configuration file
    (``[[vcenter]]`` tables, as in a --servers-file) are the source, not the demo lab."""
    path = config_file or default_config_path()
    if sources or live.wanted or not config.vcenter or path is None:
        return live
    from dataclasses import replace

    return replace(live, servers_file=path)


def load_environment(sources: Sequence[str], live: LiveOptions | None = None) -> Environment:
    """Load the named sources and live servers, merged; the demo lab when none is named."""
    from vmdoctor.sources.resolve import load_specs, merge

    envs: list[Environment] = []
    if live is not None and live.wanted:
        from vmdoctor.cli.collect import collect_live

        envs.append(collect_live(live))
    if not sources and not envs:
        note("No source given: using the built-in demo lab (pass a file, a folder or --server).")
        sources = ["demo"]
    try:
        if sources:
            envs.append(load_specs(sources))
        return envs[0] if len(envs) == 1 else merge(envs)
    except SourceError as exc:
        die(str(exc))
    except ValueError as exc:  # e.g. a bad demo scale
        die(str(exc))


def is_terminal() -> bool:
    return sys.stdout.isatty()
