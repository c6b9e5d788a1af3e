"""What every incident builder shares: the draft of an incident and small inventory moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from vmdoctor.model import VM, Family
from vmdoctor.sources.demo.events import Handle, TimelineBuilder
from vmdoctor.sources.demo.planter import Planter, Target, object_type_of
from vmdoctor.sources.demo.truth import CauseStep, EvidenceRef, Incident


@dataclass(slots=True)
class IncidentDraft:
    symptom: str
    object_type: str
    object_id: str
    object_name: str
    time: datetime
    summary: str
    chain: list[CauseStep]
    handles: list[Handle] = field(default_factory=list)
    metrics: list[EvidenceRef] = field(default_factory=list)
    problem_ids: list[str] = field(default_factory=list)

    @classmethod
    def about(
        cls,
        target: Target,
        *,
        symptom: str,
        time: datetime,
        summary: str,
        chain: list[CauseStep],
        handles: list[Handle],
        problem_ids: list[str],
        metrics: list[EvidenceRef] | None = None,
    ) -> IncidentDraft:
        """The incident whose symptom shows on ``target``."""
        return cls(
            symptom=symptom,
            object_type=object_type_of(target),
            object_id=target.id,
            object_name=target.name,
            time=time,
            summary=summary,
            chain=chain,
            handles=handles,
            metrics=metrics or [],
            problem_ids=problem_ids,
        )

    def resolve(self, number: int, timeline: TimelineBuilder) -> Incident:
        evidence = [timeline.evidence(h) for h in self.handles] + self.metrics
        evidence.sort(key=lambda e: (e.time is None, e.time or self.time, e.kind, e.ref))
        return Incident(
            id=f"INC-{number:03d}",
            symptom=self.symptom,
            object_type=self.object_type,
            object_id=self.object_id,
            object_name=self.object_name,
            time=self.time,
            summary=self.summary,
            cause_chain=tuple(self.chain),
            evidence=tuple(evidence),
            problem_ids=tuple(self.problem_ids),
        )


def step(
    family: Family, statement: str, obj_type: str | None = None, obj_id: str | None = None
) -> CauseStep:
    return CauseStep(family=family, statement=statement, object_type=obj_type, object_id=obj_id)


def vms_on_datastore(p: Planter, ds_id: str) -> list[VM]:
    return p.draft.vms_on_datastore(ds_id)


def power_off(p: Planter, vm: VM, host_id: str | None = None) -> VM:
    ds = p.draft.datastore_by_id[vm.datastore_ids[0]]
    if vm.is_on:
        ds.committed_bytes -= vm.memory_mb * 1024 * 1024  # the swap file goes with the power
    return p.draft.replace_vm(
        vm.id,
        power_state="poweredOff",
        guest_id_running=None,
        guest_ip=None,
        guest_hostname=None,
        tools_status="toolsNotRunning",
        tools_running_status="guestToolsNotRunning",
        overall_cpu_usage_mhz=0,
        guest_memory_usage_mb=0,
        host_memory_usage_mb=0,
        ballooned_memory_mb=None,
        swapped_memory_mb=None,
        uptime_s=None,
        boot_time=None,
        storage_committed_bytes=(vm.storage_committed_bytes or 0) - vm.memory_mb * 1024 * 1024
        if vm.is_on
        else vm.storage_committed_bytes,
        nics=[msgspec.structs.replace(n, connected=False) for n in vm.nics],
        host_id=host_id or vm.host_id,
    )
