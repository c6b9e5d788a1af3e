"""The Knowledge object: typed tables plus the lookups checks use, precomputed once.

Checks reach it as ``ctx.knowledge``. Every lookup is a dict access or a cached result, because
checks call them once per object over estates of 100k VMs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar, cast

from vmdoctor.knowledge.advisories import AdvisoryIndex, BuildAssessment, ToolsAdvisories
from vmdoctor.knowledge.builds import BuildCatalog, ReleaseInfo
from vmdoctor.knowledge.bundle import Bundle, Manifest
from vmdoctor.knowledge.tables import (
    Advisory,
    AdvisoryCve,
    EsxiBuild,
    EsxiMaxHw,
    GuestOs,
    HardeningControl,
    HwVersion,
    Lifecycle,
    PerfInterval,
    PerfThreshold,
    ProfileControl,
    ToolsVersion,
    VCenterBuild,
)
from vmdoctor.knowledge.versions import Release, hw_version_number, parse_release

T = TypeVar("T")
_MEMO_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class SupportStatus:
    lifecycle: Lifecycle
    today: date

    @property
    def days_to_end_of_general_support(self) -> int:
        return (self.lifecycle.end_of_general_support - self.today).days

    @property
    def days_to_end_of_technical_guidance(self) -> int:
        return (self.lifecycle.end_of_technical_guidance - self.today).days

    @property
    def past_general_support(self) -> bool:
        return self.days_to_end_of_general_support < 0

    @property
    def past_technical_guidance(self) -> bool:
        return self.days_to_end_of_technical_guidance < 0


class Knowledge:
    """All knowledge tables of one bundle, with their lookups."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.manifest: Manifest = bundle.manifest
        rows = bundle.rows
        self.esxi_builds = cast(Sequence[EsxiBuild], rows["esxi_builds"])
        self.vcenter_builds = cast(Sequence[VCenterBuild], rows["vcenter_builds"])
        self.lifecycles = cast(Sequence[Lifecycle], rows["lifecycle"])
        self.advisories = cast(Sequence[Advisory], rows["advisories"])
        self.advisory_cves = cast(Sequence[AdvisoryCve], rows["advisory_cves"])
        self.hw_versions = cast(Sequence[HwVersion], rows["hw_versions"])
        self.esxi_max_hw = cast(Sequence[EsxiMaxHw], rows["esxi_max_hw_version"])
        self.tools_versions = cast(Sequence[ToolsVersion], rows["tools_versions"])
        self.guest_os = cast(Sequence[GuestOs], rows["guest_os"])
        self.hardening_controls = cast(Sequence[HardeningControl], rows["hardening"])
        self.perf_thresholds = cast(Sequence[PerfThreshold], rows["perf_thresholds"])
        self.perf_intervals = cast(Sequence[PerfInterval], rows["perf_intervals"])
        self.profile_controls = cast(Sequence[ProfileControl], rows["profile_scg8"])

        self.esxi = BuildCatalog("esxi", self.esxi_builds)
        self.vcenter = BuildCatalog("vcenter", self.vcenter_builds)
        self.esxi_advisories = AdvisoryIndex("esxi", self.advisories, self.esxi)
        self.vcenter_advisories = AdvisoryIndex("vcenter", self.advisories, self.vcenter)
        self.tools_advisories = ToolsAdvisories(self.advisories)
        self._lifecycle: dict[tuple[str, str], Lifecycle] = {
            (r.product, r.version_line): r for r in self.lifecycles
        }
        self._max_hw = sorted(
            (parse_release(r.esxi_release) or (0, 0, 0), r.max_hw_version) for r in self.esxi_max_hw
        )
        self._guest = {r.guest_id: r for r in self.guest_os}
        self._guest_release = {r.guest_id: parse_release(r.min_esxi) for r in self.guest_os}
        self.hardening = {r.control_id: r for r in self.hardening_controls}
        self._tools_by_int: dict[int, ToolsVersion] = {}
        bundled: dict[str, list[ToolsVersion]] = defaultdict(list)
        for tools in self.tools_versions:
            self._tools_by_int.setdefault(tools.version_int, tools)
            if tools.bundled_line and tools.bundled_esxi_build is not None:
                bundled[tools.bundled_line].append(tools)
        self._bundled = {
            k: sorted(v, key=lambda t: t.bundled_esxi_build or 0) for k, v in bundled.items()
        }
        self._bundled_cache: dict[int, ToolsVersion | None] = {}
        self._cves = {r.cve: r for r in self.advisory_cves}
        self._max_hw_cache: dict[ReleaseInfo, int | None] = {}
        self._memo: dict[Hashable, object] = {}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value computed once per key: lets checks reuse one result for the many objects that
        share the same inputs (same build, same Tools version). Keys must include every input."""
        try:
            return cast(T, self._memo[key])
        except KeyError:
            if len(self._memo) >= _MEMO_LIMIT:  # long-running `serve`: keep memory bounded
                self._memo.clear()
            value = self._memo[key] = compute()
            return value

    # --- builds and advisories -------------------------------------------------------------

    def esxi_assessment(self, build: int, version: str | None = None) -> BuildAssessment:
        return self.esxi_advisories.assess(build, version)

    def vcenter_assessment(self, build: int, version: str | None = None) -> BuildAssessment:
        return self.vcenter_advisories.assess(build, version)

    def esxi_release(self, version: str | None, build: int | None) -> ReleaseInfo | None:
        return self.esxi.release_info(version, build)

    def vcenter_release(self, version: str | None, build: int | None) -> ReleaseInfo | None:
        return self.vcenter.release_info(version, build)

    def advisories_named(self, advisory: str) -> list[Advisory]:
        key = advisory.upper()
        return [a for a in self.advisories if a.advisory == key]

    def advisories_with_cve(self, cve: str) -> list[Advisory]:
        key = cve.upper()
        return [a for a in self.advisories if key in a.cves]

    def unlisted_advisories(self, product: str, line: str, since: date) -> tuple[str, ...]:
        """Advisories for ``product`` published after ``since`` that have no row for ``line``:
        for a line past end of general support, flaws nobody assessed for it."""

        def compute() -> tuple[str, ...]:
            listed = {
                a.advisory
                for a in self.advisories
                if a.product == product and a.version_line == line
            }
            return tuple(
                sorted(
                    {
                        a.advisory
                        for a in self.advisories
                        if a.product == product and a.published > since and a.advisory not in listed
                    }
                )
            )

        return self.memo(("unlisted", product, line, since), compute)

    def cve(self, cve: str) -> AdvisoryCve | None:
        return self._cves.get(cve.upper())

    # --- lifecycle -------------------------------------------------------------------------

    def support(self, product: str, line: str | None, today: date) -> SupportStatus | None:
        row = self._lifecycle.get((product, line or ""))
        return None if row is None else SupportStatus(row, today)

    # --- virtual hardware ------------------------------------------------------------------

    def max_hw_version(self, release: ReleaseInfo | None) -> int | None:
        """Highest hardware version the ESXi release runs; for an inexact release (6.x without
        a known build) the highest of its line, so that "beyond the host" never over-reports."""
        if release is None:
            return None
        if release in self._max_hw_cache:
            return self._max_hw_cache[release]
        found = self._max_hw_cache[release] = self._max_hw_for(release)
        return found

    def _max_hw_for(self, release: ReleaseInfo) -> int | None:
        target: Release = release.release
        if not release.exact:
            target = (target[0], target[1], 99)
        best = None
        for key, hw in self._max_hw:
            if key[:2] == target[:2] and key <= target:
                best = hw
        return best

    # --- VMware Tools ----------------------------------------------------------------------

    def tools_release(self, version_int: int) -> ToolsVersion | None:
        return self._tools_by_int.get(version_int)

    def bundled_tools(self, line: str | None, build: int | None) -> ToolsVersion | None:
        """The newest Tools release known to ship with this ESXi build (or before it, same line)."""
        if line is None or build is None:
            return None
        if build in self._bundled_cache:
            return self._bundled_cache[build]
        effective = self.esxi.effective_build(build)
        found = None
        for tools in self._bundled.get(line, ()):
            if (tools.bundled_esxi_build or 0) <= effective:
                found = tools
        self._bundled_cache[build] = found
        return found

    # --- guest operating systems -----------------------------------------------------------

    def guest(self, guest_id: str) -> GuestOs | None:
        return self._guest.get(guest_id)

    def guest_known_to(self, guest_id: str, release: ReleaseInfo) -> bool | None:
        """Whether ESXi ``release`` knows ``guest_id``; None when it cannot be told."""
        first = self._guest_release.get(guest_id)
        if first is None:
            return None
        host = release.release
        if host >= first:
            return True
        if not release.exact and host[:2] == first[:2]:
            return None  # 6.x host without a known build: the update level decides
        return False

    # --- hardening -------------------------------------------------------------------------

    def control(self, control_id: str) -> HardeningControl:
        return self.hardening[control_id]

    def hw_version_known(self, hw_version: str | None) -> bool:
        number = hw_version_number(hw_version)
        return number is not None and any(h.hw_version == number for h in self.hw_versions)
