"""What a reporter is, and where its output goes.

Every format module defines ``REPORTER = Reporter(...)``; ``vmdoctor.report.REPORTERS`` maps
format names to them, so shared code (the CLI) never branches on the format::

    REPORTERS[fmt].write(report, ReportOptions(console=console, output=path, top=15))
    data: bytes = REPORTERS[fmt](report)          # the file content, e.g. for a web response
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
    render: Callable[[Report], bytes]  # the report as file content (UTF-8 for text formats)
    # how the report goes to a console when it differs from printing ``render`` (terminal: colours)
    to_console: Callable[[Report, ReportOptions], None] | None = None

    def __call__(self, report: Report) -> bytes:
        return self.render(report)

    def write(self, report: Report, options: ReportOptions) -> None:
        """To ``options.output`` if set (raises OSError if it cannot), else to the console."""
        if options.output is None and self.to_console is not None:
            self.to_console(report, options)
            return
        emit(self.render(report), options)


def utf8(render: Callable[[Report], str]) -> Callable[[Report], bytes]:
    def render_bytes(report: Report) -> bytes:
        return render(report).encode("utf-8")

    return render_bytes


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
        # a text stream (tests, captured consoles): our renderers always produce UTF-8
        stream.write(data.decode("utf-8"))
