"""A check without its documentation sections is refused at definition time."""

from __future__ import annotations

import pytest

from vmdoctor.checks.base import CheckDoc, Fix, check, ok
from vmdoctor.model import Family, Severity


def test_missing_section_is_refused() -> None:
    with pytest.raises(ValueError, match="misses section"):
        CheckDoc.parse("Summary.\n\nWhat it checks:\n    x\nWhy it matters:\n    y\n", "X")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"id": "RES001", "family": Family.STORAGE}, "must be STO"),
        ({"name": "Not_Kebab"}, "kebab-case"),
        ({"applies_to": "galaxy"}, "applies_to"),
    ],
)
def test_bad_metadata_is_refused(kw: dict[str, object], message: str) -> None:
    args: dict[str, object] = dict(
        id="STO900",
        name="x-y",
        title="t",
        family=Family.STORAGE,
        applies_to="datastore",
        severity=Severity.LOW,
        fix=Fix.SAFE,
    )
    with pytest.raises(ValueError, match=message):
        check(**(args | kw))(lambda o, c: ok())  # type: ignore[arg-type]
