"""``vmdoctor checks``: list, show and document the checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.table import Table

from vmdoctor.cli.common import die, stdout_console
from vmdoctor.model import Family

checks_app = typer.Typer(help="List, show and document the checks.", no_args_is_help=True)


@checks_app.command("list")
def list_checks(
    family: Annotated[
        Family | None, typer.Option("--family", help="Only this family.", case_sensitive=False)
    ] = None,
) -> None:
    """List every check: ID, name, family, what it applies to, severity and title."""
    from vmdoctor.checks.registry import registry

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("ID", "name", "family", "applies to", "severity", "fix", "title"):
        table.add_column(column, overflow="fold")
    shown = 0
    for chk in registry():
        if family is not None and chk.family != family:
            continue
        shown += 1
        table.add_row(
            chk.id,
            chk.name,
            chk.family.value,
            chk.applies_to,
            chk.severity.value,
            chk.fix.value,
            chk.title,
        )
    console = stdout_console()
    console.print(table)
    console.print(f"{shown} checks. `vmdoctor checks show ID` for details.")


@checks_app.command("show")
def show_check(
    key: Annotated[str, typer.Argument(help="Check ID (STO001), name or alias.")],
) -> None:
    """Show a check's documentation: what, why, example, remediation, thresholds, references."""
    from vmdoctor.checks.catalog import check_markdown
    from vmdoctor.checks.registry import UnknownCheckError, registry

    try:
        chk = registry().get(key)
    except UnknownCheckError as exc:
        die(str(exc).strip("'\""))
    console = stdout_console()
    console.print(Markdown(check_markdown(chk, level=1)))


@checks_app.command("docs")
def docs(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the catalog here (default stdout).")
    ] = None,
) -> None:
    """Generate the Markdown check catalog (docs/checks.md)."""
    from vmdoctor.checks.catalog import catalog_markdown
    from vmdoctor.checks.registry import registry

    text = catalog_markdown(registry())
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def register(app: typer.Typer) -> None:
    app.add_typer(checks_app, name="checks")
