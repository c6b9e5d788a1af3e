"""One shape for every timeline record the diagnosis reads: events, tasks and log lines.

Records are built lazily, only for the few thousand timeline entries that concern the objects
under study, so a million-record timeline costs one cheap pass, not a million allocations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from vmdoctor.model import Event, LogRecord, ObjectLink, Task

#: The link fields that name an inventory object, in order of how specific they are.
LINK_FIELDS = ("vm_id", "host_id", "datastore_id", "network_id", "cluster_id", "vcenter_id")


def aware(moment: datetime) -> datetime:
    """Naive timestamps (some logs carry no zone) are read as UTC, so all times compare."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Record:
    time: datetime | None
    source: str  # "event" | "task" | "log:<file name>"
    kind: str  # event type, task fault type, log signature id (may be "")
    text: str
    link: ObjectLink
    user: str | None = None
    log: str = ""  # log file name for log records ("vmkernel.log")
    name: str = ""  # task name ("PowerOnVM_Task")
    state: str = ""  # task state
    family: str | None = None  # log signature family hint

    @property
    def is_log(self) -> bool:
        return bool(self.log)


def from_event(event: Event) -> Record:
    return Record(
        time=aware(event.time),
        source="event",
        kind=event.type,
        text=event.message or event.type,
        link=event.objects,
        user=event.user,
    )


def from_task(task: Task) -> Record:
    moment = task.complete_time or task.start_time or task.queued_time
    link = task.objects
    if task.entity_id and task.entity_type and not _has_link(link):
        link = _link_for(task.entity_type, task.entity_id)
    text = task.fault_message or f"{task.name}: {task.state}"
    return Record(
        time=aware(moment) if moment else None,
        source="task",
        kind=task.fault_type or "",
        text=text,
        link=link,
        user=task.user,
        name=task.name,
        state=task.state,
    )


def from_log(record: LogRecord) -> Record:
    return Record(
        time=aware(record.time) if record.time else None,
        source=f"log:{record.log}",
        kind=record.signature or "",
        text=record.text,
        link=record.objects,
        log=record.log,
        family=record.family,
    )


def task_link_ids(task: Task) -> tuple[str, ...]:
    ids = link_ids(task.objects)
    if task.entity_id and task.entity_id not in ids:
        return (*ids, task.entity_id)
    return ids


def link_ids(link: ObjectLink) -> tuple[str, ...]:
    return tuple(v for v in (getattr(link, f) for f in LINK_FIELDS) if v)


def _has_link(link: ObjectLink) -> bool:
    return any(getattr(link, f) for f in LINK_FIELDS)


def _link_for(entity_type: str, entity_id: str) -> ObjectLink:
    field = {
        "vm": "vm_id",
        "host": "host_id",
        "datastore": "datastore_id",
        "cluster": "cluster_id",
        "network": "network_id",
        "vcenter": "vcenter_id",
    }.get(entity_type)
    return ObjectLink(**{field: entity_id}) if field else ObjectLink()
