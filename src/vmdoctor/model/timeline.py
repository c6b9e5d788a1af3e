"""What happened over time: events, tasks, log records and metric series."""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from datetime import datetime, timedelta

import msgspec


class ObjectLink(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """The inventory objects a timeline record concerns (any may be unknown)."""

    vm_id: str | None = None
    host_id: str | None = None
    cluster_id: str | None = None
    datastore_id: str | None = None
    datacenter_id: str | None = None
    network_id: str | None = None
    vcenter_id: str | None = None


class Event(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """A vCenter/ESXi event (``vim.event.Event``)."""

    key: int
    time: datetime
    type: str  # "VmPoweredOffEvent", or an EventEx eventTypeId ("esx.problem.storage.apd.start")
    message: str = ""
    severity: str = "info"  # "info" | "warning" | "error" | "user"
    user: str | None = None
    chain_id: int | None = None
    objects: ObjectLink = ObjectLink()
    vm_name: str | None = None
    host_name: str | None = None


class Task(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """A vCenter task (``vim.TaskInfo``); a failed one keeps its fault."""

    key: str
    name: str  # "PowerOnVM_Task"
    description_id: str | None = None  # "VirtualMachine.powerOn"
    entity_type: str | None = None  # "vm" | "host" | ...
    entity_id: str | None = None
    entity_name: str | None = None
    state: str  # "queued" | "running" | "success" | "error"
    queued_time: datetime | None = None
    start_time: datetime | None = None
    complete_time: datetime | None = None
    user: str | None = None
    fault_type: str | None = None  # "InsufficientResourcesFault"
    fault_message: str | None = None
    objects: ObjectLink = ObjectLink()


class LogRecord(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """One line of interest from a log file, matched to a signature of the knowledge base."""

    time: datetime | None
    log: str  # "vmware.log" | "vmkernel.log" | "vobd.log" | "hostd.log" | ...
    text: str
    severity: str = "info"
    signature: str | None = None  # signature id from the knowledge base
    family: str | None = None
    file: str | None = None
    line: int | None = None
    objects: ObjectLink = ObjectLink()


class MetricSeries(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """Samples of one performance counter for one object, at a fixed interval.

    ``samples`` holds little-endian float32 values, NaN where a sample is missing: a 14-day
    series costs a few hundred bytes instead of a few kilobytes of Python floats, which is what
    lets a 100k-VM estate fit in memory.
    """

    entity_type: str  # "vm" | "host" | "datastore" | "cluster"
    entity_id: str
    counter: str  # "cpu.ready.summation" (group.name.rollup)
    unit: str  # "ms" | "percent" | "KB" | "MHz" | "bytes"
    interval_s: int
    start: datetime
    samples: bytes
    instance: str = ""

    @staticmethod
    def pack(values: Sequence[float | None]) -> bytes:
        return array("f", (math.nan if v is None else v for v in values)).tobytes()

    def values(self) -> array[float]:
        out = array("f")
        out.frombytes(self.samples)
        return out

    def present(self) -> list[float]:
        """The collected samples, missing ones left out."""
        return [v for v in self.values() if not math.isnan(v)]

    def __len__(self) -> int:
        return len(self.samples) // 4

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.interval_s * max(len(self) - 1, 0))


class Timeline(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    events: list[Event] = []
    tasks: list[Task] = []
    logs: list[LogRecord] = []
    metrics: list[MetricSeries] = []
