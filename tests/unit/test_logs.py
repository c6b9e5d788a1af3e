# ruff: noqa: E501 - sample log lines are kept whole
"""Log files -> timeline records: timestamps, kinds, streaming, hostile bytes."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fixtures.offline import VMX_LINES
from vmdoctor.knowledge.signatures import load_signatures
from vmdoctor.sources import logs
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.logs import lines, scanner
from vmdoctor.sources.logs.matcher import SignatureMatcher
from vmdoctor.sources.resolve import load_spec

NOISE = b"2024-05-02T11:00:00.000Z cpu1:2097)World: 12345: nothing to see here\n"


def test_three_vmware_log_timestamp_formats() -> None:
    assert lines.parse_line(VMX_LINES["esxi"], None).time == datetime(
        2024, 5, 2, 11, 58, 0, 123000, tzinfo=UTC
    )
    assert lines.parse_line(VMX_LINES["ws17"], None).time == datetime(
        2024, 5, 2, 11, 58, 1, tzinfo=UTC
    )
    old = lines.parse_line(VMX_LINES["old"], 2024)
    assert (
        old.time == datetime(2024, 5, 2, 11, 58, 2, 500000, tzinfo=UTC)
        and old.app_kind == "vmware.log"
    )
    assert lines.parse_line(VMX_LINES["old"], None).time is None  # year unknown: no guess
    offset = lines.parse_line(b"2020-05-21T20:05:59.865-07:00| vmx| I125: x", None).time
    assert offset == datetime(2020, 5, 22, 3, 5, 59, 865000, tzinfo=UTC)


def test_syslog_forwarded_lines_give_host_and_log_kind() -> None:
    rfc5424 = lines.parse_line(b"<14>1 2024-05-02T10:00:00.000Z esx01.lab.test vobd - - -  x", None)
    assert (rfc5424.host, rfc5424.app_kind) == ("esx01.lab.test", "vobd.log")
    rfc3164 = lines.parse_line(b"<166>May  2 10:00:00 esx02 vmkernel: cpu1:32)x", 2024)
    assert (rfc3164.host, rfc3164.app_kind) == ("esx02", "vmkernel.log")
    assert rfc3164.time == datetime(2024, 5, 2, 10, tzinfo=UTC)
    no_host = lines.parse_line(b"Aug 15 06:07:13 vobd: Aug 15 06:07:13.285: x", 2024)
    assert (no_host.host, no_host.app_kind) == (None, "vobd.log")
    iso_app = lines.parse_line(
        b"2024-05-02T10:00:00.000Z info hostd[123] [Originator@6876] x", None
    )
    assert iso_app.app_kind == "hostd.log"


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("vmware-3.log", b"", "vmware.log"),
        ("vmkernel.0.log", b"", "vmkernel.log"),
        ("vobd.log", b"", "vobd.log"),
        ("vpxd-12.log", b"", "vpxd.log"),
        ("fdm.log", b"", "fdm.log"),
        ("x.txt", b"2024-05-02T10:00:00Z info hostd[1] y", "hostd.log"),
        ("x.txt", b"May 02 11:58:02.500: vmx| Log for VMware Workstation", "vmware.log"),
        ("x.txt", b"hello world", None),
    ],
)
def test_log_kind_from_name_or_content(name: str, head: bytes, kind: str | None) -> None:
    assert scanner.LogScanner.looks_like_log(name, head) == kind


def test_scan_across_block_boundaries_keeps_line_numbers() -> None:
    hit = VMX_LINES["esxi"] + b"\n"
    data = NOISE * 7 + hit + NOISE * 3 + hit.replace(b"\n", b"\r\n") + NOISE
    matcher = SignatureMatcher(load_signatures())
    for block in (16, 100, 1 << 20):
        found = [
            (m.line_no, m.signature.id, m.raw.endswith(b"\r"))
            for m in matcher.scan(io.BytesIO(data), block)
        ]
        assert found == [(8, "VMX017", False), (12, "VMX017", False)], block


def test_endless_line_and_invalid_utf8_are_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "vmkernel.log"
    bad = b"2024-05-02T11:00:00Z cpu1:32)Lost access to volume \xff\xfe (ds1) \x00\n"
    path.write_bytes(b"x" * 200_000 + b"\n" + bad)
    env = logs.load(path)
    (record,) = env.timeline.logs
    assert record.signature == "VMK025" and record.line == 2 and "\ufffd" in record.text
    assert record.objects.datastore_id == "name:datastore:ds1"


def test_gzipped_log_and_record_fields(tmp_path: Path) -> None:
    path = tmp_path / "vobd.log.gz"
    line = b"2024-05-02T10:00:00.000Z: [APDCorrelator] 1us: [esx.problem.storage.apd.start] Device or filesystem with identifier [naa.1] has entered the All Paths Down state.\n"
    path.write_bytes(gzip.compress(NOISE + line))
    assert logs.detect(path)
    env = load_spec(str(path))
    (record,) = env.timeline.logs
    assert (record.log, record.signature, record.family, record.severity, record.line) == (
        "vobd.log",
        "VOB001",
        "storage",
        "critical",
        2,
    )
    assert record.file and record.file.endswith("vobd.log.gz")
    assert env.collected_at == datetime(2024, 5, 2, 10, tzinfo=UTC)
    assert {g.what for g in env.gaps} >= {"metrics"}


def test_a_flood_is_capped_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scanner, "MAX_RECORDS_PER_SIGNATURE", 5)
    path = tmp_path / "vmkernel.log"
    path.write_bytes(b"2024-05-02T11:00:00Z cpu1:32)Lost access to volume 4f (ds1)\n" * 12)
    env = logs.load(path)
    assert len(env.timeline.logs) == 5
    assert any("7 more lines matching VMK025" in g.reason for g in env.gaps)


def test_text_that_is_no_log_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(b"# shopping list\n")
    assert not logs.detect(path)
    with pytest.raises(SourceError, match=r"notes\.md"):
        logs.load(path)
