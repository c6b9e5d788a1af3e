"""Findings, not only inventory: fault scenarios built through the API, then collected and checked.

One simulator for the whole module: the scenarios are built once (a snapshot chain, memory
beyond the host, a powered-off VM, weakened host settings) on an inventory started with a
disconnected host and an inaccessible datastore; the tests only read the result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import msgspec
import pytest
from pyVmomi import vim
from scenario import admin, find, wait
from vcsim_support import PASSWORD, USER, Vcsim, launch, stop

from conftest import StartVcsim
from vmdoctor.checks.engine import ScanResult, run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.model import Environment, Finding, Status
from vmdoctor.sources.vsphere import CollectOptions, collect

FAST = CollectOptions(timeout_s=10, perf_window=timedelta(minutes=10))
CHAINED_VM = "DC0_C0_RP0_VM0"
BIG_VM = "DC0_C0_RP0_VM1"
OFF_VM = "DC0_H0_VM0"
WEAK_HOST = "DC0_C0_H0"
DOWN_HOST = "DC0_C0_H2"
LOST_DS = "LocalDS_1"


@dataclass
class Estate:
    sim: Vcsim
    env: Environment
    result: ScanResult

    @property
    def results(self) -> list[Finding]:
        return [*self.result.findings, *self.result.passed_findings]

    def finding(self, check_id: str, name: str) -> Finding:
        for f in self.results:
            if f.check_id == check_id and f.object.name == name:
                return f
        raise AssertionError(f"no {check_id} result for {name}")

    def status(self, check_id: str, name: str) -> Status | None:
        """None when the check does not apply to the object (no result at all)."""
        try:
            return self.finding(check_id, name).status
        except AssertionError:
            return None


def build_scenarios(sim: Vcsim) -> None:
    with admin(sim) as content:
        vm = find(content, vim.VirtualMachine, CHAINED_VM)
        for i in range(4):  # each snapshot is a child of the previous one: a chain of 4
            task = vm.CreateSnapshot_Task(name=f"s{i}", description="", memory=False, quiesce=False)
            assert wait(task).state == "success"
        big = find(content, vim.VirtualMachine, BIG_VM)
        assert wait(big.ReconfigVM_Task(spec=vim.vm.ConfigSpec(memoryMB=256 * 1024))).state == (
            "success"
        )
        off = find(content, vim.VirtualMachine, OFF_VM)
        assert wait(off.PowerOffVM_Task()).state == "success"
        host = find(content, vim.HostSystem, WEAK_HOST)
        host.configManager.advancedOption.UpdateOptions(
            changedValue=[
                vim.option.OptionValue(key="UserVars.ESXiShellInteractiveTimeOut", value=0),
                vim.option.OptionValue(key="UserVars.ESXiShellTimeOut", value=600),
                vim.option.OptionValue(key="Config.HostAgent.plugins.solo.enableMob", value=True),
            ]
        )


@pytest.fixture(scope="module")
def estate(vcsim_binary: Path) -> Iterator[Estate]:
    sim = launch(
        vcsim_binary, "-ds", "2", "-disconnect-host", DOWN_HOST, "-inaccessible-ds", LOST_DS
    )
    try:
        build_scenarios(sim)
        outcome = collect([sim.target()], FAST)
        assert outcome.errors == {}
        env = outcome.environment
        yield Estate(sim, env, run_checks(env, registry(), include_pass=True))
    finally:
        stop(sim)


def test_no_check_errors_on_a_collected_estate(estate: Estate) -> None:
    errors = [f for f in estate.results if f.status is Status.ERROR]
    assert errors == [], [(f.check_id, f.object.name, f.message) for f in errors]


def test_snapshot_chain_deeper_than_three_fails(estate: Estate) -> None:
    finding = estate.finding("STO004", CHAINED_VM)
    assert finding.status is Status.FAIL and "4" in finding.message
    assert estate.status("STO004", BIG_VM) in (None, Status.PASS)  # no snapshot at all


def test_snapshot_age_is_judged_from_its_creation_time(estate: Estate) -> None:
    chk = [registry().get("STO003")]
    today = run_checks(estate.env, chk, include_pass=True)
    (now,) = [f for f in [*today.findings, *today.passed_findings] if f.object.name == CHAINED_VM]
    assert now.status is Status.PASS  # created minutes ago
    later = msgspec.structs.replace(
        estate.env, collected_at=estate.env.collected_at + timedelta(days=20)
    )
    (aged,) = [f for f in run_checks(later, chk).findings if f.object.name == CHAINED_VM]
    assert aged.status is Status.FAIL and aged.severity.value == "critical"  # > 14 days


def test_memory_beyond_the_host_fails(estate: Estate) -> None:
    finding = estate.finding("CFG001", BIG_VM)
    assert finding.status is Status.FAIL
    assert estate.finding("CFG001", CHAINED_VM).status is Status.PASS


def test_powered_off_vm_is_collected_but_not_judged_on_running_metrics(estate: Estate) -> None:
    off = next(v for v in estate.env.vms if v.name == OFF_VM)
    assert off.power_state == "poweredOff"
    off_results = {f.check_id for f in estate.results if f.object.id == off.id}
    running = next(v for v in estate.env.vms if v.name == CHAINED_VM)
    running_results = {f.check_id for f in estate.results if f.object.id == running.id}
    assert "RES003" in running_results and "RES003" not in off_results


def test_weakened_host_settings_fail_the_security_checks(estate: Estate) -> None:
    timeouts = estate.finding("SEC009", WEAK_HOST)
    assert timeouts.status is Status.FAIL
    assert "UserVars.ESXiShellInteractiveTimeOut" in timeouts.message
    assert estate.finding("SEC008", WEAK_HOST).status is Status.FAIL
    # an untouched host never had the settings: UNKNOWN (not collected), not a silent PASS
    assert estate.finding("SEC009", "DC0_C0_H1").status is not Status.FAIL


def test_disconnected_host_fails_and_its_data_checks_are_unknown(estate: Estate) -> None:
    assert estate.finding("CFG014", DOWN_HOST).status is Status.FAIL
    paths = estate.finding("STO013", DOWN_HOST)
    assert paths.status is Status.UNKNOWN and "disconnected" in paths.message
    assert estate.finding("CFG014", WEAK_HOST).status is Status.PASS
    # connected hosts have their storage devices collected (vcsim: one local disk each)
    assert estate.finding("STO013", WEAK_HOST).status is Status.PASS


def test_inaccessible_datastore_fails(estate: Estate) -> None:
    assert estate.finding("STO008", LOST_DS).status is Status.FAIL
    assert estate.finding("STO008", "LocalDS_0").status is Status.PASS


def test_two_servers_in_one_collect_give_one_environment(
    estate: Estate, start_vcsim: StartVcsim
) -> None:
    other = start_vcsim("-cluster", "0", "-host", "2", "-vm", "1")
    outcome = collect([estate.sim.target(), other.target()], FAST)
    env = outcome.environment
    names = [estate.sim.target().name, other.target().name]
    assert sorted(v.id for v in env.vcenters) == sorted(names)
    assert set(outcome.stats) == set(names)
    for name in names:
        hosts = [h for h in env.hosts if h.vcenter_id == name]
        assert hosts and all(h.id.startswith(name + ":") for h in hosts)
    assert len(env.hosts) == len(estate.env.hosts) + 2
    assert len({h.id for h in env.hosts}) == len(env.hosts)  # same morefs, no collision
    result = run_checks(env, registry())
    assert {f.object.id.split(":host-")[0] for f in result.findings if f.object.type == "host"} >= {
        names[0]
    }


def vmdoctor_command() -> list[str]:
    script = shutil.which("vmdoctor", path=str(Path(sys.executable).parent))
    assert script, "the vmdoctor console script is not installed in this environment"
    return [script]


def test_cli_scan_server_json_end_to_end(estate: Estate, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "VSPHERE_USER": USER,
        "VSPHERE_PASSWORD": PASSWORD,
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [*vmdoctor_command(), "scan", "--server", estate.sim.url, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert PASSWORD not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    # a critical finding (the inaccessible datastore) makes the monitoring exit code CRITICAL
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    assert report["source"]["kind"] == "vsphere"
    failed = {(f["check_id"], f["object"]["name"]) for f in report["findings"]}
    assert {
        ("STO008", LOST_DS),
        ("CFG014", DOWN_HOST),
        ("STO004", CHAINED_VM),
        ("SEC008", WEAK_HOST),
    } <= failed
    gaps = {(g["what"], g["object_name"]) for g in report["gaps"]}
    assert ("host", DOWN_HOST) in gaps and ("datastore", LOST_DS) in gaps
