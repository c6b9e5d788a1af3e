"""Storage checks word missing data through the shared helper and cite the right gap."""

from __future__ import annotations

from vmdoctor.model import Gap, Status

from factories import GIB, make_datastore, make_env, make_host, make_snapshot, make_vm, run_one

SIZE_GAP = "snapshot sizes include the base disk in this export"


def test_sto005_unknown_sizes_cite_the_snapshot_size_gap() -> None:
    vm = make_vm(snapshots=[make_snapshot("s1", size_bytes=None)])
    gap = Gap(what="vm.snapshots.size", reason=SIZE_GAP)
    outcome = run_one("STO005", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert "size of 1 of 1 snapshots was not collected" in outcome.message
    assert SIZE_GAP in outcome.message


def test_sto009_maintenance_mode_cites_the_narrow_gap() -> None:
    ds = make_datastore(maintenance_mode=None)
    gap = Gap(what="datastore.summary.maintenanceMode", reason="the export holds no such column")
    outcome = run_one("STO009", ds, make_env(datastores=[ds], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no such column" in outcome.message


def test_sto010_maintenance_mode_gap_does_not_explain_a_missing_datastore() -> None:
    vm = make_vm(datastore_ids=["ds-gone"], disks=[])
    gap = Gap(what="datastore.summary.maintenanceMode", reason="no maintenance mode column")
    outcome = run_one("STO010", vm, make_env(vms=[vm], datastores=[], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert "ds-gone" in outcome.message and "maintenance" not in outcome.message


def test_sto010_missing_datastore_cites_the_datastore_gap() -> None:
    vm = make_vm(datastore_ids=["ds-gone"], disks=[])
    gap = Gap(what="datastore", reason="the export has no vDatastore tab")
    outcome = run_one("STO010", vm, make_env(vms=[vm], datastores=[], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vDatastore tab" in outcome.message


def test_sto013_unknown_connection_state_cites_the_gap() -> None:
    host = make_host(connection_state="unknown")
    gap = Gap(what="host.connection_state", reason="export cannot tell", object_id=host.id)
    outcome = run_one("STO013", host, make_env(hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "export cannot tell" in outcome.message


def test_sto006_consolidation_flag_cites_the_runtime_gap() -> None:
    vm = make_vm(consolidation_needed=None)
    gap = Gap(what="vm.runtime", reason="NoPermission: not readable", object_id=vm.id)
    outcome = run_one("STO006", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "NoPermission" in outcome.message


def test_sto001_capacity_not_collected_cites_the_datastore_gap() -> None:
    ds = make_datastore(capacity_bytes=None, free_bytes=None)
    gap = Gap(what="datastore", reason="datastore is inaccessible", object_id=ds.id)
    outcome = run_one("STO001", ds, make_env(datastores=[ds], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "inaccessible" in outcome.message


def test_snapshot_low_space_names_the_unmeasured_datastore() -> None:
    vm = make_vm(snapshots=[make_snapshot("s1", size_bytes=GIB)])
    ds = make_datastore(capacity_bytes=None, free_bytes=None)
    gap = Gap(what="datastore", reason="datastore is inaccessible", object_id=ds.id)
    outcome = run_one(
        "snapshot-on-low-space-datastore", vm, make_env(vms=[vm], datastores=[ds], gaps=[gap])
    )
    assert outcome.status is Status.UNKNOWN
    assert ds.name in outcome.message and "inaccessible" in outcome.message
