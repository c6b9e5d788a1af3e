"""The packaged knowledge bundle: it parses, it is consistent, and its lookups answer right."""

from __future__ import annotations

from datetime import date

import pytest

from vmdoctor.knowledge import KnowledgeError, Verdict, load_knowledge
from vmdoctor.knowledge.builds import ReleaseInfo
from vmdoctor.knowledge.store import PACKAGED_DIR, load_bundle
from vmdoctor.knowledge.tables import TABLE_SPECS
from vmdoctor.knowledge.versions import (
    parse_release,
    tools_int_to_version,
    tools_version_to_int,
)

KB = load_knowledge()


def test_every_table_of_the_manifest_parses_with_a_date_and_a_source() -> None:
    bundle = load_bundle(PACKAGED_DIR)
    assert set(bundle.manifest.tables) == {spec.name for spec in TABLE_SPECS}
    for name, meta in bundle.manifest.tables.items():
        assert bundle.rows[name], name
        assert meta.source and meta.date <= date.today()
        assert all(row.source and row.confidence for row in bundle.rows[name])


def test_keys_are_unique_per_table() -> None:
    bundle = load_bundle(PACKAGED_DIR)
    for spec in TABLE_SPECS:
        keys = [spec.key(row) for row in bundle.rows[spec.name]]
        assert len(keys) == len(set(keys)), spec.name


@pytest.mark.parametrize("catalog", [KB.esxi, KB.vcenter], ids=["esxi", "vcenter"])
def test_builds_rise_with_release_date_per_update_branch(catalog) -> None:  # type: ignore[no-untyped-def]
    branches: dict[tuple[str, str], list] = {}  # type: ignore[type-arg]
    for row in catalog.rows:
        if getattr(row, "security_only", False) or getattr(row, "recalled", False):
            continue  # known exceptions, marked in the data
        branches.setdefault((row.version_line, row.update), []).append(row)
    for rows in branches.values():
        rows.sort(key=lambda r: (r.release_date, r.build))
        assert [r.build for r in rows] == sorted(r.build for r in rows)


def test_security_only_builds_sit_just_below_their_full_patch() -> None:
    for row in KB.esxi_builds:
        if row.security_only:
            full = KB.esxi.effective_build(row.build)
            assert full > row.build
            assert KB.esxi.by_build[full].release_date == row.release_date


def test_every_known_fixed_build_is_in_the_build_tables() -> None:
    for adv in KB.advisories:
        if adv.fixed_build is not None:
            catalog = KB.esxi if adv.product == "esxi" else KB.vcenter
            assert adv.fixed_build in catalog.by_build, (adv.advisory, adv.fixed_build)


def test_tools_integers_encode_their_version() -> None:
    for row in KB.tools_versions:
        assert tools_version_to_int(row.tools_version) == row.version_int
        assert tools_int_to_version(row.version_int) == row.tools_version
    assert tools_int_to_version(0) == "none"
    assert tools_int_to_version(2147483647) == "unmanaged"
    with pytest.raises(ValueError):
        tools_version_to_int("12.2")


def test_lifecycle_dates() -> None:
    today = date(2026, 11, 20)
    for product in ("esxi", "vcenter"):
        assert KB.support(product, "6.7", today).lifecycle.end_of_general_support == date(
            2022, 10, 15
        )  # type: ignore[union-attr]
        seven = KB.support(product, "7.0", today)
        assert (
            seven is not None and seven.past_general_support and not seven.past_technical_guidance
        )
        eight = KB.support(product, "8.0", today)
        assert eight is not None and eight.days_to_end_of_general_support == 325
    assert KB.support("esxi", "9.0", today) is None


def test_esxi_80u1_advisories_and_patch_target() -> None:
    assessment = KB.esxi_assessment(21495797)
    affected = {v.advisory.advisory for v in assessment.affected}
    assert {"VMSA-2024-0006", "VMSA-2025-0004", "VMSA-2025-0013"} <= affected
    assert "VMSA-2022-0033" not in affected  # fixed in 8.0a, before 8.0 U1
    assert assessment.patch_target is not None and assessment.patch_target.build == 24784735


def test_branch_rows_decide_for_their_branch() -> None:
    # VMSA-2024-0006: fixed in 8.0 U1d (U1 branch) and 8.0 U2b SO (U2 branch)
    def verdict(build: int) -> Verdict:
        return next(
            v.verdict
            for v in KB.esxi_assessment(build).verdicts
            if v.advisory.advisory == "VMSA-2024-0006"
        )

    assert verdict(23299997) is Verdict.FIXED  # 8.0 U1d
    assert verdict(22380479) is Verdict.AFFECTED  # 8.0 U2 GA, below the U2 fix
    assert verdict(24022510) is Verdict.FIXED  # 8.0 U3 carries the earlier fixes
    assert verdict(21493926) is Verdict.AFFECTED  # 8.0c: no fix on the GA branch


def test_unknown_build_is_never_safe() -> None:
    assessment = KB.esxi_assessment(24999999, "8.0.3")
    assert not assessment.known and not assessment.verdicts
    below, above = assessment.nearest
    assert below is not None and below.build == 24859861
    assert above is not None and above.build == 25067014


def test_unknown_fix_build_is_unknown_unless_the_build_predates_the_advisory() -> None:
    verdicts = {v.advisory.advisory: v.verdict for v in KB.esxi_assessment(24784741).verdicts}
    assert verdicts["VMSA-2022-0001"] is Verdict.UNKNOWN  # 7.0 fix build not in the data
    assert verdicts["VMSA-2024-0013"] is Verdict.AFFECTED  # no fix will come for 7.0
    old = {v.advisory.advisory: v.verdict for v in KB.esxi_assessment(18644231).verdicts}
    assert old["VMSA-2022-0001"] is Verdict.AFFECTED  # 7.0 U3 (2021-10) predates 2022-01-04


def test_max_hardware_version() -> None:
    assert KB.max_hw_version(KB.esxi_release("8.0.2", None)) == 21
    assert KB.max_hw_version(KB.esxi_release("7.0.3", None)) == 19
    assert KB.max_hw_version(KB.esxi_release("6.7.0", 13006603)) == 15  # 6.7 U2, from the build
    assert KB.max_hw_version(ReleaseInfo((6, 7, 0), exact=False)) == 15  # upper bound of the line
    assert KB.max_hw_version(None) is None


def test_guest_ids_known_to_releases() -> None:
    assert KB.guest_known_to("rhel9_64Guest", ReleaseInfo((8, 0, 0), True)) is True
    assert KB.guest_known_to("rhel10_64Guest", ReleaseInfo((8, 0, 3), True)) is False
    assert KB.guest_known_to("amazonlinux2_64Guest", ReleaseInfo((6, 7, 0), False)) is None
    assert KB.guest_known_to("nonsense", ReleaseInfo((8, 0, 3), True)) is None


def test_bundled_tools_follow_the_host_build() -> None:
    tools = KB.bundled_tools("7.0", 20842708)
    assert tools is not None and tools.tools_version == "12.1.0"
    assert KB.bundled_tools("7.0", 15843807).tools_version == "11.0.5"  # type: ignore[union-attr]
    assert KB.bundled_tools(None, 1) is None


def test_release_parsing() -> None:
    assert parse_release("8.0 U2") == (8, 0, 2)
    assert parse_release("8.0.2.00100") == (8, 0, 2)
    assert parse_release("<=5.5") == (5, 5, 0)
    assert parse_release("junk") is None


def test_tools_advisories_by_range() -> None:
    names = lambda v: {a.advisory for a in KB.tools_advisories.affecting(v)}  # noqa: E731
    assert names(tools_version_to_int("12.1.5")) == {"VMSA-2023-0013", "VMSA-2025-0015"}
    assert names(tools_version_to_int("12.5.4")) == set()
    assert names(tools_version_to_int("13.0.0")) == {"VMSA-2025-0015"}
    assert names(tools_version_to_int("10.2.5")) == set()


def test_knowledge_error_is_one_line() -> None:
    err = KnowledgeError("a.csv: line 3: column build: expected `int`, got `str`")
    assert "\n" not in str(err)


def test_scg8_profile_maps_to_existing_checks_and_marks_manual_controls() -> None:
    from vmdoctor.checks.registry import registry
    from vmdoctor.knowledge.profiles import builtin_profiles, manual_controls, profile_controls

    checks = registry()
    for row in profile_controls("scg-8"):
        for check_id in row.check_ids:
            assert checks.find(check_id) is not None, (row.control_id, check_id)
        if row.status == "manual":
            assert not KB.hardening[row.control_id].api_readable, row.control_id
    manual = {c.control_id for c in manual_controls()}
    assert "esxi-8.ssh-fips" in manual and "esxi-8.deactivate-ssh" not in manual
    profiles = builtin_profiles()
    assert {"SEC004", "SEC009", "SEC014", "SEC016"} <= set(profiles["scg-8"].checks)
    assert set(profiles["stig-8"].checks) <= set(profiles["scg-8"].checks)
