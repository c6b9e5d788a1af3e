"""The terminal report: content, top-N, gaps, and plain text when not on a TTY."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from report_factories import XSS, make_result, many_findings, sample_env, sample_report
from vmdoctor.report import REPORTERS, ReportOptions, build_report, render_terminal

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(report, **console_kw) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    render_terminal(report, Console(file=buffer, width=140, **console_kw), top=15)
    return buffer.getvalue()


def test_plain_text_when_not_a_terminal() -> None:
    out = render(sample_report())
    assert not ANSI.search(out)
    # the same console forced to a terminal does emit styles: the check above can fail
    assert ANSI.search(render(sample_report(), force_terminal=True, color_system="standard"))


def test_shows_header_families_severities_findings_gaps_and_next_step() -> None:
    out = render(sample_report())
    assert "factories (test)" in out
    assert "2026-11-20T12:00:00" in out
    assert "3 datastore" in out and "2 host" in out
    for family in ("resources", "compatibility", "configuration", "storage", "security"):
        assert family in out
    assert "critical 1" in out and "high 1" in out and "medium 2" in out
    assert "STO001" in out and "ds-prod-01" in out and "only 3.9 % free" in out
    assert "metrics" in out and "performance statistics level 1" in out
    assert "--format html -o report.html" in out


def test_markup_in_names_is_printed_literally() -> None:
    out = render(sample_report())
    assert "permission denied <script>" in out  # rich markup like [bold] would vanish
    assert f"vm-{XSS}"[:20] in out


def test_top_limits_the_listed_findings() -> None:
    report = build_report(sample_env(), make_result(many_findings(40)))
    out = render(report)
    assert "Top 15 of 40 findings" in out
    assert out.count("above threshold") == 15


def test_no_findings_and_no_gaps_are_said_explicitly() -> None:
    report = build_report(sample_env(gaps=[]), make_result([], passed={"STO001": 3}))
    out = render(report)
    assert "No findings" in out
    assert "Gaps: none" in out


def test_writer_to_file_is_plain_text(tmp_path: Path) -> None:
    target = tmp_path / "scan.txt"
    REPORTERS["terminal"].write(sample_report(), ReportOptions(output=target))
    text = target.read_text("utf-8")
    assert "Health per family" in text and not ANSI.search(text)


def test_default_console_writing_into_a_pipe_has_no_ansi() -> None:
    """The real case: ``vmdoctor scan | less`` with rich's default Console on stdout."""
    import os
    import subprocess
    import sys

    code = (
        "from rich.console import Console\n"
        "from report_factories import sample_report\n"
        "from vmdoctor.report import render_terminal\n"
        "render_terminal(sample_report(), Console())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "TTY_COMPATIBLE"}}
    env["PYTHONPATH"] = str(Path(__file__).parents[1])
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert "Health per family" in proc.stdout
    assert not ANSI.search(proc.stdout)


def test_gap_about_a_whole_type_reads_every_host() -> None:
    from vmdoctor.report.terminal import _gap_scope

    assert _gap_scope("host", None) == "every host"
    assert _gap_scope("host", "esx01") == "host esx01"
    assert _gap_scope(None, None) == ""
