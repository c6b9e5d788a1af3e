"""Knowledge base: versioned data tables (builds, advisories, hardening, signatures, ...).

Placeholder interface; the typed loaders live beside this module.
"""

from __future__ import annotations

from functools import cache


class Knowledge:
    """All knowledge tables, loaded once."""


@cache
def load_knowledge() -> Knowledge:
    return Knowledge()
