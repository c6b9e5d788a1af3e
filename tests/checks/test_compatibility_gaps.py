"""Compatibility checks: each UNKNOWN names the missing data and only the gap that explains it."""

from __future__ import annotations

from vmdoctor.model import Gap, Status

from factories import make_cluster, make_env, make_host, make_vm, run_one


def test_cmp004_hw_version_does_not_quote_a_guest_os_gap() -> None:
    vm = make_vm(hw_version=None)
    gap = Gap(what="vm.config.guestId", reason="guest OS name has no guest ID", object_id=vm.id)
    outcome = run_one("CMP004", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert outcome.message == "hardware version was not collected"


def test_cmp004_hw_version_cites_a_vm_config_gap() -> None:
    vm = make_vm(hw_version=None)
    gap = Gap(what="vm.config", reason="NoPermission: config not readable", object_id=vm.id)
    outcome = run_one("CMP004", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "NoPermission" in outcome.message


def test_cmp006_tools_not_running_says_so_instead_of_guessing() -> None:
    vm = make_vm(guest_id_running=None, tools_running_status="guestToolsNotRunning")
    outcome = run_one("CMP006", vm, make_env(vms=[vm]))
    assert outcome.status is Status.UNKNOWN
    assert outcome.message.endswith("VMware Tools is not running")


def test_cmp006_running_guest_cites_the_guest_gap() -> None:
    vm = make_vm(guest_id_running=None)
    gap = Gap(what="vm.guest", reason="the export has no vTools tab")
    outcome = run_one("CMP006", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vTools tab" in outcome.message


def test_cmp007_host_outside_the_inventory_cites_the_host_gap() -> None:
    vm = make_vm(host_id="h9")
    gap = Gap(what="host", reason="host retrieval failed: timeout", object_id="h9")
    outcome = run_one("CMP007", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert "not in the collected inventory" in outcome.message and "timeout" in outcome.message


def test_cmp012_version_missing_on_one_host_cites_that_hosts_gap() -> None:
    hosts = [make_host(id="h1"), make_host(id="h2", version=None)]
    gap = Gap(what="host", reason="host is notResponding: data is stale", object_id="h2")
    env = make_env(clusters=[make_cluster()], hosts=hosts, gaps=[gap])
    outcome = run_one("CMP012", make_cluster(), env)
    assert outcome.status is Status.UNKNOWN and "notResponding" in outcome.message
