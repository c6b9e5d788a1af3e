"""Named cases for VM placement: inaccessible or local datastores, independent disks."""

from __future__ import annotations

from typing import Any

import pytest

from vmdoctor.model import Disk, HAConfig, Status

from factories import GIB, make_cluster, make_datastore, make_env, make_vm, run_one

LOCAL = make_datastore(
    id="ds-local", name="esx01-local", multiple_host_access=False, host_ids=["h1"]
)
SHARED = make_datastore()
UNSURE = make_datastore(
    id="ds-unsure", name="ds-unsure", multiple_host_access=None, host_ids=["h1"]
)
NFS = make_datastore(id="ds-nfs", name="nfs-01", type="NFS", multiple_host_access=None, host_ids=[])
DOWN = make_datastore(id="ds-down", name="ds-down", accessible=False)


def _disk(ds_id: str, label: str = "Hard disk 1", mode: str | None = "persistent") -> Disk:
    return Disk(label=label, capacity_bytes=40 * GIB, datastore_id=ds_id, disk_mode=mode)


# --- STO010 vm-on-inaccessible-datastore --------------------------------------------------------

INACCESSIBLE_CASES = [
    ("all-accessible", make_vm(), Status.PASS),
    ("home-on-down-datastore", make_vm(datastore_ids=["ds-down"], disks=[]), Status.FAIL),
    (
        "second-disk-on-down-datastore",
        make_vm(disks=[_disk("ds1"), _disk("ds-down", "Hard disk 2")]),
        Status.FAIL,
    ),
    ("datastore-not-in-inventory", make_vm(datastore_ids=["ds-gone"], disks=[]), Status.UNKNOWN),
    ("no-datastores-listed", make_vm(datastore_ids=[], disks=[]), Status.UNKNOWN),
]


@pytest.mark.parametrize(
    ("case", "vm", "status"), INACCESSIBLE_CASES, ids=[c[0] for c in INACCESSIBLE_CASES]
)
def test_vm_on_inaccessible_datastore(case: str, vm: Any, status: Status) -> None:
    env = make_env(vms=[vm], datastores=[SHARED, DOWN])
    outcome = run_one("STO010", vm, env)
    assert outcome.status is status, outcome.message


def test_inaccessible_message_says_what_it_means_for_a_stopped_vm() -> None:
    vm = make_vm(power_state="poweredOff", datastore_ids=["ds-down"], disks=[])
    outcome = run_one("STO010", vm, make_env(vms=[vm], datastores=[DOWN]))
    assert "cannot power on" in outcome.message


# --- STO011 vm-on-local-datastore-in-ha-cluster -------------------------------------------------

HA_ON = make_cluster()
HA_OFF = make_cluster(ha=HAConfig(enabled=False))
HA_UNKNOWN = make_cluster(ha=None)

LOCAL_CASES = [
    ("shared-vmfs", make_vm(), HA_ON, Status.PASS),
    (
        "nfs-is-shared",
        make_vm(datastore_ids=["ds-nfs"], disks=[_disk("ds-nfs")]),
        HA_ON,
        Status.PASS,
    ),
    (
        "disk-on-local-vmfs",
        make_vm(disks=[_disk("ds1"), _disk("ds-local", "Hard disk 2")]),
        HA_ON,
        Status.FAIL,
    ),
    ("ha-not-collected", make_vm(datastore_ids=["ds-local"]), HA_UNKNOWN, Status.UNKNOWN),
    (
        "cannot-tell-if-shared",
        make_vm(datastore_ids=["ds-unsure"], disks=[]),
        HA_ON,
        Status.UNKNOWN,
    ),
]


@pytest.mark.parametrize(
    ("case", "vm", "cluster", "status"), LOCAL_CASES, ids=[c[0] for c in LOCAL_CASES]
)
def test_vm_on_local_datastore_in_ha_cluster(
    case: str, vm: Any, cluster: Any, status: Status
) -> None:
    env = make_env(vms=[vm], clusters=[cluster], datastores=[SHARED, LOCAL, UNSURE, NFS])
    outcome = run_one("STO011", vm, env)
    assert outcome.status is status, outcome.message


@pytest.mark.parametrize(
    ("case", "vm", "cluster"),
    [
        ("ha-disabled", make_vm(datastore_ids=["ds-local"]), HA_OFF),
        ("standalone-host", make_vm(cluster_id=None, datastore_ids=["ds-local"]), HA_ON),
        ("template", make_vm(template=True, datastore_ids=["ds-local"]), HA_ON),
    ],
)
def test_local_storage_outside_ha_is_not_applicable(case: str, vm: Any, cluster: Any) -> None:
    env = make_env(vms=[vm], clusters=[cluster], datastores=[SHARED, LOCAL])
    assert run_one("STO011", vm, env).status is Status.SKIPPED


# --- STO012 independent-disk --------------------------------------------------------------------

INDEPENDENT_CASES = [
    ("dependent", make_vm(disks=[_disk("ds1")]), Status.PASS),
    (
        "independent-persistent",
        make_vm(disks=[_disk("ds1"), _disk("ds1", "Hard disk 2", "independent_persistent")]),
        Status.FAIL,
    ),
    (
        "independent-nonpersistent",
        make_vm(disks=[_disk("ds1", mode="independent_nonpersistent")]),
        Status.FAIL,
    ),
    ("mode-not-collected", make_vm(disks=[_disk("ds1", mode=None)]), Status.UNKNOWN),
]


@pytest.mark.parametrize(
    ("case", "vm", "status"), INDEPENDENT_CASES, ids=[c[0] for c in INDEPENDENT_CASES]
)
def test_independent_disk(case: str, vm: Any, status: Status) -> None:
    outcome = run_one("STO012", vm, make_env(vms=[vm]))
    assert outcome.status is status, outcome.message


def test_vm_without_disks_is_not_applicable_for_independent_disks() -> None:
    vm = make_vm(disks=[])
    assert run_one("STO012", vm, make_env(vms=[vm])).status is Status.SKIPPED
