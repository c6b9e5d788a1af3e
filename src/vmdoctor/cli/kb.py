"""``vmdoctor kb``: inspect, query and update the knowledge base."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from vmdoctor.knowledge import BuildAssessment, Knowledge, KnowledgeError, load_knowledge
from vmdoctor.knowledge.bundle import MANIFEST
from vmdoctor.knowledge.store import (
    PACKAGED_DIR,
    install_bundle,
    remove_override,
    user_knowledge_dir,
)
from vmdoctor.knowledge.tables import Advisory
from vmdoctor.knowledge.versions import release_label

kb_app = typer.Typer(
    name="kb",
    help="Inspect, query and update the knowledge base (builds, advisories, lifecycle, hardening).",
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True)

_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
_VMSA = re.compile(r"VMSA-\d{4}-\d{4}", re.IGNORECASE)


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _knowledge() -> Knowledge:
    try:
        return load_knowledge()
    except KnowledgeError as exc:
        raise _fail(str(exc)) from None


@kb_app.command("info")
def info() -> None:
    """Tables of the knowledge base in use: rows, dates and sources."""
    kb = _knowledge()
    where = "packaged" if kb.bundle.path == PACKAGED_DIR else "user override"
    out.print(
        f"Knowledge bundle of {kb.manifest.bundle_date} ({where}: {kb.bundle.path})",
        highlight=False,
    )
    table = Table(Column("table", no_wrap=True), "rows", Column("date", no_wrap=True), "source")
    for name, meta in kb.manifest.tables.items():
        table.add_row(name, str(len(kb.bundle.rows[name])), meta.date.isoformat(), meta.source)
    out.print(table)


@kb_app.command("lookup")
def lookup(
    query: Annotated[str, typer.Argument(help="A build number, a CVE id or a VMSA id.")],
    product: Annotated[
        str,
        typer.Option(help="Product of a build missing from the knowledge base: esxi or vcenter."),
    ] = "esxi",
) -> None:
    """What the knowledge base says about a build, a CVE or an advisory."""
    kb = _knowledge()
    query = query.strip()
    if _CVE.fullmatch(query):
        rows = kb.advisories_with_cve(query)
        if not rows:
            raise _fail(f"{query.upper()} is not in the knowledge base")
        cve = kb.cve(query)
        if cve is not None:
            out.print(
                f"{cve.cve}: {cve.advisory}, CVSS {cve.cvss if cve.cvss is not None else '?'}"
                + (f", CISA KEV since {cve.kev_added}" if cve.kev_added else ""),
                highlight=False,
            )
        _print_advisories(rows)
    elif _VMSA.fullmatch(query):
        rows = kb.advisories_named(query)
        if not rows:
            raise _fail(f"{query.upper()} is not in the knowledge base")
        _print_advisories(rows)
    elif query.isdigit():
        _print_build(kb, int(query), product)
    else:
        raise _fail(f"{query!r} is not a build number, a CVE id or a VMSA id")


def _print_advisories(rows: list[Advisory]) -> None:
    first = rows[0]
    out.print(f"[bold]{first.advisory}[/bold] ({first.published}): {first.title}", highlight=False)
    out.print(
        f"CVSS {max(r.cvss_max for r in rows)}; exploited in the wild: "
        + ("yes" if any(r.exploited for r in rows) else "no")
        + (
            f"; CISA KEV since {min(r.kev_added for r in rows if r.kev_added)}"
            if any(r.kev_added for r in rows)
            else ""
        ),
        highlight=False,
    )
    table = Table("product", "line", "fix", "fixed build / version", "CVEs")
    for r in rows:
        line = (
            r.version_line + (f" {r.branch}" if r.branch else "")
            if r.product != "tools"
            else f">= {r.affected_from}"
        )
        fixed = r.fixed_version or (str(r.fixed_build) if r.fixed_build else "-")
        table.add_row(
            r.product, line, f"{r.fix_status} {r.fixed_release}".strip(), fixed, ", ".join(r.cves)
        )
    out.print(table)


def _print_build(kb: Knowledge, build: int, product: str) -> None:
    if kb.esxi.release(build) is not None:
        product = "esxi"
    elif kb.vcenter.release(build) is not None:
        product = "vcenter"
    elif product not in ("esxi", "vcenter"):
        raise _fail(f"--product must be esxi or vcenter, not {product!r}")
    name = "ESXi" if product == "esxi" else "vCenter"
    assessment = kb.esxi_assessment(build) if product == "esxi" else kb.vcenter_assessment(build)
    if not assessment.known:
        below, above = assessment.nearest
        out.print(
            f"{name} build {build} is not in the knowledge base: security status UNKNOWN",
            highlight=False,
        )
        for label, row in (("nearest older", below), ("nearest newer", above)):
            if row is not None:
                out.print(
                    f"  {label}: {row.release} ({row.build}, {row.release_date or 'date unknown'})",
                    highlight=False,
                )
        return
    row = assessment.release
    assert row is not None
    out.print(
        f"[bold]{row.release}[/bold] - build {build}, "
        f"released {row.release_date or 'date unknown'}",
        highlight=False,
    )
    today = datetime.now(UTC).date()
    support = kb.support(product, row.version_line, today)
    if support is not None:
        days = support.days_to_end_of_general_support
        state = f"ended {-days} days ago" if days < 0 else f"{days} days left"
        out.print(
            f"End of general support: {support.lifecycle.end_of_general_support} ({state})",
            highlight=False,
        )
    if product == "esxi":
        release = kb.esxi_release(None, build)
        tools = kb.bundled_tools(row.version_line, build)
        out.print(
            f"Highest hardware version: vmx-{kb.max_hw_version(release)}"
            + (f"; bundled Tools at least {tools.tools_version}" if tools else ""),
            highlight=False,
        )
        if release is not None:
            out.print(f"Release: {release_label(release.release)}", highlight=False)
    _print_assessment(assessment)


def _print_assessment(assessment: BuildAssessment) -> None:
    affected, unknown = assessment.affected, assessment.unknown
    if not affected and not unknown:
        out.print("[green]No advisory in the knowledge base affects this build.[/green]")
        return
    table = Table(
        Column("advisory", no_wrap=True, min_width=14),
        "verdict",
        "CVSS",
        "exploited",
        "fixed in",
        "why",
    )
    for verdict in (*affected, *unknown):
        adv = verdict.advisory
        exploited = "KEV" if adv.kev else "yes" if adv.exploited else "no"
        fixed = (
            f"{adv.fixed_release} ({adv.fixed_build})"
            if adv.fixed_build
            else adv.fixed_release or "-"
        )
        table.add_row(
            adv.advisory, verdict.verdict.value, str(adv.cvss_max), exploited, fixed, verdict.reason
        )
    out.print(table)
    target = assessment.patch_target
    if target is not None:
        out.print(
            "Patch target (lowest build fixing all): "
            f"[bold]{target.release}[/bold] ({target.build})",
            highlight=False,
        )
    elif affected:
        out.print("No known build of this line fixes them all: plan an upgrade to a newer line.")


@kb_app.command("update")
def update(
    source: Annotated[
        Path, typer.Argument(help=f"A bundle directory ({MANIFEST} + CSV files), .zip or .tar.gz.")
    ],
) -> None:
    """Validate a newer knowledge bundle and install it as the user override."""
    try:
        bundle = install_bundle(source)
    except KnowledgeError as exc:
        raise _fail(f"{exc} (knowledge base unchanged)") from None
    rows = sum(len(r) for r in bundle.rows.values())
    out.print(
        f"Installed knowledge bundle of {bundle.manifest.bundle_date} "
        f"({len(bundle.rows)} tables, {rows} rows) in {bundle.path}",
        highlight=False,
    )


@kb_app.command("reset")
def reset() -> None:
    """Remove the user override and go back to the packaged knowledge base."""
    target = user_knowledge_dir()
    try:
        removed = remove_override(target)
    except OSError as exc:
        raise _fail(f"{target}: cannot remove: {exc.strerror or exc}") from None
    out.print(f"Removed {target}" if removed else f"No override in {target}", highlight=False)


@kb_app.command("export")
def export(
    directory: Annotated[
        Path, typer.Argument(help="Where to write the bundle in use (must not exist).")
    ],
) -> None:
    """Write the knowledge bundle in use to a directory, to edit it and `kb update` it back."""
    kb = _knowledge()
    if directory.exists():
        raise _fail(f"{directory}: already exists")
    try:
        directory.mkdir(parents=True)
        for meta in kb.manifest.tables.values():
            shutil.copy2(kb.bundle.path / meta.file, directory / meta.file)
        shutil.copy2(kb.bundle.path / MANIFEST, directory / MANIFEST)
    except OSError as exc:
        raise _fail(f"{directory}: cannot write: {exc.strerror or exc}") from None
    out.print(
        f"Wrote {len(kb.manifest.tables)} tables and {MANIFEST} to {directory}", highlight=False
    )


@kb_app.command("profile")
def profile(
    name: Annotated[str, typer.Argument(help="Baseline profile: scg-8 or stig-8.")] = "scg-8",
    status: Annotated[str | None, typer.Option(help="Only controls with this status.")] = None,
) -> None:
    """Controls of a hardening baseline and how vmdoctor covers them (automated / manual)."""
    from vmdoctor.knowledge.profiles import PROFILE_DESCRIPTIONS, profile_controls

    if name not in PROFILE_DESCRIPTIONS:
        raise _fail(f"unknown profile {name!r} (known: {', '.join(PROFILE_DESCRIPTIONS)})")
    rows = [r for r in profile_controls(name) if status is None or r.status == status]
    table = Table(
        Column("control", ratio=3, overflow="fold"),
        Column("STIG", ratio=2, overflow="fold"),
        Column("status", no_wrap=True),
        Column("checks", ratio=1, min_width=6, overflow="fold"),
    )
    for r in rows:
        table.add_row(r.control_id, ", ".join(r.disa_stig_ids), r.status, ", ".join(r.check_ids))
    out.print(table)
