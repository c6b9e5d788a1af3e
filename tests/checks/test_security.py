"""Named pass / fail / unknown cases for the security checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from vmdoctor.model import (
    Environment,
    Event,
    Gap,
    HostPortGroup,
    HostService,
    ObjectLink,
    PortGroupSecurity,
    Severity,
    Status,
    Timeline,
    VSwitch,
)

from factories import NOW, make_env, make_host, make_network, make_vcenter, make_vm, run_one

BASE_SETTINGS = make_host().advanced_settings


def host_with(**settings: str) -> Any:
    return make_host(advanced_settings=BASE_SETTINGS | settings)


def host_without(key: str) -> Any:
    return make_host(advanced_settings={k: v for k, v in BASE_SETTINGS.items() if k != key})


def services(**running: tuple[bool, str]) -> list[HostService]:
    return [
        HostService(key=k.replace("_", "-"), running=r, policy=p) for k, (r, p) in running.items()
    ]


def failed_logins(count: int, spacing: timedelta, vcenter_id: str | None = "vc1") -> Environment:
    events = [
        Event(
            key=i,
            time=NOW - spacing * i,
            type="BadUsernameSessionEvent",
            user="root",
            objects=ObjectLink(vcenter_id=vcenter_id),
        )
        for i in range(count)
    ]
    return make_env(timeline=Timeline(events=events))


OPEN = PortGroupSecurity(allow_promiscuous=True, forged_transmits=False, mac_changes=False)
FORGED = PortGroupSecurity(allow_promiscuous=False, forged_transmits=True, mac_changes=False)
CLOSED = PortGroupSecurity(allow_promiscuous=False, forged_transmits=False, mac_changes=False)
DVPG = dict(type="DistributedVirtualPortgroup", security=CLOSED)
TIMEOUTS_OK = {"UserVars.ESXiShellInteractiveTimeOut": "900", "UserVars.ESXiShellTimeOut": "600"}

CASES: list[tuple[str, str, Any, Environment | None, Status, Severity | None]] = [
    # SEC001 esxi-vulnerable-build
    ("esxi-80u3d-affected", "SEC001", make_host(), None, Status.FAIL, Severity.HIGH),
    (
        "esxi-80u1-exploited",
        "SEC001",
        make_host(version="8.0.1", build=21495797),
        None,
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("esxi-80u3g-clean", "SEC001", make_host(build=24859861), None, Status.PASS, None),
    ("esxi-build-unknown", "SEC001", make_host(build=24999999), None, Status.UNKNOWN, None),
    ("esxi-build-missing", "SEC001", make_host(build=None), None, Status.UNKNOWN, None),
    (
        "esxi-67-past-support-unassessed",
        "SEC001",
        make_host(version="6.7.0", build=20497097),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC002 vcenter-vulnerable-build
    ("vcenter-80u3d-affected", "SEC002", make_vcenter(), None, Status.FAIL, Severity.HIGH),
    (
        "vcenter-80u1-exploited",
        "SEC002",
        make_vcenter(version="8.0.1", build=21560480),
        None,
        Status.FAIL,
        Severity.CRITICAL,
    ),
    ("vcenter-80u3g-clean", "SEC002", make_vcenter(build=24853646), None, Status.PASS, None),
    ("vcenter-build-unknown", "SEC002", make_vcenter(build=24999999), None, Status.UNKNOWN, None),
    ("vcenter-standalone-host", "SEC002", make_vcenter(product="ESXi"), None, Status.SKIPPED, None),
    # SEC003 vm-tools-vulnerable
    (
        "tools-12.2.0-exploited",
        "SEC003",
        make_vm(tools_version=12352),
        None,
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "tools-13.0.0-affected",
        "SEC003",
        make_vm(tools_version=13312),
        None,
        Status.FAIL,
        Severity.HIGH,
    ),
    ("tools-12.5.4-fixed", "SEC003", make_vm(tools_version=12452), None, Status.PASS, None),
    ("tools-unmanaged", "SEC003", make_vm(tools_version=2147483647), None, Status.SKIPPED, None),
    ("tools-version-missing", "SEC003", make_vm(tools_version=None), None, Status.UNKNOWN, None),
    # SEC004 esxi-ssh-running
    ("ssh-stopped", "SEC004", make_host(), None, Status.PASS, None),
    (
        "ssh-running",
        "SEC004",
        make_host(services=services(TSM_SSH=(True, "on"))),
        None,
        Status.FAIL,
        None,
    ),
    (
        "ssh-starts-with-host",
        "SEC004",
        make_host(services=services(TSM_SSH=(False, "on"))),
        None,
        Status.FAIL,
        Severity.LOW,
    ),
    ("ssh-services-missing", "SEC004", make_host(services=None), None, Status.UNKNOWN, None),
    # SEC005 esxi-shell-running
    ("shell-stopped", "SEC005", make_host(), None, Status.PASS, None),
    (
        "shell-running",
        "SEC005",
        make_host(services=services(TSM=(True, "off"))),
        None,
        Status.FAIL,
        None,
    ),
    ("shell-services-missing", "SEC005", make_host(services=None), None, Status.UNKNOWN, None),
    # SEC006 esxi-slp-running
    ("slp-absent", "SEC006", make_host(), None, Status.PASS, None),
    (
        "slp-stopped",
        "SEC006",
        make_host(services=services(slpd=(False, "off"))),
        None,
        Status.PASS,
        None,
    ),
    (
        "slp-running",
        "SEC006",
        make_host(services=services(slpd=(True, "on"))),
        None,
        Status.FAIL,
        None,
    ),
    ("slp-services-missing", "SEC006", make_host(services=None), None, Status.UNKNOWN, None),
    # SEC007 esxi-lockdown-disabled
    ("lockdown-normal", "SEC007", make_host(), None, Status.PASS, None),
    (
        "lockdown-off",
        "SEC007",
        make_host(lockdown_mode="lockdownDisabled"),
        None,
        Status.FAIL,
        None,
    ),
    ("lockdown-missing", "SEC007", make_host(lockdown_mode=None), None, Status.UNKNOWN, None),
    # SEC008 esxi-mob-enabled
    ("mob-off", "SEC008", make_host(), None, Status.PASS, None),
    (
        "mob-on",
        "SEC008",
        host_with(**{"Config.HostAgent.plugins.solo.enableMob": "true"}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "mob-missing",
        "SEC008",
        host_without("Config.HostAgent.plugins.solo.enableMob"),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC009 esxi-shell-timeouts
    ("timeouts-ok", "SEC009", host_with(**TIMEOUTS_OK), None, Status.PASS, None),
    (
        "timeout-zero",
        "SEC009",
        host_with(**TIMEOUTS_OK | {"UserVars.ESXiShellInteractiveTimeOut": "0"}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "timeout-too-long",
        "SEC009",
        host_with(**TIMEOUTS_OK | {"UserVars.ESXiShellTimeOut": "3600"}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "timeout-missing",
        "SEC009",
        host_without("UserVars.ESXiShellTimeOut"),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC010 esxi-account-lockout
    ("lockout-ok", "SEC010", make_host(), None, Status.PASS, None),
    (
        "lockout-off",
        "SEC010",
        host_with(**{"Security.AccountLockFailures": "0"}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "lockout-too-lenient",
        "SEC010",
        host_with(**{"Security.AccountLockFailures": "10"}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "unlock-too-fast",
        "SEC010",
        host_with(**{"Security.AccountUnlockTime": "60"}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "lockout-missing",
        "SEC010",
        host_without("Security.AccountLockFailures"),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC011 esxi-guest-bpdu-not-blocked
    ("bpdu-blocked", "SEC011", host_with(**{"Net.BlockGuestBPDU": "1"}), None, Status.PASS, None),
    ("bpdu-passed", "SEC011", host_with(**{"Net.BlockGuestBPDU": "0"}), None, Status.FAIL, None),
    ("bpdu-missing", "SEC011", make_host(), None, Status.UNKNOWN, None),
    # SEC012 esxi-page-sharing-not-salted
    ("salting-on", "SEC012", host_with(**{"Mem.ShareForceSalting": "2"}), None, Status.PASS, None),
    ("salting-off", "SEC012", host_with(**{"Mem.ShareForceSalting": "0"}), None, Status.FAIL, None),
    ("salting-missing", "SEC012", make_host(), None, Status.UNKNOWN, None),
    # SEC013 esxi-dcui-timeout
    (
        "dcui-timeout-ok",
        "SEC013",
        host_with(**{"UserVars.DcuiTimeOut": "600"}),
        None,
        Status.PASS,
        None,
    ),
    (
        "dcui-timeout-never",
        "SEC013",
        host_with(**{"UserVars.DcuiTimeOut": "0"}),
        None,
        Status.FAIL,
        None,
    ),
    ("dcui-timeout-missing", "SEC013", make_host(), None, Status.UNKNOWN, None),
    # SEC014 host-portgroup-insecure-policy
    (
        "host-pg-closed",
        "SEC014",
        make_host(vswitches=[VSwitch(name="vSwitch0", security=CLOSED)]),
        None,
        Status.PASS,
        None,
    ),
    (
        "host-pg-promiscuous",
        "SEC014",
        make_host(portgroups=[HostPortGroup(name="DMZ", vswitch="vSwitch0", security=OPEN)]),
        None,
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "host-vswitch-forged",
        "SEC014",
        make_host(vswitches=[VSwitch(name="vSwitch1", security=FORGED)]),
        None,
        Status.FAIL,
        None,
    ),
    (
        "host-network-missing",
        "SEC014",
        make_host(vswitches=None, portgroups=None),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC015 dvportgroup-insecure-policy
    ("dvpg-closed", "SEC015", make_network(**DVPG), None, Status.PASS, None),
    (
        "dvpg-mac-changes",
        "SEC015",
        make_network(
            type="DistributedVirtualPortgroup", security=PortGroupSecurity(mac_changes=True)
        ),
        None,
        Status.FAIL,
        None,
    ),
    (
        "dvpg-policy-missing",
        "SEC015",
        make_network(type="DistributedVirtualPortgroup"),
        None,
        Status.UNKNOWN,
        None,
    ),
    ("standard-network-skipped", "SEC015", make_network(), None, Status.SKIPPED, None),
    # SEC016 vm-console-copy-paste-enabled
    ("copy-paste-default", "SEC016", make_vm(), None, Status.PASS, None),
    (
        "copy-paste-explicitly-off",
        "SEC016",
        make_vm(advanced_settings={"isolation.tools.copy.disable": "TRUE"}),
        None,
        Status.PASS,
        None,
    ),
    (
        "copy-paste-enabled",
        "SEC016",
        make_vm(
            advanced_settings={
                "isolation.tools.copy.disable": "false",
                "isolation.tools.paste.disable": "false",
            }
        ),
        None,
        Status.FAIL,
        None,
    ),
    (
        "copy-paste-not-collected",
        "SEC016",
        make_vm(advanced_settings=None),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC017 vm-console-connections-unlimited
    (
        "console-one-connection",
        "SEC017",
        make_vm(advanced_settings={"RemoteDisplay.maxConnections": "1"}),
        None,
        Status.PASS,
        None,
    ),
    ("console-unlimited", "SEC017", make_vm(), None, Status.FAIL, None),
    (
        "console-two-connections",
        "SEC017",
        make_vm(advanced_settings={"RemoteDisplay.maxConnections": "2"}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "console-not-collected",
        "SEC017",
        make_vm(advanced_settings=None),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC018 esxi-logs-not-persistent
    (
        "logs-on-datastore",
        "SEC018",
        host_with(**{"Syslog.global.logDir": "[ds1] logs/esx01"}),
        None,
        Status.PASS,
        None,
    ),
    (
        "logs-on-persistent-scratch",
        "SEC018",
        host_with(
            **{
                "Syslog.global.logDir": "[] /scratch/log",
                "ScratchConfig.CurrentScratchLocation": "/vmfs/volumes/ds1/.locker",
            }
        ),
        None,
        Status.PASS,
        None,
    ),
    (
        "logs-on-ramdisk-scratch",
        "SEC018",
        host_with(
            **{
                "Syslog.global.logDir": "[] /scratch/log",
                "ScratchConfig.CurrentScratchLocation": "/tmp/scratch",
            }
        ),
        None,
        Status.FAIL,
        None,
    ),
    (
        "logs-dir-empty",
        "SEC018",
        host_with(**{"Syslog.global.logDir": ""}),
        None,
        Status.FAIL,
        None,
    ),
    (
        "logs-scratch-unknown",
        "SEC018",
        host_with(**{"Syslog.global.logDir": "[] /scratch/log"}),
        None,
        Status.UNKNOWN,
        None,
    ),
    ("logs-dir-missing", "SEC018", make_host(), None, Status.UNKNOWN, None),
    # SEC019 esxi-remote-syslog-missing
    ("syslog-configured", "SEC019", make_host(), None, Status.PASS, None),
    (
        "syslog-empty",
        "SEC019",
        make_host(advanced_settings=BASE_SETTINGS | {"Syslog.global.logHost": ""}, syslog_hosts=[]),
        None,
        Status.FAIL,
        None,
    ),
    (
        "syslog-missing",
        "SEC019",
        make_host(advanced_settings={}, syslog_hosts=None),
        None,
        Status.UNKNOWN,
        None,
    ),
    # SEC020 failed-login-burst
    (
        "logins-quiet",
        "SEC020",
        make_vcenter(),
        failed_logins(5, timedelta(seconds=20)),
        Status.PASS,
        None,
    ),
    (
        "logins-burst",
        "SEC020",
        make_vcenter(),
        failed_logins(12, timedelta(seconds=20)),
        Status.FAIL,
        None,
    ),
    (
        "logins-spread-out",
        "SEC020",
        make_vcenter(),
        failed_logins(12, timedelta(hours=1)),
        Status.PASS,
        None,
    ),
    (
        "logins-unattributed-single-vcenter",
        "SEC020",
        make_vcenter(),
        failed_logins(12, timedelta(seconds=5), None),
        Status.FAIL,
        None,
    ),
    (
        "logins-events-missing",
        "SEC020",
        make_vcenter(),
        make_env(gaps=[Gap(what="events", reason="no permission")]),
        Status.UNKNOWN,
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "check_id", "obj", "env", "status", "severity"), CASES, ids=[c[0] for c in CASES]
)
def test_security_case(
    case: str,
    check_id: str,
    obj: Any,
    env: Environment | None,
    status: Status,
    severity: Severity | None,
) -> None:
    outcome = run_one(check_id, obj, env)
    assert outcome.status is status, outcome.message
    if severity is not None:
        assert outcome.severity is severity


def test_vulnerable_esxi_evidence_names_advisories_cves_and_patch_target() -> None:
    outcome = run_one("SEC001", make_host(version="8.0.1", build=21495797))
    evidence = outcome.evidence
    assert "VMSA-2025-0004" in str(evidence["advisories"])
    assert "CVE-2025-22224" in str(evidence["cves"])
    assert "VMSA-2025-0004" in str(evidence["cisa_kev"])
    assert "24784735" in str(evidence["patch_target"])  # ESXi 8.0 U3f fixes every advisory on 8.0


def test_security_only_build_counts_as_its_full_patch() -> None:
    # 7.0 U1c security-only (17325020) carries the VMSA-2021-0002 fix of 7.0 U1c (17325551)
    outcome = run_one("SEC001", make_host(version="7.0.1", build=17325020))
    assert "VMSA-2021-0002" not in str(outcome.evidence["advisories"])


def test_unknown_esxi_build_lists_nearest_known_builds() -> None:
    outcome = run_one("SEC001", make_host(build=24999999))
    assert "24859861" in str(outcome.evidence["nearest_older"])


def test_stig_lockout_threshold_override() -> None:
    host = make_host()  # AccountLockFailures = 5
    assert run_one("SEC010", host).status is Status.PASS
    assert run_one("SEC010", host, max_failures=3).status is Status.FAIL


def test_login_burst_threshold_override() -> None:
    env = failed_logins(5, timedelta(seconds=20))
    assert run_one("SEC020", make_vcenter(), env, max_failures=5).status is Status.FAIL


def test_advisory_without_fix_is_named_beside_the_patch_target() -> None:
    outcome = run_one("SEC001", make_host(version="7.0.3", build=24723872))  # 7.0 U3v
    assert outcome.status is Status.FAIL
    assert outcome.evidence["no_fix_on_this_line"] == "VMSA-2024-0013"
    assert "24784741" in str(outcome.evidence["patch_target"])  # 7.0 U3w fixes the rest


def test_line_past_support_lists_advisories_not_assessed_for_it() -> None:
    outcome = run_one("SEC001", make_host(version="6.7.0", build=20497097))  # 6.7 P08, last patch
    assert "VMSA-2025-0004" in str(outcome.evidence["not_assessed_since_end_of_support"])
