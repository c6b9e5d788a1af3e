"""What a check is: metadata, documentation, thresholds and a pure function.

A check is written as a decorated function::

    @check(
        id="STO001",
        name="datastore-free-space",
        title="Datastore is running out of space",
        family=Family.STORAGE,
        applies_to="datastore",
        severity=Severity.HIGH,
        thresholds={"warning_pct": 15, "critical_pct": 5},
        fix=Fix.MANUAL,
        references=("KB 2003964",),
    )
    def datastore_free_space(ds: Datastore, ctx: CheckContext) -> Outcome:
        '''One-line summary.

        What it checks:
            ...
        Why it matters:
            ...
        Example:
            ...
        Remediation:
            ...
        '''

It receives one object of the type it applies to and a context, and returns one Outcome:
``ok()``, ``fail(...)``, ``unknown(...)`` or ``not_applicable()`` (the object is outside the
check's scope, e.g. a powered-off VM for CPU ready: not counted as checked).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from vmdoctor.model import OBJECT_TYPES, Environment, EnvironmentIndex, Family, Severity, Status
from vmdoctor.model.finding import EvidenceValue

if TYPE_CHECKING:
    from vmdoctor.knowledge import Knowledge

ThresholdValue = int | float | str | bool

DOC_SECTIONS = ("What it checks", "Why it matters", "Example", "Remediation")


class Fix(StrEnum):
    SAFE = "safe"  # can be applied live with no impact on running workloads
    DISRUPTIVE = "disruptive"  # needs downtime, a reboot, a migration or a maintenance window
    MANUAL = "manual"  # needs a human decision (delete data, buy capacity, change design)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    message: str = ""
    evidence: Mapping[str, EvidenceValue] = field(default_factory=dict)
    severity: Severity | None = None  # overrides the check's default severity for this object


_PASS = Outcome(Status.PASS)
_NOT_APPLICABLE = Outcome(Status.SKIPPED, "not applicable")


def ok(message: str = "", /, **evidence: EvidenceValue) -> Outcome:
    if not message and not evidence:
        return _PASS
    return Outcome(Status.PASS, message, evidence)


def fail(message: str, severity: Severity | None = None, /, **evidence: EvidenceValue) -> Outcome:
    """The object fails; ``severity`` overrides the check's default for this object."""
    return Outcome(Status.FAIL, message, evidence, severity)


def unknown(message: str, /, **evidence: EvidenceValue) -> Outcome:
    """The data needed to decide is missing: say which, and why if a gap explains it."""
    return Outcome(Status.UNKNOWN, message, evidence)


def not_applicable() -> Outcome:
    return _NOT_APPLICABLE


def is_not_applicable(outcome: Outcome) -> bool:
    return outcome is _NOT_APPLICABLE


@dataclass(frozen=True, slots=True)
class CheckDoc:
    summary: str
    what: str
    why: str
    example: str
    remediation: str

    @classmethod
    def parse(cls, docstring: str | None, check_id: str) -> CheckDoc:
        if not docstring:
            raise ValueError(f"{check_id}: check has no docstring")
        lines = docstring.strip().splitlines()
        summary = lines[0].strip()
        sections: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in lines[1:]:
            header = re.fullmatch(r"\s*([A-Z][a-z ]+):\s*", line)
            if header and header.group(1) in DOC_SECTIONS:
                current = sections.setdefault(header.group(1), [])
            elif current is not None:
                current.append(line.strip())
        missing = [s for s in DOC_SECTIONS if not " ".join(sections.get(s, [])).strip()]
        if missing:
            raise ValueError(f"{check_id}: docstring misses section(s) {', '.join(missing)}")

        def text(name: str) -> str:
            return re.sub(r"\n{3,}", "\n\n", "\n".join(sections[name]).strip())

        return cls(
            summary=summary,
            what=text("What it checks"),
            why=text("Why it matters"),
            example=text("Example"),
            remediation=text("Remediation"),
        )


class Analysis:
    """What every check of one scan shares: the Environment, its index, the knowledge base."""

    def __init__(self, env: Environment, knowledge: Knowledge | None = None) -> None:
        self.env = env
        self.index = EnvironmentIndex(env)
        self._knowledge = knowledge

    @property
    def now(self) -> datetime:
        return self.env.collected_at

    @cached_property
    def knowledge(self) -> Knowledge:
        if self._knowledge is not None:
            return self._knowledge
        from vmdoctor.knowledge import load_knowledge

        return load_knowledge()


class CheckContext:
    """One check's view of the analysis: shared data plus its own resolved thresholds."""

    __slots__ = ("analysis", "env", "index", "now", "thresholds")

    def __init__(self, analysis: Analysis, thresholds: Mapping[str, ThresholdValue]) -> None:
        self.analysis = analysis
        self.env = analysis.env
        self.index = analysis.index
        self.now = analysis.now
        self.thresholds = thresholds

    @property
    def knowledge(self) -> Knowledge:
        return self.analysis.knowledge

    def threshold(self, key: str) -> float:
        value = self.thresholds[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"threshold {key!r} is not a number: {value!r}")
        return float(value)

    def setting(self, key: str) -> ThresholdValue:
        return self.thresholds[key]


class CheckFunction(Protocol):
    def __call__(self, obj: Any, ctx: CheckContext, /) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class CheckDef:
    id: str
    name: str
    title: str
    family: Family
    applies_to: str
    severity: Severity
    fn: CheckFunction
    doc: CheckDoc
    fix: Fix
    thresholds: Mapping[str, ThresholdValue] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # data it reads beyond inventory: "metrics", "events", "logs"
    # False: a hardening control that fails on most real estates by design (an ESXi default the
    # baseline tightens); it runs in the baseline profiles (scg-8, stig-8) or when named.
    default_scan: bool = True

    @property
    def remediation(self) -> str:
        return self.doc.remediation


_ID_RE = re.compile(r"(RES|CMP|CFG|STO|SEC)\d{3}")
_NAME_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_PREFIX = {
    Family.RESOURCES: "RES",
    Family.COMPATIBILITY: "CMP",
    Family.CONFIGURATION: "CFG",
    Family.STORAGE: "STO",
    Family.SECURITY: "SEC",
}

#: Every check defined by ``@check``, in definition order. The registry validates and indexes it.
DEFINED: list[CheckDef] = []

F = TypeVar("F", bound=Callable[..., Outcome])


def check(
    *,
    id: str,
    name: str,
    title: str,
    family: Family,
    applies_to: str,
    severity: Severity,
    fix: Fix,
    thresholds: Mapping[str, ThresholdValue] | None = None,
    references: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    requires: tuple[str, ...] = (),
    default_scan: bool = True,
) -> Callable[[F], F]:
    """Declare a check. Validation of the metadata happens here, at import time."""
    if not _ID_RE.fullmatch(id) or not id.startswith(_PREFIX[family]):
        raise ValueError(f"{id}: check id must be {_PREFIX[family]} followed by three digits")
    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"{id}: name {name!r} is not kebab-case")
    if applies_to not in OBJECT_TYPES:
        raise ValueError(f"{id}: applies_to {applies_to!r} is not one of {sorted(OBJECT_TYPES)}")

    def register(fn: F) -> F:
        DEFINED.append(
            CheckDef(
                id=id,
                name=name,
                title=title,
                family=family,
                applies_to=applies_to,
                severity=severity,
                fn=fn,
                doc=CheckDoc.parse(fn.__doc__, id),
                fix=fix,
                thresholds=dict(thresholds or {}),
                references=references,
                aliases=aliases,
                requires=requires,
                default_scan=default_scan,
            )
        )
        return fn

    return register
