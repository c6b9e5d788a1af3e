"""Build catalogs: build number -> release, nearest known builds, security-equivalent builds."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from vmdoctor.knowledge.tables import EsxiBuild, VCenterBuild
from vmdoctor.knowledge.versions import Release, parse_release, update_number

BuildRow = EsxiBuild | VCenterBuild


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """Where a version/build sits: ``exact`` is False when the update level is a guess."""

    release: Release
    exact: bool

    @property
    def line(self) -> str:
        return f"{self.release[0]}.{self.release[1]}"


class BuildCatalog:
    """The known builds of one product (ESXi or vCenter)."""

    def __init__(self, product: str, rows: Sequence[BuildRow]) -> None:
        self.product = product
        self.rows = tuple(sorted(rows, key=lambda r: r.build))
        self.by_build: dict[int, BuildRow] = {r.build: r for r in self.rows}
        self._numbers = [r.build for r in self.rows]
        by_line: dict[str, list[BuildRow]] = defaultdict(list)
        for row in self.rows:
            by_line[row.version_line].append(row)
        self.by_line: dict[str, tuple[BuildRow, ...]] = {k: tuple(v) for k, v in by_line.items()}
        self._equivalent = _security_equivalents(self.rows)
        self._release_cache: dict[tuple[str | None, int | None], ReleaseInfo | None] = {}

    def release(self, build: int | None) -> BuildRow | None:
        return None if build is None else self.by_build.get(build)

    def nearest(
        self, build: int, line: str | None = None
    ) -> tuple[BuildRow | None, BuildRow | None]:
        """The closest known builds below and above ``build`` (on ``line`` when given)."""
        rows = self.by_line.get(line, ()) if line else self.rows
        numbers = [r.build for r in rows] if line else self._numbers
        i = bisect.bisect_left(numbers, build)
        below = rows[i - 1] if i > 0 else None
        j = i + 1 if i < len(rows) and numbers[i] == build else i
        above = rows[j] if j < len(rows) else None
        return below, above

    def effective_build(self, build: int) -> int:
        """A security-only build carries the security fixes of the full patch released beside it."""
        return self._equivalent.get(build, build)

    def release_info(self, version: str | None, build: int | None) -> ReleaseInfo | None:
        """(major, minor, update) of a product from its build, else from its version string.

        ESXi/vCenter 6.x report "6.7.0" whatever the update, so without a known build the
        update level of a 6.x version is not exact.
        """
        key = (version, build)
        if key in self._release_cache:
            return self._release_cache[key]
        info = self._release_cache[key] = self._release_info(version, build)
        return info

    def _release_info(self, version: str | None, build: int | None) -> ReleaseInfo | None:
        row = self.release(build)
        if row is not None:
            parsed = parse_release(row.version_line)
            if parsed is not None:
                return ReleaseInfo((parsed[0], parsed[1], update_number(row.update)), True)
        parsed = parse_release(version)
        if parsed is None:
            return None
        exact = parsed[0] >= 7 or parsed[2] > 0
        return ReleaseInfo(parsed, exact)

    def line_of(self, version: str | None, build: int | None) -> str | None:
        info = self.release_info(version, build)
        return None if info is None else info.line


def _security_equivalents(rows: Sequence[BuildRow]) -> dict[int, int]:
    """security-only build -> the full patch build released the same day on the same line."""
    full: dict[tuple[str, object], list[int]] = defaultdict(list)
    for row in rows:
        if not getattr(row, "security_only", False):
            full[(row.version_line, row.release_date)].append(row.build)
    out: dict[int, int] = {}
    for row in rows:
        if getattr(row, "security_only", False):
            siblings = [
                b for b in full.get((row.version_line, row.release_date), ()) if b > row.build
            ]
            if siblings:
                out[row.build] = min(siblings)
    return out
