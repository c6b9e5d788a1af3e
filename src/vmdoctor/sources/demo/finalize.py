"""Settle what depends on everything else: datastore capacity and host usage."""

from __future__ import annotations

import math

from vmdoctor.model import Datastore
from vmdoctor.sources.demo.draft import GIB, Draft

#: planted host load, host id -> (cpu %, memory %); set by the resource planters
HostLoad = dict[str, tuple[float, float]]


def settle_datastores(draft: Draft) -> list[Datastore]:
    out: list[Datastore] = []
    for ds in draft.datastores:
        if ds.capacity_bytes is not None:
            capacity = ds.capacity_bytes
        else:
            raw = ds.committed_bytes / ds.used_fraction
            # Real LUNs come in round sizes; a planted near-full one keeps its exact fill.
            step = GIB if ds.used_fraction > 0.8 else 256 * GIB
            capacity = max(step, math.ceil(raw / step) * step)
        free = max(0, capacity - ds.committed_bytes)
        out.append(
            Datastore(
                id=ds.id,
                name=ds.name,
                datacenter_id=ds.datacenter_id,
                vcenter_id=ds.vcenter_id,
                type=ds.type,
                capacity_bytes=capacity if ds.accessible else 0,
                free_bytes=free if ds.accessible else 0,
                uncommitted_bytes=ds.uncommitted_bytes if ds.accessible else 0,
                accessible=ds.accessible,
                maintenance_mode="normal",
                multiple_host_access=len(ds.host_ids) > 1,
                url=ds.url,
                host_ids=ds.host_ids,
            )
        )
    return out


def settle_host_usage(draft: Draft, load: HostLoad) -> dict[str, tuple[float, float]]:
    """Fill quickStats from the VMs on each host; return (cpu %, memory %) per connected host."""
    cpu: dict[str, int] = {}
    mem: dict[str, int] = {}
    for vm in draft.vms:
        if vm.power_state == "poweredOn" and vm.host_id:
            cpu[vm.host_id] = cpu.get(vm.host_id, 0) + (vm.overall_cpu_usage_mhz or 0)
            mem[vm.host_id] = mem.get(vm.host_id, 0) + (vm.host_memory_usage_mb or 0)
    usage: dict[str, tuple[float, float]] = {}
    for host in list(draft.hosts):
        if host.connection_state != "connected":
            draft.replace_host(host.id, cpu_usage_mhz=None, memory_usage_mb=None)
            continue
        capacity_mhz = host.cpu_capacity_mhz or 1
        memory_mb = host.memory_mb or 1
        if host.in_maintenance_mode:
            cpu_mhz, mem_mb = int(capacity_mhz * 0.01), int(memory_mb * 0.03)
        else:
            # vmkernel and agents: a few percent of CPU, ~3 % of memory plus a fixed floor.
            cpu_mhz = cpu.get(host.id, 0) + int(capacity_mhz * 0.03)
            mem_mb = mem.get(host.id, 0) + int(memory_mb * 0.03) + 4096
        if host.id in load:
            cpu_pct, mem_pct = load[host.id]
            cpu_mhz, mem_mb = int(capacity_mhz * cpu_pct / 100), int(memory_mb * mem_pct / 100)
        draft.replace_host(host.id, cpu_usage_mhz=cpu_mhz, memory_usage_mb=mem_mb)
        usage[host.id] = (100.0 * cpu_mhz / capacity_mhz, 100.0 * mem_mb / memory_mb)
    return usage
