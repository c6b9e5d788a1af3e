"""Report summary, health scores and exit codes."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from report_factories import make_finding, make_result, sample_report
from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.model import Family, Severity, Status
from vmdoctor.report import (
    REPORTERS,
    ExitCode,
    Report,
    ReportOptions,
    build_report,
    exit_code,
    health_score,
)
from vmdoctor.report.model import evidence_text

from factories import make_env


def test_summary_counts_come_from_stats_and_findings() -> None:
    report = sample_report()
    s = report.summary
    assert s.counts.checked == 6 + 7
    assert s.counts.by_status() == {"PASS": 7, "FAIL": 4, "UNKNOWN": 1, "SKIPPED": 0, "ERROR": 1}
    assert dict(s.failed_by_severity) == {
        Severity.CRITICAL: 1,
        Severity.HIGH: 1,
        Severity.MEDIUM: 2,
        Severity.LOW: 0,
        Severity.INFO: 0,
    }
    assert [f.family for f in s.families] == list(Family)
    assert s.objects["datastore"] == 3 and s.objects["vm"] == 2


def test_family_score_follows_the_documented_formula() -> None:
    # security: SEC002 (severity medium, weight 4): 3 passes, 2 medium FAILs
    security = next(f for f in sample_report().summary.families if f.family is Family.SECURITY)
    assert security.score == pytest.approx(round(100 * (3 * 4) / (3 * 4 + 2 * 4), 1))


def test_a_critical_failure_outweighs_passes_of_its_check() -> None:
    result = make_result(
        [make_finding("STO001", severity=Severity.CRITICAL)],
        passed={"STO001": 3},
        check_severity={"STO001": Severity.MEDIUM},
    )
    # 3 passes × 4 against one critical FAIL × 16
    assert health_score(result.stats, {Severity.CRITICAL: 1}) == pytest.approx(42.9)


def test_score_is_none_when_nothing_could_be_decided() -> None:
    result = make_result([make_finding("CMP001", status=Status.UNKNOWN)])
    report = build_report(make_env(), result)
    compat = next(f for f in report.summary.families if f.family is Family.COMPATIBILITY)
    assert compat.score is None
    assert report.summary.score is None
    no_checks = next(f for f in report.summary.families if f.family is Family.SECURITY)
    assert no_checks.checks == 0 and no_checks.score is None


def test_report_from_the_real_engine_is_consistent() -> None:
    env = make_env()
    result = run_checks(env, registry())
    report = build_report(env, result, registry())
    assert report.summary.counts.checked == sum(s.checked for s in result.stats)
    assert sum(f.counts.checked for f in report.summary.families) == report.summary.counts.checked
    assert set(report.checks) == {c.id for c in registry()}


@pytest.mark.parametrize(
    ("findings", "fail_on", "expected"),
    [
        ([], None, ExitCode.OK),
        ([make_finding(severity=Severity.LOW)], None, ExitCode.OK),
        ([make_finding(severity=Severity.INFO)], None, ExitCode.OK),
        ([make_finding(severity=Severity.MEDIUM)], None, ExitCode.WARNING),
        ([make_finding(severity=Severity.HIGH)], None, ExitCode.WARNING),
        ([make_finding(severity=Severity.CRITICAL)], None, ExitCode.CRITICAL),
        ([make_finding(severity=Severity.LOW)], Severity.LOW, ExitCode.WARNING),
        ([make_finding(severity=Severity.HIGH)], Severity.CRITICAL, ExitCode.OK),
        ([make_finding(severity=Severity.CRITICAL)], Severity.CRITICAL, ExitCode.CRITICAL),
        ([make_finding(severity=Severity.CRITICAL, status=Status.SKIPPED)], None, ExitCode.OK),
        # UNKNOWN / ERROR next to decided results: reported, but the code stays OK
        (
            [make_finding(status=Status.UNKNOWN), make_finding(status=Status.ERROR)],
            None,
            ExitCode.OK,
        ),
    ],
)
def test_exit_code_convention(findings, fail_on, expected) -> None:  # type: ignore[no-untyped-def]
    result = make_result(findings, passed={"STO001": 1})
    assert exit_code(result, fail_on) == expected


def test_exit_code_is_unknown_when_nothing_was_decided() -> None:
    only_unknown = make_result(
        [make_finding(status=Status.UNKNOWN), make_finding(status=Status.ERROR)]
    )
    assert exit_code(only_unknown) == ExitCode.UNKNOWN
    assert exit_code(make_result([])) == ExitCode.UNKNOWN  # no checks ran, no objects


def test_evidence_text_formats_values() -> None:
    assert (
        evidence_text({"pct": 2.5, "thin": True, "x": None, "n": 3})
        == "pct=2.5; thin=true; x=; n=3"
    )


def test_reporters_registry_names_every_format() -> None:
    assert set(REPORTERS) == {"terminal", "json", "html", "csv"}
    for name, reporter in REPORTERS.items():
        assert reporter.name == name
        assert reporter.extension.startswith(".")


@pytest.mark.parametrize("name", ["terminal", "json", "html", "csv"])
def test_every_reporter_renders_bytes_and_writes_to_console_or_file(name: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = sample_report()
    body = REPORTERS[name](report)
    assert isinstance(body, bytes) and "ds-prod-01" in body.decode("utf-8")
    console_text = io.StringIO()
    REPORTERS[name].write(report, ReportOptions(console=Console(file=console_text, width=120)))
    assert "ds-prod-01" in console_text.getvalue()
    target = tmp_path / f"out{REPORTERS[name].extension}"
    REPORTERS[name].write(report, ReportOptions(output=target))
    assert target.read_bytes() == body or name == "terminal"


def test_report_can_be_built_directly_with_defaults() -> None:
    env = make_env()
    report = Report(environment=env, result=run_checks(env, registry()))
    assert report.source == "factories (test)"
    assert set(report.checks) == {c.id for c in registry()}
    assert report.summary is report.summary  # computed once
