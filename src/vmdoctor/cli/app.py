"""The ``vmdoctor`` command."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="vmdoctor",
    help="Why did VMware stop working, and how do you keep it from happening again?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

#: Each module defines ``register(app: typer.Typer) -> None``.
COMMAND_MODULES = (
    "vmdoctor.cli.scan",
    "vmdoctor.cli.checks",
    "vmdoctor.cli.demo",
    "vmdoctor.cli.why",
    "vmdoctor.cli.incidents",
    "vmdoctor.cli.collect",
    "vmdoctor.cli.importer",
    "vmdoctor.cli.kb",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()
