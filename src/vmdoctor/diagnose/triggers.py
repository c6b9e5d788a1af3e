"""What counts as a symptom: event types, failed power-on tasks and log lines, with titles.

Triggers are event types, failed power-on tasks, and log lines (regexes on the original
text). Each trigger names the kind of symptom and how well it names it (its rank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vmdoctor.diagnose import kinds as k


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
        ("vpxd",),
        r"VpxProfiler.* took \d{5,} ?ms",
        ("VpxProfiler",),
        _t(k.MANAGEMENT_UNRESPONSIVE, "api-latency", 1),
    ),
    (
        ("vpxd", "vmon"),
        r"No space left on device|OutOfMemory|std::bad_alloc",
        ("No space left", "OutOfMemory", "bad_alloc"),
        _t(k.MANAGEMENT_UNRESPONSIVE, "vpxd-failure", 2),
    ),
)

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
    "api-latency": "vCenter answers slowly (API calls take tens of seconds)",
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

#: A failed power-on task names its symptom better than the log lines around it.
POWER_ON_TASK_FAILED = _t(k.VM_POWER_ON_FAILED, "power-on-failed", 2)


def log_trigger(log: str, text: str) -> Trigger | None:
    """The trigger this line of this log file fires, if any."""
    entry = _COMPILED.for_log(log)
    return entry.match(text) if entry is not None else None
