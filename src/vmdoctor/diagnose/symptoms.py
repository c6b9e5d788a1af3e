"""Symptom detection: the moments in a timeline an admin would call "it stopped working".

Triggers are event types, failed power-on tasks, and log lines (regexes on the original
text); inventory state (a host not responding now, an inaccessible datastore) adds symptoms
the timeline does not show. Triggers on the same object within half an hour are one symptom.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vmdoctor.diagnose import kinds as k
from vmdoctor.diagnose.correlation import object_ref
from vmdoctor.diagnose.ranking import evidence_from
from vmdoctor.diagnose.records import Record, aware, from_event, from_log, from_task
from vmdoctor.model import Environment, EnvironmentIndex, Event, ObjectLink
from vmdoctor.model.diagnosis import EvidenceItem, Symptom

MERGE_GAP = timedelta(minutes=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str
    subkind: str
    rank: int  # a higher rank names the symptom better (a panic beats a power-off event)


def _t(kind: str, subkind: str, rank: int = 1) -> Trigger:
    return Trigger(kind, subkind, rank)


EVENT_TRIGGERS: dict[str, Trigger] = {
    "VmFailedToPowerOnEvent": _t(k.VM_POWER_ON_FAILED, "power-on-failed"),
    "NotEnoughResourcesToStartVmEvent": _t(k.VM_POWER_ON_FAILED, "insufficient-resources", 2),
    # HA could not restart the VM after its host failed: the VM is down, not merely refused.
    "VmFailoverFailed": _t(k.VM_DOWN, "ha-failover-failed", 2),
    "com.vmware.vc.ha.VmFailoverFailed": _t(k.VM_DOWN, "ha-failover-failed", 2),
    "com.vmware.vc.HA.VmFailoverFailed": _t(k.VM_DOWN, "ha-failover-failed", 2),
    "VmPoweredOffEvent": _t(k.VM_DOWN, "powered-off"),
    "VmGuestShutdownEvent": _t(k.VM_DOWN, "guest-shutdown", 2),
    "com.vmware.vc.ha.VmRestartedByHAEvent": _t(k.VM_DOWN, "ha-restart", 2),
    "VmDasBeingResetEvent": _t(k.VM_DOWN, "vm-monitoring-reset", 3),
    "VmDasBeingResetWithScreenshotEvent": _t(k.VM_DOWN, "vm-monitoring-reset", 3),
    "esx.problem.vm.kill.unexpected.noSwapResponse": _t(k.VM_DOWN, "killed", 3),
    "HostNotRespondingEvent": _t(k.HOST_NOT_RESPONDING, "not-responding", 2),
    "HostConnectionLostEvent": _t(k.HOST_NOT_RESPONDING, "connection-lost", 1),
    "HostDisconnectedEvent": _t(k.HOST_NOT_RESPONDING, "disconnected", 1),
    "HostCnxFailedBadUsernameEvent": _t(k.HOST_NOT_RESPONDING, "connection-failed", 1),
    "HostCnxFailedAccountFailedEvent": _t(k.HOST_NOT_RESPONDING, "connection-failed", 1),
    "HostCnxFailedBadVersionEvent": _t(k.HOST_NOT_RESPONDING, "connection-failed", 1),
    "HostCnxFailedNetworkErrorEvent": _t(k.HOST_NOT_RESPONDING, "connection-failed", 1),
    "HostCnxFailedTimeoutEvent": _t(k.HOST_NOT_RESPONDING, "connection-failed", 1),
    "com.vmware.vc.HA.DasHostFailedEvent": _t(k.HOST_NOT_RESPONDING, "host-failed", 3),
    "com.vmware.vc.HA.DasHostIsolatedEvent": _t(k.HOST_NOT_RESPONDING, "isolated", 3),
    "esx.problem.host.coredump": _t(k.HOST_NOT_RESPONDING, "psod", 4),
    "esx.problem.storage.apd.start": _t(k.DATASTORE_LOST, "apd", 2),
    "esx.problem.storage.apd.timeout": _t(k.DATASTORE_LOST, "apd", 2),
    "esx.problem.scsi.device.state.permanentloss": _t(k.DATASTORE_LOST, "pdl", 3),
    "esx.problem.vmfs.nfs.server.disconnect": _t(k.DATASTORE_LOST, "nfs-loss", 3),
    "esx.problem.storage.connectivity.lost": _t(k.DATASTORE_LOST, "dead-paths", 2),
    "esx.problem.vmfs.heartbeat.timedout": _t(k.DATASTORE_LOST, "heartbeat-lost", 1),
    "esx.problem.hostd.core.dumped": _t(k.MANAGEMENT_UNRESPONSIVE, "hostd-crash", 3),
    "esx.problem.vpxa.core.dumped": _t(k.MANAGEMENT_UNRESPONSIVE, "vpxa-crash", 3),
}

#: A planned operation is not an incident: these event types count only without a user.
#: (A guest shutdown with a user was asked for through vSphere: "Shut Down Guest OS".)
UNPLANNED_ONLY = frozenset({"VmPoweredOffEvent", "HostDisconnectedEvent", "VmGuestShutdownEvent"})

POWER_ON_TASKS = frozenset(
    {"PowerOnVM_Task", "PowerOnMultiVM_Task", "VirtualMachine.powerOn", "Datacenter.powerOnVm"}
)

#: (log file prefixes, regex, literals, trigger). Each regex only runs on lines holding one of
#: its literals: a substring test is ten times cheaper than a regex search, and almost every
#: line of a real log holds none of them.
LOG_TRIGGERS: tuple[tuple[tuple[str, ...], str, tuple[str, ...], Trigger], ...] = (
    (
        ("vmware",),
        r"Module '?\w+'? power on failed",
        ("power on failed",),
        _t(k.VM_POWER_ON_FAILED, "power-on-failed"),
    ),
    (
        ("vmware",),
        r"Power on failure messages:",
        ("Power on failure messages",),
        _t(k.VM_POWER_ON_FAILED, "power-on-failed"),
    ),
    (("vmware",), r"MONITOR PANIC", ("MONITOR PANIC",), _t(k.VM_DOWN, "monitor-panic", 4)),
    (
        ("vmware",),
        r"E105: PANIC:|\| (vmx|vcpu-\d+|mks)\| .*PANIC:"
        r"|[A-Z][a-z]\(\d\d\) (vmx|vcpu-\d+|mks) PANIC:",  # ESXi 8 layout: Er(02) vmx PANIC:
        ("PANIC:",),
        _t(k.VM_DOWN, "vmx-panic", 4),
    ),
    (
        ("vmware",),
        r"\[msg\.log\.error\.unrecoverable\]",
        ("msg.log.error.unrecoverable",),
        _t(k.VM_DOWN, "vmx-panic", 4),
    ),
    (
        ("vmware",),
        r"Unexpected signal: (4|6|11)\.",
        ("Unexpected signal",),
        _t(k.VM_DOWN, "vmx-panic", 4),
    ),
    (("vmware",), r"Triple fault", ("Triple fault",), _t(k.VM_DOWN, "triple-fault", 4)),
    (
        ("vmware",),
        r"msg\.hbacommon\.outofspace|There is no more space for",
        ("outofspace", "no more space for"),
        _t(k.VM_STUNNED, "out-of-space", 3),
    ),
    (
        ("vmware",),
        r"msg\.hbacommon\.locklost|Lost previously held lock",
        ("locklost", "previously held lock"),
        _t(k.VM_STUNNED, "lock-lost", 3),
    ),
    (
        ("vmware",),
        r"Checkpoint_Unstun: vm stopped for \d{8,} us",
        ("Checkpoint_Unstun",),
        _t(k.VM_STUNNED, "long-stun", 2),
    ),
    (("vmware",), r"Msg_Question:", ("Msg_Question",), _t(k.VM_STUNNED, "question-pending", 1)),
    (
        ("vmkernel", "vmkwarning"),
        r"@BlueScreen:|#(PF|GP) Exception (14|13) in world",
        ("@BlueScreen", " Exception 1"),
        _t(k.HOST_NOT_RESPONDING, "psod", 4),
    ),
    (("vmkernel",), r"PCPU \d+ locked up", ("locked up",), _t(k.HOST_NOT_RESPONDING, "psod", 4)),
    (
        ("vmksummary",),
        r"bootstop: Host has booted",
        ("bootstop",),
        _t(k.HOST_NOT_RESPONDING, "rebooted", 1),
    ),
    (
        ("vmkernel", "vobd", "hostd"),
        r"APD start for|has entered the All Paths Down",
        ("APD start", "All Paths Down"),
        _t(k.DATASTORE_LOST, "apd", 2),
    ),
    (
        ("vmkernel", "vobd", "hostd"),
        r"has been removed or is permanently inaccessible",
        ("permanently inaccessible",),
        _t(k.DATASTORE_LOST, "pdl", 3),
    ),
    (
        ("vmkernel",),
        r"NFS: \d+: Lost connection to (the )?server",
        ("Lost connection to",),
        _t(k.DATASTORE_LOST, "nfs-loss", 3),
    ),
    (
        ("vobd", "vmkernel"),
        r"Lost connectivity to storage device",
        ("Lost connectivity to storage",),
        _t(k.DATASTORE_LOST, "dead-paths", 2),
    ),
    (
        ("vmkernel", "vobd"),
        r"Lost access to volume",
        ("Lost access to volume",),
        _t(k.DATASTORE_LOST, "heartbeat-lost", 1),
    ),
    (
        ("vmkernel", "vobd"),
        r"UserDump: .*(hostd|vpxa)(-worker)?-zdump|(hostd|vpxa)\.core\.dumped",
        ("zdump", "core.dumped"),
        _t(k.MANAGEMENT_UNRESPONSIVE, "agent-crash", 3),
    ),
    (
        ("hostd", "vpxa"),
        r"Memory checker: Current value \d+ exceeded hard limit",
        ("Memory checker",),
        _t(k.MANAGEMENT_UNRESPONSIVE, "agent-memory", 2),
    ),
    (
        ("vpxd",),
        r"Init failed|ODBC error|Failed to connect to (the )?database",
        ("Init failed", "ODBC error", "to connect to"),
        _t(k.MANAGEMENT_UNRESPONSIVE, "vpxd-failure", 2),
    ),
    (
        ("vpxd",),
        r"[Ss]ession limit (reached|exceeded)|[Tt]oo many sessions",
        ("ession limit", "oo many sessions"),
        _t(k.MANAGEMENT_UNRESPONSIVE, "session-exhaustion", 2),
    ),
    (
        ("vpxd", "vmon"),
        r"No space left on device|OutOfMemory|std::bad_alloc",
        ("No space left", "OutOfMemory", "bad_alloc"),
        _t(k.MANAGEMENT_UNRESPONSIVE, "vpxd-failure", 2),
    ),
)

_TARGET_FIELD = {
    k.VM_POWER_ON_FAILED: "vm_id",
    k.VM_DOWN: "vm_id",
    k.VM_STUNNED: "vm_id",
    k.HOST_NOT_RESPONDING: "host_id",
    k.DATASTORE_LOST: "datastore_id",
    k.MANAGEMENT_UNRESPONSIVE: "vcenter_id",
}

_SUBKIND_TEXT = {
    "power-on-failed": "failed to power on",
    "insufficient-resources": "failed to power on (insufficient resources)",
    "ha-failover-failed": "was not restarted by vSphere HA",
    "powered-off": "powered off",
    "guest-shutdown": "was shut down from the guest OS",
    "ha-restart": "was restarted by vSphere HA",
    "vm-monitoring-reset": "was reset by vSphere HA VM monitoring",
    "killed": "was killed by the host",
    "monitor-panic": "crashed (MONITOR PANIC)",
    "vmx-panic": "crashed (VMX panic)",
    "triple-fault": "crashed (guest triple fault)",
    "out-of-space": "is stunned: out of space, question pending",
    "lock-lost": "is stunned: lost its file lock, question pending",
    "long-stun": "was stunned for a long time",
    "question-pending": "is paused on a pending question",
    "not-responding": "is not responding",
    "connection-lost": "lost its connection to vCenter",
    "disconnected": "was disconnected",
    "disconnected-by-user": "was disconnected by a user (still disconnected)",
    "connection-failed": "could not be reconnected",
    "host-failed": "failed (vSphere HA)",
    "isolated": "was isolated from the cluster (vSphere HA)",
    "psod": "crashed (PSOD)",
    "rebooted": "rebooted",
    "apd": "lost all paths (APD)",
    "pdl": "was permanently lost (PDL)",
    "nfs-loss": "lost its NFS server",
    "dead-paths": "lost connectivity (dead paths)",
    "heartbeat-lost": "lost VMFS heartbeat access",
    "inaccessible": "is inaccessible",
    "hostd-crash": "management agent hostd crashed",
    "vpxa-crash": "vCenter agent vpxa crashed",
    "agent-crash": "management agent crashed",
    "agent-memory": "management agent restarted: out of memory",
    "vpxd-failure": "vCenter service failing",
    "session-exhaustion": "vCenter ran out of sessions",
    "reported": "reported by the user",
}


def symptom_title(name: str, subkind: str) -> str:
    return f"{name} {_SUBKIND_TEXT.get(subkind, subkind)}"


class _Compiled:
    """Log triggers grouped by log file name (cached): literals first, then one alternation."""

    def __init__(self) -> None:
        self._by_log: dict[str, _LogMatcher | None] = {}

    def for_log(self, log: str) -> _LogMatcher | None:
        if log in self._by_log:
            return self._by_log[log]
        parts: list[str] = []
        literals: list[str] = []
        triggers: list[Trigger] = []
        for prefixes, regex, lits, trig in LOG_TRIGGERS:
            if log.startswith(prefixes):
                parts.append(f"(?P<t{len(parts)}>{regex})")
                literals.extend(lit for lit in lits if lit not in literals)
                triggers.append(trig)
        entry = (
            _LogMatcher(tuple(literals), re.compile("|".join(parts)), triggers) if parts else None
        )
        self._by_log[log] = entry
        return entry


@dataclass(frozen=True, slots=True)
class _LogMatcher:
    literals: tuple[str, ...]
    regex: re.Pattern[str]
    triggers: list[Trigger]

    def match(self, text: str) -> Trigger | None:
        for lit in self.literals:
            if lit in text:
                break
        else:
            return None
        m = self.regex.search(text)
        return self.triggers[int((m.lastgroup or "t0")[1:])] if m else None


_COMPILED = _Compiled()


@dataclass(slots=True)
class _Hit:
    trigger: Trigger
    target_id: str
    record: Record


def find_incidents(env: Environment, index: EnvironmentIndex | None = None) -> list[Symptom]:
    """Every symptom in the Environment, newest first."""
    index = index or EnvironmentIndex(env)
    hits = _timeline_hits(env, index)
    symptoms = _group(hits, index)
    symptoms.extend(_state_symptoms(env, index, {(s.kind, s.target.id) for s in symptoms}))
    symptoms.sort(key=lambda s: aware(s.time) if s.time else env.collected_at, reverse=True)
    return symptoms


def _timeline_hits(env: Environment, index: EnvironmentIndex) -> list[_Hit]:
    hits: list[_Hit] = []
    events = EVENT_TRIGGERS
    for ev in env.timeline.events:
        trig = events.get(ev.type)
        if trig is None or (ev.user and ev.type in UNPLANNED_ONLY):
            continue
        rec = from_event(ev)
        target = _target_id(trig.kind, rec, index)
        if target:
            hits.append(_Hit(trig, target, rec))
    for task in env.timeline.tasks:
        if task.state != "error":
            continue
        if task.name in POWER_ON_TASKS or task.description_id in POWER_ON_TASKS:
            rec = from_task(task)
            target = _target_id(k.VM_POWER_ON_FAILED, rec, index)
            if target:
                hits.append(_Hit(_t(k.VM_POWER_ON_FAILED, "power-on-failed", 2), target, rec))
    compiled = _COMPILED
    for line in env.timeline.logs:
        entry = compiled.for_log(line.log)
        trig = entry.match(line.text) if entry is not None else None
        if trig is None:
            continue
        rec = from_log(line)
        target = _target_id(trig.kind, rec, index)
        if target:
            hits.append(_Hit(trig, target, rec))
    return hits


_QUOTED_DS = re.compile(
    r'(?:Affected datastores?(?: \(if any\))?: |mounted as \S+ \(|volume )"?([^",)]+)"?'
)


def _target_id(kind: str, rec: Record, index: EnvironmentIndex) -> str | None:
    link: ObjectLink = rec.link
    if kind == k.MANAGEMENT_UNRESPONSIVE and link.host_id:
        return link.host_id  # a host agent (hostd, vpxa), not vCenter itself
    value = getattr(link, _TARGET_FIELD[kind])
    if value:
        return str(value)
    if kind == k.DATASTORE_LOST:
        m = _QUOTED_DS.search(rec.text)
        if m:
            name = m.group(1).strip()
            for ds in index.env.datastores:
                if ds.name == name:
                    return ds.id
        return link.host_id  # the device is unknown to the inventory: blame the host's view
    if kind == k.MANAGEMENT_UNRESPONSIVE:
        return link.host_id or (index.env.vcenters[0].id if index.env.vcenters else None)
    return None


def _group(hits: list[_Hit], index: EnvironmentIndex) -> list[Symptom]:
    by_key: dict[tuple[str, str], list[_Hit]] = defaultdict(list)
    for hit in hits:
        by_key[(hit.trigger.kind, hit.target_id)].append(hit)
    out: list[Symptom] = []
    for (kind, target_id), group in by_key.items():
        group.sort(key=lambda h: (h.record.time is None, h.record.time or _EPOCH))
        current: list[_Hit] = []
        for hit in group:
            t = hit.record.time
            last = current[-1].record.time if current else None
            if current and t and last and t - last > MERGE_GAP:
                out.append(_symptom(kind, target_id, current, index))
                current = []
            current.append(hit)
        if current:
            out.append(_symptom(kind, target_id, current, index))
    return out


def _symptom(kind: str, target_id: str, hits: list[_Hit], index: EnvironmentIndex) -> Symptom:
    target = object_ref(index, target_id)
    best = max(hits, key=lambda h: h.trigger.rank)
    times = [h.record.time for h in hits if h.record.time]
    ev = [evidence_from(h.record, "self", index) for h in hits[:8]]
    return Symptom(
        kind=kind,
        subkind=best.trigger.subkind,
        target=target,
        time=min(times) if times else None,
        title=symptom_title(target.name, best.trigger.subkind),
        evidence=ev,
    )


def _state_symptoms(
    env: Environment, index: EnvironmentIndex, seen: set[tuple[str, str]]
) -> list[Symptom]:
    """Symptoms visible in the inventory now, for objects the timeline said nothing about."""
    out: list[Symptom] = []
    now = env.collected_at
    planned = _planned_disconnects(env)
    for host in env.hosts:
        # "unknown" (a host only named in logs) is not a symptom: nobody saw its state
        if (
            host.connection_state in ("disconnected", "notResponding")
            and (k.HOST_NOT_RESPONDING, host.id) not in seen
        ):
            sub = "not-responding" if host.connection_state == "notResponding" else "disconnected"
            event = planned.get(host.id) if sub == "disconnected" else None
            if event is not None:  # still disconnected since someone disconnected it
                rec = from_event(event)
                out.append(
                    Symptom(
                        kind=k.HOST_NOT_RESPONDING,
                        subkind=sub,
                        target=object_ref(index, host.id),
                        time=rec.time,
                        title=symptom_title(host.name, "disconnected-by-user"),
                        evidence=[evidence_from(rec, "self", index)],
                    )
                )
                continue
            out.append(
                Symptom(
                    kind=k.HOST_NOT_RESPONDING,
                    subkind=sub,
                    target=object_ref(index, host.id),
                    time=now,
                    title=symptom_title(host.name, sub),
                    evidence=[
                        EvidenceItem(
                            time=now,
                            source="inventory",
                            text=f"connection state {host.connection_state} when collected",
                            kind="connection_state",
                        )
                    ],
                )
            )
    for ds in env.datastores:
        if not ds.accessible and (k.DATASTORE_LOST, ds.id) not in seen:
            out.append(
                Symptom(
                    kind=k.DATASTORE_LOST,
                    subkind="inaccessible",
                    target=object_ref(index, ds.id),
                    time=now,
                    title=symptom_title(ds.name, "inaccessible"),
                    evidence=[
                        EvidenceItem(
                            time=now,
                            source="inventory",
                            text="datastore inaccessible when collected",
                            kind="accessible",
                        )
                    ],
                )
            )
    return out


def _planned_disconnects(env: Environment) -> dict[str, Event]:
    """Host id -> the last disconnection a user asked for, for hosts disconnected now."""
    down = {h.id for h in env.hosts if h.connection_state == "disconnected"}
    out: dict[str, Event] = {}
    if not down:
        return out
    for ev in env.timeline.events:
        host_id = ev.objects.host_id
        if ev.type == "HostDisconnectedEvent" and ev.user and host_id in down:
            last = out.get(host_id)
            if last is None or aware(ev.time) >= aware(last.time):
                out[host_id] = ev
    return out


def symptoms_in(
    records: list[Record], index: EnvironmentIndex, *, planned: bool = True
) -> list[Symptom]:
    """The symptoms among already-gathered records (one object's, for ``why TARGET``).

    ``planned=True`` keeps user-initiated power-offs and disconnections: when the admin asks
    about one object, "someone did it" is an answer, not noise.
    """
    hits: list[_Hit] = []
    for rec in records:
        trig: Trigger | None = None
        if rec.source == "event":
            trig = EVENT_TRIGGERS.get(rec.kind)
            if trig is not None and rec.user and rec.kind in UNPLANNED_ONLY and not planned:
                trig = None
        elif rec.source == "task":
            if rec.state == "error" and rec.name in POWER_ON_TASKS:
                trig = _t(k.VM_POWER_ON_FAILED, "power-on-failed", 2)
        else:
            entry = _COMPILED.for_log(rec.log)
            trig = entry.match(rec.text) if entry is not None else None
        if trig is not None:
            target = _target_id(trig.kind, rec, index)
            if target:
                hits.append(_Hit(trig, target, rec))
    return _group(hits, index)
