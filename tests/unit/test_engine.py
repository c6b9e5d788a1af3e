"""The engine: dispatch by type, counting, isolation of broken checks, suppression."""

from __future__ import annotations

from datetime import date

from vmdoctor.checks.base import CheckDef, CheckDoc, Fix, fail, not_applicable, ok
from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.config import Config, SuppressRule
from vmdoctor.model import Family, Severity, Status

from factories import GIB, make_datastore, make_env

DOC = CheckDoc(summary="s", what="w", why="y", example="e", remediation="r")


def _check(fn, id: str = "STO999") -> CheckDef:  # type: ignore[no-untyped-def]
    return CheckDef(
        id=id,
        name="test-check",
        title="t",
        family=Family.STORAGE,
        applies_to="datastore",
        severity=Severity.MEDIUM,
        fn=fn,
        doc=DOC,
        fix=Fix.MANUAL,
    )


def _env():  # type: ignore[no-untyped-def]
    return make_env(
        datastores=[
            make_datastore(id="ds1", name="full", free_bytes=10 * GIB),
            make_datastore(id="ds2", name="roomy"),
            make_datastore(id="ds3", name="nodata", free_bytes=None),
        ]
    )


def test_counts_and_findings() -> None:
    result = run_checks(_env(), [registry().get("STO001")])
    stat = result.stats[0]
    assert (stat.checked, stat.passed, stat.failed, stat.unknown) == (3, 1, 1, 1)
    assert [(f.object.name, f.status) for f in result.findings] == [
        ("full", Status.FAIL),
        ("nodata", Status.UNKNOWN),
    ]
    assert result.findings[0].severity is Severity.CRITICAL  # outcome overrides the default
    assert result.findings[0].object.cluster is None


def test_exception_becomes_error_for_that_check_only() -> None:
    def broken(ds, ctx):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")

    result = run_checks(_env(), [_check(broken), registry().get("STO001")])
    errors = [f for f in result.findings if f.status is Status.ERROR]
    assert len(errors) == 3 and all("ZeroDivisionError" in f.message for f in errors)
    assert result.stats[1].failed == 1  # STO001 still ran


def test_not_applicable_is_not_counted() -> None:
    def only_full(ds, ctx):  # type: ignore[no-untyped-def]
        return fail("x") if ds.name == "full" else not_applicable()

    stat = run_checks(_env(), [_check(only_full)]).stats[0]
    assert (stat.checked, stat.failed) == (1, 1)


def test_include_pass_keeps_passed_results() -> None:
    result = run_checks(_env(), [_check(lambda ds, ctx: ok())], include_pass=True)
    assert len(result.passed_findings) == 3 and not result.findings


def test_suppression_keeps_finding_visible_as_skipped() -> None:
    config = Config(
        suppress=[SuppressRule(check="datastore-free-space", object="ful*", reason="being grown")]
    )
    result = run_checks(_env(), [registry().get("STO001")], config)
    full = next(f for f in result.findings if f.object.name == "full")
    assert full.status is Status.SKIPPED
    assert full.suppression is not None and full.suppression.reason == "being grown"
    assert result.stats[0].skipped == 1 and result.stats[0].failed == 0


def test_expired_suppression_no_longer_applies() -> None:
    config = Config(
        suppress=[
            SuppressRule(check="STO001", object="full", reason="old", expires=date(2026, 1, 1))
        ]
    )
    result = run_checks(_env(), [registry().get("STO001")], config)
    assert next(f for f in result.findings if f.object.name == "full").status is Status.FAIL


def test_severity_override_from_config() -> None:
    config = Config(check={"STO001": {"severity": "high"}})
    result = run_checks(_env(), [registry().get("STO001")], config)
    unknown = next(f for f in result.findings if f.status is Status.UNKNOWN)
    assert unknown.severity is Severity.HIGH


def test_object_known_only_by_name_is_unknown_for_every_check() -> None:
    from vmdoctor.model import Gap

    env = make_env(
        datastores=[make_datastore(id="ds1", name="full", free_bytes=10 * GIB)],
        gaps=[Gap(what="inventory", reason="only named in a log", object_id="ds1")],
    )
    finding = run_checks(env, [registry().get("STO001")]).findings[0]
    assert finding.status is Status.UNKNOWN and finding.message == "only named in a log"
