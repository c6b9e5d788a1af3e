"""Errors every source raises for bad input: they name the file and say what is wrong."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """Input that cannot be read. ``str()`` is a one-line message fit for the terminal."""

    def __init__(self, path: Path | str | None, problem: str) -> None:
        self.path = None if path is None else str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)
