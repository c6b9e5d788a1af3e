"""Collection against the simulator: inventory, timeline, scenarios built through the API."""

from __future__ import annotations

from datetime import timedelta

from pyVmomi import vim
from scenario import admin, find, wait
from vcsim_support import Vcsim

from vmdoctor.checks.engine import run_checks
from vmdoctor.checks.registry import registry
from vmdoctor.model import Status
from vmdoctor.sources.vsphere import CollectOptions, collect

FAST = CollectOptions(timeout_s=10, perf_window=timedelta(minutes=10))


def test_inventory_of_every_type(vcsim: Vcsim) -> None:
    outcome = collect([vcsim.target()], FAST)
    env = outcome.environment
    assert outcome.errors == {}
    vc = vcsim.target().name
    assert [v.id for v in env.vcenters] == [vc]
    assert env.vcenters[0].product == "vCenter Server"
    # vcsim's VPX model: 1 datacenter, 1 cluster of 3 hosts + 1 standalone host, 2 VMs each.
    assert len(env.datacenters) == 1
    assert len(env.clusters) == 1
    assert len(env.hosts) == 4
    assert len(env.vms) == 4
    assert len(env.datastores) == 1
    assert {n.type for n in env.networks} == {"Network", "DistributedVirtualPortgroup"}
    assert env.resource_pools
    cluster = env.clusters[0]
    clustered = [h for h in env.hosts if h.cluster_id == cluster.id]
    assert len(clustered) == 3
    assert all(h.id.startswith(vc + ":host-") for h in env.hosts)
    assert all(h.datacenter_id == env.datacenters[0].id for h in env.hosts)
    assert all(h.services for h in env.hosts)
    host_ids = {h.id for h in env.hosts}
    for vm in env.vms:
        assert vm.host_id in host_ids
        assert vm.num_cpu >= 1 and vm.memory_mb > 0
        assert vm.disks and vm.disks[0].datastore_id == env.datastores[0].id
        assert vm.snapshots == []
    ds = env.datastores[0]
    assert ds.capacity_bytes and ds.free_bytes is not None and ds.free_bytes <= ds.capacity_bytes
    # the round trips depend on the number of types and pages, not objects
    stats = outcome.stats[vc]
    assert stats.pages == 11


def test_events_tasks_and_a_failed_task_keep_their_fault(vcsim: Vcsim) -> None:
    with admin(vcsim) as content:
        vm = find(content, vim.VirtualMachine, "DC0_H0_VM0")
        assert wait(vm.PowerOffVM_Task()).state == "success"
        failed = wait(vm.PowerOffVM_Task())  # already off: the task fails with a fault
        assert failed.state == "error"
    env = collect([vcsim.target()], FAST).environment
    types = {e.type for e in env.timeline.events}
    assert "VmPoweredOffEvent" in types
    vm_model = next(v for v in env.vms if v.name == "DC0_H0_VM0")
    assert vm_model.power_state == "poweredOff"
    powered_off = [e for e in env.timeline.events if e.type == "VmPoweredOffEvent"]
    assert powered_off[0].objects.vm_id == vm_model.id
    errors = [t for t in env.timeline.tasks if t.state == "error"]
    assert errors, env.timeline.tasks
    assert errors[0].fault_type == "InvalidPowerState"
    assert errors[0].entity_id == vm_model.id


def test_snapshot_memory_and_advanced_setting_scenarios(vcsim: Vcsim) -> None:
    with admin(vcsim) as content:
        vm = find(content, vim.VirtualMachine, "DC0_C0_RP0_VM0")
        assert (
            wait(
                vm.CreateSnapshot_Task(
                    name="before-patch", description="d", memory=False, quiesce=False
                )
            ).state
            == "success"
        )
        assert (
            wait(
                vm.CreateSnapshot_Task(
                    name="after-patch", description="", memory=False, quiesce=False
                )
            ).state
            == "success"
        )
        spec = vim.vm.ConfigSpec(memoryMB=64 * 1024, numCPUs=4)
        assert wait(vm.ReconfigVM_Task(spec=spec)).state == "success"
        host = find(content, vim.HostSystem, "DC0_C0_H0")
        options = host.configManager.advancedOption
        options.UpdateOptions(
            changedValue=[vim.option.OptionValue(key="UserVars.SuppressShellWarning", value=1)]
        )
    env = collect([vcsim.target()], FAST).environment
    vm_model = next(v for v in env.vms if v.name == "DC0_C0_RP0_VM0")
    assert vm_model.memory_mb == 64 * 1024
    assert vm_model.num_cpu == 4
    host_model = next(h for h in env.hosts if h.id == vm_model.host_id)
    assert host_model.memory_mb is not None and vm_model.memory_mb > host_model.memory_mb
    assert [s.name for s in vm_model.snapshots or []] == ["before-patch", "after-patch"]
    assert vm_model.snapshots and vm_model.snapshots[1].parent_id == vm_model.snapshots[0].id
    changed = next(h for h in env.hosts if h.name == "DC0_C0_H0")
    assert changed.advanced_settings.get("UserVars.SuppressShellWarning") == "1"


def test_disconnected_host_and_inaccessible_datastore_become_gaps(start_vcsim) -> None:  # type: ignore[no-untyped-def]
    sim = start_vcsim("-disconnect-host", "DC0_C0_H1", "-inaccessible-ds", "LocalDS_0")
    env = collect([sim.target()], FAST).environment
    host = next(h for h in env.hosts if h.name == "DC0_C0_H1")
    assert host.connection_state == "disconnected"
    gaps = {(g.what, g.object_id) for g in env.gaps}
    assert ("host", host.id) in gaps
    ds = env.datastores[0]
    assert ds.accessible is False
    assert ("datastore", ds.id) in gaps
    assert len(env.vms) == 4  # the rest is still collected


def test_checks_run_on_collected_environment(vcsim: Vcsim) -> None:
    env = collect([vcsim.target()], FAST).environment
    result = run_checks(env, registry())
    by_check = {s.check_id: s for s in result.stats}
    assert by_check["STO001"].checked == len(env.datastores)
    assert not [f for f in result.findings if f.status is Status.ERROR]
