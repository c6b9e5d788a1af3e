"""XML -> model mapping on recorded SOAP responses (tests/unit/vsphere_responses/).

The responses are written by hand in the shape a vCenter 7/8 answers: paged host retrieval
(RetrievePropertiesEx then ContinueRetrievePropertiesEx, which the simulator never sends),
storage devices and multipathing, VMFS extents, QueryPerf in CSV and normal formats, and
triggered alarms. Each test goes from the bytes on the wire to the model, and where a check
reads the result, to the check's outcome.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from vmdoctor.model import Status, Timeline
from vmdoctor.sources.vsphere import perf
from vmdoctor.sources.vsphere.alarms import triggered_alarm_events
from vmdoctor.sources.vsphere.collector import map_collected
from vmdoctor.sources.vsphere.inventory import retrieve_type
from vmdoctor.sources.vsphere.perf import Counter, PerfEntity, collect_perf, pack_specs
from vmdoctor.sources.vsphere.perf_xml import QuerySpec, parse_body
from vmdoctor.sources.vsphere.soap import ObjectProps
from vmdoctor.sources.vsphere.tree import InventoryTree

from factories import make_env, run_one

RESPONSES = Path(__file__).parent / "vsphere_responses"
VC = "vc1"
DS_UUID = "5f1c2a9e-4b7d1c3a-9f2e-b8cef6a1b2c3"


class Recorded:
    """A poster that answers recorded responses in order and keeps what was sent."""

    def __init__(self, *names: str) -> None:
        self.answers = [(RESPONSES / n).read_bytes() for n in names]
        self.sent: list[tuple[str, bytes]] = []

    def __call__(self, method: str, body: bytes) -> bytes:
        self.sent.append((method, body))
        return self.answers[len(self.sent) - 1]


def fake_session() -> Any:
    return SimpleNamespace(
        call=lambda fn: fn(),
        content=SimpleNamespace(
            propertyCollector=SimpleNamespace(_moId="propertyCollector"),
            perfManager=SimpleNamespace(_moId="PerfMgr"),
        ),
    )


def collected_inventory() -> tuple[dict[str, list[ObjectProps]], InventoryTree, Recorded]:
    session, view = fake_session(), SimpleNamespace(moref="session[52f1]view-1")
    hosts_wire = Recorded("hosts_page1.xml", "hosts_page2.xml")
    hosts = retrieve_type(session, hosts_wire, view, "HostSystem", 1, VC)  # type: ignore[arg-type]
    datastores = retrieve_type(
        session,
        Recorded("datastores.xml"),  # type: ignore[arg-type]
        view,
        "Datastore",
        1000,
        VC,
    )
    assert hosts.gaps == [] and datastores.gaps == []
    assert hosts.pages == 2
    collected = {"HostSystem": hosts.objects, "Datastore": datastores.objects}
    tree = InventoryTree(VC)
    for objects in collected.values():
        tree.add(objects)
    return collected, tree, hosts_wire


def test_paged_host_retrieval_follows_the_continuation_token() -> None:
    collected, _tree, wire = collected_inventory()
    assert [o.moref for o in collected["HostSystem"]] == ["host-101", "host-102"]
    assert [m for m, _ in wire.sent] == ["RetrievePropertiesEx", "ContinueRetrievePropertiesEx"]
    assert b"<token>1</token>" in wire.sent[1][1]
    assert b"<maxObjects>1</maxObjects>" in wire.sent[0][1]
    assert b"<pathSet>config.storageDevice.multipathInfo</pathSet>" in wire.sent[0][1]


def test_storage_devices_paths_and_datastore_from_recorded_host() -> None:
    collected, tree, _ = collected_inventory()
    parts = map_collected(collected, tree, {})
    connected, down = parts["hosts"]
    assert connected.name == "esx-a01.lab.test" and connected.version == "7.0.3"
    devices = {d.canonical_name: d for d in connected.storage_devices or []}
    # the CD-ROM is not storage; the two SAN LUNs and the local disk are
    assert set(devices) == {
        "naa.600a098038304437415d4b6a59684a52",
        "naa.600a098038304437415d4b6a59684a53",
        "naa.5000c500a1b2c3d4",
    }
    san = devices["naa.600a098038304437415d4b6a59684a52"]
    assert (san.paths_total, san.paths_active, san.paths_dead) == (4, 3, 1)
    assert san.datastore_id == f"{VC}:datastore-201"
    assert san.is_local is False and san.display_name.startswith("NETAPP")
    single = devices["naa.600a098038304437415d4b6a59684a53"]
    assert (single.paths_total, single.paths_active, single.datastore_id) == (1, 1, None)
    assert devices["naa.5000c500a1b2c3d4"].is_local is True
    # a host that does not respond has no current configuration: not collected, not "none"
    assert down.connection_state == "notResponding" and down.storage_devices is None
    ds = parts["datastores"][0]
    assert ds.url == f"ds:///vmfs/volumes/{DS_UUID}/"
    assert ds.host_ids == [f"{VC}:host-101", f"{VC}:host-102"]


def test_recorded_paths_make_the_path_check_fail() -> None:
    collected, tree, _ = collected_inventory()
    parts = map_collected(collected, tree, {})
    env = make_env(hosts=parts["hosts"], datastores=parts["datastores"], vms=[])
    outcome = run_one("STO013", parts["hosts"][0], env)
    assert outcome.status is Status.FAIL
    assert "1 of 4 dead" in outcome.message and "single path" in outcome.message
    assert run_one("STO013", parts["hosts"][1], env).status is Status.UNKNOWN


COUNTERS = {
    "cpu.usage.average": Counter(2, "cpu.usage.average", "percent", 0.01),
    "mem.vmmemctl.average": Counter(98, "mem.vmmemctl.average", "KB", 1.0),
    "datastore.totalReadLatency.average": Counter(
        131, "datastore.totalReadLatency.average", "ms", 1.0
    ),
    "datastore.totalWriteLatency.average": Counter(
        132, "datastore.totalWriteLatency.average", "ms", 1.0
    ),
}


def run_perf(monkeypatch: pytest.MonkeyPatch, response: str, entities: list[PerfEntity]) -> Any:
    monkeypatch.setattr(perf, "resolve_counters", lambda session, names: COUNTERS)
    monkeypatch.setattr(perf, "max_query_metrics", lambda session: 64)
    wire = Recorded(response)
    now = datetime(2024, 5, 1, 10, 1, 10, tzinfo=UTC)
    result = collect_perf(fake_session(), wire, VC, entities, timedelta(minutes=2), now)
    return result, wire


def test_queryperf_csv_maps_percent_units_and_datastore_instances(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    host = PerfEntity("host", "HostSystem", "host-101", {DS_UUID: f"{VC}:datastore-201"})
    result, wire = run_perf(monkeypatch, "queryperf_csv.xml", [host])
    ((method, request),) = wire.sent
    assert method == "QueryPerf"
    assert b"<format>csv</format>" in request and b"<maxSample>6</maxSample>" in request
    assert f"<instance>{DS_UUID}</instance>".encode() in request
    by_counter = {(s.counter, s.instance): s for s in result.series}
    usage = by_counter[("cpu.usage.average", "")]
    assert usage.unit == "percent" and usage.entity_id == f"{VC}:host-101"
    values = list(usage.values())
    assert values[:2] == [25.0, 30.0] and math.isnan(values[2]) and values[3] == 90.5
    assert usage.start == datetime(2024, 5, 1, 10, 0, tzinfo=UTC) and usage.interval_s == 20
    read = by_counter[("datastore.totalReadLatency.average", f"{VC}:datastore-201")]
    assert list(read.values()) == [3.0, 4.0, 65.0, 70.0]
    # an instance nobody asked for is not attached to a wrong datastore
    assert {s.instance for s in result.series} == {"", f"{VC}:datastore-201"}
    # a counter answered only with -1 is no data: a gap, never a series of zeros
    assert ("mem.vmmemctl.average", "") not in by_counter
    assert "metrics:mem.vmmemctl.average" in {g.what for g in result.gaps}


def test_recorded_datastore_latency_reaches_the_latency_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    collected, tree, _ = collected_inventory()
    parts = map_collected(collected, tree, {})
    host = PerfEntity("host", "HostSystem", "host-101", {DS_UUID: f"{VC}:datastore-201"})
    result, _ = run_perf(monkeypatch, "queryperf_csv.xml", [host])
    env = make_env(
        collected_at=datetime(2024, 5, 1, 10, 1, 10, tzinfo=UTC),
        hosts=parts["hosts"],
        datastores=parts["datastores"],
        vms=[],
        timeline=Timeline(metrics=result.series),
    )
    outcome = run_one("RES011", parts["datastores"][0], env)
    assert outcome.status is Status.FAIL and "ms" in outcome.message


def test_queryperf_normal_format_in_any_order_lands_on_a_grid() -> None:
    (series,) = [s for s in parse_body((RESPONSES / "queryperf_normal.xml").read_bytes())]
    assert series.moref == "vm-301" and series.counter_id == 2
    assert series.start == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert series.values == [1000.0, 4000.0, None, 5000.0]


def test_perf_queries_never_exceed_max_query_metrics() -> None:
    specs = [
        QuerySpec("HostSystem", f"host-{i}", tuple((c, "") for c in range(n)))
        for i, n in enumerate([7, 7, 30, 100, 1])
    ]
    groups = pack_specs(specs, 64)
    assert all(sum(len(s.metrics) for s in g) <= 64 for g in groups)
    assert sum(len(s.metrics) for g in groups for s in g) == 145
    assert len(groups) == 3  # [7, 7, 30], [64 of the 100], [36 of the 100, 1]


def test_triggered_alarms_become_events_once() -> None:
    tree = InventoryTree(VC)
    tree.names.update({"host-102": "esx-a02.lab.test", "vm-301": "app01"})
    tree.types.update({"host-102": "HostSystem", "vm-301": "VirtualMachine"})
    wire = Recorded("triggered_alarms.xml", "alarm_names.xml")
    events = triggered_alarm_events(wire, "propertyCollector", "group-d1", tree, {4401})
    assert [m for m, _ in wire.sent] == ["RetrievePropertiesEx", "RetrievePropertiesEx"]
    assert b'<obj type="Folder">group-d1</obj>' in wire.sent[0][1]
    assert b'<obj type="Alarm">alarm-12</obj>' in wire.sent[1][1]
    host_alarm, vm_alarm = events  # the datastore alarm's event (4401) was already collected
    assert host_alarm.type == "AlarmStatusChangedEvent" and host_alarm.key == 5120
    assert host_alarm.message == (
        "Alarm 'Host connection and power state' on esx-a02.lab.test is red (acknowledged)"
    )
    assert host_alarm.severity == "error" and host_alarm.objects.host_id == f"{VC}:host-102"
    assert host_alarm.time == datetime(2024, 5, 1, 9, 58, 10, tzinfo=UTC)
    assert vm_alarm.severity == "warning" and vm_alarm.key < 0
    assert vm_alarm.objects.vm_id == f"{VC}:vm-301" and vm_alarm.vm_name == "app01"


def test_streamed_retrieval_hands_over_each_object_across_pages() -> None:
    session, view = fake_session(), SimpleNamespace(moref="session[52f1]view-1")
    wire = Recorded("hosts_page1.xml", "hosts_page2.xml")
    seen: list[tuple[str, str | None]] = []

    def consume(obj: ObjectProps) -> None:
        name = obj.props.get("name")
        seen.append((obj.moref, name.text if name is not None else None))

    result = retrieve_type(
        session,
        wire,  # type: ignore[arg-type]
        view,
        "HostSystem",
        1,
        VC,
        consume=consume,
    )
    assert seen == [("host-101", "esx-a01.lab.test"), ("host-102", "esx-a02.lab.test")]
    assert result.objects == [] and result.pages == 2
    assert [m for m, _ in wire.sent] == ["RetrievePropertiesEx", "ContinueRetrievePropertiesEx"]


def test_streamed_retrieval_turns_a_fault_into_a_gap() -> None:
    session, view = fake_session(), SimpleNamespace(moref="v")
    fault = (
        b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
        b'envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
        b"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>no view</faultstring>"
        b'<detail><ManagedObjectNotFoundFault xmlns="urn:vim25" xsi:type="ManagedObjectNotFound">'
        b'<obj type="ContainerView">v</obj></ManagedObjectNotFoundFault></detail>'
        b"</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    result = retrieve_type(
        session,
        lambda method, body: fault,  # type: ignore[arg-type]
        view,
        "VirtualMachine",
        10,
        VC,
        consume=lambda obj: None,
    )
    assert [g.what for g in result.gaps] == ["vm"]
    assert "ManagedObjectNotFound" in result.gaps[0].reason
