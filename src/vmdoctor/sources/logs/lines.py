"""What a log line says besides its message: when, which log, which host, VM and datastore.

Three vmware.log layouts exist: ``2020-05-21T20:05:59.865-07:00| vmx| I125: ...`` (ESXi and
Workstation 8+), ``2024-01-29T15:56:49.256Z In(05) vmx ...`` (Workstation/Fusion 17, ESXi 8)
and the year-less ``Apr 18 00:25:37.105: vmx| ...`` (Workstation 7 and older). ESXi and vCenter
logs use ISO timestamps, optionally behind a syslog header (RFC 5424 ``<14>1 TIME HOST APP``
or RFC 3164 ``Mmm dd hh:mm:ss [HOST] APP[pid]:``) when forwarded to a syslog server.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

#: log kind by the program name found in a syslog header or a file name
_APP_KINDS = {
    "vmkernel": "vmkernel.log",
    "vmkwarning": "vmkernel.log",
    "vmkwarn": "vmkernel.log",
    "vobd": "vobd.log",
    "hostd": "hostd.log",
    "hostd-probe": "hostd.log",
    "vpxa": "vpxa.log",
    "fdm": "fdm.log",
    "vpxd": "vpxd.log",
    "vmx": "vmware.log",
    "vmware": "vmware.log",
    "vmksummary": "vmksummary.log",  # boots and shutdowns: a boot nobody asked for is a crash
}
KINDS = frozenset(_APP_KINDS.values()) | {"syslog"}

_ISO = rb"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)"
_RFC5424 = re.compile(rb"^<\d{1,3}>\d? ?" + _ISO + rb" (\S+) (\S+)")
_RFC3164 = re.compile(
    rb"^(?:<\d{1,3}>)?([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)(?:\.\d+)? "
    rb"(?:(\S+) )?([\w.-]+)(?:\[\d+\])?: "
)
_ISO_START = re.compile(_ISO)
_ISO_APP = re.compile(
    rb"^\S+ (?:(?:info|warning|error|verbose|panic|debug|critical|[A-Z][a-z]\(\d\d\)) )?([\w.-]+)\["
)
_OLD_VMX = re.compile(rb"^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d+): ")
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            b"Jan",
            b"Feb",
            b"Mar",
            b"Apr",
            b"May",
            b"Jun",
            b"Jul",
            b"Aug",
            b"Sep",
            b"Oct",
            b"Nov",
            b"Dec",
        ),
        1,
    )
}

_DATASTORE_PATTERNS = (
    re.compile(rb'Affected datastores(?: \(if any\))?: "([^"]+)"'),
    re.compile(rb'mounted as \S+ \("([^"]+)"\)'),  # NFS: ... mounted as <uuid> ("nfs01")
    re.compile(rb"/vmfs/volumes/([^/\s\"']+)/"),
    re.compile(rb"\[([^\]\s/]{1,80})\] [^\s]+\.(?:vmdk|vmx|iso|vmsn|vswp)"),
    re.compile(rb"volume \S+ \(([^)]+)\)"),
    re.compile(rb"on vol(?:ume)? '([^']+)'"),
)
_VM_PATTERNS = (
    re.compile(rb"/vmfs/volumes/[^/\s\"']+/([^/\s\"']+)/[^/\s\"']+\.(?:vmx|vmdk|log)"),
    re.compile(rb"\[[^\]]+\] ([^/\s\"']+)/[^/\s\"']+\.(?:vmx|vmdk)"),
)
_UUID_LIKE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{12}$")


def kind_from_name(name: str) -> str | None:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base.startswith("vmware") and ".log" in base:
        return "vmware.log"
    for app, kind in _APP_KINDS.items():
        if base.startswith(app):
            return kind
    if base.startswith(("syslog", "messages")):
        return "syslog"
    return None


def kind_from_app(app: bytes) -> str | None:
    return _APP_KINDS.get(app.decode("ascii", "replace").lower().rstrip(":"))


def sniff_kind(head: bytes) -> str | None:
    """Guess the log kind from the first bytes of a file with an unhelpful name."""
    if re.search(rb"(?:\| |: )(vmx|vcpu-\d+|mks)\| |^\S+ In\(\d\d\) vmx ", head, re.M):
        return "vmware.log"
    if _RFC5424.search(head) or _RFC3164.match(head):
        return "syslog"
    if re.search(rb"\bcpu\d+:\d+\)", head):
        return "vmkernel.log"
    for app in (b"hostd", b"vpxa", b"fdm", b"vpxd"):
        if re.search(rb"\b" + app + rb"\[", head):
            return app.decode() + ".log"
    if b"Correlator]" in head or b"[esx." in head:
        return "vobd.log"
    return None


class LineInfo:
    __slots__ = ("app_kind", "host", "time")

    def __init__(self, time: datetime | None, host: str | None, app_kind: str | None) -> None:
        self.time = time
        self.host = host
        self.app_kind = app_kind


def parse_line(line: bytes, year: int | None) -> LineInfo:
    """Time, syslog host and per-line log kind; ``year`` completes year-less timestamps."""
    m = _RFC5424.match(line)
    if m:
        host = m.group(2).decode("utf-8", "replace")
        return LineInfo(_iso(m.group(1)), None if host == "-" else host, kind_from_app(m.group(3)))
    m = _ISO_START.match(line)
    if m:
        app = _ISO_APP.match(line)
        return LineInfo(_iso(m.group(1)), None, kind_from_app(app.group(1)) if app else None)
    m = _OLD_VMX.match(line)
    if m:
        return LineInfo(_yearless(m.group(1), year), None, "vmware.log")
    m = _RFC3164.match(line)
    if m:
        host = m.group(2).decode("utf-8", "replace") if m.group(2) else None
        return LineInfo(_yearless(m.group(1), year), host, kind_from_app(m.group(3)))
    return LineInfo(None, None, None)


def _iso(raw: bytes) -> datetime | None:
    text = raw.decode("ascii")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _yearless(raw: bytes, year: int | None) -> datetime | None:
    if year is None:
        return None
    month = _MONTHS.get(raw[:3])
    try:
        day = int(raw[4:6])
        hh, mm, ss = (int(x) for x in raw[7:15].split(b":"))
        frac = raw[15:]
        micro = int((frac[1:] + b"000000")[:6]) if frac.startswith(b".") else 0
        return datetime(year, month or 0, day, hh, mm, ss, micro, tzinfo=UTC)
    except ValueError:
        return None


def datastore_in(line: bytes) -> str | None:
    for pattern in _DATASTORE_PATTERNS:
        m = pattern.search(line)
        if m:
            name = m.group(1).decode("utf-8", "replace")
            if not _UUID_LIKE.match(name):
                return name
    return None


def vm_in(line: bytes) -> str | None:
    for pattern in _VM_PATTERNS:
        m = pattern.search(line)
        if m:
            return m.group(1).decode("utf-8", "replace")
    return None
