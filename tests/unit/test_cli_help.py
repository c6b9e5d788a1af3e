"""Every command and every option of the CLI explains itself in --help."""

from __future__ import annotations

import pytest
import typer.main
from typer.core import TyperArgument, TyperGroup, TyperOption

from vmdoctor.cli.app import app


def _commands(group: TyperGroup, prefix: str = "") -> list[tuple[str, object]]:
    out = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}".strip()
        out.append((path, command))
        if isinstance(command, TyperGroup):
            out += _commands(command, path)
    return out


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_the_main_commands_exist() -> None:
    names = {path for path, _ in COMMANDS}
    assert {"scan", "checks list", "checks show", "why", "incidents", "collect", "kb info"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_and_options_have_help(path: str, command) -> None:  # type: ignore[no-untyped-def]
    assert (command.help or command.short_help or "").strip(), f"{path}: no help text"
    for param in command.params:
        if isinstance(param, TyperOption) and param.name != "help":
            assert (param.help or "").strip(), f"{path} {param.opts}: no help text"
        if isinstance(param, TyperArgument):
            assert (getattr(param, "help", "") or "").strip(), f"{path} {param.name}: no help"
