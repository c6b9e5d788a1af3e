"""Security checks: missing data is UNKNOWN with the collector's reason, never a guessed FAIL."""

from __future__ import annotations

from vmdoctor.model import Gap, HostService, Severity, Status

from factories import make_env, make_host, make_vm, run_one

NO_POLICIES = "start policies are not exported"


def _ntpd(policy: str | None) -> HostService:
    return HostService(key="ntpd", label="NTP Daemon", running=True, policy=policy)


def test_sec046_running_ntpd_with_unknown_policy_is_unknown_citing_the_gap() -> None:
    host = make_host(services=[_ntpd(None)])
    gap = Gap(what="host.services", reason=NO_POLICIES)
    outcome = run_one("SEC046", host, make_env(hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN
    assert "start policy was not collected" in outcome.message and NO_POLICIES in outcome.message


def test_sec046_running_ntpd_with_policy_off_still_fails_low() -> None:
    host = make_host(services=[_ntpd("off")])
    outcome = run_one("SEC046", host, make_env(hosts=[host]))
    assert outcome.status is Status.FAIL and outcome.severity is Severity.LOW
    assert "policy off" in outcome.message


def test_sec004_running_ssh_names_an_uncollected_policy_plainly() -> None:
    ssh = HostService(key="TSM-SSH", label="SSH", running=True, policy=None)
    host = make_host(services=[ssh])
    outcome = run_one("SEC004", host, make_env(hosts=[host]))
    assert outcome.status is Status.FAIL and "?" not in outcome.message
    assert "start policy: not collected" in outcome.message


def test_sec016_vm_advanced_settings_cite_the_advanced_settings_gap_not_the_guest_gap() -> None:
    vm = make_vm(advanced_settings=None)
    gaps = [
        Gap(what="vm.config.guestId", reason="unknown guest OS name", object_id=vm.id),
        Gap(what="vm.advanced_settings", reason="the export holds no VM advanced settings"),
    ]
    outcome = run_one("SEC016", vm, make_env(vms=[vm], gaps=gaps))
    assert outcome.status is Status.UNKNOWN
    assert "holds no VM advanced settings" in outcome.message
    assert "guest OS" not in outcome.message


def test_host_service_checks_cite_a_whole_host_gap() -> None:
    host = make_host(services=None)
    gap = Gap(what="host", reason="an esxtop capture holds no host configuration", object_id="h1")
    outcome = run_one("SEC044", host, make_env(hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "esxtop" in outcome.message
