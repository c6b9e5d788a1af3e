"""Diagnoses: a symptom seen in the timeline and the ranked causes that explain it.

``vmdoctor why`` produces these; the scan report links each incident (a :class:`Symptom`) to
its :class:`Diagnosis`. All are plain ``msgspec`` Structs so they serialise to the documented
JSON schema (docs/why.md) without a translation layer.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from vmdoctor.model.finding import Family, ObjectRef

#: Version of the JSON document ``vmdoctor why --format json`` writes.
DIAGNOSIS_SCHEMA_VERSION = "1.1"  # 1.1: Cause.chain


class EvidenceItem(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """One fact that supports a symptom or a cause, quoted as the source said it."""

    time: datetime | None  # None = a standing condition (configuration, inventory state)
    source: str  # "event" | "task" | "log:vmkernel.log" | "metric" | "config" | "finding"
    text: str  # the original text: event message, log line, fault message, or a measured fact
    kind: str = ""  # event type, task fault, log signature id, counter, check id
    object: ObjectRef | None = None
    relation: str = "self"  # how the object relates to the symptom's target: self, host, ...


class Symptom(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """Something the admin would call "it stopped working", found in the timeline."""

    kind: str  # see vmdoctor.diagnose.symptoms.SYMPTOM_KINDS
    subkind: str = ""  # e.g. "vmx-panic", "psod", "apd", "insufficient-resources"
    target: ObjectRef
    time: datetime | None
    title: str
    evidence: list[EvidenceItem] = []


class ChainStep(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """One link of a cause chain: a statement about one object and what shows it.

    A chain runs from the root cause (first) to the symptom (last); each step led to the next.
    """

    statement: str  # a full sentence with the facts: "A snapshot of app-web-02 is 97 days old"
    family: Family
    object: ObjectRef | None = None
    evidence: list[EvidenceItem] = []  # the records, facts and findings that show this step
    #: how the step reads inside the verdict sentence ("ds-ea-vmfs-04 filled up")
    clause: str = ""
    #: False: a standing condition that let the previous step do harm (admission control off),
    #: not something the previous step caused
    caused_by_previous: bool = True
    remediation: str = ""  # what to do about this step (set on the root)
    prevention: str = ""  # what keeps this step from happening again (set on the root)


class Cause(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """A candidate explanation of a symptom, with the evidence that supports it."""

    rank: int
    cause_id: str  # stable kebab-case id: "datastore-apd", "poweron-file-locked", ...
    family: Family
    title: str
    confidence: float  # 0..1
    score: float
    evidence: list[EvidenceItem]
    remediation: str
    prevention: str
    object: ObjectRef | None = None  # where the cause lies (the host, the datastore, ...)
    #: from the root cause to the symptom; [] when nothing upstream of the cause is known
    chain: list[ChainStep] = []


class Diagnosis(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    symptom: Symptom
    causes: list[Cause]
    verdict: str  # one sentence: the most likely cause, or that the evidence is not enough
    conclusive: bool  # False = the evidence does not settle it; see missing_data
    missing_data: list[str] = []  # what data would settle it
    window_start: datetime | None = None
    window_end: datetime | None = None
    timeline: list[EvidenceItem] = []  # everything seen around the symptom, oldest first
