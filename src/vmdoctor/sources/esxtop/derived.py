"""Series esxtop does not write as one column, computed per sample from several columns.

- Host CPU without a ``Physical Cpu(_Total)`` column (captures cut down to some counters keep
  only the per-PCPU columns): ``_Total`` is the mean over the PCPUs, so that is what is stored.
- A VM's CPU counters when its ``Group Cpu`` columns are missing but its ``Vcpu`` worlds are
  there: the sum over the ``vmx-vcpu-N`` worlds, which is what vCenter's VM-level
  ``cpu.ready.summation`` (instance "") is.
- ``disk.maxTotalLatency.latest`` of the host, which vCenter computes as the highest device
  latency of the interval: per sample, the maximum over devices of GAVG, or of DAVG + KAVG for a
  device without a GAVG column.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from vmdoctor.sources.esxtop.counters import HOST_COUNTERS, VM_COUNTERS, CounterMap

#: esxtop counter of a device -> its role in the total latency
_DEVICE_LATENCY = {
    "Average Guest MilliSec/Command": "gavg",
    "Average Driver MilliSec/Command": "davg",
    "Average Kernel MilliSec/Command": "kavg",
}
MAX_TOTAL_LATENCY = CounterMap("disk.maxTotalLatency.latest", "ms", "same")

Parts = list[tuple[str, str, str, str] | None]


@dataclass(frozen=True, slots=True)
class Derived:
    entity: str  # "vm" | "host"
    name: str  # VM or host name
    counter: CounterMap
    instance: str
    how: str  # "mean" | "sum" | "max_of_sums"
    terms: tuple[tuple[int, ...], ...]  # column indexes; a tuple is summed in "max_of_sums"

    @property
    def indexes(self) -> list[int]:
        return [i for term in self.terms for i in term]

    def value(self, row: dict[int, float | None]) -> float | None:
        if self.how == "max_of_sums":
            sums = []
            for term in self.terms:
                present = [v for i in term if (v := row.get(i)) is not None]
                if present:
                    sums.append(sum(present))
            return max(sums) if sums else None
        values = [v for term in self.terms for i in term if (v := row.get(i)) is not None]
        if not values:
            return None
        return sum(values) / len(values) if self.how == "mean" else sum(values)


def derive(
    parts: Parts, vm_names: set[str], vm_counters_seen: set[tuple[str, str]]
) -> list[Derived]:
    """The derived series of a capture; ``vm_counters_seen`` holds (VM, counter) read directly."""
    return [
        *_host_cpu_without_total(parts),
        *_vm_cpu_from_vcpus(parts, vm_names, vm_counters_seen),
        *_max_total_latency(parts),
    ]


def _host_cpu_without_total(parts: Parts) -> list[Derived]:
    per_cpu: dict[tuple[str, str], list[int]] = defaultdict(list)
    has_total: set[tuple[str, str]] = set()
    for idx, p in enumerate(parts):
        if p is None or p[1] != "Physical Cpu" or ("Physical Cpu", p[3]) not in HOST_COUNTERS:
            continue
        host, _, inst, counter = p
        if inst == "_Total":
            has_total.add((host, counter))
        elif inst.isdigit():
            per_cpu[(host, counter)].append(idx)
    return [
        Derived(
            "host",
            host,
            HOST_COUNTERS[("Physical Cpu", counter)],
            "",
            "mean",
            tuple((i,) for i in indexes),
        )
        for (host, counter), indexes in per_cpu.items()
        if (host, counter) not in has_total
    ]


def _vm_cpu_from_vcpus(
    parts: Parts, vm_names: set[str], seen: set[tuple[str, str]]
) -> list[Derived]:
    worlds: dict[tuple[str, str], list[int]] = defaultdict(list)
    for idx, p in enumerate(parts):
        if p is None or p[1] != "Vcpu":
            continue
        fields = p[2].split(":")
        if len(fields) < 4 or not fields[3].startswith("vmx-vcpu-"):
            continue
        vm, counter = fields[1], p[3]
        if vm in vm_names and ("Group Cpu", counter) in VM_COUNTERS:
            worlds[(vm, counter)].append(idx)
    out = []
    for (vm, counter), indexes in worlds.items():
        mapped = VM_COUNTERS[("Group Cpu", counter)]
        if (vm, mapped.counter) not in seen:
            out.append(Derived("vm", vm, mapped, "", "sum", tuple((i,) for i in indexes)))
    return out


def _max_total_latency(parts: Parts) -> list[Derived]:
    devices: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for idx, p in enumerate(parts):
        if p is None or p[1] != "Physical Disk SCSI Device" or p[3] not in _DEVICE_LATENCY:
            continue
        devices[p[0]][p[2]][_DEVICE_LATENCY[p[3]]] = idx
    out = []
    for host, by_device in devices.items():
        terms: list[tuple[int, ...]] = []
        for roles in by_device.values():
            if "gavg" in roles:
                terms.append((roles["gavg"],))
            elif "davg" in roles or "kavg" in roles:
                terms.append(tuple(roles[r] for r in ("davg", "kavg") if r in roles))
        if terms:
            out.append(Derived("host", host, MAX_TOTAL_LATENCY, "", "max_of_sums", tuple(terms)))
    return out
