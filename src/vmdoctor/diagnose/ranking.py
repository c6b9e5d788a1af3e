"""Scoring candidate causes: specificity x closeness in time x dependency distance.

For each cause rule, every record in the window that one of its signals recognises yields a
contribution ``weight * time_factor * relation_weight``; the rule's score is its best
contribution, plus a little for each further independent signal and each failed check on
the objects involved. A cause whose evidence comes first and that the rule catalogue says
leads to another (a NIC link down before the paths died) is ranked above it: it is the root.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from vmdoctor.diagnose.correlation import RELATION_WEIGHT, Scope, object_ref
from vmdoctor.diagnose.records import Record
from vmdoctor.diagnose.signals import CauseRule
from vmdoctor.model import EnvironmentIndex, ObjectRef
from vmdoctor.model.diagnosis import Cause, EvidenceItem

CORROBORATION_STEP = 0.05  # per extra independent signal, up to three
FINDING_STEP = 0.04  # per failed check of the same family on an involved object, up to three
STATIC_FACTOR = 0.9  # configuration and inventory facts: true now, maybe not at the time
UNTIMED_FACTOR = 0.6  # log lines without a timestamp
ROOT_MARGIN = 0.03  # how far above the effect a root cause is placed
UNEXPLAINED_MASS = 0.3  # confidence kept for "something not in the catalogue"
MAX_EVIDENCE = 6
#: a cause backed by standing facts alone (configuration, inventory, metrics, findings) never
#: settles a diagnosis by itself: below the engine's conclusive score
STANDING_ONLY_CAP = 0.45
ELSEWHERE_FACTOR = 0.5


def time_factor(symptom_time: datetime, moment: datetime | None) -> float:
    """1.0 at the symptom, falling with distance; evidence well after it counts half."""
    if moment is None:
        return UNTIMED_FACTOR
    minutes = (symptom_time - moment).total_seconds() / 60.0
    if minutes >= -2.0:
        return 1.0 / (1.0 + max(minutes, 0.0) / 45.0)
    return 0.5 / (1.0 + (-minutes) / 15.0)


def evidence_from(rec: Record, relation: str, index: EnvironmentIndex) -> EvidenceItem:
    obj_id = (
        next((v for v in (rec.link.vm_id, rec.link.host_id, rec.link.datastore_id) if v), None)
        or rec.link.vcenter_id
        or rec.link.cluster_id
    )
    kind = rec.kind or rec.name
    text = rec.text
    if rec.user and rec.source != "log":
        text = f"{text} (user: {rec.user})"
    return EvidenceItem(
        time=rec.time,
        source=rec.source,
        text=text,
        kind=kind,
        object=object_ref(index, obj_id) if obj_id else None,
        relation=relation,
    )


@dataclass(slots=True)
class Candidate:
    rule: CauseRule
    score: float = 0.0
    best: float = 0.0
    first_time: datetime | None = None
    signals: set[int] = field(default_factory=set)
    timed: bool = False  # some timeline record (event, task, log line) supports it
    objects: set[str] = field(default_factory=set)  # what its evidence is about
    items: list[tuple[float, EvidenceItem]] = field(default_factory=list)
    where: ObjectRef | None = None


def score_rule(scope: Scope, cause: CauseRule) -> Candidate | None:
    cand = Candidate(rule=cause)
    index = scope.index
    for rec, relation in scope.records:
        if relation not in cause.relations:
            continue
        for i, sig in enumerate(cause.signals):
            if sig.matches(rec):
                contrib = sig.weight * time_factor(scope.time, rec.time) * RELATION_WEIGHT[relation]
                _add(cand, contrib, evidence_from(rec, relation, index), i, rec.time)
                cand.timed = True
                link = rec.link
                cand.objects.update(
                    v for v in (link.vm_id, link.host_id, link.datastore_id, link.network_id) if v
                )
                break
    offset = len(cause.signals)
    for j, probe in enumerate(cause.probes):
        for hit in probe(scope):
            relation = scope.relations.get(hit.object_id, "self")
            contrib = hit.weight * STATIC_FACTOR * RELATION_WEIGHT.get(relation, 0.6)
            item = EvidenceItem(
                time=None,
                source=hit.kind,
                text=hit.text,
                kind=hit.label,
                object=object_ref(index, hit.object_id),
                relation=relation,
            )
            _add(cand, contrib, item, offset + j, None)
            cand.objects.add(hit.object_id)
            cand.timed = cand.timed or hit.kind == "metric"  # a peak inside the window
    if cand.best <= 0.0:
        return None
    extra = min(3, len(cand.signals) - 1) * CORROBORATION_STEP
    bonus = 0.0
    # a finding corroborates only where the cause's own evidence (or the symptom) lies
    involved = cand.objects | {scope.target.id}
    for finding, relation in scope.findings:
        if (
            finding.object.id in involved
            and relation in cause.relations
            and (finding.check_id in cause.checks or finding.family == cause.family)
            and bonus < 3 * FINDING_STEP
        ):
            bonus += FINDING_STEP
            cand.items.append(
                (
                    0.0,
                    EvidenceItem(
                        time=None,
                        source="finding",
                        text=f"{finding.check_id} {finding.title}: {finding.message}",
                        kind=finding.check_id,
                        object=finding.object,
                        relation=relation,
                    ),
                )
            )
    cand.score = cand.best + extra + bonus
    if not cand.timed:
        # only standing facts: true now, but nothing shows they happened at the symptom
        cand.score = min(cand.score, STANDING_ONLY_CAP)
        if scope.target.id not in cand.objects:
            cand.score *= ELSEWHERE_FACTOR  # and about another object than the symptom's
    top = max(cand.items, key=lambda pair: pair[0])[1]
    cand.where = top.object
    return cand


def _add(
    cand: Candidate, contrib: float, item: EvidenceItem, signal: int, moment: datetime | None
) -> None:
    cand.items.append((contrib, item))
    cand.signals.add(signal)
    cand.best = max(cand.best, contrib)
    if moment is not None and (cand.first_time is None or moment < cand.first_time):
        cand.first_time = moment


def promote_roots(cands: dict[str, Candidate]) -> None:
    """A cause that leads to another and shows first ranks just above it."""
    for cand in cands.values():
        for effect_id in cand.rule.explains:
            effect = cands.get(effect_id)
            if effect is None or cand.first_time is None:
                continue
            if effect.first_time is None or cand.first_time <= effect.first_time:
                cand.score = max(cand.score, effect.score + ROOT_MARGIN)


def confidence(score: float, total_sq: float) -> float:
    """Share of the squared scores (rivals and "something else" take their part), times the
    strength of the evidence itself: weak evidence alone never reads as certainty."""
    return round(min(0.97, score**2 / total_sq * min(1.0, score)), 2)


def rank_causes(scope: Scope, rules: Sequence[CauseRule]) -> list[Cause]:
    cands: dict[str, Candidate] = {}
    for cause in rules:
        cand = score_rule(scope, cause)
        if cand is not None:
            cands[cause.id] = cand
    promote_roots(cands)
    ordered = sorted(cands.values(), key=lambda c: (-c.score, c.rule.id))
    total_sq = sum(c.score**2 for c in ordered) + UNEXPLAINED_MASS**2
    out: list[Cause] = []
    for rank, cand in enumerate(ordered, start=1):
        items = sorted(cand.items, key=lambda pair: -pair[0])[:MAX_EVIDENCE]
        evidence = sorted(
            (item for _, item in items),
            key=lambda e: (e.time is None, e.time.timestamp() if e.time else 0.0),
        )
        out.append(
            Cause(
                rank=rank,
                cause_id=cand.rule.id,
                family=cand.rule.family,
                title=cand.rule.title,
                confidence=confidence(cand.score, total_sq),
                score=round(cand.score, 3),
                evidence=evidence,
                remediation=cand.rule.remediation,
                prevention=cand.rule.prevention,
                object=cand.where,
            )
        )
    return out
