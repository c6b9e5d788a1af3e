"""Events and tasks of a time window, filtered on the server, through history collectors.

Collectors are session objects with a server-side cap on how many exist; each is destroyed
after use, whatever happens.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from vmdoctor.model import Event, ObjectLink, Task
from vmdoctor.sources.vsphere.pyprops import read_traversed
from vmdoctor.sources.vsphere.session import Session
from vmdoctor.sources.vsphere.vmomi import vim, vmodl

PAGE = 1000

_ENTITY_TYPES = {
    "VirtualMachine": "vm",
    "HostSystem": "host",
    "ClusterComputeResource": "cluster",
    "ComputeResource": "cluster",
    "Datacenter": "datacenter",
    "Datastore": "datastore",
    "Network": "network",
    "DistributedVirtualPortgroup": "network",
    "ResourcePool": "resource_pool",
    "Folder": "folder",
}


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def _method_name(method: Any) -> str:
    name = getattr(method, "name", None) or getattr(method, "wsdlName", None) or method
    return _short(str(name)) if name else ""


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _moid(ref: Any) -> str | None:
    return getattr(ref, "_moId", None) if ref is not None else None


def _read_all(read: Callable[[int], list[Any]], limit: int) -> Iterator[Any]:
    count = 0
    while count < limit:
        page = read(min(PAGE, limit - count))
        if not page:
            return
        count += len(page)
        yield from page


def event_from_vim(ev: Any, vc: str) -> Event:
    def link(attr: str, inner: str) -> tuple[str | None, str | None]:
        arg = getattr(ev, attr, None)
        if arg is None:
            return None, None
        moid = _moid(getattr(arg, inner, None))
        return (f"{vc}:{moid}" if moid else None), getattr(arg, "name", None)

    vm_id, vm_name = link("vm", "vm")
    host_id, host_name = link("host", "host")
    cluster_id, _ = link("computeResource", "computeResource")
    dc_id, _ = link("datacenter", "datacenter")
    ds_id, _ = link("ds", "datastore")
    net_id, _ = link("net", "network")
    type_id = getattr(ev, "eventTypeId", None)
    severity = getattr(ev, "severity", None)
    return Event(
        key=int(ev.key),
        time=_utc(ev.createdTime) or datetime.now(UTC),
        type=type_id or _short(type(ev).__name__),
        message=ev.fullFormattedMessage or "",
        severity=severity if severity in ("info", "warning", "error", "user") else _severity(ev),
        user=ev.userName or None,
        chain_id=ev.chainId,
        objects=ObjectLink(
            vm_id=vm_id,
            host_id=host_id,
            cluster_id=cluster_id,
            datacenter_id=dc_id,
            datastore_id=ds_id,
            network_id=net_id,
            vcenter_id=vc,
        ),
        vm_name=vm_name,
        host_name=host_name,
    )


def _severity(ev: Any) -> str:
    if isinstance(ev, vim.event.AlarmStatusChangedEvent):
        return {"red": "error", "yellow": "warning"}.get(str(ev.to), "info")
    name = type(ev).__name__
    if any(word in name for word in ("Failed", "Error", "Lost", "NotResponding", "Disconnected")):
        return "error" if "Failed" in name or "Error" in name else "warning"
    return "info"


def task_from_vim(info: Any, vc: str) -> Task:
    entity = info.entity
    moid = _moid(entity)
    entity_type = _ENTITY_TYPES.get(_short(type(entity).__name__)) if entity is not None else None
    entity_id = f"{vc}:{moid}" if moid else None
    error = info.error
    reason = info.reason
    return Task(
        key=str(info.key),
        name=_method_name(info.name) or (info.descriptionId or ""),
        description_id=info.descriptionId,
        entity_type=entity_type,
        entity_id=entity_id,
        entity_name=info.entityName,
        state=str(info.state),
        queued_time=_utc(info.queueTime),
        start_time=_utc(info.startTime),
        complete_time=_utc(info.completeTime),
        user=getattr(reason, "userName", None),
        fault_type=_short(type(error).__name__) if error is not None else None,
        fault_message=(error.msg or getattr(error, "localizedMessage", None) or None)
        if error is not None
        else None,
        objects=ObjectLink(
            vm_id=entity_id if entity_type == "vm" else None,
            host_id=entity_id if entity_type == "host" else None,
            cluster_id=entity_id if entity_type == "cluster" else None,
            datastore_id=entity_id if entity_type == "datastore" else None,
            vcenter_id=vc,
        ),
    )


def collect_events(session: Session, vc: str, since: datetime, limit: int) -> list[Event]:
    manager = session.content.eventManager
    spec = vim.event.EventFilterSpec(time=vim.event.EventFilterSpec.ByTime(beginTime=since))
    collector = session.call(lambda: manager.CreateCollectorForEvents(filter=spec))
    try:
        # Some servers (vcsim) only page through the collector's "latest page": make it full size.
        collector.SetCollectorPageSize(maxCount=PAGE)
        events = [
            event_from_vim(ev, vc)
            for ev in _read_all(lambda n: collector.ReadNextEvents(maxCount=n), limit)
        ]
    finally:
        _destroy(collector)
    return events


def collect_tasks(
    session: Session, vc: str, since: datetime, limit: int
) -> tuple[list[Task], str | None]:
    """Tasks of the window, and a note when only the recent-task list could be read."""
    manager = session.content.taskManager
    spec = vim.TaskFilterSpec(
        time=vim.TaskFilterSpec.ByTime(timeType="queuedTime", beginTime=since)
    )
    try:
        collector = session.call(lambda: manager.CreateCollectorForTasks(filter=spec))
    except (vmodl.fault.MethodNotFound, vmodl.fault.NotSupported, vmodl.fault.NotImplemented):
        return _recent_tasks(
            session, vc, since
        ), "no task history on this server: recent tasks only"
    try:
        tasks = [
            task_from_vim(t, vc)
            for t in _read_all(lambda n: collector.ReadNextTasks(maxCount=n), limit)
        ]
    finally:
        _destroy(collector)
    return tasks, None


def _recent_tasks(session: Session, vc: str, since: datetime) -> list[Task]:
    contents = read_traversed(
        session, session.content.taskManager, "TaskManager", "recentTask", "Task", ["info"]
    )
    tasks = []
    for content in contents:
        for prop in content.propSet or []:
            info = prop.val
            queued = info.queueTime
            if queued is None or queued >= since:
                tasks.append(task_from_vim(info, vc))
    return tasks


def _destroy(collector: Any) -> None:
    # Best effort: if the session died, the server already freed the collector with it.
    with contextlib.suppress(Exception):
        collector.DestroyCollector()
