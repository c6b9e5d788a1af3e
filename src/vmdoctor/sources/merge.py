"""Merge several Environments of one estate into one (e.g. an RVTools export + a log bundle).

Entities are matched by ID, then hosts, VMs, datastores and vCenters by name (case-insensitive;
a host also by its short name when that is unambiguous; a vpxd.log's vCenter that has no name
is the only vCenter of the inventory, if there is exactly one). Sources without inventory (logs,
esxtop) refer to objects by name references (:mod:`vmdoctor.sources.names`); every reference that
matches an inventory object is rewritten to that object's ID, in log records, events, tasks,
metric series and the entities themselves. Gaps are combined (duplicates dropped, and a
gap about a name-only object is dropped once the object is matched to an inventory entry) and
``collected_at`` is the latest of the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from vmdoctor.model import Environment, Gap, ObjectLink, SourceInfo, Timeline
from vmdoctor.sources.names import UNNAMED_VCENTER, parse_name_ref

_ENTITY_LISTS = (
    "vcenters",
    "datacenters",
    "clusters",
    "hosts",
    "vms",
    "datastores",
    "networks",
    "resource_pools",
)
_NAMED_KINDS = {"hosts": "host", "vms": "vm", "datastores": "datastore", "vcenters": "vcenter"}
_LINK_FIELDS = (
    "vm_id",
    "host_id",
    "cluster_id",
    "datastore_id",
    "datacenter_id",
    "network_id",
    "vcenter_id",
)


def merge_environments(envs: Sequence[Environment]) -> Environment:
    if not envs:
        raise ValueError("nothing to merge")
    if len(envs) == 1:
        return envs[0]
    merged: dict[str, list[Any]] = {}
    remap: dict[str, str] = {}
    for attr in _ENTITY_LISTS:
        merged[attr] = _merge_entities(attr, envs, remap)
    for attr in ("hosts", "vms", "datastores"):
        merged[attr] = [_remap_refs(obj, remap) for obj in merged[attr]]
    timeline = Timeline(
        events=[
            msgspec.structs.replace(e, objects=_link(e.objects, remap))
            for env in envs
            for e in env.timeline.events
        ],
        tasks=[
            msgspec.structs.replace(
                t,
                objects=_link(t.objects, remap),
                entity_id=remap.get(t.entity_id or "", t.entity_id),
            )
            for env in envs
            for t in env.timeline.tasks
        ],
        logs=sorted(
            (
                msgspec.structs.replace(r, objects=_link(r.objects, remap))
                for env in envs
                for r in env.timeline.logs
            ),
            key=lambda r: (r.time is None, r.time.timestamp() if r.time else 0.0),
        ),
        metrics=[
            msgspec.structs.replace(m, entity_id=remap.get(m.entity_id, m.entity_id))
            for env in envs
            for m in env.timeline.metrics
        ],
    )
    return Environment(
        collected_at=max(env.collected_at for env in envs),
        source=SourceInfo(
            kind="merged",
            name=" + ".join(env.source.name for env in envs),
            details={
                f"source{i + 1}": f"{env.source.kind}: {env.source.name}"
                for i, env in enumerate(envs)
            },
        ),
        vcenters=merged["vcenters"],
        datacenters=merged["datacenters"],
        clusters=merged["clusters"],
        hosts=merged["hosts"],
        vms=merged["vms"],
        datastores=merged["datastores"],
        networks=merged["networks"],
        resource_pools=merged["resource_pools"],
        timeline=timeline,
        gaps=_merge_gaps(envs, remap),
    )


def _merge_entities(attr: str, envs: Sequence[Environment], remap: dict[str, str]) -> list[Any]:
    """Real entities first (first source wins on equal IDs), then name-only ones not matched."""
    kind = _NAMED_KINDS.get(attr)
    by_id: dict[str, Any] = {}
    deferred: list[Any] = []
    for env in envs:
        for obj in getattr(env, attr):
            if kind and parse_name_ref(obj.id):
                deferred.append(obj)
            elif obj.id not in by_id:
                by_id[obj.id] = obj
    if kind is None:
        return list(by_id.values())
    names = _NameIndex(by_id.values())
    for obj in deferred:
        target = names.find(obj.name) or _sole_vcenter(kind, obj.name, by_id)
        if target is not None:
            remap[obj.id] = target.id
        elif obj.id not in by_id:
            by_id[obj.id] = obj
            names.add(obj)
    # references to objects no source listed (a log naming a VM): resolve by name too
    for env in envs:
        for ref in _name_refs(env):
            parsed = parse_name_ref(ref)
            if parsed and parsed[0] == kind and ref not in remap:
                target = names.find(parsed[1]) or _sole_vcenter(kind, parsed[1], by_id)
                if target is not None and target.id != ref:
                    remap[ref] = target.id
    return list(by_id.values())


class _NameIndex:
    def __init__(self, objs: Any) -> None:
        self.exact: dict[str, Any] = {}
        self.short: dict[str, list[Any]] = {}
        for obj in objs:
            self.add(obj)

    def add(self, obj: Any) -> None:
        self.exact.setdefault(obj.name.lower(), obj)
        self.short.setdefault(obj.name.lower().split(".")[0], []).append(obj)

    def find(self, name: str) -> Any | None:
        key = name.lower()
        if key in self.exact:
            return self.exact[key]
        if _is_ip(key):
            return None
        candidates = self.short.get(key.split(".")[0], [])
        return candidates[0] if len(candidates) == 1 else None


def _is_ip(name: str) -> bool:
    return name.replace(".", "").isdigit() or ":" in name


def _name_refs(env: Environment) -> set[str]:
    refs: set[str] = set()
    links = [r.objects for r in env.timeline.logs]
    links += [e.objects for e in env.timeline.events] + [t.objects for t in env.timeline.tasks]
    for link in links:
        for field in _LINK_FIELDS:
            value = getattr(link, field)
            if value and value.startswith("name:"):
                refs.add(value)
    refs.update(m.entity_id for m in env.timeline.metrics if m.entity_id.startswith("name:"))
    return refs


def _link(link: ObjectLink, remap: dict[str, str]) -> ObjectLink:
    changes = {f: remap[v] for f in _LINK_FIELDS if (v := getattr(link, f)) and v in remap}
    return msgspec.structs.replace(link, **changes) if changes else link


def _sole_vcenter(kind: str, name: str, known: dict[str, Any]) -> Any | None:
    """A vpxd.log that does not name its vCenter belongs to the only vCenter there is."""
    if kind != "vcenter" or name != UNNAMED_VCENTER:
        return None
    real = [obj for obj in known.values() if not parse_name_ref(obj.id)]
    return real[0] if len(real) == 1 else None


def _remap_refs(obj: Any, remap: dict[str, str]) -> Any:
    """Stand-ins left unmatched may point at stand-ins that were matched: follow them."""
    changes: dict[str, Any] = {}
    for attr in ("host_id", "vcenter_id"):
        value = getattr(obj, attr, None)
        if value and value in remap:
            changes[attr] = remap[value]
    for attr in ("datastore_ids", "host_ids"):
        values = getattr(obj, attr, None)
        if values and any(v in remap for v in values):
            changes[attr] = list(dict.fromkeys(remap.get(v, v) for v in values))
    return msgspec.structs.replace(obj, **changes) if changes else obj


def _merge_gaps(envs: Sequence[Environment], remap: dict[str, str]) -> list[Gap]:
    seen: set[tuple[str | None, ...]] = set()
    out: list[Gap] = []
    for env in envs:
        for gap in env.gaps:
            if gap.object_id in remap:
                continue  # the object was matched to one an inventory source describes
            key = (gap.what, gap.reason, gap.object_type, gap.object_id, gap.source)
            if key not in seen:
                seen.add(key)
                out.append(gap)
    return out
