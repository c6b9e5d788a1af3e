"""``vmdoctor import``: read offline sources, merge them, and save one Environment snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vmdoctor.cli.common import die, load_environment, note


def import_sources(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="RVTools exports (.xlsx or per-tab CSV), log files, folders or support bundles "
            "(.tgz/.tar.gz/.zip), esxtop captures or saved snapshots. Several are merged.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Snapshot to write (env.json.gz is gzip-compressed)."),
    ] = Path("env.json.gz"),
) -> None:
    """Import offline sources into one saved Environment that any command can rescan."""
    from vmdoctor.sources import snapshot

    env = load_environment(sources)
    try:
        snapshot.save(env, output)
    except OSError as exc:
        die(f"{output}: cannot write: {exc.strerror or exc}")
    note(
        f"Saved {output}: {len(env.vms)} VMs, {len(env.hosts)} hosts, "
        f"{len(env.datastores)} datastores, {len(env.timeline.logs)} log records, "
        f"{len(env.timeline.metrics)} metric series, {len(env.gaps)} gaps."
    )


def register(app: typer.Typer) -> None:
    app.command("import")(import_sources)
