"""Named pass / fail / unknown cases for the data-driven advanced-setting checks (SEC021+).

Every row names a compliant and a non-compliant value written here from the SCG / STIG, not
taken from the check table, so a wrong comparison in the table makes a case fail.
"""

from __future__ import annotations

import pytest

from vmdoctor.checks.registry import registry
from vmdoctor.model import Gap, Status

from factories import make_env, make_host, make_vcenter, make_vm, run_one

# check, setting key, compliant value, non-compliant value
HOST_CASES: list[tuple[str, str, str, str]] = [
    ("SEC021", "Security.PasswordHistory", "5", "0"),
    ("SEC021", "Security.PasswordHistory", "24", "4"),
    ("SEC022", "Security.PasswordMaxDays", "9999", "0"),
    ("SEC022", "Security.PasswordMaxDays", "90", "10000"),
    ("SEC024", "Annotations.WelcomeMessage", "Authorized users only.", ""),
    ("SEC025", "Config.Etc.issue", "Authorized users only.", "  "),
    ("SEC026", "Config.HostAgent.vmacore.soap.sessionTimeout", "30", "0"),
    ("SEC026", "Config.HostAgent.vmacore.soap.sessionTimeout", "10", "60"),
    ("SEC027", "UserVars.SuppressHyperthreadWarning", "0", "1"),
    ("SEC028", "UserVars.HostClientSessionTimeout", "900", "0"),
    ("SEC028", "UserVars.HostClientSessionTimeout", "600", "3600"),
    ("SEC029", "Net.BMCNetworkEnable", "0", "1"),
    ("SEC030", "DCUI.Access", "root", "root,svc-backup"),
    ("SEC031", "Syslog.global.auditRecord.storageEnable", "true", "false"),
    ("SEC032", "Syslog.global.auditRecord.storageCapacity", "100", "4"),
    ("SEC033", "Syslog.global.auditRecord.remoteEnable", "TRUE", "FALSE"),
    ("SEC035", "Config.HostAgent.log.level", "info", "verbose"),
    ("SEC036", "Syslog.global.logLevel", "error", "debug"),
    ("SEC036", "Syslog.global.logLevel", "info", "warning"),
    ("SEC037", "Syslog.global.certificate.checkSSLCerts", "true", "false"),
    ("SEC038", "Syslog.global.certificate.strictX509Compliance", "true", "false"),
    ("SEC039", "Mem.MemEagerZero", "1", "0"),
    ("SEC040", "Net.DVFilterBindIpAddress", "", "10.0.0.15"),
    ("SEC041", "UserVars.SuppressShellWarning", "0", "1"),
    ("SEC042", "UserVars.ESXiVPsDisabledProtocols", "sslv3,tlsv1,tlsv1.1", "sslv3,tlsv1"),
    ("SEC042", "UserVars.ESXiVPsDisabledProtocols", "tlsv1.1, sslv3 ,tlsv1,tlsv1.2", "sslv3"),
    ("SEC043", "VMkernel.Boot.execInstalledOnly", "true", "false"),
]


def _case_id(case: tuple[str, str, str, str]) -> str:
    return f"{case[0]}-{case[2] or 'empty'}-vs-{case[3].strip() or 'empty'}"


@pytest.mark.parametrize("case", HOST_CASES, ids=_case_id)
def test_host_setting_pass_and_fail(case: tuple[str, str, str, str]) -> None:
    check_id, key, good, bad = case
    passed = run_one(check_id, make_host(advanced_settings={key: good}))
    assert passed.status is Status.PASS, passed.message
    failed = run_one(check_id, make_host(advanced_settings={key: bad}))
    assert failed.status is Status.FAIL
    assert key in failed.message and failed.evidence["setting"] == key


@pytest.mark.parametrize("check_id", sorted({c[0] for c in HOST_CASES}))
def test_host_setting_absent_is_unknown_never_pass(check_id: str) -> None:
    outcome = run_one(check_id, make_host(advanced_settings={"Other.Key": "1"}))
    assert outcome.status is Status.UNKNOWN
    assert "was not collected" in outcome.message


def test_host_setting_unknown_carries_the_gap_reason() -> None:
    host = make_host(advanced_settings={})
    gap = Gap(
        what="host.advanced_settings", reason="option manager not readable", object_id=host.id
    )
    outcome = run_one("SEC039", host, make_env(hosts=[host], gaps=[gap]))
    assert outcome.status is Status.UNKNOWN and "option manager not readable" in outcome.message


@pytest.mark.parametrize(
    ("check_id", "key", "threshold", "value", "expected"),
    [
        ("SEC022", "Security.PasswordMaxDays", {"max_days": 90}, "9999", Status.FAIL),
        ("SEC026", "Config.HostAgent.vmacore.soap.sessionTimeout", {"max_minutes": 10}, "30",
         Status.FAIL),
        ("SEC036", "Syslog.global.logLevel", {"allowed": "info"}, "error", Status.FAIL),
        ("SEC030", "DCUI.Access", {"allowed": "root,svc-console"}, "svc-console", Status.PASS),
    ],
)  # fmt: skip
def test_thresholds_tighten_or_widen_the_baseline(
    check_id: str, key: str, threshold: dict[str, object], value: str, expected: Status
) -> None:
    outcome = run_one(check_id, make_host(advanced_settings={key: value}), **threshold)
    assert outcome.status is expected


def test_numeric_setting_that_is_not_a_number_fails() -> None:
    outcome = run_one("SEC032", make_host(advanced_settings={
        "Syslog.global.auditRecord.storageCapacity": "lots"}))  # fmt: skip
    assert outcome.status is Status.FAIL and "not a number" in outcome.message


# check, key, compliant value, non-compliant value, status when the key is absent
VM_CASES: list[tuple[str, str, str, str, Status]] = [
    ("SEC048", "isolation.tools.diskShrink.disable", "TRUE", "false", Status.PASS),
    ("SEC049", "isolation.tools.diskWiper.disable", "true", "FALSE", Status.PASS),
    ("SEC050", "mks.enable3d", "FALSE", "TRUE", Status.PASS),
    ("SEC052", "isolation.device.connectable.disable", "true", "false", Status.PASS),
    ("SEC053", "tools.setInfo.sizeLimit", "1048576", "104857600", Status.PASS),
    ("SEC053", "tools.setInfo.sizeLimit", "65536", "0", Status.PASS),
    ("SEC054", "log.keepOld", "10", "1000", Status.PASS),
    ("SEC055", "log.rotateSize", "2048000", "0", Status.PASS),
    ("SEC056", "tools.guestlib.enableHostInfo", "FALSE", "TRUE", Status.PASS),
    ("SEC058", "tools.guest.desktop.autolock", "TRUE", "false", Status.FAIL),
]


@pytest.mark.parametrize("case", VM_CASES, ids=lambda c: f"{c[0]}-{c[3]}")
def test_vm_setting_pass_fail_and_default(case: tuple[str, str, str, str, Status]) -> None:
    check_id, key, good, bad, when_absent = case
    assert run_one(check_id, make_vm(advanced_settings={key: good})).status is Status.PASS
    failed = run_one(check_id, make_vm(advanced_settings={key: bad}))
    assert failed.status is Status.FAIL and failed.evidence["value"] == bad
    assert run_one(check_id, make_vm(advanced_settings={})).status is when_absent


@pytest.mark.parametrize("check_id", sorted({c[0] for c in VM_CASES} | {"SEC051", "SEC057"}))
def test_vm_settings_not_collected_is_unknown_and_templates_are_skipped(check_id: str) -> None:
    assert run_one(check_id, make_vm(advanced_settings=None)).status is Status.UNKNOWN
    assert run_one(check_id, make_vm(template=True)).status is Status.SKIPPED


def test_vm_dvfilter() -> None:
    clean = make_vm(advanced_settings={"ethernet0.present": "TRUE", "ethernet0.filter": "x"})
    assert run_one("SEC051", clean).status is Status.PASS
    assert run_one("SEC051", make_vm(advanced_settings={})).status is Status.PASS
    tapped = make_vm(advanced_settings={"ethernet1.filter0.name": "dvfilter-generic-vmware"})
    outcome = run_one("SEC051", tapped)
    assert outcome.status is Status.FAIL and "ethernet1.filter0.name" in outcome.message


def test_vm_page_sharing_salt() -> None:
    assert run_one("SEC057", make_vm(advanced_settings={})).status is Status.PASS
    salted = make_vm(advanced_settings={"sched.mem.pshare.salt": "tenant-a"})
    assert run_one("SEC057", salted).status is Status.FAIL


# check, key, compliant value, non-compliant value (absent passes: every default complies)
VCENTER_CASES: list[tuple[str, str, str, str]] = [
    ("SEC060", "vpxd.event.syslog.enabled", "true", "false"),
    ("SEC061", "config.log.level", "info", "verbose"),
    ("SEC062", "VirtualCenter.VimPasswordExpirationInDays", "30", "365"),
    ("SEC062", "VirtualCenter.VimPasswordExpirationInDays", "7", "0"),
    ("SEC059", "event.maxAge", "30", "7"),
    ("SEC059", "task.maxAge", "180", "10"),
]
SOME_VC_SETTING = {"VirtualCenter.MaxDBConnection": "50"}


@pytest.mark.parametrize("case", VCENTER_CASES, ids=lambda c: f"{c[0]}-{c[3]}")
def test_vcenter_setting_pass_fail_and_default(case: tuple[str, str, str, str]) -> None:
    check_id, key, good, bad = case
    passed = run_one(check_id, make_vcenter(advanced_settings=SOME_VC_SETTING | {key: good}))
    assert passed.status is Status.PASS
    failed = run_one(check_id, make_vcenter(advanced_settings=SOME_VC_SETTING | {key: bad}))
    assert failed.status is Status.FAIL
    assert run_one(check_id, make_vcenter(advanced_settings=SOME_VC_SETTING)).status is Status.PASS
    assert run_one(check_id, make_vcenter(advanced_settings={})).status is Status.UNKNOWN


def test_vcenter_retention_purge_disabled_keeps_everything() -> None:
    vc = make_vcenter(advanced_settings={"event.maxAge": "7", "event.maxAgeEnabled": "false"})
    assert run_one("SEC059", vc).status is Status.PASS


def test_every_setting_check_documents_its_key_and_absent_rule() -> None:
    for case in HOST_CASES + [c[:4] for c in VM_CASES] + VCENTER_CASES:
        chk = registry().get(case[0])
        assert case[1] in chk.doc.what or case[1] in chk.doc.summary, chk.id
        assert any(r.startswith("vSphere 8 SCG") for r in chk.references), chk.id
