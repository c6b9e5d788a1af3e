"""VM network adapters: disconnected, not connected at power-on, or on a missing network."""

from __future__ import annotations

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    check,
    fail,
    not_applicable,
    ok,
)
from vmdoctor.checks.gaps import missing
from vmdoctor.model import NIC, VM, Family, Severity


def _labels(nics: list[NIC]) -> str:
    return ", ".join(f"{n.label} ({n.network_name or 'no network'})" for n in nics)


@check(
    id="CFG002",
    name="vm-nic-disconnected",
    title="Network adapter of a running VM is disconnected",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere Virtual Machine Administration guide: network adapters",),
)
def vm_nic_disconnected(vm: VM, ctx: CheckContext) -> Outcome:
    """Every network adapter of a powered-on VM is connected.

    What it checks:
        The "connected" state of each NIC of every powered-on VM. UNKNOWN when the state of
        a NIC was not collected and none is known to be disconnected.
    Why it matters:
        A disconnected vNIC is an unplugged cable: the guest loses the network although VM,
        host and portgroup look healthy - a frequent answer to "the VM is up but unreachable",
        e.g. after a vMotion to a host lacking the portgroup or a port conflict.
    Example:
        app-web-01: "Network adapter 1 (VLAN-120)" is disconnected.
    Remediation:
        Tick "Connected" on the adapter (live). If it disconnects again, check that the
        portgroup exists on the host and that the distributed switch has free ports.
    """
    if vm.power_state != "poweredOn" or not vm.nics:
        return not_applicable()
    down = [n for n in vm.nics if n.connected is False]
    if down:
        return fail(f"disconnected: {_labels(down)}", disconnected=len(down))
    if any(n.connected is None for n in vm.nics):
        return missing(
            ctx,
            vm.id,
            "the connection state of some adapters was not collected",
            "vm.nics",
            "vm.config",
        )
    return ok()


@check(
    id="CFG003",
    name="vm-nic-not-connected-at-power-on",
    title="Network adapter is not connected at power-on",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere Virtual Machine Administration guide: network adapters",),
)
def vm_nic_not_connected_at_power_on(vm: VM, ctx: CheckContext) -> Outcome:
    """Every network adapter of a VM connects when the VM powers on.

    What it checks:
        "Connect at power on" (``startConnected``) of each NIC of every VM except templates.
        Adapters backed by no network at all are left out (CFG004 covers them).
    Why it matters:
        An adapter that is not connected at power-on comes up unplugged after every restart,
        HA failover included: the VM is back but off the network until someone ticks the box.
    Example:
        db-02: "Network adapter 2 (Backup)" does not connect at power-on.
    Remediation:
        Tick "Connect at power on" on the adapter (live, takes effect at the next power-on).
    """
    if vm.template or not vm.nics:
        return not_applicable()
    # An adapter backed by no network at all is parked on purpose: connecting it at power-on
    # would bring nothing back (CFG004 reports adapters whose network is missing).
    off = [n for n in vm.nics if n.start_connected is False and n.network_name]
    if off:
        return fail(f"not connected at power-on: {_labels(off)}", adapters=len(off))
    if any(n.start_connected is None for n in vm.nics):
        return missing(
            ctx,
            vm.id,
            "the connect-at-power-on setting of some adapters was not collected",
            "vm.nics",
            "vm.config",
        )
    return ok()


@check(
    id="CFG004",
    name="vm-nic-network-missing",
    title="Network adapter is on a network missing from the inventory",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.HIGH,
    fix=Fix.SAFE,
    references=("VMware KB 1003794", "vSphere Networking guide: port groups"),
)
def vm_nic_network_missing(vm: VM, ctx: CheckContext) -> Outcome:
    """Every network adapter is backed by a network that exists in the inventory.

    What it checks:
        Each NIC of every VM (templates excluded): its backing network was resolved
        (``network_id`` set) and its name is one of the inventory's networks. UNKNOWN when no
        network at all was collected.
    Why it matters:
        A NIC whose portgroup was renamed or deleted, or that points to a portgroup missing on
        this host, has no network: the guest is isolated, vMotion to hosts without it fails,
        and HA restarts bring the VM back without connectivity.
    Example:
        app-03: "Network adapter 1" points to "VLAN-99-old", which no longer exists.
    Remediation:
        Edit the VM and attach the adapter to an existing portgroup (live, brief network
        interruption), or recreate the portgroup on every host of the cluster.
    """
    if vm.template or not vm.nics:
        return not_applicable()
    if not ctx.env.networks:
        return missing(ctx, vm.id, "networks were not collected", "networks")
    names = ctx.index.network_names
    unbacked = [n for n in vm.nics if n.network_id is None or n.network_name not in names]
    if not unbacked:
        return ok()
    return fail(f"backing network not found: {_labels(unbacked)}", adapters=len(unbacked))
