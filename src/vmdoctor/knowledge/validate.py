"""Cross-table rules a knowledge bundle must satisfy before vmdoctor uses it.

Builds rise with release date inside one update branch. Known exceptions are marked in the data
itself: security-only builds (released the same day as, and numbered just below, the full patch
they accompany) and recalled builds (no release date) are left out of the ordering rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

from vmdoctor.knowledge.bundle import Bundle, KnowledgeError
from vmdoctor.knowledge.tables import (
    Advisory,
    AdvisoryCve,
    EsxiBuild,
    EsxiMaxHw,
    GuestOs,
    HardeningControl,
    HwVersion,
    Lifecycle,
    ProfileControl,
    ToolsVersion,
    VCenterBuild,
)
from vmdoctor.knowledge.versions import parse_release, tools_version_to_int, update_number


def validate(bundle: Bundle) -> None:
    """Raise KnowledgeError (file and line) at the first rule the bundle breaks."""
    esxi: Sequence[EsxiBuild] = bundle.table("esxi_builds")  # type: ignore[assignment]
    vcenter: Sequence[VCenterBuild] = bundle.table("vcenter_builds")  # type: ignore[assignment]
    _builds_rise(bundle, "esxi_builds", esxi)
    _builds_rise(bundle, "vcenter_builds", vcenter)
    _security_only_beside_full_patch(bundle, esxi)
    _advisories(bundle, esxi, vcenter)
    _tools(bundle)
    _hardware(bundle)
    _lifecycle(bundle)
    _guest_os(bundle)
    _profiles(bundle)


def _fail(bundle: Bundle, table: str, index: int, problem: str) -> KnowledgeError:
    path = bundle.path / bundle.manifest.tables[table].file
    return KnowledgeError(f"{path}: line {index + 2}: {problem}")  # +1 header, +1 one-based


def _builds_rise(bundle: Bundle, table: str, rows: Sequence[EsxiBuild | VCenterBuild]) -> None:
    branches: dict[tuple[str, str], list[tuple[int, EsxiBuild | VCenterBuild]]] = defaultdict(list)
    for i, row in enumerate(rows):
        if parse_release(row.version) is None or parse_release(row.version_line) is None:
            raise _fail(
                bundle, table, i, f"version {row.version!r} / line {row.version_line!r} unparseable"
            )
        if not row.version.startswith(row.version_line):
            raise _fail(
                bundle, table, i, f"version {row.version} is not on line {row.version_line}"
            )
        try:
            update_number(row.update)
        except ValueError:
            raise _fail(bundle, table, i, f"update {row.update!r} is not GA or U<n>") from None
        if getattr(row, "security_only", False) or getattr(row, "recalled", False):
            continue
        if row.release_date is None:
            raise _fail(
                bundle, table, i, f"build {row.build} has no release date and is not recalled"
            )
        branches[(row.version_line, row.update)].append((i, row))
    for members in branches.values():
        members.sort(key=lambda m: (m[1].release_date, m[1].build))
        for (_, prev), (i, row) in pairwise(members):
            if row.build < prev.build:
                raise _fail(
                    bundle,
                    table,
                    i,
                    f"build {row.build} ({row.release_date}) is lower than {prev.build} released "
                    f"earlier ({prev.release_date}) in {row.version_line} {row.update}",
                )


def _security_only_beside_full_patch(bundle: Bundle, rows: Sequence[EsxiBuild]) -> None:
    full = {(r.version_line, r.release_date): r.build for r in rows if not r.security_only}
    by_day: dict[tuple[str, object], list[int]] = defaultdict(list)
    for r in rows:
        if not r.security_only:
            by_day[(r.version_line, r.release_date)].append(r.build)
    for i, row in enumerate(rows):
        if not row.security_only:
            continue
        siblings = [
            b for b in by_day.get((row.version_line, row.release_date), ()) if b > row.build
        ]
        if (row.version_line, row.release_date) not in full or not siblings:
            raise _fail(
                bundle,
                "esxi_builds",
                i,
                f"security-only build {row.build} has no full patch beside it",
            )


def _advisories(bundle: Bundle, esxi: Sequence[EsxiBuild], vcenter: Sequence[VCenterBuild]) -> None:
    builds: dict[str, dict[int, EsxiBuild | VCenterBuild]] = {
        "esxi": {r.build: r for r in esxi},
        "vcenter": {r.build: r for r in vcenter},
    }
    rows: Sequence[Advisory] = bundle.table("advisories")  # type: ignore[assignment]
    for i, adv in enumerate(rows):
        if not adv.advisory.startswith("VMSA-"):
            raise _fail(
                bundle, "advisories", i, f"advisory id {adv.advisory!r} is not VMSA-YYYY-NNNN"
            )
        if not 0 <= adv.cvss_max <= 10:
            raise _fail(bundle, "advisories", i, f"cvss_max {adv.cvss_max} outside 0-10")
        if adv.kev and adv.kev_added is None:
            raise _fail(bundle, "advisories", i, "kev is true but kev_added is empty")
        if adv.product == "tools":
            if adv.fix_status != "fixed" or not adv.fixed_version or not adv.affected_from:
                raise _fail(
                    bundle, "advisories", i, "Tools rows need affected_from and fixed_version"
                )
            for value in (adv.affected_from, adv.fixed_version):
                try:
                    tools_version_to_int(value)
                except ValueError as exc:
                    raise _fail(bundle, "advisories", i, str(exc)) from None
            continue
        if not adv.version_line:
            raise _fail(bundle, "advisories", i, "version_line is empty")
        if adv.fix_status == "fixed" and adv.fixed_build is None:
            raise _fail(bundle, "advisories", i, "fix_status is fixed but fixed_build is empty")
        if adv.fix_status != "fixed" and adv.fixed_build is not None:
            raise _fail(
                bundle, "advisories", i, f"fixed_build given but fix_status is {adv.fix_status}"
            )
        if adv.fixed_build is not None:
            build = builds[adv.product].get(adv.fixed_build)
            if build is None:
                raise _fail(
                    bundle,
                    "advisories",
                    i,
                    f"fixed build {adv.fixed_build} is not in the {adv.product} builds",
                )
            if build.version_line != adv.version_line or (
                adv.branch and build.update != adv.branch
            ):
                raise _fail(
                    bundle,
                    "advisories",
                    i,
                    f"fixed build {adv.fixed_build} is {build.version_line} {build.update}, "
                    f"not {adv.version_line} {adv.branch}".rstrip(),
                )
    known = {a.advisory for a in rows}
    cves: Sequence[AdvisoryCve] = bundle.table("advisory_cves")  # type: ignore[assignment]
    listed = {c for a in rows for c in a.cves}
    for i, cve in enumerate(cves):
        if cve.advisory not in known:
            raise _fail(bundle, "advisory_cves", i, f"advisory {cve.advisory} is not in advisories")
        if cve.cve not in listed:
            raise _fail(bundle, "advisory_cves", i, f"{cve.cve} is not listed by {cve.advisory}")


def _tools(bundle: Bundle) -> None:
    rows: Sequence[ToolsVersion] = bundle.table("tools_versions")  # type: ignore[assignment]
    for i, row in enumerate(rows):
        try:
            expected = tools_version_to_int(row.tools_version)
        except ValueError as exc:
            raise _fail(bundle, "tools_versions", i, str(exc)) from None
        if expected != row.version_int:
            raise _fail(
                bundle,
                "tools_versions",
                i,
                f"version_int {row.version_int} does not encode {row.tools_version} ({expected})",
            )
        if bool(row.bundled_line) != (row.bundled_esxi_build is not None):
            raise _fail(
                bundle, "tools_versions", i, "bundled_line and bundled_esxi_build go together"
            )


def _hardware(bundle: Bundle) -> None:
    hw: Sequence[HwVersion] = bundle.table("hw_versions")  # type: ignore[assignment]
    known = {h.hw_version for h in hw if h.on_esxi}
    rows: Sequence[EsxiMaxHw] = bundle.table("esxi_max_hw_version")  # type: ignore[assignment]
    previous: tuple[tuple[int, int, int], int] | None = None
    for i, row in enumerate(rows):
        release = parse_release(row.esxi_release)
        if release is None:
            raise _fail(
                bundle, "esxi_max_hw_version", i, f"release {row.esxi_release!r} unparseable"
            )
        if row.max_hw_version not in known:
            raise _fail(
                bundle, "esxi_max_hw_version", i, f"vmx-{row.max_hw_version} is not an ESXi version"
            )
        if previous and (release <= previous[0] or row.max_hw_version < previous[1]):
            raise _fail(
                bundle, "esxi_max_hw_version", i, "releases and hardware versions must rise"
            )
        previous = (release, row.max_hw_version)


def _lifecycle(bundle: Bundle) -> None:
    rows: Sequence[Lifecycle] = bundle.table("lifecycle")  # type: ignore[assignment]
    for i, row in enumerate(rows):
        if (
            not row.general_availability
            < row.end_of_general_support
            <= row.end_of_technical_guidance
        ):
            raise _fail(
                bundle,
                "lifecycle",
                i,
                "dates must be GA < end of general support <= end of guidance",
            )


def _guest_os(bundle: Bundle) -> None:
    rows: Sequence[GuestOs] = bundle.table("guest_os")  # type: ignore[assignment]
    for i, row in enumerate(rows):
        if parse_release(row.min_esxi) is None:
            raise _fail(bundle, "guest_os", i, f"min_esxi {row.min_esxi!r} unparseable")


def _profiles(bundle: Bundle) -> None:
    rows: Sequence[ProfileControl] = bundle.table("profile_scg8")  # type: ignore[assignment]
    hardening: Sequence[HardeningControl] = bundle.table("hardening")  # type: ignore[assignment]
    controls = {c.control_id for c in hardening}
    for i, row in enumerate(rows):
        if row.control_id not in controls:
            raise _fail(bundle, "profile_scg8", i, f"control {row.control_id} is not in hardening")
        if (row.status == "automated") != bool(row.check_ids):
            raise _fail(
                bundle, "profile_scg8", i, "automated controls, and only they, name check ids"
            )
