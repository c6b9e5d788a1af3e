"""Ground truth of the demo lab: what was planted, and why each incident happened.

It lives beside the Environment, never inside it, so nothing that reads the Environment (the
checks, the diagnosis engine) can peek at the answers. Tests and benchmarks compare what
vmdoctor finds against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from vmdoctor.model import Environment, Family

#: Symptoms an incident starts from (what the administrator sees first): the same kind names
#: as :mod:`vmdoctor.diagnose.kinds`, so a diagnosis compares with the truth directly.
SYMPTOMS = (
    "vm-power-on-failed",
    "vm-down",
    "host-not-responding",
    "management-unresponsive",
    "datastore-lost",
)


@dataclass(frozen=True, slots=True)
class PlantedProblem:
    """One deliberate defect on one object, and the check(s) expected to flag it."""

    id: str  # "P001"
    kind: str  # what was planted, kebab-case: "snapshot-too-old"
    family: Family
    object_type: str  # "vm" | "host" | "cluster" | "datastore" | "vcenter" | "network" | ...
    object_id: str
    object_name: str
    description: str
    #: names of the checks that should flag it (the contract, even before a check exists)
    check_names: tuple[str, ...]
    #: IDs of the registered checks with those names (empty where no check exists yet)
    check_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CauseStep:
    """One link of a cause chain, from the root cause to the symptom."""

    family: Family
    statement: str
    object_type: str | None = None
    object_id: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """A timeline record planted for an incident, findable in the Environment.

    ``ref`` identifies it: the event key (``"4711"``), the task key (``"task-12"``), the log
    ``"<file>:<line>"`` or the metric ``"<entity_id>|<counter>"``.
    """

    kind: str  # "event" | "task" | "log" | "metric"
    ref: str
    time: datetime | None
    summary: str


@dataclass(frozen=True, slots=True)
class Incident:
    id: str  # "INC-01"
    symptom: str  # one of SYMPTOMS
    object_type: str
    object_id: str
    object_name: str
    time: datetime
    summary: str
    cause_chain: tuple[CauseStep, ...]  # root cause first, symptom last
    evidence: tuple[EvidenceRef, ...]
    problem_ids: tuple[str, ...] = ()  # planted problems that take part in the chain

    @property
    def root_cause(self) -> CauseStep:
        return self.cause_chain[0]


@dataclass(frozen=True, slots=True)
class DemoLab:
    environment: Environment
    planted: list[PlantedProblem] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
