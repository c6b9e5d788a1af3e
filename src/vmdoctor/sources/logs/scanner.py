"""Turn log files into timeline records: one LogRecord per line that matches a signature.

Each record is linked to the objects it concerns, by name (:mod:`vmdoctor.sources.names`):
the VM whose vmware.log it is, the host whose logs it comes from, the datastore and VM its
text names, the vCenter of a vpxd.log. Who wrote a file is not always known when it is read
(a support bundle's ``etc/hosts`` may come after its logs), so host links are completed by
:meth:`LogScanner.finish`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import msgspec

from vmdoctor.knowledge.signatures import Signature, load_signatures
from vmdoctor.model import Gap, LogRecord, ObjectLink
from vmdoctor.sources import bundle
from vmdoctor.sources.logs import identity, lines
from vmdoctor.sources.logs.matcher import SignatureMatcher
from vmdoctor.sources.names import UNNAMED_VCENTER, name_ref, parse_name_ref

#: a flood of one message says nothing more after this many copies; the rest are only counted
MAX_RECORDS_PER_SIGNATURE = 500
SNIFF_BYTES = 4096
IDENTITY_FILE_BYTES = 64 << 10

#: logs written by vCenter, not by a host: a syslog host field there names the vCenter
_VCENTER_LOGS = frozenset({"vpxd.log"})


@dataclass(frozen=True, slots=True)
class _Pending:
    """A record whose host is decided at the end: by the bundle's name or identity files."""

    index: int
    context: str
    bundle_host: str | None


class LogScanner:
    """Accumulates records and gaps over the files of one source."""

    def __init__(self, signatures: tuple[Signature, ...] | None = None) -> None:
        self.matcher = SignatureMatcher(signatures if signatures is not None else load_signatures())
        self.records: list[LogRecord] = []
        self.gaps: list[Gap] = []
        self.files_scanned = 0
        self.latest: datetime | None = None
        self._pending: list[_Pending] = []
        self._context_hosts: dict[str, str] = {}
        self._vm_aliases: dict[str, str] = {}  # folder / .vmx name -> the VM's display name
        self._vm_names: set[str] = set()
        self._unowned: Counter[str] = Counter()  # host logs whose host nothing names

    @staticmethod
    def looks_like_log(name: str, head: bytes) -> str | None:
        """The log kind of a file, from its name or its first bytes; None if it is no log."""
        return lines.kind_from_name(name) or lines.sniff_kind(head)

    def note_identity_file(self, stream: BinaryIO, display_name: str, inner_path: str) -> None:
        """Read a bundle file that names its host (etc/hosts, commands/hostname*)."""
        if not identity.is_host_identity_file(inner_path):
            return
        host = identity.host_from_identity_file(inner_path, stream.read(IDENTITY_FILE_BYTES))
        if host:
            self._context_hosts.setdefault(_context(display_name, inner_path), host)

    def scan(
        self, stream: BinaryIO, display_name: str, inner_path: str, kind: str, mtime: float | None
    ) -> None:
        self.files_scanned += 1
        year = datetime.fromtimestamp(mtime, UTC).year if mtime else None
        context = _context(display_name, inner_path)
        bundle_host = identity.host_from_bundle_name(display_name) or (
            identity.host_from_bundle_name(inner_path)
        )
        bundle_vcenter = identity.vcenter_from_bundle_name(display_name)
        vm_ident = None
        if kind == "vmware.log":
            # a folder given as the source: its name is only in the display path
            where = display_name.rsplit("!", 1)[-1] if "!" in display_name else display_name
            vm_ident = identity.vm_identity(_head(stream, identity.VMX_HEAD_BYTES), where)
            self._note_vm(vm_ident)
            bundle_host = bundle_host or vm_ident.host
        kept: Counter[str] = Counter()
        dropped: Counter[str] = Counter()
        for match in self.matcher.scan(stream):
            sig = match.signature
            if kept[sig.id] >= MAX_RECORDS_PER_SIGNATURE:
                dropped[sig.id] += 1
                continue
            kept[sig.id] += 1
            info = lines.parse_line(match.raw, year)
            log_kind = info.app_kind or kind
            host = vcenter = None
            if log_kind in _VCENTER_LOGS:
                vcenter = info.host or bundle_vcenter or UNNAMED_VCENTER
            else:
                host = info.host
            vm = (vm_ident.name if vm_ident else None) or lines.vm_in(match.raw)
            ds = lines.datastore_in(match.raw) or (vm_ident.datastore if vm_ident else None)
            if info.time and (self.latest is None or info.time > self.latest):
                self.latest = info.time
            if host is None and vcenter is None:
                self._pending.append(_Pending(len(self.records), context, bundle_host))
            self.records.append(
                LogRecord(
                    time=info.time,
                    log=log_kind,
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
                        vcenter_id=name_ref("vcenter", vcenter) if vcenter else None,
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

    def _note_vm(self, ident: identity.VmIdentity) -> None:
        name = ident.name
        if not name:
            return
        self._vm_names.add(name)
        for alias in ident.aliases():
            self._vm_aliases.setdefault(alias, name)

    def finish(self) -> list[LogRecord]:
        """The records with their host links completed and VM aliases resolved (idempotent)."""
        for pending in self._pending:
            rec = self.records[pending.index]
            host = pending.bundle_host or self._context_hosts.get(pending.context)
            if host:
                link = msgspec.structs.replace(rec.objects, host_id=name_ref("host", host))
                self.records[pending.index] = msgspec.structs.replace(rec, objects=link)
            elif rec.log != "vmware.log":
                self._unowned[rec.file or rec.log] += 1
        self._pending = []
        aliases = {a: n for a, n in self._vm_aliases.items() if a not in self._vm_names}
        if aliases:
            self.records = [_unalias(rec, aliases) for rec in self.records]
        for file, count in sorted(self._unowned.items()):
            self.gaps.append(
                Gap(
                    what="logs:host",
                    reason=f"{count} record(s) of {file} name no host (no syslog host field, "
                    "not in a vm-support bundle): load the host's support bundle to link them",
                    source=file,
                )
            )
        self._unowned.clear()
        return self.records


def _unalias(rec: LogRecord, aliases: dict[str, str]) -> LogRecord:
    parsed = parse_name_ref(rec.objects.vm_id or "")
    if parsed is None or parsed[1] not in aliases:
        return rec
    link = msgspec.structs.replace(rec.objects, vm_id=name_ref("vm", aliases[parsed[1]]))
    return msgspec.structs.replace(rec, objects=link)


def _context(display_name: str, inner_path: str) -> str:
    """Files of one bundle share a context: the outer archive, or the bundle's top folder."""
    outer = display_name.split("!", 1)[0] if "!" in display_name else ""
    top = inner_path.replace("\\", "/").split("/", 1)[0] if "/" in inner_path else ""
    if not identity.host_from_bundle_name(top):
        top = ""
    return f"{outer}|{top}"


def _head(stream: BinaryIO, size: int) -> bytes:
    """The first bytes of a stream without consuming them."""
    if hasattr(stream, "peek"):
        return bundle.peek(stream, size)
    if stream.seekable():
        pos = stream.tell()
        data = stream.read(size)
        stream.seek(pos)
        return data
    return b""
