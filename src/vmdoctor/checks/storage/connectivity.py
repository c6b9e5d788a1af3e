"""Storage connectivity losses seen by a host: APD, PDL, lost volume heartbeats, NFS and paths.

Evidence comes from two places: vCenter/ESXi events (``esx.problem.*`` EventEx type ids) and
log records of the storage family (vobd, vmkernel, hostd lines matched by the log reader).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from typing import NamedTuple

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok, unknown
from vmdoctor.checks.gaps import with_reason
from vmdoctor.checks.storage._support import as_utc
from vmdoctor.model import Family, Host, Severity


class Kind(NamedTuple):
    label: str
    severity: Severity


PDL = Kind("permanent device loss (PDL)", Severity.CRITICAL)
APD_TIMEOUT = Kind("All Paths Down timeout", Severity.CRITICAL)
HEARTBEAT_LOST_FOR_GOOD = Kind("volume access lost, recovery failed", Severity.CRITICAL)
APD = Kind("All Paths Down", Severity.HIGH)
HEARTBEAT = Kind("lost access to VMFS volume", Severity.HIGH)
CONNECTIVITY = Kind("lost connectivity to storage device", Severity.HIGH)
NFS = Kind("NFS server disconnected", Severity.HIGH)
REDUNDANCY_LOST = Kind("path redundancy lost", Severity.MEDIUM)
PATH_DEAD = Kind("path dead or failed over", Severity.MEDIUM)
REDUNDANCY_DEGRADED = Kind("path redundancy degraded", Severity.LOW)
RESTORED = Kind("restored", Severity.INFO)  # a recovery record, reported alongside the loss

#: Event type ids (EventEx eventTypeId, VOB ids) and what they mean. Matched as prefixes so
#: that sub-types such as "...permanentloss.noopens" are included.
EVENT_KINDS: tuple[tuple[str, Kind], ...] = (
    ("esx.problem.scsi.device.state.permanentloss", PDL),
    ("esx.problem.storage.apd.timeout", APD_TIMEOUT),
    ("esx.problem.vmfs.heartbeat.unrecoverable", HEARTBEAT_LOST_FOR_GOOD),
    ("esx.problem.storage.apd.start", APD),
    ("esx.problem.vmfs.heartbeat.timedout", HEARTBEAT),
    ("esx.problem.storage.connectivity.lost", CONNECTIVITY),
    ("esx.problem.vmfs.nfs.server.disconnect", NFS),
    ("esx.problem.storage.redundancy.lost", REDUNDANCY_LOST),
    ("vob.scsi.scsipath.pathstate.dead", PATH_DEAD),
    ("esx.problem.storage.redundancy.degraded", REDUNDANCY_DEGRADED),
    ("esx.clear.storage.apd.exit", RESTORED),
    ("esx.problem.vmfs.heartbeat.recovered", RESTORED),
    ("esx.clear.storage.connectivity.restored", RESTORED),
    ("esx.clear.storage.redundancy.restored", RESTORED),
    ("esx.problem.vmfs.nfs.server.restored", RESTORED),
)

#: Log text patterns, most specific first (recoveries before the losses they mention).
LOG_KINDS: tuple[tuple[str, Kind], ...] = (
    (
        r"exited the All Paths Down|apd\.exit|Successfully restored access to volume"
        r"|heartbeat\.recovered|Restored connection to server|connectivity\.restored"
        r"|redundancy\.restored|nfs\.server\.restored",
        RESTORED,
    ),
    (r"permanently inaccessible|permanentloss|PERM LOSS|sense data: 0x5 0x25 0x0", PDL),
    (r"All Paths Down Timeout|apd\.timeout", APD_TIMEOUT),
    (r"heartbeat\.unrecoverable|recovery attempts failed", HEARTBEAT_LOST_FOR_GOOD),
    (r"All Paths Down|APD start|apd\.start", APD),
    (r"Lost access to volume|heartbeat\.timedout", HEARTBEAT),
    (
        r"Lost connectivity to storage device|connectivity\.lost"
        r"|is blocked\. Not starting I/O|I/O could not be issued to device"
        r"|queue not connected|Transport driver failed",
        CONNECTIVITY,
    ),
    (
        r"nfs\.server\.disconnect|NFS.*(?:not responding|Lost connection to (?:the )?server)"
        r"|Lost connection to (?:the )?server .* mount point",
        NFS,
    ),
    (r"Lost path redundancy|redundancy\.lost", REDUNDANCY_LOST),
    (
        r"pathstate\.dead|path \S+ is down|marked as dead|changed state from on to dead"
        r"|HppAttemptFailoverRequest|awaiting fast path state update",
        PATH_DEAD,
    ),
    (
        r"redundancy\.degraded|Path redundancy to storage device \S+ degraded",
        REDUNDANCY_DEGRADED,
    ),
)
# One pass over a log line finds every kind it mentions; the earliest in LOG_KINDS wins.
_LOG_PATTERN = re.compile(
    "|".join(f"(?P<k{i}>{pattern})" for i, (pattern, _) in enumerate(LOG_KINDS)), re.IGNORECASE
)


def event_kind(event_type: str) -> Kind | None:
    for prefix, kind in EVENT_KINDS:
        if event_type.startswith(prefix):
            return kind
    return None


def log_kind(text: str, signature: str | None) -> Kind | None:
    if signature:
        kind = event_kind(signature)
        if kind is not None:
            return kind
    best: int | None = None
    for match in _LOG_PATTERN.finditer(text):
        index = int(match.lastgroup[1:]) if match.lastgroup else None
        if index is not None and (best is None or index < best):
            best = index
    return LOG_KINDS[best][1] if best is not None else None


@check(
    id="STO014",
    name="storage-connectivity-lost",
    title="Host lost access to storage (APD, PDL, heartbeat, NFS, paths)",
    family=Family.STORAGE,
    applies_to="host",
    severity=Severity.HIGH,
    thresholds={"lookback_hours": 168},
    fix=Fix.MANUAL,
    references=("VMware KB 2004684", "VMware KB 2004605"),
    requires=("events", "logs"),
)
def storage_connectivity_lost(host: Host, ctx: CheckContext) -> Outcome:
    """The host's events and logs show no loss of storage access in the look-back window.

    What it checks:
        Events and storage log records of the host in the last 168 hours: permanent device
        loss (PDL), All Paths Down start and timeout, lost VMFS heartbeats ("Lost access to
        volume"), lost connectivity to a device, NFS server disconnects, dead paths and lost or
        degraded path redundancy. Recoveries are counted too and named in the message.
    Why it matters:
        These are the root causes behind VMs that froze, crashed or were restarted by HA
        component protection, and behind hosts that went "not responding" because hostd hung
        on I/O. A loss that recovered on its own usually comes back: flapping paths, a failing
        switch port or an array that fails over too slowly.
    Example:
        esx02: 3 x All Paths Down, 1 x All Paths Down timeout on naa.6000... in the last
        7 days, restored afterwards: critical.
    Remediation:
        Correlate the times with the array, fabric switches and NFS server logs; check path
        state (STO013). A PDL means the LUN was removed or failed: unregister its VMs and
        detach the device. Never unpresent a LUN without unmounting and detaching it first.
    """
    window_start = as_utc(ctx.now) - timedelta(hours=ctx.threshold("lookback_hours"))
    counts: Counter[Kind] = Counter()
    latest: tuple[datetime, Kind] | None = None
    # Event types are a small vocabulary: classify each once per scan.
    kinds: dict[str, Kind | None] = ctx.index.memo("storage-event-kinds", dict)
    for event in ctx.index.events_by_object.get(host.id, ()):
        try:
            kind = kinds[event.type]
        except KeyError:
            kind = kinds[event.type] = event_kind(event.type)
        if kind is None:
            continue
        when = as_utc(event.time)
        if when < window_start:
            continue
        counts[kind] += 1
        if latest is None or when >= latest[0]:
            latest = (when, kind)
    for record in ctx.index.logs_by_object.get(host.id, ()):
        if record.family not in (None, "storage"):
            continue
        kind = log_kind(record.text, record.signature)
        if kind is None:
            continue
        if record.time is not None:
            when = as_utc(record.time)
            if when < window_start:
                continue
            if latest is None or when >= latest[0]:
                latest = (when, kind)
        counts[kind] += 1
    losses = {kind: n for kind, n in counts.items() if kind is not RESTORED}
    if not losses:
        gap = ctx.index.gap_for("events", host.id)
        if gap is not None and not ctx.index.logs_by_object.get(host.id):
            return unknown(with_reason("events were not collected and no logs were read", gap))
        return ok()
    worst = max(losses, key=lambda k: k.severity.rank)
    summary = ", ".join(
        f"{n} x {kind.label}"
        for kind, n in sorted(losses.items(), key=lambda kv: -kv[0].severity.rank)
    )
    hours = int(ctx.threshold("lookback_hours"))
    recovered = latest is not None and latest[1] is RESTORED
    suffix = "; access restored afterwards" if recovered else ""
    return fail(
        f"{summary} in the last {hours} h{suffix}",
        worst.severity,
        losses=sum(losses.values()),
        recoveries=counts[RESTORED],
        worst=worst.label,
        restored=recovered,
    )
