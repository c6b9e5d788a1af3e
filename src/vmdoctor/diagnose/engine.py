"""``diagnose``: from a symptom to ranked causes with evidence, for one target or all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import msgspec

from vmdoctor.diagnose import kinds as k
from vmdoctor.diagnose.causes import rules_for
from vmdoctor.diagnose.chain import (
    ChainContext,
    build_chain,
    chain_sentence,
    failed_findings_by_object,
)
from vmdoctor.diagnose.correlation import (
    Scope,
    TimelineIndex,
    build_scope,
    dependencies,
)
from vmdoctor.diagnose.missing import missing_data
from vmdoctor.diagnose.ranking import evidence_from, rank_causes
from vmdoctor.diagnose.records import aware
from vmdoctor.diagnose.symptoms import find_incidents, symptoms_in
from vmdoctor.diagnose.targets import resolve_target
from vmdoctor.diagnose.triggers import symptom_title
from vmdoctor.model import VM, Environment, EnvironmentIndex, Finding, ObjectRef
from vmdoctor.model.diagnosis import Cause, Diagnosis, EvidenceItem, Symptom

#: A top cause scoring below this does not settle the question on its own.
CONCLUSIVE_SCORE = 0.5
DEFAULT_WINDOW = timedelta(hours=2)
#: a weaker best cause is not named as a lead in the verdict (still listed with the causes)
MIN_LEAD_CONFIDENCE = 0.2
MAX_TIMELINE = 60


def diagnose(
    env: Environment,
    target: str | None = None,
    at: datetime | None = None,
    window: timedelta = DEFAULT_WINDOW,
    findings: Sequence[Finding] | None = None,
    *,
    limit: int = 10,
) -> list[Diagnosis]:
    """Diagnose ``target`` (a name, an id or "vcenter"), or the ``limit`` newest incidents.

    Raises :class:`vmdoctor.diagnose.targets.UnknownTargetError` for an unknown target.
    """
    index = EnvironmentIndex(env)
    at = aware(at) if at else None
    failed = failed_findings_by_object(findings)
    if target is not None:
        ref = resolve_target(index, target)
        relations = dependencies(index, ref)
        timeline = TimelineIndex(env, set(relations))
        symptom = _target_symptom(env, index, timeline, ref, at, window)
        return [_diagnose_one(index, timeline, symptom, window, findings, failed)]
    incidents = find_incidents(env, index)
    if at is not None:
        incidents = [s for s in incidents if s.time and abs(aware(s.time) - at) <= window]
    incidents = incidents[:limit]
    wanted: set[str] = set()
    for s in incidents:
        wanted.update(dependencies(index, s.target))
    timeline = TimelineIndex(env, wanted)
    return [_diagnose_one(index, timeline, s, window, findings, failed) for s in incidents]


def _target_symptom(
    env: Environment,
    index: EnvironmentIndex,
    timeline: TimelineIndex,
    ref: ObjectRef,
    at: datetime | None,
    window: timedelta,
) -> Symptom:
    every = [s for s in symptoms_in(timeline.records_for([ref.id]), index) if s.target.id == ref.id]
    found = every
    if at is not None:
        found = [s for s in every if s.time and abs(aware(s.time) - at) <= window]
        found.sort(key=lambda s: abs(aware(s.time) - at) if s.time else window)
    else:
        found.sort(key=lambda s: aware(s.time) if s.time else env.collected_at, reverse=True)
    if found:
        return found[0]
    when = at or env.collected_at
    dated = [s for s in every if s.time is not None]
    nearest = min(dated, key=lambda s: abs(aware(s.time) - when)) if dated else None  # type: ignore[arg-type]
    return _reported_symptom(index, ref, when, nearest)


def _reported_symptom(
    index: EnvironmentIndex, ref: ObjectRef, when: datetime, nearest: Symptom | None = None
) -> Symptom:
    """The admin says something is wrong but the timeline shows no symptom: take their word."""
    kind = {
        "host": k.HOST_NOT_RESPONDING,
        "datastore": k.DATASTORE_LOST,
        "vcenter": k.MANAGEMENT_UNRESPONSIVE,
    }.get(ref.type, k.UNSPECIFIED)
    obj = index.by_id.get(ref.id)
    if isinstance(obj, VM) and obj.power_state in ("poweredOff", "suspended"):
        kind = k.VM_DOWN
    return Symptom(
        kind=kind,
        subkind="reported",
        target=ref,
        time=when,
        title=f"{ref.name}: no symptom in the timeline; looking for causes around "
        f"{when:%Y-%m-%d %H:%M}" + _nearest_hint(nearest),
    )


def _nearest_hint(nearest: Symptom | None) -> str:
    """Point at the target's incident the --at time missed (a wrong day, a wrong zone)."""
    if nearest is None or nearest.time is None:
        return ""
    return (
        f" (the nearest incident: {nearest.title} at {nearest.time:%Y-%m-%d %H:%M} UTC; "
        f"try --at {nearest.time:%Y-%m-%dT%H:%M})"
    )


def _diagnose_one(
    index: EnvironmentIndex,
    timeline: TimelineIndex,
    symptom: Symptom,
    window: timedelta,
    findings: Sequence[Finding] | None,
    failed: Mapping[str, Sequence[Finding]],
) -> Diagnosis:
    when = aware(symptom.time) if symptom.time else index.env.collected_at
    scope = build_scope(index, timeline, symptom.target, when, window, findings)
    rules = _rules(symptom.kind)
    causes = rank_causes(scope, rules)
    symptom = _refine(symptom, causes)
    ctx = ChainContext(scope=scope, symptom=symptom, findings=failed)
    causes = [msgspec.structs.replace(c, chain=build_chain(ctx, c)) for c in causes]
    missing = missing_data(scope, symptom.kind)
    conclusive = bool(causes) and causes[0].score >= CONCLUSIVE_SCORE
    return Diagnosis(
        symptom=symptom,
        causes=causes,
        verdict=_verdict(symptom, causes, conclusive, missing),
        conclusive=conclusive,
        missing_data=[] if conclusive else missing,
        window_start=scope.start,
        window_end=scope.end,
        timeline=_timeline(scope, symptom, causes),
    )


def _rules(kind: str) -> tuple:  # type: ignore[type-arg]
    if kind == k.UNSPECIFIED:
        seen: dict[str, object] = {}
        for kind_name in k.ANY_SYMPTOM:
            for r in rules_for(kind_name):
                seen.setdefault(r.id, r)
        return tuple(seen.values())
    return rules_for(kind)


def _refine(symptom: Symptom, causes: list[Cause]) -> Symptom:
    """Name a power-on failure by its class once the causes are ranked."""
    if symptom.kind != k.VM_POWER_ON_FAILED or not causes:
        return symptom
    top = causes[0].cause_id
    if not top.startswith("poweron-"):
        return symptom
    sub = top.removeprefix("poweron-")
    return msgspec.structs.replace(
        symptom,
        subkind=sub,
        title=f"{symptom_title(symptom.target.name, 'power-on-failed')} ({sub.replace('-', ' ')})",
    )


def _verdict(symptom: Symptom, causes: list[Cause], conclusive: bool, missing: list[str]) -> str:
    if conclusive:
        top = causes[0]
        story = chain_sentence(top)
        if story:
            return f"{story} ({top.confidence:.0%} confidence)."
        return f"Most likely cause: {top.title} [{top.family}] ({top.confidence:.0%} confidence)."
    lead = "The evidence is not enough to name a cause"
    if causes and causes[0].confidence >= MIN_LEAD_CONFIDENCE:
        lead += f"; the best lead is: {causes[0].title} ({causes[0].confidence:.0%})"
    if missing:
        lead += f". To settle it: {missing[0]}"
    return lead + "."


def _timeline(scope: Scope, symptom: Symptom, causes: list[Cause]) -> list[EvidenceItem]:
    seen: set[tuple[str, str]] = set()
    out: list[EvidenceItem] = []
    items = [*symptom.evidence, *(e for c in causes for e in c.evidence)]
    for rec, relation in scope.records:
        if relation in ("self", "host", "datastore") and len(items) < MAX_TIMELINE * 2:
            items.append(evidence_from(rec, relation, scope.index))
    for item in items:
        key = (item.time.isoformat() if item.time else "", item.text)
        if key not in seen:
            seen.add(key)
            out.append(item)
    timed = sorted((e for e in out if e.time), key=lambda e: aware(e.time or scope.time))
    return [*timed[:MAX_TIMELINE], *(e for e in out if not e.time)][: MAX_TIMELINE + 10]
