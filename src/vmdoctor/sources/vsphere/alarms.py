"""Alarms that are triggered now, as timeline events (``AlarmStatusChangedEvent``).

The root folder's ``triggeredAlarmState`` lists every alarm triggered anywhere in the inventory
(two round trips in all: the states, then the names of the alarms they point to). An alarm
that fired before the events window is otherwise invisible; one whose triggering event is in
the window already is not recorded twice (the state names that event by ``eventKey``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from vmdoctor.model import Event, ObjectLink
from vmdoctor.sources.vsphere.soap import ObjectProps, Poster, follow_pages, objects_envelope
from vmdoctor.sources.vsphere.tree import InventoryTree
from vmdoctor.sources.vsphere.xmlval import child, children, integer, text, when

EVENT_TYPE = "AlarmStatusChangedEvent"
_SEVERITY = {"red": "error", "yellow": "warning"}
_LINKS = {
    "VirtualMachine": "vm_id",
    "HostSystem": "host_id",
    "ClusterComputeResource": "cluster_id",
    "ComputeResource": "cluster_id",
    "Datastore": "datastore_id",
    "Datacenter": "datacenter_id",
    "Network": "network_id",
    "DistributedVirtualPortgroup": "network_id",
}


def read_triggered(post: Poster, collector: str, root_folder: str) -> ObjectProps | None:
    envelope = objects_envelope(collector, "Folder", [root_folder], ["triggeredAlarmState"])
    for page in follow_pages(post, collector, envelope, "Folder"):
        for obj in page:
            return obj
    return None


def alarm_names(post: Poster, collector: str, alarms: list[str]) -> dict[str, str]:
    if not alarms:
        return {}
    envelope = objects_envelope(collector, "Alarm", alarms, ["info.name"])
    names: dict[str, str] = {}
    for page in follow_pages(post, collector, envelope, "Alarm"):
        for obj in page:
            names[obj.moref] = text(obj.props.get("info.name")) or obj.moref
    return names


def triggered_alarm_events(
    post: Poster,
    collector: str,
    root_folder: str,
    tree: InventoryTree,
    known_event_keys: Collection[int] = (),
) -> list[Event]:
    root = read_triggered(post, collector, root_folder)
    states = list(children(root.props.get("triggeredAlarmState") if root else None, "AlarmState"))
    names = alarm_names(post, collector, sorted({text(s, "alarm") or "" for s in states} - {""}))
    return alarm_events(states, names, tree, known_event_keys)


def alarm_events(
    states: list[Any],
    names: dict[str, str],
    tree: InventoryTree,
    known_event_keys: Collection[int] = (),
) -> list[Event]:
    events: list[Event] = []
    for index, state in enumerate(states):
        event_key = integer(state, "eventKey")
        if event_key is not None and event_key in known_event_keys:
            continue
        entity = child(state, "entity")
        entity_moref = text(entity) or ""
        entity_type = entity.get("type", "") if entity is not None else ""
        status = text(state, "overallStatus") or "gray"
        alarm = text(state, "alarm") or ""
        alarm_name = names.get(alarm, alarm)
        entity_name = tree.names.get(entity_moref, entity_moref)
        link = _LINKS.get(entity_type)
        entity_id = tree.id(entity_moref)
        objects = ObjectLink(
            vcenter_id=tree.vcenter_id,
            **({link: entity_id} if link and entity_id else {}),
        )
        acknowledged = " (acknowledged)" if text(state, "acknowledged") == "true" else ""
        events.append(
            Event(
                # The triggering event's key when the server tells it; else a negative key
                # that cannot collide with a real event.
                key=event_key if event_key is not None else -(index + 1),
                time=(when(state, "time") or datetime.now(UTC)).astimezone(UTC),
                type=EVENT_TYPE,
                message=f"Alarm '{alarm_name}' on {entity_name} is {status}{acknowledged}",
                severity=_SEVERITY.get(status, "info"),
                objects=objects,
                vm_name=entity_name if entity_type == "VirtualMachine" else None,
                host_name=entity_name if entity_type == "HostSystem" else None,
            )
        )
    return events
