"""14 days of performance history (2-hour rollups) for every host, powered-on VM and datastore.

Samples are float32 bytes (``MetricSeries.pack`` layout). Per-sample Python random calls
would dominate a 100k-VM build, so each series is a precomputed daily/weekly shape scaled to
the object's level; VM series come from a small cache of shared byte strings.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from datetime import datetime, timedelta

from vmdoctor.model import VM, Datastore, MetricSeries
from vmdoctor.sources.demo.draft import Draft

INTERVAL_S = 7200
SAMPLES = 14 * 24 * 3600 // INTERVAL_S  # 168
REALTIME_INTERVAL_S = 20
REALTIME_SAMPLES = 180  # one hour
NOISE_VARIANTS = 16

HOST_CPU = "cpu.usage.average"
HOST_MEM = "mem.usage.average"
HOST_DISK_MAX_LATENCY = "disk.maxTotalLatency.latest"
VM_READY = "cpu.ready.summation"
VM_COSTOP = "cpu.costop.summation"
VM_BALLOON = "mem.vmmemctl.average"
VM_SWAPPED = "mem.swapped.average"
DS_READ_LATENCY = "datastore.totalReadLatency.average"
DS_WRITE_LATENCY = "datastore.totalWriteLatency.average"
DS_USED = "disk.used.latest"

#: (entity id, counter) -> the full 168-sample history a planter wants instead of the default
Overrides = dict[tuple[str, str], Sequence[float]]


def history_start(now: datetime) -> datetime:
    return now - timedelta(seconds=INTERVAL_S * (SAMPLES - 1))


def load_shape(now: datetime) -> list[float]:
    """Relative load per sample: busy office hours, quiet nights, quieter weekends; last = 1."""
    start = history_start(now)
    shape: list[float] = []
    for i in range(SAMPLES):
        t = start + timedelta(seconds=INTERVAL_S * i)
        hour = t.hour + t.minute / 60
        daily = (
            0.55 + 0.45 * max(0.0, math.sin(math.pi * (hour - 6) / 14)) if 6 <= hour <= 20 else 0.55
        )
        weekly = 0.8 if t.weekday() >= 5 else 1.0
        shape.append(daily * weekly)
    last = shape[-1]
    return [v / last for v in shape]


def noise_table(draft: Draft, amplitude: float) -> list[list[float]]:
    rng = draft.rng
    return [
        [1.0 + rng.uniform(-amplitude, amplitude) for _ in range(SAMPLES)]
        for _ in range(NOISE_VARIANTS)
    ]


def ramp(start: float, end: float, begin_at: int = 0, samples: int = SAMPLES) -> list[float]:
    """Flat at ``start`` until ``begin_at``, then a straight line to ``end``."""
    span = max(1, samples - 1 - begin_at)
    return [
        start if i < begin_at else start + (end - start) * (i - begin_at) / span
        for i in range(samples)
    ]


class MetricsBuilder:
    def __init__(self, draft: Draft, overrides: Overrides) -> None:
        self.draft = draft
        self.overrides = overrides
        self.start = history_start(draft.now)
        self.shape = load_shape(draft.now)
        self.noise = noise_table(draft, 0.08)
        self.out: list[MetricSeries] = []
        self._vm_cache: dict[tuple[str, int, int, int], bytes] = {}
        self._zeros = MetricSeries.pack([0.0] * SAMPLES)

    def series(
        self, entity_type: str, entity_id: str, counter: str, unit: str, samples: bytes
    ) -> None:
        self.out.append(
            MetricSeries(
                entity_type=entity_type,
                entity_id=entity_id,
                counter=counter,
                unit=unit,
                interval_s=INTERVAL_S,
                start=self.start,
                samples=samples,
            )
        )

    def _override(self, entity_id: str, counter: str) -> bytes | None:
        values = self.overrides.get((entity_id, counter))
        return None if values is None else array("f", values).tobytes()

    def hosts(self, usage: dict[str, tuple[float, float]]) -> None:
        for n, host in enumerate(self.draft.hosts):
            if host.id not in usage:
                continue  # a disconnected host has no recent history worth showing
            cpu_now, mem_now = usage[host.id]
            noise = self.noise[n % NOISE_VARIANTS]
            cpu = (
                self._override(host.id, HOST_CPU)
                or array(
                    "f",
                    [min(100.0, cpu_now * s * e) for s, e in zip(self.shape, noise, strict=True)],
                ).tobytes()
            )
            # Memory barely follows the working day: consumed memory stays allocated.
            mem = (
                self._override(host.id, HOST_MEM)
                or array(
                    "f",
                    [min(100.0, mem_now * (0.97 + 0.03 * s)) for s in self.shape],
                ).tobytes()
            )
            disk_ms = array(
                "f", [2.0 + 2.5 * s * e for s, e in zip(self.shape, noise, strict=True)]
            )
            self.series("host", host.id, HOST_CPU, "percent", cpu)
            self.series("host", host.id, HOST_DISK_MAX_LATENCY, "ms", disk_ms.tobytes())
            self.series("host", host.id, HOST_MEM, "percent", mem)

    def vms(self) -> None:
        rng = self.draft.rng
        for vm in self.draft.vms:
            if vm.power_state != "poweredOn" or vm.template:
                continue
            level = rng.randrange(6)
            variant = rng.randrange(NOISE_VARIANTS)
            for counter, unit in (
                (VM_READY, "ms"),
                (VM_COSTOP, "ms"),
                (VM_BALLOON, "KB"),
                (VM_SWAPPED, "KB"),
            ):
                data = self._override(vm.id, counter) or self._vm_default(
                    vm, counter, level, variant
                )
                self.series("vm", vm.id, counter, unit, data)

    def _vm_default(self, vm: VM, counter: str, level: int, variant: int) -> bytes:
        if counter in (VM_BALLOON, VM_SWAPPED):
            return self._zeros
        key = (counter, vm.num_cpu, level, variant)
        data = self._vm_cache.get(key)
        if data is None:
            # Healthy: ready 0.2-1.2 % per vCPU, co-stop a tenth of that (none for 1 vCPU).
            pct = 0.2 + 0.2 * level if counter == VM_READY else (0.02 + 0.02 * level)
            if counter == VM_COSTOP and vm.num_cpu == 1:
                pct = 0.0
            per_sample_ms = pct / 100 * INTERVAL_S * 1000 * vm.num_cpu
            noise = self.noise[variant]
            data = array(
                "f", [per_sample_ms * s * e for s, e in zip(self.shape, noise, strict=True)]
            ).tobytes()
            self._vm_cache[key] = data
        return data

    def datastores(self, datastores: list[Datastore]) -> None:
        rng = self.draft.rng
        for n, ds in enumerate(datastores):
            if not ds.accessible:
                continue
            noise = self.noise[n % NOISE_VARIANTS]
            read_ms = rng.uniform(0.8, 3.0) if ds.type != "NFS" else rng.uniform(1.5, 4.0)
            write_ms = read_ms * rng.uniform(0.7, 1.3)
            for counter, level in ((DS_READ_LATENCY, read_ms), (DS_WRITE_LATENCY, write_ms)):
                data = (
                    self._override(ds.id, counter)
                    or array(
                        "f",
                        [
                            level * (0.7 + 0.3 * s) * e
                            for s, e in zip(self.shape, noise, strict=True)
                        ],
                    ).tobytes()
                )
                self.series("datastore", ds.id, counter, "ms", data)
            used_kb = ((ds.capacity_bytes or 0) - (ds.free_bytes or 0)) / 1024
            growth = rng.uniform(0.005, 0.03)
            if ds.id in self.draft.used_ramps:
                then_kb = (ds.capacity_bytes or 0) / 1024 * self.draft.used_ramps[ds.id]
                used = array("f", ramp(then_kb, used_kb)).tobytes()
            else:
                used = (
                    self._override(ds.id, DS_USED)
                    or array(
                        "f",
                        [
                            used_kb * (1 - growth * (SAMPLES - 1 - i) / SAMPLES)
                            for i in range(SAMPLES)
                        ],
                    ).tobytes()
                )
            self.series("datastore", ds.id, DS_USED, "KB", used)

    def realtime(
        self, entity_type: str, entity_id: str, counter: str, unit: str, level: float
    ) -> None:
        """One hour of 20-second samples around ``level`` (for a few objects under watch)."""
        rng = self.draft.rng
        values = [max(0.0, level * rng.uniform(0.85, 1.15)) for _ in range(REALTIME_SAMPLES)]
        self.out.append(
            MetricSeries(
                entity_type=entity_type,
                entity_id=entity_id,
                counter=counter,
                unit=unit,
                interval_s=REALTIME_INTERVAL_S,
                start=self.draft.now
                - timedelta(seconds=REALTIME_INTERVAL_S * (REALTIME_SAMPLES - 1)),
                samples=MetricSeries.pack(values),
            )
        )
