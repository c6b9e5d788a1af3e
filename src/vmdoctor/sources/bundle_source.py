"""A directory or archive holding several kinds of files: one Environment for all of it.

Each member is routed by what it is: log files to the log scanner, RVTools workbooks and
per-tab CSV exports to the RVTools reader (the CSV tabs of one export are read together),
esxtop captures to the esxtop parser. The results are merged. A member that cannot be read
becomes a gap naming it and the reason; the others still load.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import msgspec

from vmdoctor.model import Environment, Gap, SourceInfo
from vmdoctor.sources import bundle, esxtop, rvtools
from vmdoctor.sources.bundle import Member, Refusal
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.esxtop.parser import MAGIC
from vmdoctor.sources.logs import LogScanner, environment_from_scanner
from vmdoctor.sources.logs.scanner import SNIFF_BYTES
from vmdoctor.sources.merge import merge_environments
from vmdoctor.sources.rvtools.table import Table, csv_tab_name, read_csv, read_xlsx

MAX_CSV_TAB_BYTES = 512 << 20
MAX_XLSX_BYTES = 512 << 20


def detect(path: Path) -> bool:
    return path.is_dir() or (path.is_file() and bundle.is_archive_name(path.name))


def load(path: Path, limits: bundle.Limits = bundle.DEFAULT_LIMITS) -> Environment:
    path = Path(path)
    scanner = LogScanner()
    envs: list[Environment] = []
    csv_tabs: dict[str, dict[str, Table]] = {}  # export folder -> tab -> table
    gaps: list[Gap] = []
    for item in bundle.iter_path(path, limits):
        if isinstance(item, Refusal):
            gaps.append(Gap(what="bundle", reason=item.reason, source=item.name))
            continue
        try:
            _route(item, scanner, envs, csv_tabs)
        except SourceError as exc:
            if isinstance(exc, bundle.LimitExceeded) and exc.path == str(path):
                raise
            gaps.append(Gap(what="bundle", reason=exc.problem, source=exc.path or item.name))
    for folder, tabs in sorted(csv_tabs.items()):
        try:
            envs.append(rvtools.environment_from_tables(tabs, f"{path.name}!{folder or '.'}"))
        except SourceError as exc:
            gaps.append(Gap(what="bundle", reason=exc.problem, source=exc.path))
    if scanner.files_scanned:
        envs.append(environment_from_scanner(scanner, kind="logs", name=path.name))
    if not envs:
        if gaps:
            raise SourceError(path, f"nothing readable: {gaps[0].source}: {gaps[0].reason}")
        raise SourceError(path, "no log, RVTools or esxtop file found")
    env = merge_environments(envs) if len(envs) > 1 else envs[0]
    source = SourceInfo(
        kind="bundle", name=path.name, details={**env.source.details, "parts": str(len(envs))}
    )
    return msgspec.structs.replace(env, source=source, gaps=[*env.gaps, *gaps])


def _route(
    item: Member,
    scanner: LogScanner,
    envs: list[Environment],
    csv_tabs: dict[str, dict[str, Table]],
) -> None:
    lower = item.inner_path.lower()
    head = bundle.peek(item.stream, SNIFF_BYTES)
    if lower.endswith((".xlsx", ".xlsm")):
        envs.append(_load_xlsx(item))
        return
    if lower.endswith(".csv"):
        if MAGIC in head.lstrip(b'\xef\xbb\xbf"')[:32]:
            envs.append(esxtop.parse_capture(item.stream, item.name, item.mtime))
            return
        tab = csv_tab_name(item.inner_path)
        if tab is not None:
            data = item.stream.read(MAX_CSV_TAB_BYTES + 1)
            if len(data) > MAX_CSV_TAB_BYTES:
                raise SourceError(
                    item.name, f"CSV tab larger than {MAX_CSV_TAB_BYTES} bytes: skipped"
                )
            table = read_csv(item.name, data)
            if table is not None:
                folder = item.inner_path.rsplit("/", 1)[0] if "/" in item.inner_path else ""
                csv_tabs.setdefault(folder, {})[table.tab] = table
        return
    kind = scanner.looks_like_log(item.inner_path, head)
    if kind is not None:
        scanner.scan(item.stream, item.name, item.inner_path, kind, item.mtime)
    else:
        scanner.note_identity_file(item.stream, item.name, item.inner_path)


def _load_xlsx(item: Member) -> Environment:
    """calamine needs a seekable file: spool the member (capped) to a temporary file."""
    with tempfile.TemporaryFile() as spool:
        copied = 0
        while chunk := item.stream.read(1 << 20):
            copied += len(chunk)
            if copied > MAX_XLSX_BYTES:
                raise SourceError(
                    item.name, f"workbook larger than {MAX_XLSX_BYTES} bytes: skipped"
                )
            spool.write(chunk)
        spool.seek(0)
        tables = read_xlsx(item.name, spool)
    return rvtools.environment_from_tables(tables, item.name)
