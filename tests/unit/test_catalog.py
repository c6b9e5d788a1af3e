"""The check catalog as a whole: sizes, unique keys, documentation, generated docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from vmdoctor.checks.base import DOC_SECTIONS
from vmdoctor.checks.catalog import catalog_markdown
from vmdoctor.checks.registry import registry
from vmdoctor.model import Family

DOCS = Path(__file__).parents[2] / "docs" / "checks.md"


def test_at_least_sixty_checks_and_eight_per_family() -> None:
    assert len(registry()) >= 60
    for family in Family:
        assert len(registry().by_family(family)) >= 8, family


def test_keys_are_unique_across_ids_names_and_aliases() -> None:
    keys = [k.lower() for c in registry() for k in (c.id, c.name, *c.aliases)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("chk", list(registry()), ids=lambda c: c.id)
def test_every_check_documents_itself(chk) -> None:  # type: ignore[no-untyped-def]
    for section in (chk.doc.what, chk.doc.why, chk.doc.example, chk.doc.remediation):
        assert len(section) >= 20, f"{chk.id}: a documentation section is too thin"
    assert chk.title and chk.doc.summary
    assert chk.references, f"{chk.id}: no references"
    for key, value in chk.thresholds.items():
        assert key.replace("_", "").isalnum(), key
        assert isinstance(value, int | float | str | bool)


def test_doc_sections_are_the_documented_ones() -> None:
    assert DOC_SECTIONS == ("What it checks", "Why it matters", "Example", "Remediation")


def test_generated_catalog_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == catalog_markdown(registry()), (
        "docs/checks.md is stale: run `make docs`"
    )
