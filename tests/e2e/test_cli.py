"""The vmdoctor command as a user runs it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VMDOCTOR = [sys.executable, "-m", "vmdoctor"]


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VMDOCTOR, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "VMDOCTOR_CONFIG": "", **(env or {})},
        timeout=120,
    )


def assert_clean_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 3, proc
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "lab.json.gz"
    proc = run("demo", "save", "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def test_scan_without_source_scans_the_demo_lab_and_says_so(tmp_path: Path) -> None:
    proc = run("scan", cwd=tmp_path)
    assert "demo lab" in proc.stderr
    assert "Health per family" in proc.stdout and "Incidents" in proc.stdout
    assert proc.returncode == 2  # the lab has critical problems planted
    assert "\x1b[" not in proc.stdout  # no colour codes in a pipe


def test_rescan_of_a_saved_snapshot_gives_the_same_findings(demo_snapshot: Path) -> None:
    live = json.loads(run("scan", "demo", "--format", "json").stdout)
    saved = json.loads(run("scan", str(demo_snapshot), "--format", "json").stdout)

    def key(doc: dict) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
        return sorted((f["check_id"], f["object"]["id"], f["status"]) for f in doc["findings"])

    assert key(live) == key(saved) and len(key(saved)) > 50


def test_fail_on_critical_ignores_lesser_failures(demo_snapshot: Path) -> None:
    proc = run("scan", str(demo_snapshot), "--check", "CMP004", "--fail-on", "critical")
    assert proc.returncode == 0, proc.stdout  # CMP004 fails only at low severity
    assert run("scan", str(demo_snapshot), "--check", "CMP004", "--fail-on", "low").returncode == 1


def test_reports_are_written_to_files(demo_snapshot: Path, tmp_path: Path) -> None:
    for fmt in ("json", "html", "csv"):
        out = tmp_path / f"report.{fmt}"
        proc = run("scan", str(demo_snapshot), "--format", fmt, "-o", str(out))
        assert proc.returncode == 2 and out.stat().st_size > 10_000, proc.stderr
    assert json.loads((tmp_path / "report.json").read_text())["findings"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "corrupt or truncated"),  # truncated gzip: filled in below
        (b'{"format": "something-else", "schema_version": 1}\n', "not a vmdoctor snapshot"),
        (
            b'{"format": "vmdoctor-environment", "schema_version": 99}\n',
            "newer than this vmdoctor understands",
        ),
    ],
    ids=["truncated", "foreign", "future-version"],
)
def test_bad_snapshot_is_a_one_line_error_with_exit_3(
    demo_snapshot: Path, tmp_path: Path, content: bytes | None, problem: str
) -> None:
    bad = tmp_path / "bad.json.gz"
    if content is None:
        bad.write_bytes(demo_snapshot.read_bytes()[:5000])
    else:
        bad.write_bytes(gzip.compress(content))
    assert_clean_error(run("scan", str(bad)), str(bad), problem)


def test_missing_source_file(tmp_path: Path) -> None:
    assert_clean_error(run("scan", str(tmp_path / "nope.json.gz")), "no such file")


def test_bad_config_names_the_file_and_field(tmp_path: Path) -> None:
    config = tmp_path / "vmdoctor.toml"
    config.write_text("[check.STO001]\nwarning_pct = 'lots'\n")
    proc = run("scan", "--config", str(config))
    assert_clean_error(proc, str(config), "check.STO001.warning_pct")


def test_unknown_check_and_unknown_format() -> None:
    assert_clean_error(run("checks", "show", "NOPE999"), "NOPE999")
    assert_clean_error(run("scan", "--format", "pdf"), "pdf")


def test_checks_list_and_show() -> None:
    listing = run("checks", "list")
    assert listing.returncode == 0 and "STO001" in listing.stdout and "SEC001" in listing.stdout
    shown = run("checks", "show", "snapshot-too-old")
    assert shown.returncode == 0
    for section in ("What it checks", "Why it matters", "Example", "Remediation"):
        assert section in shown.stdout


def test_why_with_an_unknown_target_suggests_names() -> None:
    proc = run("why", "app-web-0", "--source", "demo")
    assert_clean_error(proc, "app-web-0", "did you mean")
