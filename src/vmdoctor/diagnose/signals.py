"""The vocabulary of cause rules: signals that match timeline records, and probes of state.

A :class:`Signal` recognises one kind of evidence in a record — an event type, a task fault,
or a regular expression on the original text of a log line or message — and says how
specific that evidence is for the cause (``weight``, 0..1). A probe looks at inventory,
configuration or metrics instead, for causes that leave no line in a log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vmdoctor.diagnose.records import Record
from vmdoctor.model import Family

if TYPE_CHECKING:
    from vmdoctor.diagnose.correlation import Scope


@dataclass(frozen=True, slots=True)
class Signal:
    weight: float
    events: frozenset[str] = frozenset()  # event types (vSphere class names or EventEx ids)
    faults: frozenset[str] = frozenset()  # task fault types
    tasks: frozenset[str] = frozenset()  # task names ("PowerOffVM_Task"), any outcome
    pattern: re.Pattern[str] | None = None  # on the text (log line, event message, fault)
    logs: tuple[str, ...] = ()  # log file prefixes the pattern is tried on; () = any log
    on_messages: bool = False  # also try the pattern on event messages and task faults
    user: bool | None = None  # None: any; True: only records a user caused; False: none
    signatures: frozenset[str] = frozenset()  # knowledge-base signature ids (a hint only)
    label: str = ""

    def matches(self, rec: Record) -> bool:
        if self.user is not None and bool(rec.user) != self.user:
            return False
        if rec.is_log:
            if rec.kind and rec.kind in self.signatures:
                return True
            if self.events or self.faults or self.tasks:
                return False  # an event's message pattern ("[Rr]ed") is no log pattern
            if self.pattern is None or (self.logs and not rec.log.startswith(self.logs)):
                return False
            return self.pattern.search(rec.text) is not None
        if rec.source == "event":
            if rec.kind in self.events:
                return self.pattern is None or self.pattern.search(rec.text) is not None
            return self.on_messages and self._text(rec)
        if rec.source == "task":
            if rec.name in self.tasks:
                return True
            if rec.kind and rec.kind in self.faults:
                return self.pattern is None or self.pattern.search(rec.text) is not None
            return self.on_messages and self._text(rec)
        return False

    def _text(self, rec: Record) -> bool:
        return (
            not self.events
            and not self.faults
            and self.pattern is not None
            and self.pattern.search(rec.text) is not None
        )


def event(*types: str, weight: float, text: str | None = None, user: bool | None = None) -> Signal:
    """An event of one of these types (optionally whose message matches ``text``)."""
    return Signal(
        weight=weight,
        events=frozenset(types),
        pattern=re.compile(text) if text else None,
        user=user,
        label="event",
    )


def fault(*types: str, weight: float, text: str | None = None) -> Signal:
    """A failed task whose fault is one of these types (optionally whose message matches)."""
    return Signal(
        weight=weight,
        faults=frozenset(types),
        pattern=re.compile(text) if text else None,
        label="fault",
    )


def task(*names: str, weight: float, user: bool | None = None) -> Signal:
    """A task of one of these names, whatever its outcome (a reboot, a snapshot removal)."""
    return Signal(weight=weight, tasks=frozenset(names), user=user, label="task")


def log(regex: str, *logs: str, weight: float, messages: bool = False) -> Signal:
    """A log line matching ``regex`` in a log whose name starts with one of ``logs``.

    ``messages=True`` also tries the pattern on event messages and task fault messages, for
    text that vCenter repeats in its events (the VMX error a power-on task returns).
    """
    return Signal(
        weight=weight,
        pattern=re.compile(regex),
        logs=tuple(logs),
        on_messages=messages,
        label="log",
    )


def message(regex: str, *, weight: float) -> Signal:
    """Text in an event message or a task fault message (vCenter's words, not a log file)."""
    return Signal(weight=weight, pattern=re.compile(regex), on_messages=True, logs=("\0",))


@dataclass(frozen=True, slots=True)
class ProbeHit:
    """A standing fact (configuration, inventory state, metric) that supports a cause."""

    weight: float
    text: str
    kind: str  # "config" | "metric" | "inventory"
    object_id: str
    label: str = ""


Probe = Callable[["Scope"], Iterable[ProbeHit]]


@dataclass(frozen=True, slots=True)
class CauseRule:
    """One candidate cause: which symptoms it explains, and the evidence that points at it."""

    id: str
    family: Family
    title: str
    symptoms: frozenset[str]
    signals: tuple[Signal, ...]
    remediation: str
    prevention: str
    #: Whose records count: "self" (the symptom's object), "host", "datastore", "network",
    #: "cluster", "vcenter", "peer" (other objects sharing the datastore).
    relations: frozenset[str] = frozenset({"self", "host", "datastore"})
    #: Causes this one leads to: when its evidence comes first, it is the root and ranks above.
    explains: frozenset[str] = frozenset()
    probes: tuple[Probe, ...] = field(default=())
    #: Check ids whose FAIL findings on the involved objects corroborate this cause.
    checks: frozenset[str] = frozenset()


def rule(
    id: str,
    family: Family,
    title: str,
    *,
    symptoms: Iterable[str],
    signals: Iterable[Signal],
    remediation: str,
    prevention: str,
    relations: Iterable[str] = ("self", "host", "datastore"),
    probes: Iterable[Probe] = (),
    checks: Iterable[str] = (),
    explains: Iterable[str] = (),
) -> CauseRule:
    return CauseRule(
        id=id,
        family=family,
        title=title,
        symptoms=frozenset(symptoms),
        signals=tuple(signals),
        remediation=remediation,
        prevention=prevention,
        relations=frozenset(relations),
        probes=tuple(probes),
        checks=frozenset(checks),
        explains=frozenset(explains),
    )
