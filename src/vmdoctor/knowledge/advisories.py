"""Which security advisories affect a build, and which build fixes them all.

An advisory row covers a version line ("8.0") or one update branch of it ("8.0" + "U2"). For a
build on that line the applicable row is its branch's row, else the whole-line row; when the
advisory lists only other branches, the build is fixed when it is at or above the lowest fix
build (later branches carry earlier fixes) and affected when it is older than the advisory.
An unknown fix build leaves the answer unknown unless the build predates the advisory.
A build the knowledge base does not know is never assessed as safe.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from vmdoctor.knowledge.builds import BuildCatalog, BuildRow
from vmdoctor.knowledge.tables import Advisory
from vmdoctor.knowledge.versions import tools_version_to_int


class Verdict(StrEnum):
    AFFECTED = "affected"
    FIXED = "fixed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class AdvisoryVerdict:
    advisory: Advisory  # the row that decided (line or branch)
    verdict: Verdict
    reason: str


@dataclass(frozen=True, slots=True)
class BuildAssessment:
    product: str
    build: int
    known: bool  # the build is in the knowledge base
    line: str | None
    release: BuildRow | None
    verdicts: tuple[AdvisoryVerdict, ...] = ()
    patch_target: BuildRow | None = None
    nearest: tuple[BuildRow | None, BuildRow | None] = (None, None)
    older_than_fixes: tuple[str, ...] = field(default=())  # unknown build: fixes all newer than it

    @property
    def affected(self) -> tuple[AdvisoryVerdict, ...]:
        return tuple(v for v in self.verdicts if v.verdict is Verdict.AFFECTED)

    @property
    def unknown(self) -> tuple[AdvisoryVerdict, ...]:
        return tuple(v for v in self.verdicts if v.verdict is Verdict.UNKNOWN)


class AdvisoryIndex:
    """Advisories of one product (ESXi or vCenter) against its build catalog, cached per build."""

    def __init__(self, product: str, rows: Sequence[Advisory], catalog: BuildCatalog) -> None:
        self.product = product
        self.catalog = catalog
        grouped: dict[tuple[str, str], list[Advisory]] = defaultdict(list)
        for row in rows:
            if row.product == product:
                grouped[(row.version_line, row.advisory)].append(row)
        self._by_line: dict[str, list[tuple[str, list[Advisory]]]] = defaultdict(list)
        for (line, advisory), members in sorted(grouped.items()):
            self._by_line[line].append((advisory, members))
        self._cache: dict[tuple[int, str | None], BuildAssessment] = {}

    def assess(self, build: int, version: str | None = None) -> BuildAssessment:
        key = (build, version if build not in self.catalog.by_build else None)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._assess(build, version)
        return cached

    def verdicts_for(self, row: BuildRow) -> tuple[AdvisoryVerdict, ...]:
        out = []
        for _, members in self._by_line.get(row.version_line, ()):
            verdict = self._judge(row, members)
            if verdict is not None:
                out.append(verdict)
        return tuple(out)

    def _assess(self, build: int, version: str | None) -> BuildAssessment:
        row = self.catalog.release(build)
        if row is None:
            line = self.catalog.line_of(version, None)
            below, above = self.catalog.nearest(build, line)
            older = tuple(
                advisory
                for advisory, members in self._by_line.get(line or "", ())
                if (fixes := [m.fixed_build for m in members if m.fixed_build is not None])
                and build < min(fixes)
            )
            return BuildAssessment(
                self.product,
                build,
                False,
                line,
                None,
                nearest=(below, above),
                older_than_fixes=older,
            )
        verdicts = self.verdicts_for(row)
        target = None
        if any(
            v.verdict is not Verdict.FIXED and v.advisory.fix_status != "none" for v in verdicts
        ):
            target = self.patch_target(row)
        return BuildAssessment(self.product, build, True, row.version_line, row, verdicts, target)

    def patch_target(self, row: BuildRow) -> BuildRow | None:
        """The lowest known build on the line, newer than ``row``, affected by no advisory that
        has a fix. Advisories without a fix for the line cannot be patched away, and those whose
        fix build is not known stay unknown: neither holds the target back."""
        for candidate in self.catalog.by_line.get(row.version_line, ()):
            if candidate.build <= row.build or getattr(candidate, "recalled", False):
                continue
            if all(
                v.verdict is not Verdict.AFFECTED or v.advisory.fix_status == "none"
                for v in self.verdicts_for(candidate)
            ):
                return candidate
        return None

    def _judge(self, row: BuildRow, members: list[Advisory]) -> AdvisoryVerdict | None:
        build = self.catalog.effective_build(row.build)
        chosen = next((m for m in members if m.branch and m.branch == row.update), None)
        chosen = chosen or next((m for m in members if not m.branch), None)
        if chosen is not None:
            if chosen.fix_status == "none":
                return AdvisoryVerdict(chosen, Verdict.AFFECTED, "no fix released for this line")
            if chosen.fixed_build is not None:
                if build >= chosen.fixed_build:
                    return AdvisoryVerdict(
                        chosen, Verdict.FIXED, f"at or above {chosen.fixed_build}"
                    )
                return AdvisoryVerdict(
                    chosen, Verdict.AFFECTED, f"below fix build {chosen.fixed_build}"
                )
            return self._by_date(row, chosen, "fix build not in the knowledge base")
        fixes = [m for m in members if m.fixed_build is not None]
        if fixes:
            lowest = min(fixes, key=lambda m: m.fixed_build or 0)
            if build >= (lowest.fixed_build or 0):
                return AdvisoryVerdict(
                    lowest, Verdict.FIXED, f"newer than fix build {lowest.fixed_build}"
                )
            return self._by_date(row, lowest, f"{row.update} branch has no fix listed")
        return self._by_date(row, members[0], "fix build not in the knowledge base")

    @staticmethod
    def _by_date(row: BuildRow, advisory: Advisory, why: str) -> AdvisoryVerdict:
        if row.release_date is not None and row.release_date < advisory.published:
            return AdvisoryVerdict(
                advisory, Verdict.AFFECTED, f"released before the advisory; {why}"
            )
        return AdvisoryVerdict(advisory, Verdict.UNKNOWN, why)


class ToolsAdvisories:
    """Advisories against VMware Tools versions (API integers)."""

    def __init__(self, rows: Sequence[Advisory]) -> None:
        ranges: dict[str, list[tuple[int, int, Advisory]]] = defaultdict(list)
        for row in rows:
            if row.product == "tools":
                start = tools_version_to_int(row.affected_from)
                ranges[row.advisory].append((start, tools_version_to_int(row.fixed_version), row))
        self._ranges = {k: sorted(v, key=lambda r: r[0]) for k, v in ranges.items()}
        self._cache: dict[int, tuple[Advisory, ...]] = {}

    def affecting(self, version_int: int) -> tuple[Advisory, ...]:
        cached = self._cache.get(version_int)
        if cached is None:
            out = []
            for ranges in self._ranges.values():
                applicable = [r for r in ranges if r[0] <= version_int]
                if applicable and version_int < applicable[-1][1]:
                    out.append(applicable[-1][2])
            cached = self._cache[version_int] = tuple(out)
        return cached
