"""Named pass / fail / unknown cases for the compatibility checks (knowledge-backed)."""

from __future__ import annotations

from typing import Any

import pytest

from vmdoctor.model import Environment, Gap, Severity, Status

from factories import make_cluster, make_env, make_host, make_vcenter, make_vm, run_one


def _vm_on(host_kw: dict[str, Any], **vm_kw: Any) -> tuple[Any, Environment]:
    host = make_host(**host_kw)
    vm = make_vm(**vm_kw)
    return vm, make_env(hosts=[host], vms=[vm])


def _cluster(*hosts: Any, **cluster_kw: Any) -> tuple[Any, Environment]:
    cluster = make_cluster(**cluster_kw)
    return cluster, make_env(clusters=[cluster], hosts=list(hosts), vms=[])


H70 = {"version": "7.0.3", "build": 24784741}  # ESXi 7.0 U3w
H67 = {"version": "6.7.0", "build": None}
UNKNOWN_TOOLS = dict(
    tools_status=None, tools_running_status=None, tools_version_status=None, tools_version=None
)

CASES: list[tuple[str, str, Any, Environment | None, Status, Severity | None]] = [
    # CMP001 vm-tools-not-installed
    ("tools-installed", "CMP001", make_vm(), None, Status.PASS, None),
    (
        "tools-missing",
        "CMP001",
        make_vm(tools_status="toolsNotInstalled", tools_version=0),
        None,
        Status.FAIL,
        None,
    ),
    ("tools-status-not-collected", "CMP001", make_vm(**UNKNOWN_TOOLS), None, Status.UNKNOWN, None),
    (
        "tools-template-skipped",
        "CMP001",
        make_vm(template=True, tools_status="toolsNotInstalled"),
        None,
        Status.SKIPPED,
        None,
    ),
    # CMP002 vm-tools-not-running
    ("tools-running", "CMP002", make_vm(), None, Status.PASS, None),
    (
        "tools-stopped",
        "CMP002",
        make_vm(tools_running_status="guestToolsNotRunning", tools_status="toolsNotRunning"),
        None,
        Status.FAIL,
        None,
    ),
    ("tools-running-not-collected", "CMP002", make_vm(**UNKNOWN_TOOLS), None, Status.UNKNOWN, None),
    (
        "tools-powered-off",
        "CMP002",
        make_vm(power_state="poweredOff", tools_running_status="guestToolsNotRunning"),
        None,
        Status.SKIPPED,
        None,
    ),
    # CMP003 vm-tools-outdated
    ("tools-current-per-vcenter", "CMP003", make_vm(), None, Status.PASS, None),
    (
        "tools-need-upgrade-per-vcenter",
        "CMP003",
        make_vm(tools_version_status="guestToolsNeedUpgrade"),
        None,
        Status.FAIL,
        None,
    ),
    (
        "tools-older-than-bundled",
        "CMP003",
        make_vm(tools_version_status=None, tools_version=11360),
        None,
        Status.FAIL,
        None,
    ),
    (
        "tools-newer-than-bundled",
        "CMP003",
        make_vm(tools_version_status=None, tools_version=12352),
        None,
        Status.PASS,
        None,
    ),
    (
        "tools-unmanaged",
        "CMP003",
        make_vm(tools_version_status=None, tools_version=2147483647),
        None,
        Status.PASS,
        None,
    ),
    (
        "tools-host-build-unknown",
        "CMP003",
        *_vm_on({"build": 999}, tools_version_status=None, tools_version=11360),
        Status.UNKNOWN,
        None,
    ),
    # CMP004 vm-hardware-version-old
    ("hw-current", "CMP004", make_vm(hw_version="vmx-19"), None, Status.PASS, None),
    ("hw-old", "CMP004", make_vm(hw_version="vmx-11"), None, Status.FAIL, None),
    ("hw-not-collected", "CMP004", make_vm(hw_version=None), None, Status.UNKNOWN, None),
    # CMP005 vm-hardware-version-beyond-host
    ("hw-within-host", "CMP005", make_vm(hw_version="vmx-21"), None, Status.PASS, None),
    ("hw-beyond-host", "CMP005", *_vm_on(H70, hw_version="vmx-21"), Status.FAIL, None),
    (
        "hw-67-unknown-update-upper-bound",
        "CMP005",
        *_vm_on(H67, hw_version="vmx-15"),
        Status.PASS,
        None,
    ),
    (
        "hw-host-version-missing",
        "CMP005",
        *_vm_on({"version": None, "build": None}),
        Status.UNKNOWN,
        None,
    ),
    # CMP006 vm-guest-os-mismatch
    ("guest-matches", "CMP006", make_vm(), None, Status.PASS, None),
    (
        "guest-differs",
        "CMP006",
        make_vm(guest_id_running="windows2022srvNext_64Guest"),
        None,
        Status.FAIL,
        None,
    ),
    ("guest-running-unknown", "CMP006", make_vm(guest_id_running=None), None, Status.UNKNOWN, None),
    (
        "guest-powered-off",
        "CMP006",
        make_vm(power_state="poweredOff", guest_id_running=None),
        None,
        Status.SKIPPED,
        None,
    ),
    # CMP007 vm-guest-id-unknown-to-host
    ("guest-known-to-host", "CMP007", make_vm(), None, Status.PASS, None),
    (
        "guest-newer-than-host",
        "CMP007",
        make_vm(guest_id="rhel10_64Guest"),
        None,
        Status.FAIL,
        None,
    ),
    ("guest-not-in-kb", "CMP007", make_vm(guest_id="madeUpOs_64Guest"), None, Status.UNKNOWN, None),
    ("guest-not-collected", "CMP007", make_vm(guest_id=None), None, Status.UNKNOWN, None),
    # CMP008 esxi-end-of-support (now = 2026-11-20)
    ("esxi-80-supported", "CMP008", make_host(), None, Status.PASS, None),
    ("esxi-70-past-general-support", "CMP008", make_host(**H70), None, Status.FAIL, Severity.HIGH),
    (
        "esxi-67-past-technical-guidance",
        "CMP008",
        make_host(version="6.7.0", build=20497097),
        None,
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "esxi-line-without-dates",
        "CMP008",
        make_host(version="9.0.0", build=None),
        None,
        Status.UNKNOWN,
        None,
    ),
    # CMP009 vcenter-end-of-support
    ("vcenter-80-supported", "CMP009", make_vcenter(), None, Status.PASS, None),
    (
        "vcenter-70-past-general-support",
        "CMP009",
        make_vcenter(version="7.0.3", build=24730281),
        None,
        Status.FAIL,
        Severity.HIGH,
    ),
    (
        "vcenter-version-missing",
        "CMP009",
        make_vcenter(version=None, build=None),
        None,
        Status.UNKNOWN,
        None,
    ),
    (
        "vcenter-is-standalone-host",
        "CMP009",
        make_vcenter(product="ESXi"),
        None,
        Status.SKIPPED,
        None,
    ),
    # CMP010 esxi-build-unknown
    ("esxi-build-known", "CMP010", make_host(), None, Status.PASS, None),
    ("esxi-build-not-in-kb", "CMP010", make_host(build=24999999), None, Status.FAIL, None),
    ("esxi-build-not-collected", "CMP010", make_host(build=None), None, Status.UNKNOWN, None),
    # CMP011 vcenter-build-unknown
    ("vcenter-build-known", "CMP011", make_vcenter(), None, Status.PASS, None),
    ("vcenter-build-not-in-kb", "CMP011", make_vcenter(build=24999999), None, Status.FAIL, None),
    ("vcenter-build-not-collected", "CMP011", make_vcenter(build=None), None, Status.UNKNOWN, None),
    # CMP012 cluster-mixed-esxi-versions
    (
        "cluster-one-version",
        "CMP012",
        *_cluster(make_host(), make_host(id="h2")),
        Status.PASS,
        None,
    ),
    (
        "cluster-two-versions",
        "CMP012",
        *_cluster(make_host(), make_host(id="h2", version="8.0.2", build=24789317)),
        Status.FAIL,
        None,
    ),
    (
        "cluster-version-missing",
        "CMP012",
        *_cluster(make_host(), make_host(id="h2", version=None)),
        Status.UNKNOWN,
        None,
    ),
    ("cluster-without-hosts", "CMP012", *_cluster(), Status.SKIPPED, None),
    # CMP013 cluster-mixed-cpus-without-evc
    ("cpus-same-with-evc", "CMP013", *_cluster(make_host(), make_host(id="h2")), Status.PASS, None),
    (
        "cpus-mixed-vendors",
        "CMP013",
        *_cluster(make_host(), make_host(id="h2", cpu_vendor="amd")),
        Status.FAIL,
        Severity.CRITICAL,
    ),
    (
        "cpus-generations-no-evc",
        "CMP013",
        *_cluster(
            make_host(max_evc_mode="intel-cascadelake"),
            make_host(id="h2", max_evc_mode="intel-icelake"),
            evc_mode=None,
        ),
        Status.FAIL,
        None,
    ),
    (
        "cpus-same-model-no-evc",
        "CMP013",
        *_cluster(make_host(), make_host(id="h2"), evc_mode=None),
        Status.PASS,
        None,
    ),
    (
        "cpus-not-collected-no-evc",
        "CMP013",
        *_cluster(make_host(cpu_model=None), make_host(id="h2", cpu_model=None), evc_mode=None),
        Status.UNKNOWN,
        None,
    ),
    # CMP014 vcenter-older-than-host
    ("vcenter-same-as-host", "CMP014", make_host(), None, Status.PASS, None),
    (
        "vcenter-older-update",
        "CMP014",
        make_host(),
        make_env(vcenters=[make_vcenter(version="8.0.1", build=21560480)]),
        Status.FAIL,
        None,
    ),
    ("vcenter-newer-line", "CMP014", make_host(**H70), None, Status.PASS, None),
    (
        "vcenter-version-unknown",
        "CMP014",
        make_host(),
        make_env(vcenters=[make_vcenter(version=None, build=None)]),
        Status.UNKNOWN,
        None,
    ),
    (
        "standalone-host",
        "CMP014",
        make_host(),
        make_env(vcenters=[make_vcenter(product="ESXi")]),
        Status.SKIPPED,
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "check_id", "obj", "env", "status", "severity"), CASES, ids=[c[0] for c in CASES]
)
def test_compatibility_case(
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


def test_hw_floor_is_configurable() -> None:
    vm = make_vm(hw_version="vmx-19")
    assert run_one("CMP004", vm).status is Status.PASS
    assert run_one("CMP004", vm, min_hw_version=20).status is Status.FAIL


def test_end_of_support_soon_is_low_severity() -> None:
    outcome = run_one("CMP008", make_host(), warn_days=400)  # 8.0 ends 2027-10-11: 325 days left
    assert outcome.status is Status.FAIL
    assert outcome.severity is Severity.LOW
    assert outcome.evidence["days_to_end_of_general_support"] == 325


def test_unknown_build_names_nearest_known_builds() -> None:
    outcome = run_one("CMP010", make_host(build=24999999))
    assert "24859861" in str(outcome.evidence["nearest_older"])
    assert "25067014" in str(outcome.evidence["nearest_newer"])


def test_unknown_cites_the_collection_gap() -> None:
    host = make_host(build=None)
    env = make_env(
        hosts=[host], gaps=[Gap(what="host.config", reason="permission denied", object_id=host.id)]
    )
    outcome = run_one("CMP010", host, env)
    assert outcome.status is Status.UNKNOWN
    assert "permission denied" in outcome.message
