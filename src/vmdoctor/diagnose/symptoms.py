"""Symptom detection: the moments in a timeline an admin would call "it stopped working".

Triggers (see triggers.py) fire on events, failed power-on tasks and log lines; inventory
state (a host not responding now, an inaccessible datastore) adds symptoms the timeline does
not show. Triggers on the same object within half an hour are one symptom.
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
from vmdoctor.diagnose.triggers import (
    EVENT_TRIGGERS,
    POWER_ON_TASK_FAILED,
    POWER_ON_TASKS,
    UNPLANNED_ONLY,
    Trigger,
    log_trigger,
    symptom_title,
)
from vmdoctor.model import Datastore, Environment, EnvironmentIndex, Event, Host, ObjectLink
from vmdoctor.model.diagnosis import EvidenceItem, Symptom

MERGE_GAP = timedelta(minutes=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_TARGET_FIELD = {
    k.VM_POWER_ON_FAILED: "vm_id",
    k.VM_DOWN: "vm_id",
    k.VM_STUNNED: "vm_id",
    k.HOST_NOT_RESPONDING: "host_id",
    k.DATASTORE_LOST: "datastore_id",
    k.MANAGEMENT_UNRESPONSIVE: "vcenter_id",
}


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
        _add_hit(hits, trig, from_event(ev), index)
    for task in env.timeline.tasks:
        if task.state != "error":
            continue
        if task.name in POWER_ON_TASKS or task.description_id in POWER_ON_TASKS:
            _add_hit(hits, POWER_ON_TASK_FAILED, from_task(task), index)
    for line in env.timeline.logs:
        trig = log_trigger(line.log, line.text)
        if trig is not None:
            _add_hit(hits, trig, from_log(line), index)
    return hits


def _add_hit(hits: list[_Hit], trig: Trigger, rec: Record, index: EnvironmentIndex) -> None:
    target = _target_id(trig.kind, rec, index)
    if target:
        hits.append(_Hit(trig, target, rec))


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
                _inventory_symptom(
                    index,
                    host,
                    now,
                    kind=k.HOST_NOT_RESPONDING,
                    subkind=sub,
                    text=f"connection state {host.connection_state} when collected",
                    evidence_kind="connection_state",
                )
            )
    for ds in env.datastores:
        if not ds.accessible and (k.DATASTORE_LOST, ds.id) not in seen:
            out.append(
                _inventory_symptom(
                    index,
                    ds,
                    now,
                    kind=k.DATASTORE_LOST,
                    subkind="inaccessible",
                    text="datastore inaccessible when collected",
                    evidence_kind="accessible",
                )
            )
    return out


def _inventory_symptom(
    index: EnvironmentIndex,
    obj: Host | Datastore,
    now: datetime,
    *,
    kind: str,
    subkind: str,
    text: str,
    evidence_kind: str,
) -> Symptom:
    """A symptom seen only in the inventory as it was when collected."""
    return Symptom(
        kind=kind,
        subkind=subkind,
        target=object_ref(index, obj.id),
        time=now,
        title=symptom_title(obj.name, subkind),
        evidence=[EvidenceItem(time=now, source="inventory", text=text, kind=evidence_kind)],
    )


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
                trig = POWER_ON_TASK_FAILED
        else:
            trig = log_trigger(rec.log, rec.text)
        if trig is not None:
            _add_hit(hits, trig, rec, index)
    return _group(hits, index)
