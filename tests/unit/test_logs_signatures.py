"""The log signature catalog: every signature is valid, documented and matches its sample."""

from __future__ import annotations

import pytest

from vmdoctor.knowledge.signatures import FAMILIES, SEVERITIES, load_signatures, parse_catalog
from vmdoctor.sources.logs.matcher import SignatureMatcher, required_literals

SIGNATURES = load_signatures()


def test_catalog_has_at_least_100_signatures_with_unique_ids() -> None:
    assert len(SIGNATURES) >= 100
    assert len({s.id for s in SIGNATURES}) == len(SIGNATURES)


@pytest.mark.parametrize("sig", SIGNATURES, ids=lambda s: s.id)
def test_signature_matches_its_sample_and_survives_the_prefilter(sig) -> None:  # type: ignore[no-untyped-def]
    assert sig.family in FAMILIES and sig.severity in SEVERITIES
    assert sig.meaning and sig.sample
    sample = sig.sample.encode()
    assert sig.pattern.search(sample), f"{sig.id}: regex does not match its sample"
    literals = required_literals(sig.regex)
    assert literals, f"{sig.id}: no literal to prefilter on"
    assert any(lit.encode("latin-1") in sample for lit in literals)
    # scanning the sample finds a signature at least as severe as this one
    found = SignatureMatcher(SIGNATURES).match_line(sample)
    assert found is not None
    assert SEVERITIES.index(found.severity) >= SEVERITIES.index(sig.severity)
    assert SignatureMatcher([sig]).match_line(sample) is sig


def test_required_literals_cover_alternations() -> None:
    assert required_literals(r"foo bar|baz qux") == ["foo bar", "baz qux"]
    assert required_literals(r"Module '?CPUID'? power on failed") == [" power on failed"]
    assert required_literals(r"\d+") is None


def test_bad_catalog_rows_are_reported_with_their_line() -> None:
    head = "id,log,family,severity,regex,meaning,sample\n"
    with pytest.raises(ValueError, match="line 2: unknown family"):
        parse_catalog(head + "X1,vmkernel.log,weather,low,abc,m,abc\n")
    with pytest.raises(ValueError, match="line 2: invalid regex"):
        parse_catalog(head + "X1,vmkernel.log,storage,low,(abc,m,abc\n")
    with pytest.raises(ValueError, match="line 3: missing or duplicate id"):
        parse_catalog(head + "X1,a,storage,low,abc,m,abc\nX1,a,storage,low,abc,m,abc\n")
