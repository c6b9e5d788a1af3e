"""Log files as a source: vmware.log, vmkernel, vobd, hostd, vpxa, fdm, vpxd and syslog copies.

A single file (optionally .gz/.bz2/.xz) is read here; directories and archives that may hold
several kinds of files are read by :mod:`vmdoctor.sources.bundle_source`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from vmdoctor.model import Environment, Gap, SourceInfo, Timeline
from vmdoctor.sources import bundle
from vmdoctor.sources.bundle import Member, Refusal
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.logs.inventory import inventory_from_records
from vmdoctor.sources.logs.scanner import SNIFF_BYTES, LogScanner

__all__ = ["LogScanner", "detect", "environment_from_scanner", "load"]


def detect(path: Path) -> bool:
    if not path.is_file() or bundle.is_archive_name(path.name):
        return False
    try:
        for item in bundle.iter_path(path):
            if isinstance(item, Member):
                return (
                    LogScanner.looks_like_log(
                        item.inner_path, bundle.peek(item.stream, SNIFF_BYTES)
                    )
                    is not None
                )
    except (SourceError, OSError, EOFError):
        return False
    return False


def load(path: Path) -> Environment:
    scanner = LogScanner()
    for item in bundle.iter_path(path):
        if isinstance(item, Refusal):
            scanner.gaps.append(Gap(what="logs", reason=item.reason, source=item.name))
            continue
        head = bundle.peek(item.stream, SNIFF_BYTES)
        kind = scanner.looks_like_log(item.inner_path, head)
        if kind is None:
            raise SourceError(path, "not a log file vmdoctor recognises")
        scanner.scan(item.stream, item.name, item.inner_path, kind, item.mtime)
    return environment_from_scanner(scanner, kind="logs", name=path.name)


#: what a set of logs cannot tell; checks that need it answer UNKNOWN
LOG_GAPS = (Gap(what="metrics", reason="log files carry no performance counters", source="logs"),)


def environment_from_scanner(scanner: LogScanner, kind: str, name: str) -> Environment:
    """The records, and the minimal inventory they name (see :mod:`.inventory`)."""
    records = sorted(
        scanner.finish(),
        key=lambda r: (r.time is None, r.time or _EPOCH, r.file or "", r.line or 0),
    )
    named = inventory_from_records(records, source=name)
    return Environment(
        collected_at=scanner.latest or datetime.now(UTC),
        source=SourceInfo(
            kind=kind,
            name=name,
            details={"files_scanned": str(scanner.files_scanned), "records": str(len(records))},
        ),
        vcenters=named.vcenters,
        hosts=named.hosts,
        vms=named.vms,
        datastores=named.datastores,
        timeline=Timeline(logs=records),
        gaps=[*LOG_GAPS, *scanner.gaps, *named.gaps],
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
