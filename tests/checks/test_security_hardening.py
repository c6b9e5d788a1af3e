"""Named pass / fail / unknown cases for the hand-written host hardening checks (SEC023, SEC034,
SEC044-SEC047)."""

from __future__ import annotations

from typing import Any

import pytest

from vmdoctor.checks.security.host_hardening import password_quality_problems
from vmdoctor.model import HostPortGroup, HostService, Severity, Status

from factories import make_host, run_one

SCG_MIN = "min=disabled,disabled,disabled,disabled,15"
SCG_POLICY = "similar=deny retry=3 min=disabled,disabled,disabled,disabled,15 max=64"
DEFAULT_POLICY = "retry=3 min=disabled,disabled,disabled,7,7"


def quality(policy: str) -> Any:
    return make_host(advanced_settings={"Security.PasswordQualityControl": policy})


@pytest.mark.parametrize(
    ("name", "policy", "expected"),
    [
        ("scg-recommended", SCG_POLICY, Status.PASS),
        ("scg-quoted", f'"{SCG_POLICY}"', Status.PASS),
        ("similar-implicit-deny", f"retry=3 {SCG_MIN}", Status.PASS),
        ("esxi-default", DEFAULT_POLICY, Status.FAIL),
        ("similar-permit", f"similar=permit {SCG_MIN}", Status.FAIL),
        ("no-min-uses-passwdqc-default", "retry=3", Status.FAIL),
        ("passphrase-too-short", "min=disabled,disabled,12,disabled,15", Status.FAIL),
        ("garbage-min", "min=a,b,c,d,e", Status.FAIL),
    ],
)  # fmt: skip
def test_password_complexity(name: str, policy: str, expected: Status) -> None:
    assert run_one("SEC023", quality(policy)).status is expected, name


def test_password_complexity_names_every_problem() -> None:
    problems = password_quality_problems("similar=permit min=disabled,24,11,8,7", 15)
    assert len(problems) == 2 and "7 characters" in problems[1]
    assert run_one("SEC023", quality(SCG_POLICY), min_length=16).status is Status.FAIL


def test_password_complexity_not_collected() -> None:
    assert run_one("SEC023", make_host(advanced_settings={})).status is Status.UNKNOWN


AUDIT = "Syslog.global.auditRecord.storageDirectory"
SCRATCH = "ScratchConfig.CurrentScratchLocation"


@pytest.mark.parametrize(
    ("name", "settings", "expected"),
    [
        ("on-datastore", {AUDIT: "[ds-local-01] audit/esx01"}, Status.PASS),
        ("scratch-on-disk", {AUDIT: "[] /scratch/auditLog", SCRATCH: "/vmfs/volumes/abc/.locker"},
         Status.PASS),
        ("scratch-on-ramdisk", {AUDIT: "[] /scratch/auditLog", SCRATCH: "/tmp/scratch"},
         Status.FAIL),
        ("tmp-path", {AUDIT: "/tmp/audit"}, Status.FAIL),
        ("empty", {AUDIT: ""}, Status.FAIL),
        ("scratch-not-collected", {AUDIT: "[] /scratch/auditLog"}, Status.UNKNOWN),
        ("not-collected", {}, Status.UNKNOWN),
    ],
)  # fmt: skip
def test_audit_records_persistent(name: str, settings: dict[str, str], expected: Status) -> None:
    outcome = run_one("SEC034", make_host(advanced_settings=settings))
    assert outcome.status is expected, name
    if expected is Status.FAIL:
        assert "audit records" in outcome.message and "audit_dir" in outcome.evidence


def with_service(key: str, running: bool, policy: str) -> Any:
    return make_host(services=[HostService(key=key, running=running, policy=policy)])


@pytest.mark.parametrize("check_id, key", [("SEC044", "sfcbd-watchdog"), ("SEC045", "snmpd")])
def test_services_that_should_be_off(check_id: str, key: str) -> None:
    assert run_one(check_id, with_service(key, False, "off")).status is Status.PASS
    running = run_one(check_id, with_service(key, True, "on"))
    assert running.status is Status.FAIL and running.severity is None
    starts = run_one(check_id, with_service(key, False, "on"))
    assert starts.status is Status.FAIL and starts.severity is Severity.LOW
    assert run_one(check_id, make_host(services=None)).status is Status.UNKNOWN
    assert run_one(check_id, make_host(services=[])).status is Status.UNKNOWN


@pytest.mark.parametrize(
    ("name", "services", "expected", "severity"),
    [
        ("ntpd-running-on", [("ntpd", True, "on")], Status.PASS, None),
        ("ptpd-running-on", [("ntpd", False, "off"), ("ptpd", True, "on")], Status.PASS, None),
        ("ntpd-started-by-hand", [("ntpd", True, "off")], Status.FAIL, Severity.LOW),
        ("ntpd-stopped", [("ntpd", False, "on")], Status.FAIL, None),
        ("no-time-service-listed", [("TSM-SSH", False, "off")], Status.UNKNOWN, None),
    ],
)
def test_time_service(
    name: str, services: list[tuple[str, bool, str]], expected: Status, severity: Severity | None
) -> None:
    host = make_host(services=[HostService(key=k, running=r, policy=p) for k, r, p in services])
    outcome = run_one("SEC046", host)
    assert outcome.status is expected, name
    assert outcome.severity is severity


def test_time_service_not_collected() -> None:
    assert run_one("SEC046", make_host(services=None)).status is Status.UNKNOWN


def test_guest_vlan_trunk() -> None:
    def groups(*vlans: int | None) -> list[HostPortGroup]:
        return [HostPortGroup(name=f"pg{i}", vswitch="vSwitch0", vlan_id=v) for i, v in
                enumerate(vlans)]  # fmt: skip

    assert run_one("SEC047", make_host(portgroups=groups(10, 0, None))).status is Status.PASS
    trunk = run_one("SEC047", make_host(portgroups=groups(10, 4095)))
    assert trunk.status is Status.FAIL and "pg1" in trunk.message
    assert run_one("SEC047", make_host(portgroups=None)).status is Status.UNKNOWN
