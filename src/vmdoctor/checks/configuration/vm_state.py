"""VM registration state, protection by HA, and virtual CPU topology."""

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
from vmdoctor.model import VM, Family, Severity

BROKEN_STATES = ("orphaned", "inaccessible", "invalid")


@check(
    id="CFG015",
    name="vm-inaccessible-or-orphaned",
    title="VM is orphaned, inaccessible, invalid or disconnected",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.HIGH,
    fix=Fix.MANUAL,
    references=("VMware KB 1003742",),
)
def vm_inaccessible_or_orphaned(vm: VM, ctx: CheckContext) -> Outcome:
    """vCenter reaches the VM and can read its configuration.

    What it checks:
        ``runtime.connectionState`` of every VM: "orphaned", "inaccessible" or "invalid"
        is high; "disconnected" (its host is disconnected) is medium.
    Why it matters:
        An orphaned VM is no longer registered on its host (deleted or unregistered behind
        vCenter's back); an inaccessible one has lost its .vmx (storage outage, APD); an
        invalid one has a corrupt configuration. None of them can be powered on, migrated or
        backed up until repaired.
    Example:
        app-old-02 is "orphaned" after its host was rebuilt.
    Remediation:
        Restore access to the datastore (inaccessible), re-register the .vmx from the
        datastore browser (orphaned), or repair / restore the .vmx (invalid); remove
        inventory entries of VMs that are truly gone.
    """
    state = vm.connection_state
    if state == "connected":
        return ok()
    severity = None if state in BROKEN_STATES else Severity.MEDIUM
    return fail(f"the VM is {state}", severity, state=state)


@check(
    id="CFG017",
    name="vm-cpu-topology",
    title="VM virtual CPU topology is invalid or wider than a physical socket",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.LOW,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1010184",),
)
def vm_cpu_topology(vm: VM, ctx: CheckContext) -> Outcome:
    """A VM's cores per socket divide its vCPUs and fit in one physical socket.

    What it checks:
        ``cores_per_socket`` of every VM except templates: a value that does not divide
        ``num_cpu`` is high (the VM cannot power on); more cores per virtual socket than the
        host has cores per physical socket is low.
    Why it matters:
        vSphere sizes the guest's virtual NUMA from the socket layout: a virtual socket wider
        than a physical one tells the guest that memory across two nodes is local, and an
        imperfect divisor is refused at power-on ("virtual core count is imperfect divisor").
    Example:
        app-09 has 6 vCPUs with 4 cores per socket; db-04 has 1 socket of 32 cores on a
        2 x 16-core host.
    Remediation:
        Set cores per socket to a divisor of the vCPU count that matches the host's cores per
        socket (or let vSphere choose automatically), at the next power cycle.
    """
    if vm.template:
        return not_applicable()
    cps = vm.cores_per_socket
    if cps is None:
        return missing(
            ctx, vm.id, "cores per socket was not collected", "vm.cpu_allocation", "vm.config"
        )
    if cps <= 0 or vm.num_cpu % cps:
        return fail(
            f"{vm.num_cpu} vCPUs cannot be split into sockets of {cps} cores",
            Severity.HIGH,
            num_cpu=vm.num_cpu,
            cores_per_socket=cps,
        )
    host = ctx.index.host(vm.host_id)
    if host is None or not host.cpu_cores or not host.cpu_sockets:
        return ok()  # the layout is valid; the socket comparison needs the host's geometry
    host_cps = host.cpu_cores // host.cpu_sockets
    if cps <= host_cps:
        return ok()
    return fail(
        f"{cps} cores per virtual socket on a host with {host_cps} cores per socket",
        num_cpu=vm.num_cpu,
        cores_per_socket=cps,
        host_cores_per_socket=host_cps,
    )


@check(
    id="CFG018",
    name="vm-without-ha-protection",
    title="Running VM cannot be restarted by HA elsewhere",
    family=Family.CONFIGURATION,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1001596", "vSphere Availability guide: requirements"),
)
def vm_without_ha_protection(vm: VM, ctx: CheckContext) -> Outcome:
    """A running VM sits in an HA cluster on storage other hosts can reach.

    What it checks:
        Powered-on VMs: on a standalone host (no cluster), or with a disk or configuration on
        a datastore that is not multi-host accessible (``multipleHostAccess`` false: a local
        disk). VMs of clusters with HA disabled
        are left to CFG006, which reports the cluster once.
    Why it matters:
        HA can only restart a VM on another host that reaches its files. A VM on a standalone
        host or a local datastore goes down with its host and stays down until the host is
        back.
    Example:
        file-01 runs on esx09, which is in no cluster; build-02 has its disk on
        "esx03-local".
    Remediation:
        Move the host into an HA cluster, Storage vMotion the VM to shared storage, or accept
        the risk explicitly (suppress with a reason).
    """
    if vm.power_state != "poweredOn":
        return not_applicable()
    if not vm.cluster_id:
        return fail("the VM runs on a standalone host, outside any HA cluster", standalone=True)
    ha_enabled = ctx.index.ha_enabled(vm.cluster_id)
    if ha_enabled is None:
        return missing(
            ctx,
            vm.cluster_id,
            "the cluster's HA configuration was not collected",
            "cluster.ha",
            "cluster.configurationEx",
        )
    if not ha_enabled:
        return not_applicable()
    local = []
    for ds_id in vm.datastore_ids:
        ds = ctx.index.datastore(ds_id)
        if ds is not None and ds.multiple_host_access is False:
            local.append(ds.name)
    if not local:
        return ok()
    return fail(
        f"files on datastores only its host can reach: {', '.join(local)}",
        local_datastores=", ".join(local),
    )
