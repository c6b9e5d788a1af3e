"""Named pass / fail / unknown cases for the configuration checks (CFG001-CFG018)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from vmdoctor.checks.registry import registry
from vmdoctor.model import (
    NIC,
    DRSConfig,
    Gap,
    HAConfig,
    HostService,
    RemovableDevice,
    Severity,
    Status,
)

from factories import (
    make_cluster,
    make_datastore,
    make_env,
    make_host,
    make_network,
    make_vm,
    run_one,
)

DEFAULT_HA = make_cluster().ha
assert DEFAULT_HA is not None


def ha(**kw: Any) -> HAConfig:
    return msgspec.structs.replace(DEFAULT_HA, **kw)


def nic(**kw: Any) -> NIC:
    base: dict[str, Any] = dict(
        label="Network adapter 1",
        network_name="VM Network",
        network_id="net1",
        connected=True,
        start_connected=True,
    )
    return NIC(**(base | kw))


def media(**kw: Any) -> RemovableDevice:
    base: dict[str, Any] = dict(
        kind="cdrom", label="CD/DVD drive 1", connected=True, backing="[ds-prod-01] iso/tools.iso"
    )
    return RemovableDevice(**(base | kw))


def run_case(check_key: str, obj: Any, env: Any, status: Status, severity: Severity | None) -> None:
    outcome = run_one(check_key, obj, env)
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert (outcome.severity or registry().get(check_key).severity) is severity


OFF = "poweredOff"
VM_CASES: list[tuple[str, str, Any, Status, Severity | None]] = [
    # CFG001: host h1 has 1 TiB
    ("CFG001", "fits", make_vm(), Status.PASS, None),
    (
        "CFG001",
        "larger-than-every-host",
        make_vm(memory_mb=2048 * 1024),
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("CFG001", "host-unknown", make_vm(host_id=None, cluster_id=None), Status.UNKNOWN, None),
    # CFG002
    ("CFG002", "connected", make_vm(), Status.PASS, None),
    ("CFG002", "disconnected", make_vm(nics=[nic(connected=False)]), Status.FAIL, Severity.MEDIUM),
    ("CFG002", "state-unknown", make_vm(nics=[nic(connected=None)]), Status.UNKNOWN, None),
    (
        "CFG002",
        "powered-off",
        make_vm(power_state=OFF, nics=[nic(connected=False)]),
        Status.SKIPPED,
        None,
    ),
    # CFG003
    ("CFG003", "connects-at-power-on", make_vm(), Status.PASS, None),
    (
        "CFG003",
        "does-not-connect",
        make_vm(nics=[nic(), nic(label="NIC 2", start_connected=False)]),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    ("CFG003", "setting-unknown", make_vm(nics=[nic(start_connected=None)]), Status.UNKNOWN, None),
    # CFG004
    ("CFG004", "known-network", make_vm(), Status.PASS, None),
    (
        "CFG004",
        "unresolved-backing",
        make_vm(nics=[nic(network_id=None)]),
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "CFG004",
        "renamed-portgroup",
        make_vm(nics=[nic(network_name="VLAN-99-old")]),
        Status.FAIL,
        Severity.HIGH,
    ),
    ("CFG004", "no-nics", make_vm(nics=[]), Status.SKIPPED, None),
    # CFG005
    ("CFG005", "no-media", make_vm(), Status.PASS, None),
    (
        "CFG005",
        "iso-disconnected",
        make_vm(removable_devices=[media(connected=False)]),
        Status.PASS,
        None,
    ),
    (
        "CFG005",
        "client-device",
        make_vm(removable_devices=[media(backing="client device")]),
        Status.PASS,
        None,
    ),
    ("CFG005", "iso-connected", make_vm(removable_devices=[media()]), Status.FAIL, Severity.MEDIUM),
    (
        "CFG005",
        "host-device",
        make_vm(removable_devices=[media(backing="host device")]),
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "CFG005",
        "floppy-at-power-on",
        make_vm(
            power_state=OFF,
            removable_devices=[media(kind="floppy", connected=False, start_connected=True)],
        ),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    ("CFG005", "not-collected", make_vm(removable_devices=None), Status.UNKNOWN, None),
    # CFG015
    ("CFG015", "connected", make_vm(), Status.PASS, None),
    ("CFG015", "orphaned", make_vm(connection_state="orphaned"), Status.FAIL, Severity.HIGH),
    (
        "CFG015",
        "inaccessible",
        make_vm(connection_state="inaccessible"),
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "CFG015",
        "disconnected",
        make_vm(connection_state="disconnected"),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    # CFG016: smallest host 1 TiB, 128,000 MHz
    ("CFG016", "no-reservation", make_vm(), Status.PASS, None),
    ("CFG016", "small-reservation", make_vm(memory_reservation_mb=16384), Status.PASS, None),
    (
        "CFG016",
        "huge-reservation",
        make_vm(memory_mb=800 * 1024, memory_reservation_mb=800 * 1024),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "CFG016",
        "cpu-reservation",
        make_vm(cpu_reservation_mhz=100_000),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    # CFG017: host 2 sockets x 32 cores
    ("CFG017", "aligned", make_vm(num_cpu=8, cores_per_socket=4), Status.PASS, None),
    (
        "CFG017",
        "imperfect-divisor",
        make_vm(num_cpu=6, cores_per_socket=4),
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "CFG017",
        "socket-wider-than-host",
        make_vm(num_cpu=48, cores_per_socket=48),
        Status.FAIL,
        Severity.LOW,
    ),
    ("CFG017", "not-collected", make_vm(cores_per_socket=None), Status.UNKNOWN, None),
    # CFG018
    ("CFG018", "shared-storage-ha-cluster", make_vm(), Status.PASS, None),
    ("CFG018", "standalone-host", make_vm(cluster_id=None), Status.FAIL, Severity.MEDIUM),
    ("CFG018", "local-datastore", make_vm(datastore_ids=["local1"]), Status.FAIL, Severity.MEDIUM),
    ("CFG018", "powered-off", make_vm(power_state=OFF, cluster_id=None), Status.SKIPPED, None),
]


@pytest.mark.parametrize(
    ("check_id", "case", "vm", "status", "severity"),
    VM_CASES,
    ids=[f"{c[0]}-{c[1]}" for c in VM_CASES],
)
def test_vm_configuration(
    check_id: str, case: str, vm: Any, status: Status, severity: Severity | None
) -> None:
    env = make_env(
        vms=[vm],
        datastores=[
            make_datastore(),
            make_datastore(id="local1", name="esx01-local", multiple_host_access=False),
        ],
    )
    run_case(check_id, vm, env, status, severity)


def test_memory_larger_than_own_host_but_fits_elsewhere() -> None:
    small = make_host(id="h1", memory_mb=256 * 1024)
    large = make_host(id="h2", name="esx02", memory_mb=1024 * 1024)
    vm = make_vm(memory_mb=512 * 1024)
    env = make_env(hosts=[small, large], vms=[vm])
    run_case("CFG001", vm, env, Status.FAIL, Severity.HIGH)


def test_network_check_unknown_without_networks() -> None:
    env = make_env(networks=[], gaps=[Gap(what="networks", reason="no permission")])
    outcome = run_one("CFG004", make_vm(), env)
    assert outcome.status is Status.UNKNOWN and "no permission" in outcome.message


def test_slot_policy_reports_any_reservation() -> None:
    cluster = make_cluster(ha=ha(admission_control_policy="failoverLevel", failover_level=1))
    vm = make_vm(memory_reservation_mb=4096)
    run_case("CFG016", vm, make_env(clusters=[cluster], vms=[vm]), Status.FAIL, Severity.LOW)


def test_ha_checks_leave_ha_disabled_vms_to_the_cluster_check() -> None:
    env = make_env(clusters=[make_cluster(ha=ha(enabled=False))])
    run_case("CFG018", make_vm(datastore_ids=["local1"]), env, Status.SKIPPED, None)
    run_case("CFG016", make_vm(memory_reservation_mb=900 * 1024), env, Status.SKIPPED, None)


CLUSTER_CASES: list[tuple[str, str, Any, Status, Severity | None]] = [
    ("CFG006", "ha-on", make_cluster(), Status.PASS, None),
    ("CFG006", "ha-off", make_cluster(ha=ha(enabled=False)), Status.FAIL, Severity.HIGH),
    ("CFG006", "ha-not-collected", make_cluster(ha=None), Status.UNKNOWN, None),
    ("CFG007", "admission-on", make_cluster(), Status.PASS, None),
    (
        "CFG007",
        "admission-off",
        make_cluster(ha=ha(admission_control_enabled=False)),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "CFG007",
        "admission-unknown",
        make_cluster(ha=ha(admission_control_enabled=None)),
        Status.UNKNOWN,
        None,
    ),
    ("CFG007", "ha-off", make_cluster(ha=ha(enabled=False)), Status.SKIPPED, None),
    ("CFG007", "ha-not-collected", make_cluster(ha=None), Status.UNKNOWN, None),
    ("CFG008", "monitoring-on", make_cluster(), Status.PASS, None),
    (
        "CFG008",
        "monitoring-off",
        make_cluster(ha=ha(host_monitoring_enabled=False)),
        Status.FAIL,
        Severity.HIGH,
    ),
    ("CFG008", "ha-not-collected", make_cluster(ha=None), Status.UNKNOWN, None),
    ("CFG009", "drs-on", make_cluster(), Status.PASS, None),
    ("CFG009", "drs-off", make_cluster(drs=DRSConfig(enabled=False)), Status.FAIL, Severity.MEDIUM),
    ("CFG009", "drs-not-collected", make_cluster(drs=None), Status.UNKNOWN, None),
    ("CFG010", "fully-automated", make_cluster(), Status.PASS, None),
    (
        "CFG010",
        "manual",
        make_cluster(drs=DRSConfig(enabled=True, behavior="manual")),
        Status.FAIL,
        Severity.LOW,
    ),
    (
        "CFG010",
        "partially",
        make_cluster(drs=DRSConfig(enabled=True, behavior="partiallyAutomated")),
        Status.FAIL,
        Severity.LOW,
    ),
    ("CFG010", "drs-off", make_cluster(drs=DRSConfig(enabled=False)), Status.SKIPPED, None),
]


@pytest.mark.parametrize(
    ("check_id", "case", "cluster", "status", "severity"),
    CLUSTER_CASES,
    ids=[f"{c[0]}-{c[1]}" for c in CLUSTER_CASES],
)
def test_cluster_configuration(
    check_id: str, case: str, cluster: Any, status: Status, severity: Severity | None
) -> None:
    hosts = [make_host(id="h1"), make_host(id="h2", name="esx02")]
    env = make_env(clusters=[cluster], hosts=hosts)
    run_case(check_id, cluster, env, status, severity)


def test_drs_not_judged_on_a_one_host_cluster() -> None:
    cluster = make_cluster(drs=DRSConfig(enabled=False))
    run_case("CFG009", cluster, make_env(clusters=[cluster]), Status.SKIPPED, None)


NTP_STOPPED = [HostService(key="ntpd", running=False, policy="off")]
HOST_CASES: list[tuple[str, str, Any, Status, Severity | None]] = [
    ("CFG011", "ntp-ok", make_host(), Status.PASS, None),
    ("CFG011", "no-servers", make_host(ntp_servers=[]), Status.FAIL, Severity.MEDIUM),
    ("CFG011", "daemon-stopped", make_host(services=NTP_STOPPED), Status.FAIL, Severity.MEDIUM),
    (
        "CFG011",
        "ptp-instead",
        make_host(services=[HostService(key="ptpd", running=True)]),
        Status.PASS,
        None,
    ),
    ("CFG011", "not-collected", make_host(ntp_servers=None), Status.UNKNOWN, None),
    ("CFG011", "services-not-collected", make_host(services=None), Status.UNKNOWN, None),
    ("CFG012", "syslog-ok", make_host(), Status.PASS, None),
    ("CFG012", "no-targets", make_host(syslog_hosts=[]), Status.FAIL, Severity.MEDIUM),
    (
        "CFG012",
        "advanced-setting-only",
        make_host(syslog_hosts=None, advanced_settings={"Syslog.global.logHost": "tcp://s:514"}),
        Status.PASS,
        None,
    ),
    (
        "CFG012",
        "advanced-setting-empty",
        make_host(syslog_hosts=None, advanced_settings={"Syslog.global.logHost": " "}),
        Status.FAIL,
        Severity.MEDIUM,
    ),
    (
        "CFG012",
        "not-collected",
        make_host(syslog_hosts=None, advanced_settings={}),
        Status.UNKNOWN,
        None,
    ),
    ("CFG013", "in-service", make_host(), Status.PASS, None),
    ("CFG013", "maintenance", make_host(in_maintenance_mode=True), Status.FAIL, Severity.LOW),
    ("CFG014", "connected", make_host(), Status.PASS, None),
    (
        "CFG014",
        "disconnected",
        make_host(connection_state="disconnected"),
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "CFG014",
        "not-responding",
        make_host(connection_state="notResponding"),
        Status.FAIL,
        Severity.CRITICAL,
    ),
]


@pytest.mark.parametrize(
    ("check_id", "case", "host", "status", "severity"),
    HOST_CASES,
    ids=[f"{c[0]}-{c[1]}" for c in HOST_CASES],
)
def test_host_configuration(
    check_id: str, case: str, host: Any, status: Status, severity: Severity | None
) -> None:
    run_case(check_id, host, make_env(hosts=[host]), status, severity)


def test_networks_fixture_is_the_one_the_nics_use() -> None:
    assert make_network().name == nic().network_name
