"""DRS rules and host firewall rulesets collected from the simulator."""

from __future__ import annotations

from datetime import timedelta

from pyVmomi import vim
from scenario import admin, find, wait
from vcsim_support import Vcsim

from vmdoctor.sources.vsphere import CollectOptions, collect

OPTIONS = CollectOptions(timeout_s=10, perf=False, perf_window=timedelta(minutes=10))


def test_a_drs_rule_made_through_the_api_is_collected(vcsim: Vcsim) -> None:
    with admin(vcsim) as content:
        cluster = find(content, vim.ClusterComputeResource, "DC0_C0")
        vms = [find(content, vim.VirtualMachine, f"DC0_C0_RP0_VM{i}") for i in (0, 1)]
        rule = vim.cluster.AntiAffinityRuleSpec(name="keep-apart", enabled=True, vm=vms)
        add = vim.cluster.RuleSpec(operation="add", info=rule)
        spec = vim.cluster.ConfigSpecEx(rulesSpec=[add])
        assert wait(cluster.ReconfigureComputeResource_Task(spec, True)).state == "success"
        vm_ids = sorted(f"{vcsim.target().name}:{vm._moId}" for vm in vms)
    env = collect([vcsim.target()], OPTIONS).environment
    (collected,) = env.clusters
    assert [(r.name, r.kind, r.enabled) for r in collected.drs_rules or []] == [
        ("keep-apart", "anti-affinity", True)
    ]
    assert sorted((collected.drs_rules or [])[0].vm_ids) == vm_ids


def test_hosts_carry_their_enabled_firewall_rulesets(vcsim: Vcsim) -> None:
    env = collect([vcsim.target()], OPTIONS).environment
    assert env.hosts
    for host in env.hosts:
        keys = {r.key for r in host.firewall_rulesets or []}
        assert {"CIMHttpServer", "dns"} <= keys  # enabled in the simulator's template
        assert "DVFilter" not in keys  # disabled there
