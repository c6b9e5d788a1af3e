"""Unit tests of symptom detection, target resolution, ranking and what-is-missing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diagnose.scenarios._lab import Builder, at, background
from vmdoctor.diagnose import UnknownTargetError, diagnose, find_incidents, resolve_target
from vmdoctor.diagnose.poweron import classify_power_on
from vmdoctor.diagnose.ranking import time_factor
from vmdoctor.diagnose.records import from_log, from_task
from vmdoctor.model import EnvironmentIndex


def test_incidents_are_newest_first_and_planned_power_offs_are_not_incidents() -> None:
    b = background(Builder())
    b.event("VmPoweredOffEvent", -30, "app-web-01 is powered off", vm="vm2", user="LAB\\j.doe")
    b.vmx("vm1", -10, "MONITOR PANIC: vcpu-1:NOT_IMPLEMENTED bora/vmcore/vmm/intr/apic.c:2049")
    b.event("HostNotRespondingEvent", 0, "Host esx02.lab.local in DC1 is not responding", host="h2")
    found = find_incidents(b.build())
    assert [(s.kind, s.target.name) for s in found] == [
        ("host-not-responding", "esx02.lab.local"),
        ("vm-down", "app-db-01"),
    ]
    assert found[1].subkind == "monitor-panic"


def test_triggers_on_one_object_within_half_an_hour_are_one_symptom() -> None:
    b = Builder()
    b.vmx("vm1", -1, "Module 'Disk' power on failed.")
    b.task(
        "PowerOnVM_Task",
        0,
        vm="vm1",
        state="error",
        fault="FileNotFound",
        message="File [ds-prod-01] app-db-01/app-db-01.vmdk was not found",
    )
    b.task(
        "PowerOnVM_Task",
        45,
        vm="vm1",
        state="error",
        fault="FileNotFound",
        message="File [ds-prod-01] app-db-01/app-db-01.vmdk was not found",
    )
    found = find_incidents(b.build())
    assert [s.time for s in found] == [at(45), at(-1)]


def test_inventory_state_adds_symptoms_the_timeline_lacks() -> None:
    b = Builder()
    b.host_kw["h3"] = {"connection_state": "notResponding"}
    b.ds_kw["nfs1"] = {"accessible": False}
    kinds = {(s.kind, s.target.id) for s in find_incidents(b.build())}
    assert kinds == {("host-not-responding", "h3"), ("datastore-lost", "nfs1")}


def test_targets_resolve_by_name_short_name_and_vcenter() -> None:
    index = EnvironmentIndex(Builder().build())
    assert resolve_target(index, "app-db-01").id == "vm1"
    assert resolve_target(index, "ESX02").id == "h2"
    assert resolve_target(index, "vcenter").type == "vcenter"
    with pytest.raises(UnknownTargetError) as err:
        resolve_target(index, "app-db-1")
    assert "app-db-01" in str(err.value) and "\n" not in str(err.value)


def test_power_on_classification_reads_fault_and_vmx_lines() -> None:
    b = Builder()
    b.vmx("vm1", 0, "Failed to extend swap file from 0 KB to 67108864 KB.")
    b.task("PowerOnVM_Task", 0, vm="vm1", state="error", fault="FileLocked", message="locked")
    env = b.build()
    assert classify_power_on([from_log(env.timeline.logs[0])]) == "swap-space"
    assert classify_power_on([from_task(env.timeline.tasks[0])]) == "file-locked"
    assert classify_power_on([]) is None


def test_time_factor_prefers_evidence_just_before_the_symptom() -> None:
    t = at(0)
    near, far = time_factor(t, at(-2)), time_factor(t, at(-100))
    after = time_factor(t, at(20))
    assert 1.0 >= near > far > 0 and near > after
    assert time_factor(t, None) < near


def test_evidence_outside_the_window_is_ignored() -> None:
    b = Builder()
    b.vmkernel("h1", -300, "@BlueScreen: #PF Exception 14 in world 2098715:vmnic0-pollW")
    b.event("HostNotRespondingEvent", 0, "Host esx01.lab.local in DC1 is not responding", host="h1")
    env = b.build()
    (wide,) = diagnose(env, "esx01", at(0), window=timedelta(hours=6))
    (narrow,) = diagnose(env, "esx01", at(0), window=timedelta(hours=2))
    assert [c.cause_id for c in wide.causes][:1] == ["host-psod"]
    assert narrow.causes == [] and not narrow.conclusive


def test_not_enough_evidence_says_which_data_would_settle_it() -> None:
    b = Builder()
    b.event("HostNotRespondingEvent", 0, "Host esx01.lab.local in DC1 is not responding", host="h1")
    (diag,) = diagnose(b.build(), "esx01")
    assert not diag.conclusive
    assert any("vmkernel.log" in m and "support bundle" in m for m in diag.missing_data)
    assert "not enough" in diag.verdict


def test_findings_on_involved_objects_raise_the_matching_cause() -> None:
    from vmdoctor.model import Family, Finding, ObjectRef, Severity, Status

    b = Builder()
    b.vmx("vm1", 0, "Checkpoint_Unstun: vm stopped for 12450311 us")
    b.event(
        "esx.problem.scsi.device.io.latency.high",
        -3,
        "Device naa.600508b1001c3a5f performance has deteriorated.",
        host="h1",
        ds="ds1",
    )
    env = b.build()
    base = {c.cause_id: c.score for c in diagnose(env, "app-db-01")[0].causes}
    finding = Finding(
        check_id="STO001",
        name="datastore-latency",
        title="Datastore latency",
        family=Family.STORAGE,
        severity=Severity.HIGH,
        status=Status.FAIL,
        object=ObjectRef(type="datastore", id="ds1", name="ds-prod-01"),
        message="latency 68 ms",
    )
    boosted = {c.cause_id: c for c in diagnose(env, "app-db-01", findings=[finding])[0].causes}
    assert boosted["storage-latency"].score > base["storage-latency"]
    assert any(e.source == "finding" for e in boosted["storage-latency"].evidence)


def test_a_time_that_misses_the_incident_points_at_the_nearest_one() -> None:
    from datetime import UTC, timedelta

    from vmdoctor.diagnose import diagnose
    from vmdoctor.sources.demo import build_lab

    lab = build_lab()
    incident = next(i for i in lab.incidents if i.symptom == "vm-power-on-failed")
    wrong_day = incident.time + timedelta(days=1)
    [diagnosis] = diagnose(lab.environment, incident.object_name, wrong_day.astimezone(UTC))
    assert diagnosis.symptom.subkind == "reported"
    assert f"try --at {incident.time:%Y-%m-%dT%H:%M}" in diagnosis.symptom.title
    [right] = diagnose(lab.environment, incident.object_name, incident.time)
    assert right.symptom.kind == "vm-power-on-failed"
