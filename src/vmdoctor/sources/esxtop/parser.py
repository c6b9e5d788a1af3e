"""Stream an esxtop batch CSV: any line endings (CR-only too), any column count."""

from __future__ import annotations

import csv
import io
import itertools
import re
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from vmdoctor.model import VM, Environment, Gap, Host, MetricSeries, SourceInfo, Timeline
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.esxtop.counters import HOST_COUNTERS, VM_COUNTERS, CounterMap, convert
from vmdoctor.sources.esxtop.derived import Derived, derive
from vmdoctor.sources.names import name_ref

MAGIC = b"(PDH-CSV"
DEFAULT_INTERVAL_S = 5  # esxtop's default delay
_TIME_FORMATS = (
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%H:%M:%S",
    "%H:%M",
)
_VCPU_WORLD = re.compile(r"^(\d+):[^:]*:\d+:vmx-vcpu-\d+")


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    entity: str  # "vm" | "host"
    name: str  # VM name or host name
    counter: CounterMap
    instance: str


def _split(header: str) -> tuple[str, str, str, str] | None:
    """``\\\\host\\Object(instance)\\Counter`` -> (host, object, instance, counter)."""
    if not header.startswith("\\\\"):
        return None
    host, sep, rest = header[2:].partition("\\")
    obj, sep2, counter = rest.rpartition("\\")
    if not sep or not sep2:
        return None
    paren = obj.find("(")
    if paren > 0 and obj.endswith(")"):
        return host, obj[:paren], obj[paren + 1 : -1], counter
    return host, obj, "", counter


def parse_capture(stream: BinaryIO, name: str, mtime: float | None = None) -> Environment:
    csv.field_size_limit(min(sys.maxsize, 1 << 24))
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline=None)
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(name, "empty file") from None
    except (csv.Error, UnicodeError, OSError, EOFError) as exc:
        raise SourceError(name, f"unreadable esxtop header ({exc})") from None
    if not header or "PDH-CSV" not in header[0]:
        raise SourceError(
            name, "not an esxtop batch capture (first column is not a PDH-CSV timestamp)"
        )
    parts = [_split(h) for h in header]
    host_name = next((p[0] for p in parts if p), None) or "esxtop-host"
    vm_names, vcpus = _vm_names(parts)
    columns, mem_size_cols = _select(parts, vm_names)
    seen = {(c.name, c.counter.counter) for c in columns if c.entity == "vm" and not c.instance}
    derived = derive(parts, vm_names, seen)
    times: list[datetime | None] = []
    values: dict[int, list[float | None]] = defaultdict(list)
    wanted = list(
        dict.fromkeys(
            [c.index for c in columns]
            + list(mem_size_cols.values())
            + [i for d in derived for i in d.indexes]
        )
    )
    try:
        for row in reader:
            if not row or not row[0].strip():
                continue
            times.append(_time(row[0], mtime))
            for idx in wanted:
                values[idx].append(_number(row[idx]) if idx < len(row) else None)
    except (csv.Error, UnicodeError, OSError, EOFError) as exc:
        raise SourceError(name, f"unreadable sample row ({exc})") from None
    if not times:
        raise SourceError(name, "capture has a header but no samples")
    interval = _interval(times)
    start = next((t for t in times if t is not None), None) or datetime.fromtimestamp(
        mtime or 0, UTC
    )
    host_id = name_ref("host", host_name)
    series = [
        MetricSeries(
            entity_type=col.entity,
            entity_id=host_id if col.entity == "host" else name_ref("vm", col.name),
            counter=col.counter.counter,
            unit=col.counter.unit,
            interval_s=interval,
            start=start,
            samples=MetricSeries.pack(
                [
                    None if v is None else convert(col.counter.kind, v, interval)
                    for v in values[col.index]
                ]
            ),
            instance=col.instance,
        )
        for col in columns
    ]
    series += [_derived_series(d, values, len(times), host_id, interval, start) for d in derived]
    vms = [
        VM(
            id=name_ref("vm", vm),
            name=vm,
            vcenter_id=f"esxtop:{host_name}",
            host_id=host_id,
            power_state="poweredOn",
            num_cpu=vcpus.get(vm, 0),
            memory_mb=int(
                next((v for v in values.get(mem_size_cols.get(vm, -1), []) if v is not None), 0)
            ),
        )
        for vm in sorted(vm_names)
    ]
    host = Host(id=host_id, name=host_name, vcenter_id=f"esxtop:{host_name}")
    end = start if len(times) < 2 else (times[-1] or start)
    return Environment(
        collected_at=end,
        source=SourceInfo(
            kind="esxtop",
            name=name,
            details={
                "samples": str(len(times)),
                "interval_s": str(interval),
                "columns": str(len(header)),
                "series": str(len(series)),
            },
        ),
        hosts=[host],
        vms=vms,
        timeline=Timeline(metrics=series),
        gaps=[
            Gap(what="events", reason="an esxtop capture holds no events", source=name),
            Gap(what="tasks", reason="an esxtop capture holds no tasks", source=name),
            # Named "host" and "vm", not "host.config"/"vm.config": a capture lacks everything
            # but counters, so the gap explains any missing host or VM property to the checks.
            Gap(
                what="host",
                reason="an esxtop capture holds no host configuration, only performance counters",
                source=name,
                object_type="host",
                object_id=host_id,
                object_name=host_name,
            ),
            *(
                Gap(
                    what="vm",
                    reason="an esxtop capture knows a VM's name, vCPU count and memory size only",
                    source=name,
                    object_type="vm",
                    object_id=vm.id,
                    object_name=vm.name,
                )
                for vm in vms
            ),
        ],
    )


def _derived_series(
    d: Derived,
    values: dict[int, list[float | None]],
    samples: int,
    host_id: str,
    interval: int,
    start: datetime,
) -> MetricSeries:
    raw = [d.value({i: values[i][n] for i in d.indexes}) for n in range(samples)]
    return MetricSeries(
        entity_type=d.entity,
        entity_id=host_id if d.entity == "host" else name_ref("vm", d.name),
        counter=d.counter.counter,
        unit=d.counter.unit,
        interval_s=interval,
        start=start,
        samples=MetricSeries.pack(
            [None if v is None else convert(d.counter.kind, v, interval) for v in raw]
        ),
        instance=d.instance,
    )


def _vm_names(parts: list[tuple[str, str, str, str] | None]) -> tuple[set[str], dict[str, int]]:
    """VMs are the groups that own virtual disks, VM network ports or vmx-vcpu worlds."""
    names: set[str] = set()
    group_vcpus: dict[str, set[str]] = defaultdict(set)
    group_name: dict[str, str] = {}
    for p in parts:
        if p is None:
            continue
        _, obj, inst, _ = p
        if obj == "Virtual Disk" and inst and ":" not in inst:
            names.add(inst)
        elif obj == "Network Port" and inst.count(":") == 3:
            names.add(inst.rsplit(":", 1)[1])
        elif obj == "Vcpu" and (m := _VCPU_WORLD.match(inst)):
            group_vcpus[m.group(1)].add(inst)
            # "gid:vm:wid:vmx-vcpu-N:vm": the VM's name, should its Group Cpu columns be absent
            group_name.setdefault(m.group(1), inst.split(":")[1])
        elif obj == "Group Cpu" and ":" in inst:
            gid, _, gname = inst.partition(":")
            group_name[gid] = gname  # the group's own name wins over the world's
    vcpus: dict[str, int] = {}
    for gid, worlds in group_vcpus.items():
        if gid in group_name:
            names.add(group_name[gid])
            vcpus[group_name[gid]] = len(worlds)
    return names, vcpus


def _select(
    parts: list[tuple[str, str, str, str] | None], vm_names: set[str]
) -> tuple[list[_Column], dict[str, int]]:
    columns: list[_Column] = []
    mem_size: dict[str, int] = {}
    for idx, p in enumerate(parts):
        if p is None:
            continue
        host, obj, inst, counter = p
        key = (obj, counter)
        if obj in ("Group Cpu", "Group Memory") and ":" in inst:
            vm = inst.partition(":")[2]
            if vm in vm_names:
                if key == ("Group Memory", "Memory Size MBytes"):
                    mem_size[vm] = idx
                elif key in VM_COUNTERS:
                    columns.append(_Column(idx, "vm", vm, VM_COUNTERS[key], ""))
        elif obj == "Virtual Disk" and key in VM_COUNTERS and inst in vm_names:
            columns.append(_Column(idx, "vm", inst, VM_COUNTERS[key], ""))
        elif obj == "Network Port" and inst.count(":") == 3 and key in VM_COUNTERS:
            columns.append(
                _Column(idx, "vm", inst.rsplit(":", 1)[1], VM_COUNTERS[key], inst.split(":", 1)[0])
            )
        elif (
            obj == "Network Port"
            and key in HOST_COUNTERS
            and inst.rsplit(":", 1)[-1].startswith("vmnic")
        ):
            columns.append(_Column(idx, "host", host, HOST_COUNTERS[key], inst.rsplit(":", 1)[-1]))
        elif obj == "Physical Cpu" and key in HOST_COUNTERS and inst == "_Total":
            columns.append(_Column(idx, "host", host, HOST_COUNTERS[key], ""))
        elif obj in ("Memory", "Physical Disk SCSI Device") and key in HOST_COUNTERS:
            columns.append(_Column(idx, "host", host, HOST_COUNTERS[key], inst))
    return columns, mem_size


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None


def _time(text: str, mtime: float | None) -> datetime | None:
    text = text.strip()
    for fmt in _TIME_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if parsed.year == 1900:  # time only: the date of the file, if known
            day = (
                datetime.fromtimestamp(mtime, UTC).date() if mtime else datetime(1970, 1, 1).date()
            )
            parsed = parsed.replace(year=day.year, month=day.month, day=day.day)
        return parsed.replace(tzinfo=UTC)
    return None


def _interval(times: list[datetime | None]) -> int:
    deltas = [
        (b - a).total_seconds()
        for a, b in itertools.pairwise(times)
        if a is not None and b is not None and b > a
    ]
    if not deltas:
        return DEFAULT_INTERVAL_S
    return max(round(statistics.median(deltas)), 1)
