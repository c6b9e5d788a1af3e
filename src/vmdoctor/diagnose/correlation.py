"""What happened to an object and to what it depends on, in a window around a moment.

The dependency graph is read from the inventory: a VM depends on its host, datastores,
networks, cluster and vCenter; a host on its datastores, networks, cluster and vCenter; a
datastore on the hosts that mount it. Each related object carries a relation name and a
distance, so evidence found on the VM itself weighs more than evidence on its vCenter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from vmdoctor.diagnose.records import Record, aware, from_event, from_log, from_task
from vmdoctor.model import (
    VM,
    Cluster,
    Datastore,
    Entity,
    Environment,
    EnvironmentIndex,
    Event,
    Finding,
    Host,
    LogRecord,
    Network,
    ObjectLink,
    ObjectRef,
    ResourcePool,
    Status,
    Task,
    VCenter,
)

#: How much evidence on a related object counts, relative to evidence on the target itself.
RELATION_WEIGHT: dict[str, float] = {
    "self": 1.0,
    "datastore": 0.9,
    "host": 0.85,
    "network": 0.8,
    "cluster": 0.75,
    "vcenter": 0.7,
    "peer": 0.6,  # another VM on the same host or datastore
    # Another host of the VM's cluster. The inventory says where the VM is now; HA or DRS may
    # have moved it since, so a host the VM's own records place it on is promoted to "host".
    "cluster-host": 0.5,
}

#: Records this long after the symptom still count (effects logged late, task completion).
AFTER_SYMPTOM = timedelta(minutes=15)


def object_type(obj: Entity) -> str:
    for cls, name in (
        (VM, "vm"),
        (Host, "host"),
        (Datastore, "datastore"),
        (Cluster, "cluster"),
        (VCenter, "vcenter"),
        (Network, "network"),
        (ResourcePool, "resource_pool"),
    ):
        if isinstance(obj, cls):
            return name
    return "object"


def object_ref(index: EnvironmentIndex, obj_id: str) -> ObjectRef:
    obj = index.by_id.get(obj_id)
    if obj is None:
        return ObjectRef(type="object", id=obj_id, name=obj_id)
    cluster_id = getattr(obj, "cluster_id", None)
    cluster = index.cluster(cluster_id) if isinstance(cluster_id, str) else None
    return ObjectRef(
        type=object_type(obj), id=obj.id, name=obj.name, cluster=cluster.name if cluster else None
    )


def dependencies(index: EnvironmentIndex, target: ObjectRef) -> dict[str, str]:
    """Object id -> relation to the target ("self", "host", "datastore", ...)."""
    out: dict[str, str] = {target.id: "self"}
    obj = index.by_id.get(target.id)

    def add(relation: str, ids: Iterable[str | None]) -> None:
        for obj_id in ids:
            if obj_id and obj_id not in out:
                out[obj_id] = relation

    if isinstance(obj, VM):
        add("host", [obj.host_id])
        add("datastore", [*obj.datastore_ids, *(d.datastore_id for d in obj.disks)])
        add("network", [*obj.network_ids, *(n.network_id for n in obj.nics)])
        add("cluster", [obj.cluster_id])
        add("vcenter", [obj.vcenter_id])
        add("cluster-host", (h.id for h in index.hosts_by_cluster.get(obj.cluster_id or "", ())))
    elif isinstance(obj, Host):
        add("datastore", obj.datastore_ids)
        add("network", obj.network_ids)
        add("cluster", [obj.cluster_id])
        add("vcenter", [obj.vcenter_id])
    elif isinstance(obj, Datastore):
        add("host", obj.host_ids)
        add("vcenter", [obj.vcenter_id])
    elif isinstance(obj, VCenter):
        pass  # vCenter's own records only: every host names it, but they are not its own
    elif isinstance(obj, Cluster):
        add("host", (h.id for h in index.hosts_by_cluster.get(obj.id, ())))
        add("vcenter", [obj.vcenter_id])
    elif isinstance(obj, Network):
        add("host", obj.host_ids)
        add("vcenter", [obj.vcenter_id])
    return out


Raw = Event | Task | LogRecord


class TimelineIndex:
    """Timeline records grouped by the objects they concern, built in one pass.

    A record is filed under the specific objects it names (VM, host, datastore, network) and,
    only when it names none of those, under its cluster or vCenter: a host's log line is the
    host's, not the vCenter's. ``wanted`` restricts the index to the object ids the diagnoses
    at hand need. Records become :class:`Record` lazily, per time window.
    """

    def __init__(self, env: Environment, wanted: set[str]) -> None:
        self.by_object: dict[str, list[Raw]] = defaultdict(list)
        self._converted: dict[int, Record] = {}
        self._build(env, wanted)

    def _build(self, env: Environment, wanted: set[str]) -> None:
        # A million records on a large estate: plain attribute reads and set lookups, no
        # per-record tuples (this loop is most of `why`'s time).
        by_object = self.by_object
        tl = env.timeline
        items: list[Event] | list[LogRecord]
        for items in (tl.events, tl.logs):
            for item in items:
                link = item.objects
                vm, host, ds, net = link.vm_id, link.host_id, link.datastore_id, link.network_id
                if vm or host or ds or net:
                    if vm in wanted:
                        by_object[vm].append(item)
                    if host in wanted:
                        by_object[host].append(item)
                    if ds in wanted:
                        by_object[ds].append(item)
                    if net in wanted:
                        by_object[net].append(item)
                else:
                    cluster, vcenter = link.cluster_id, link.vcenter_id
                    if cluster in wanted:
                        by_object[cluster].append(item)
                    if vcenter in wanted:
                        by_object[vcenter].append(item)
        for task in tl.tasks:
            ids = set(_filed_under(task.objects))
            if task.entity_id:
                ids.add(task.entity_id)
            for obj_id in ids:
                if obj_id in wanted:
                    by_object[obj_id].append(task)

    def records_for(
        self, ids: Iterable[str], start: datetime | None = None, end: datetime | None = None
    ) -> list[Record]:
        seen: set[int] = set()
        out: list[Record] = []
        for obj_id in ids:
            for raw in self.by_object.get(obj_id, ()):
                key = id(raw)
                if key in seen:
                    continue
                seen.add(key)
                if start is not None and end is not None:
                    moment = _raw_time(raw)
                    if moment is not None and not start <= aware(moment) <= end:
                        continue
                out.append(self._record(raw))
        return out

    def log_sources(self, ids: Iterable[str]) -> set[tuple[str, str | None]]:
        """(log kind, owner id) of every log line filed under ``ids``: which logs the sources
        hold for these objects, read from the raw records (no conversion)."""
        out: set[tuple[str, str | None]] = set()
        for obj_id in ids:
            for raw in self.by_object.get(obj_id, ()):
                if isinstance(raw, LogRecord) and raw.log:
                    link = raw.objects
                    owner = (
                        link.vm_id
                        if raw.log.startswith("vmware")
                        else link.host_id or link.vcenter_id
                    )
                    out.add((raw.log.split(".")[0].split("-")[0], owner))
        return out

    def _record(self, raw: Raw) -> Record:
        key = id(raw)
        rec = self._converted.get(key)
        if rec is None:
            if isinstance(raw, Event):
                rec = from_event(raw)
            elif isinstance(raw, Task):
                rec = from_task(raw)
            else:
                rec = from_log(raw)
            self._converted[key] = rec
        return rec


def _filed_under(link: ObjectLink) -> tuple[str, ...]:
    # Runs once per timeline record, a million times on a large estate: plain attribute reads.
    vm, host, ds, net = link.vm_id, link.host_id, link.datastore_id, link.network_id
    if vm or host or ds or net:
        return tuple(v for v in (vm, host, ds, net) if v)
    return tuple(v for v in (link.cluster_id, link.vcenter_id) if v)


def _raw_time(raw: Raw) -> datetime | None:
    if isinstance(raw, Task):
        return raw.complete_time or raw.start_time or raw.queued_time
    return raw.time


@dataclass(slots=True)
class Scope:
    """Everything one diagnosis looks at: the target, its dependencies, records, findings."""

    index: EnvironmentIndex
    target: ObjectRef
    time: datetime
    start: datetime
    end: datetime
    relations: dict[str, str]
    records: list[tuple[Record, str]] = field(default_factory=list)  # (record, relation)
    findings: list[tuple[Finding, str]] = field(default_factory=list)
    timeline: TimelineIndex | None = None
    _all_records: list[Record] | None = None

    @property
    def env(self) -> Environment:
        return self.index.env

    def log_sources(self) -> set[tuple[str, str | None]]:
        """(log kind, owner id) pairs the sources hold for the related objects, at any time."""
        return self.timeline.log_sources(self.relations) if self.timeline is not None else set()

    @property
    def all_records(self) -> list[Record]:
        """The related objects' records at any time ("what is missing", chains): built on
        first use, since most diagnoses never need them."""
        if self._all_records is None:
            self._all_records = (
                self.timeline.records_for(self.relations) if self.timeline is not None else []
            )
        return self._all_records

    def related(self, relation: str) -> list[Entity]:
        return [
            obj
            for obj_id, rel in self.relations.items()
            if rel == relation and (obj := self.index.by_id.get(obj_id)) is not None
        ]

    def target_object(self) -> Entity | None:
        return self.index.by_id.get(self.target.id)


def build_scope(
    index: EnvironmentIndex,
    timeline: TimelineIndex,
    target: ObjectRef,
    time: datetime,
    window: timedelta,
    findings: Sequence[Finding] | None = None,
) -> Scope:
    time = aware(time)
    relations = dependencies(index, target)
    scope = Scope(
        index=index,
        target=target,
        time=time,
        start=time - window,
        end=time + min(window, AFTER_SYMPTOM),
        relations=relations,
        timeline=timeline,
    )
    _hosts_at_the_time(timeline, target, relations, scope.start, scope.end)
    for rec in timeline.records_for(relations, scope.start, scope.end):
        relation = _relation(rec, target, relations)
        if relation is not None:
            scope.records.append((rec, relation))
    scope.records.sort(key=lambda pair: (pair[0].time is None, pair[0].time or time))
    for finding in findings or ():
        rel = relations.get(finding.object.id)
        if rel is not None and finding.status is Status.FAIL:
            scope.findings.append((finding, rel))
    return scope


def _hosts_at_the_time(
    timeline: TimelineIndex,
    target: ObjectRef,
    relations: dict[str, str],
    start: datetime,
    end: datetime,
) -> None:
    """Promote the cluster hosts the VM's own records place it on, in the window, to "host"."""
    if target.type != "vm":
        return
    for rec in timeline.records_for([target.id], start, end):
        host_id = rec.link.host_id
        if (
            host_id
            and rec.link.vm_id == target.id
            and relations.get(host_id) == "cluster-host"
            and rec.time is not None
            and start <= rec.time <= end
        ):
            relations[host_id] = "host"


def _relation(rec: Record, target: ObjectRef, relations: dict[str, str]) -> str | None:
    """How a record relates to the target, through the most specific object it names.

    A record about a host or datastore is judged by that object, never by the cluster or
    vCenter it also names: another host's trouble is not the cluster's.
    """
    link = rec.link
    vm_id = link.vm_id
    if target.type == "vm" and vm_id and vm_id != target.id:
        return "peer"  # another VM's record: it shares the host or datastore, no more
    for group in _SPECIFIC, _BROAD:
        named = [v for v in (getattr(link, f) for f in group) if v]
        if not named:
            continue
        rels = [relations[i] for i in named if i in relations]
        return max(rels, key=RELATION_WEIGHT.__getitem__) if rels else None
    return None


_SPECIFIC = ("vm_id", "host_id", "datastore_id", "network_id")
_BROAD = ("cluster_id", "vcenter_id")
