"""What a reporter is, and where its output goes.

Every format module defines ``REPORTER = Reporter(...)``; ``vmdoctor.report.REPORTERS`` maps
format names to them, so shared code (the CLI) never branches on the format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from vmdoctor.report.model import Report


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Where and how to write. ``output=None`` means the console (standard output)."""

    console: Console = field(default_factory=Console)
    output: Path | None = None
    top: int = 15  # terminal: how many findings to list


@dataclass(frozen=True, slots=True)
class Reporter:
    name: str  # the --format value
    extension: str  # default file suffix, ".html"
    description: str
    write: Callable[[Report, ReportOptions], None]


def render_to_bytes(render: Callable[[Report], bytes]) -> Callable[[Report, ReportOptions], None]:
    """A writer for a file format: to ``options.output`` if set, else to standard output."""

    def write(report: Report, options: ReportOptions) -> None:
        emit(render(report), options)

    return write


def render_to_text(render: Callable[[Report], str]) -> Callable[[Report, ReportOptions], None]:
    def write(report: Report, options: ReportOptions) -> None:
        emit(render(report).encode("utf-8"), options)

    return write


def emit(data: bytes, options: ReportOptions) -> None:
    if options.output is not None:
        options.output.write_bytes(data)
        return
    stream = options.console.file
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:
        # a text stream (tests, captured consoles): bytes from our renderers are always UTF-8
        stream.write(data.decode("utf-8"))
