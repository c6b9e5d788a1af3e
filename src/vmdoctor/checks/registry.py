"""The catalog of checks: imports every family, validates and indexes what ``@check`` defined."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache

from vmdoctor.checks.base import DEFINED, CheckDef
from vmdoctor.model import Family

FAMILY_PACKAGES = tuple(f"vmdoctor.checks.{family.value}" for family in Family)


class UnknownCheckError(LookupError):
    pass


class Registry:
    def __init__(self, checks: Iterable[CheckDef]) -> None:
        self.checks: tuple[CheckDef, ...] = tuple(sorted(checks, key=lambda c: c.id))
        self._lookup: dict[str, CheckDef] = {}
        for chk in self.checks:
            for key in (chk.id, chk.name, *chk.aliases):
                other = self._lookup.get(key.lower())
                if other is not None:
                    raise ValueError(f"check key {key!r} is used by both {other.id} and {chk.id}")
                self._lookup[key.lower()] = chk

    def get(self, key: str) -> CheckDef:
        """A check by ID (``STO001``), name (``datastore-free-space``) or alias."""
        try:
            return self._lookup[key.lower()]
        except KeyError:
            raise UnknownCheckError(f"no check with ID or name {key!r}") from None

    def find(self, key: str) -> CheckDef | None:
        return self._lookup.get(key.lower())

    def by_family(self, family: Family) -> list[CheckDef]:
        return [c for c in self.checks if c.family == family]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.checks)

    def __len__(self) -> int:
        return len(self.checks)


@cache
def registry() -> Registry:
    for package_name in FAMILY_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package_name}.{module.name}")
    return Registry(DEFINED)
