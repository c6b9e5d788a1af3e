"""Collect events, tasks and log lines in any order; number them in time order at the end.

vCenter event keys and task keys grow with time, and log lines sit in files in time order, so
records get their keys only once everything is planted. Planters keep the ``Handle`` each
``add_*`` returns and turn it into evidence (an :class:`EvidenceRef`) after :meth:`finish`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vmdoctor.model import Event, LogRecord, ObjectLink, Task, Timeline
from vmdoctor.sources.demo.truth import EvidenceRef

FIRST_EVENT_KEY = 800_000
FIRST_TASK_KEY = 90_000


@dataclass(frozen=True, slots=True)
class Handle:
    kind: str  # "event" | "task" | "log"
    seq: int


class TimelineBuilder:
    def __init__(self) -> None:
        self._events: list[tuple[datetime, int, dict[str, Any]]] = []
        self._tasks: list[tuple[datetime, int, dict[str, Any]]] = []
        self._logs: list[tuple[datetime, int, dict[str, Any]]] = []
        # filled by finish(): per kind, seq -> (ref, time)
        self._placed: dict[str, dict[int, tuple[str, datetime]]] = {
            "event": {},
            "task": {},
            "log": {},
        }

    def event(self, time: datetime, type_: str, message: str, **fields: Any) -> Handle:
        handle = Handle("event", len(self._events))
        self._events.append((time, handle.seq, {"type": type_, "message": message, **fields}))
        return handle

    def task(
        self, time: datetime, name: str, state: str, duration_s: int = 5, **fields: Any
    ) -> Handle:
        handle = Handle("task", len(self._tasks))
        self._tasks.append(
            (time, handle.seq, {"name": name, "state": state, "dur": duration_s, **fields})
        )
        return handle

    def log(self, time: datetime, log: str, file: str, text: str, **fields: Any) -> Handle:
        handle = Handle("log", len(self._logs))
        self._logs.append((time, handle.seq, {"log": log, "file": file, "text": text, **fields}))
        return handle

    def finish(self) -> Timeline:
        """Number the records in time order and return them (metrics are added by the caller)."""
        events: list[Event] = []
        for i, (time, seq, f) in enumerate(sorted(self._events, key=_order)):
            key = FIRST_EVENT_KEY + i
            events.append(
                Event(
                    key=key,
                    time=time,
                    type=f["type"],
                    message=f["message"],
                    severity=f.get("severity", "info"),
                    user=f.get("user"),
                    chain_id=key,
                    objects=f.get("objects", _NO_LINK),
                    vm_name=f.get("vm_name"),
                    host_name=f.get("host_name"),
                )
            )
            self._ref(Handle("event", seq), "event", str(key), time)
        tasks: list[Task] = []
        for i, (time, seq, f) in enumerate(sorted(self._tasks, key=_order)):
            task_key = f"task-{FIRST_TASK_KEY + i}"
            start = f.get("start_time", time)
            tasks.append(
                Task(
                    key=task_key,
                    name=f["name"],
                    description_id=f.get("description_id"),
                    entity_type=f.get("entity_type"),
                    entity_id=f.get("entity_id"),
                    entity_name=f.get("entity_name"),
                    state=f["state"],
                    queued_time=start,
                    start_time=start,
                    complete_time=None if f["state"] == "running" else _plus(start, f["dur"]),
                    user=f.get("user"),
                    fault_type=f.get("fault_type"),
                    fault_message=f.get("fault_message"),
                    objects=f.get("objects", _NO_LINK),
                )
            )
            self._ref(Handle("task", seq), "task", task_key, time)
        logs: list[LogRecord] = []
        next_line: dict[str, int] = {}
        for time, seq, f in sorted(self._logs, key=_order):
            file = f["file"]
            # Real files hold many lines between the interesting ones: leave gaps.
            line = next_line.get(file, 412) + 1 + (seq * 7919) % 97
            next_line[file] = line
            logs.append(
                LogRecord(
                    time=time,
                    log=f["log"],
                    text=f["text"],
                    severity=f.get("severity", "info"),
                    file=file,
                    line=line,
                    objects=f.get("objects", _NO_LINK),
                )
            )
            self._ref(Handle("log", seq), "log", f"{file}:{line}", time)
        return Timeline(events=events, tasks=tasks, logs=logs)

    def evidence(self, handle: Handle) -> EvidenceRef:
        """The reference of a record; valid after :meth:`finish`."""
        ref, time = self._placed[handle.kind][handle.seq]
        if handle.kind == "event":
            f = self._events[handle.seq][2]
            summary = f"{f['type']}: {f['message']}"
        elif handle.kind == "task":
            f = self._tasks[handle.seq][2]
            fault = f.get("fault_type")
            summary = f"{f['name']} {f['state']}" + (
                f" ({fault}: {f.get('fault_message')})" if fault else ""
            )
        else:
            f = self._logs[handle.seq][2]
            summary = f"{f['log']}: {f['text']}"
        return EvidenceRef(kind=handle.kind, ref=ref, time=time, summary=summary)

    def _ref(self, handle: Handle, kind: str, ref: str, time: datetime) -> None:
        self._placed[kind][handle.seq] = (ref, time)


_NO_LINK = ObjectLink()


def _order(item: tuple[datetime, int, dict[str, Any]]) -> tuple[datetime, int]:
    return item[0], item[1]


def _plus(time: datetime, seconds: int) -> datetime:
    from datetime import timedelta

    return time + timedelta(seconds=seconds)
