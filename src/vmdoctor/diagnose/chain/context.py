"""What chain rules read: the diagnosis scope, the symptom and the failed checks by object."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from vmdoctor.diagnose.correlation import Scope, object_ref
from vmdoctor.diagnose.ranking import evidence_from
from vmdoctor.diagnose.records import Record, aware
from vmdoctor.model import VM, Entity, EnvironmentIndex, Finding, ObjectRef, Status
from vmdoctor.model.diagnosis import EvidenceItem, Symptom

T = TypeVar("T", bound=Entity)
GIB = 1024**3

#: relation of an object the chain reached that is not a dependency of the symptom's target
_RELATION_BY_TYPE = {"host": "host", "datastore": "datastore", "cluster": "cluster"}


def failed_findings_by_object(findings: Iterable[Finding] | None) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings or ():
        if finding.status is Status.FAIL:
            out[finding.object.id].append(finding)
    return dict(out)


@dataclass(slots=True)
class ChainContext:
    scope: Scope
    symptom: Symptom
    findings: Mapping[str, Sequence[Finding]]  # FAIL findings by object id

    @property
    def index(self) -> EnvironmentIndex:
        return self.scope.index

    @property
    def now(self) -> datetime:
        return aware(self.scope.env.collected_at)

    def get(self, obj_id: str | None, cls: type[T]) -> T | None:
        obj = self.index.by_id.get(obj_id) if obj_id else None
        return obj if isinstance(obj, cls) else None

    def name(self, obj_id: str | None) -> str:
        obj = self.index.by_id.get(obj_id) if obj_id else None
        return obj.name if obj is not None else (obj_id or "?")

    def ref(self, obj_id: str) -> ObjectRef:
        return object_ref(self.index, obj_id)

    def relation(self, obj_id: str | None) -> str:
        if obj_id is None:
            return "self"
        known = self.scope.relations.get(obj_id)
        if known is not None:
            return known
        return _RELATION_BY_TYPE.get(self.ref(obj_id).type, "peer")

    def fact(self, obj_id: str, text: str, label: str, source: str = "inventory") -> EvidenceItem:
        """A standing fact read from the inventory or configuration."""
        return EvidenceItem(
            time=None,
            source=source,
            text=text,
            kind=label,
            object=self.ref(obj_id),
            relation=self.relation(obj_id),
        )

    def findings_on(self, obj_id: str | None, checks: Collection[str]) -> list[EvidenceItem]:
        """Failed checks of these ids on the object, quoted as evidence."""
        if obj_id is None:
            return []
        return [
            EvidenceItem(
                time=None,
                source="finding",
                text=f"{f.check_id} {f.title}: {f.message}",
                kind=f.check_id,
                object=f.object,
                relation=self.relation(obj_id),
            )
            for f in self.findings.get(obj_id, ())
            if f.check_id in checks
        ]

    def item(self, rec: Record) -> EvidenceItem:
        obj_id = rec.link.vm_id or rec.link.host_id or rec.link.datastore_id
        return evidence_from(rec, self.relation(obj_id), self.index)

    def records(
        self,
        obj_ids: Collection[str],
        *,
        pattern: re.Pattern[str] | None = None,
        kinds: Collection[str] = (),
        until_symptom: bool = False,
    ) -> list[Record]:
        """Records in the diagnosis window about these objects, matching a text or a kind."""
        out: list[Record] = []
        limit = self.scope.time
        for rec, _relation in self.scope.records:
            link = rec.link
            ids = (link.vm_id, link.host_id, link.datastore_id, link.cluster_id, link.vcenter_id)
            if not any(i in obj_ids for i in ids if i):
                continue
            if until_symptom and rec.time is not None and rec.time > limit:
                continue
            if (kinds and rec.kind in kinds) or (pattern and pattern.search(rec.text)):
                out.append(rec)
        return out

    def vms_on_datastore(self, datastore_id: str) -> list[VM]:
        return self.index.vms_by_datastore.get(datastore_id, [])


def gib(n_bytes: float) -> str:
    """A size for a sentence: '900 GiB', '6 TiB', '1.5 TiB'."""
    value = n_bytes / GIB
    if value >= 1024:
        tib = value / 1024
        return f"{tib:.0f} TiB" if abs(tib - round(tib)) < 0.05 else f"{tib:.1f} TiB"
    return f"{value:.0f} GiB" if value >= 10 else f"{value:.1f} GiB"
