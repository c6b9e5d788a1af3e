"""Probes: causes read from inventory state, configuration and metrics, not from log lines."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta

from vmdoctor.diagnose.correlation import Scope
from vmdoctor.diagnose.records import aware
from vmdoctor.diagnose.signals import ProbeHit
from vmdoctor.model import VM, Datastore, Host, MetricSeries, VCenter

GIB = 1024**3


def datastore_nearly_full(scope: Scope) -> Iterator[ProbeHit]:
    for ds in _datastores(scope):
        pct = ds.free_pct
        if pct is not None and pct < 3.0:
            free_gib = (ds.free_bytes or 0) / GIB
            yield ProbeHit(
                weight=0.7 if pct < 1.0 else 0.55,
                text=f"datastore {ds.name} has {pct:.1f} % free ({free_gib:.1f} GiB)",
                kind="inventory",
                object_id=ds.id,
                label="free_pct",
            )


def datastore_inaccessible(scope: Scope) -> Iterator[ProbeHit]:
    for ds in _datastores(scope):
        if not ds.accessible:
            yield ProbeHit(
                weight=0.6,
                text=f"datastore {ds.name} is inaccessible in the inventory",
                kind="inventory",
                object_id=ds.id,
                label="accessible",
            )


def dead_paths(scope: Scope) -> Iterator[ProbeHit]:
    wanted = {ds.id for ds in _datastores(scope)}
    for host in _hosts(scope):
        for dev in host.storage_devices or ():
            if dev.paths_dead and (
                not wanted or dev.datastore_id in wanted or not dev.datastore_id
            ):
                all_dead = dev.paths_active == 0
                yield ProbeHit(
                    weight=0.6 if all_dead else 0.3,
                    text=f"{host.name}: device {dev.canonical_name} has {dev.paths_dead} dead "
                    f"of {dev.paths_total} paths",
                    kind="inventory",
                    object_id=host.id,
                    label="paths_dead",
                )


def host_memory_pressure(scope: Scope) -> Iterator[ProbeHit]:
    for host in _hosts(scope):
        peak = _peak(scope, host.id, "mem.usage.average")
        if peak is not None:
            yield from _usage_peak(host, peak, "mem.usage.average", "memory", weight=0.55)
        elif host.memory_mb and host.memory_usage_mb is not None:
            pct = 100.0 * host.memory_usage_mb / host.memory_mb
            if pct >= 95.0:
                yield ProbeHit(
                    weight=0.45,
                    text=f"host {host.name} uses {pct:.0f} % of its memory",
                    kind="inventory",
                    object_id=host.id,
                    label="memory_usage_mb",
                )
        swap = _peak(scope, host.id, "mem.swapused.average")
        if swap is not None and swap > 0:
            yield ProbeHit(
                weight=0.35,
                text=f"host {host.name} swapped {swap / 1024:.0f} MB of VM memory",
                kind="metric",
                object_id=host.id,
                label="mem.swapused.average",
            )


def vm_memory_reservation(scope: Scope) -> Iterator[ProbeHit]:
    vm = scope.target_object()
    if isinstance(vm, VM) and vm.memory_reservation_mb > 0:
        yield ProbeHit(
            weight=0.3,
            text=f"VM {vm.name} reserves {vm.memory_reservation_mb} MB of memory",
            kind="config",
            object_id=vm.id,
            label="memory_reservation_mb",
        )


def vm_nic_unbacked(scope: Scope) -> Iterator[ProbeHit]:
    vm = scope.target_object()
    if not isinstance(vm, VM):
        return
    for nic in vm.nics:
        if nic.network_name and nic.network_id is None:
            yield ProbeHit(
                weight=0.5,
                text=f"{nic.label} is attached to '{nic.network_name}', which no longer exists",
                kind="config",
                object_id=vm.id,
                label="nic.network",
            )


def vm_snapshot_chain(scope: Scope) -> Iterator[ProbeHit]:
    vm = scope.target_object()
    if isinstance(vm, VM) and vm.snapshots:
        size = sum(s.size_bytes or 0 for s in vm.snapshots) / GIB
        yield ProbeHit(
            weight=0.3 if len(vm.snapshots) < 3 else 0.4,
            text=f"VM {vm.name} has {len(vm.snapshots)} snapshot(s), {size:.0f} GiB of redo logs",
            kind="inventory",
            object_id=vm.id,
            label="snapshots",
        )


def vcenter_sessions_exhausted(scope: Scope) -> Iterator[ProbeHit]:
    for obj in [scope.target_object(), *scope.related("vcenter")]:
        if isinstance(obj, VCenter) and obj.active_sessions and obj.max_sessions:
            ratio = obj.active_sessions / obj.max_sessions
            if ratio >= 0.9:
                yield ProbeHit(
                    weight=0.75 if ratio >= 0.99 else 0.5,
                    text=f"{obj.name}: {obj.active_sessions} of {obj.max_sessions} API sessions "
                    "in use",
                    kind="inventory",
                    object_id=obj.id,
                    label="sessions",
                )


def host_cpu_saturated(scope: Scope) -> Iterator[ProbeHit]:
    for host in _hosts(scope):
        peak = _peak(scope, host.id, "cpu.usage.average")
        if peak is not None:
            yield from _usage_peak(host, peak, "cpu.usage.average", "CPU", weight=0.4)


def _usage_peak(
    host: Host, peak: float, counter: str, resource: str, weight: float
) -> Iterator[ProbeHit]:
    """A host usage counter (percent) that peaked at saturation within the window."""
    if peak >= 95.0:
        yield ProbeHit(
            weight=weight,
            text=f"host {host.name} {resource} usage peaked at {peak:.0f} % in the window",
            kind="metric",
            object_id=host.id,
            label=counter,
        )


def _datastores(scope: Scope) -> list[Datastore]:
    objs = [scope.target_object(), *scope.related("datastore")]
    return [o for o in objs if isinstance(o, Datastore)]


def _hosts(scope: Scope) -> list[Host]:
    objs = [scope.target_object(), *scope.related("host")]
    return [o for o in objs if isinstance(o, Host)]


def _peak(scope: Scope, entity_id: str, counter: str) -> float | None:
    series = scope.index.series(entity_id, counter)
    if series is None:
        return None
    return _window_peak(series, scope.start, scope.end)


def _window_peak(series: MetricSeries, start: datetime, end: datetime) -> float | None:
    first = aware(series.start)
    step = timedelta(seconds=series.interval_s)
    best: float | None = None
    for i, value in enumerate(series.values()):
        if math.isnan(value):
            continue
        moment = first + step * i
        if start <= moment <= end and (best is None or value > best):
            best = value
    return best
