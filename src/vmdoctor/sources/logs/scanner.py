"""Turn log files into timeline records: one LogRecord per line that matches a signature."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import BinaryIO

from vmdoctor.knowledge.signatures import Signature, load_signatures
from vmdoctor.model import Gap, LogRecord, ObjectLink
from vmdoctor.sources.logs import lines
from vmdoctor.sources.logs.matcher import SignatureMatcher
from vmdoctor.sources.names import name_ref

#: a flood of one message says nothing more after this many copies; the rest are only counted
MAX_RECORDS_PER_SIGNATURE = 500
SNIFF_BYTES = 4096

_SUPPORT_BUNDLE_HOST = re.compile(r"(?:^|/)esx-(.+?)-\d{4}-\d\d-\d\d--")


class LogScanner:
    """Accumulates records and gaps over the files of one source."""

    def __init__(self, signatures: tuple[Signature, ...] | None = None) -> None:
        self.matcher = SignatureMatcher(signatures if signatures is not None else load_signatures())
        self.records: list[LogRecord] = []
        self.gaps: list[Gap] = []
        self.files_scanned = 0
        self.latest: datetime | None = None

    @staticmethod
    def looks_like_log(name: str, head: bytes) -> str | None:
        """The log kind of a file, from its name or its first bytes; None if it is no log."""
        return lines.kind_from_name(name) or lines.sniff_kind(head)

    def scan(
        self, stream: BinaryIO, display_name: str, inner_path: str, kind: str, mtime: float | None
    ) -> None:
        self.files_scanned += 1
        year = datetime.fromtimestamp(mtime, UTC).year if mtime else None
        host_hint = _host_from_path(inner_path)
        vm_hint, ds_hint = _vm_from_path(inner_path) if kind == "vmware.log" else (None, None)
        kept: Counter[str] = Counter()
        dropped: Counter[str] = Counter()
        for match in self.matcher.scan(stream):
            sig = match.signature
            if kept[sig.id] >= MAX_RECORDS_PER_SIGNATURE:
                dropped[sig.id] += 1
                continue
            kept[sig.id] += 1
            info = lines.parse_line(match.raw, year)
            host = info.host or host_hint
            vm = vm_hint or lines.vm_in(match.raw)
            ds = lines.datastore_in(match.raw) or ds_hint
            if info.time and (self.latest is None or info.time > self.latest):
                self.latest = info.time
            self.records.append(
                LogRecord(
                    time=info.time,
                    log=info.app_kind or kind,
                    text=match.raw.decode("utf-8", "replace"),
                    severity=sig.severity,
                    signature=sig.id,
                    family=sig.family,
                    file=display_name,
                    line=match.line_no,
                    objects=ObjectLink(
                        host_id=name_ref("host", host) if host else None,
                        vm_id=name_ref("vm", vm) if vm else None,
                        datastore_id=name_ref("datastore", ds) if ds else None,
                    ),
                )
            )
        for sig_id, count in sorted(dropped.items()):
            self.gaps.append(
                Gap(
                    what=f"logs:{kind}",
                    reason=f"{count} more lines matching {sig_id} were counted but not kept "
                    f"(first {MAX_RECORDS_PER_SIGNATURE} kept)",
                    source=display_name,
                )
            )


def _host_from_path(inner_path: str) -> str | None:
    m = _SUPPORT_BUNDLE_HOST.search(inner_path.replace("\\", "/"))
    return m.group(1) if m else None


def _vm_from_path(inner_path: str) -> tuple[str | None, str | None]:
    """A vmware.log lives in its VM folder: ``.../vmfs/volumes/<ds>/<vm>/vmware.log``."""
    parts = [p for p in inner_path.replace("\\", "/").split("/") if p]
    vm = parts[-2] if len(parts) >= 2 else None
    ds = None
    if "volumes" in parts:
        i = parts.index("volumes")
        if len(parts) - i == 4:  # volumes/<ds>/<vm>/vmware.log
            ds = parts[i + 1]
    return vm, ds
