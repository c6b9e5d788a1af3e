"""Configuration checks say what is missing and why (the collector's gap), and do not fail
on data a source could not tell."""

from __future__ import annotations

from vmdoctor.model import NIC, Gap, Severity, Status

from factories import make_cluster, make_env, make_host, make_vm, run_one

RVTOOLS_STATE = "an export cannot tell disconnected from not responding"


def test_cfg014_unknown_connection_state_is_unknown_citing_the_gap() -> None:
    host = make_host(connection_state="unknown")
    gap = Gap(what="host.connection_state", reason=RVTOOLS_STATE, object_id=host.id)
    outcome = run_one("CFG014", host, make_env(hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert "connection state" in outcome.message and RVTOOLS_STATE in outcome.message


def test_cfg014_disconnected_host_still_fails() -> None:
    host = make_host(connection_state="disconnected")
    outcome = run_one("CFG014", host, make_env(hosts=[host]))
    assert outcome.status is Status.FAIL and "disconnected" in outcome.message


def test_cfg014_not_responding_host_is_critical() -> None:
    host = make_host(connection_state="notResponding")
    outcome = run_one("CFG014", host, make_env(hosts=[host]))
    assert outcome.status is Status.FAIL and outcome.severity is Severity.CRITICAL


def test_cfg012_syslog_unknown_cites_the_advanced_settings_gap() -> None:
    host = make_host(syslog_hosts=None, advanced_settings={})
    gap = Gap(what="host.advanced_settings", reason="the export holds no host advanced settings")
    outcome = run_one("CFG012", host, make_env(hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert outcome.message.endswith("(the export holds no host advanced settings)")


def test_cfg011_missing_ntp_servers_cite_the_host_config_gap() -> None:
    host = make_host(ntp_servers=None)
    gap = Gap(what="host.config", reason="the vHost tab lacks NTP servers")
    outcome = run_one("CFG011", host, make_env(hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "the vHost tab lacks NTP servers" in outcome.message


def test_cfg005_removable_devices_cite_the_missing_tab() -> None:
    vm = make_vm(removable_devices=None)
    gap = Gap(what="vm.removable_devices", reason="the export has no vCD tab")
    outcome = run_one("CFG005", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vCD tab" in outcome.message


def test_cfg017_cores_per_socket_cites_the_missing_tab() -> None:
    vm = make_vm(cores_per_socket=None)
    gap = Gap(what="vm.cpu_allocation", reason="the export has no vCPU tab")
    outcome = run_one("CFG017", vm, make_env(vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vCPU tab" in outcome.message


def test_cfg006_ha_not_collected_cites_the_cluster_gap() -> None:
    cluster = make_cluster(ha=None)
    gap = Gap(what="cluster.ha", reason="the export has no vCluster tab")
    outcome = run_one("CFG006", cluster, make_env(clusters=[cluster], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vCluster tab" in outcome.message


def test_cfg018_ha_not_collected_cites_the_cluster_gap() -> None:
    cluster = make_cluster(ha=None)
    vm = make_vm()
    gap = Gap(what="cluster.ha", reason="the export has no vCluster tab")
    outcome = run_one("CFG018", vm, make_env(clusters=[cluster], vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vCluster tab" in outcome.message


def test_cfg001_host_memory_missing_cites_the_host_gap() -> None:
    host = make_host(memory_mb=None)
    vm = make_vm()
    gap = Gap(what="host", reason="an esxtop capture holds no host configuration", object_id="h1")
    outcome = run_one("CFG001", vm, make_env(hosts=[host], vms=[vm], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "esxtop" in outcome.message


def test_cfg003_adapter_without_any_network_is_not_flagged() -> None:
    parked = NIC(label="Network adapter 2", network_name=None, start_connected=False)
    vm = make_vm(nics=[*make_vm().nics, parked])
    assert run_one("CFG003", vm, make_env(vms=[vm])).status is Status.PASS


def test_cfg004_networks_not_collected_cites_the_gap() -> None:
    vm = make_vm()
    gap = Gap(what="networks", reason="the export has no vPort or dvPort tab")
    outcome = run_one("CFG004", vm, make_env(vms=[vm], networks=[], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "no vPort or dvPort tab" in outcome.message
