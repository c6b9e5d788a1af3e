"""Where a VM's disks live: inaccessible datastores, local storage under HA, independent disks."""

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
from vmdoctor.checks.gaps import missing, missing_any
from vmdoctor.checks.storage._support import is_local_datastore, vm_datastore_ids
from vmdoctor.model import VM, Family, Severity


def _listed(names: list[str], limit: int = 3) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


@check(
    id="STO010",
    name="vm-on-inaccessible-datastore",
    title="VM has files on an inaccessible datastore",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.CRITICAL,
    fix=Fix.MANUAL,
    references=("VMware KB 2004684",),
)
def vm_on_inaccessible_datastore(vm: VM, ctx: CheckContext) -> Outcome:
    """Every datastore holding the VM's files is accessible.

    What it checks:
        The accessible flag of each datastore that holds the VM's configuration, swap or
        disk files.
    Why it matters:
        A powered-on VM whose disk sits on an inaccessible datastore is frozen or has crashed
        (its I/O fails after the APD timeout); a powered-off one cannot be powered on
        ("File not found", "Module 'Disk' power on failed") until the datastore returns.
    Example:
        app-web-12 (powered on) has Hard disk 2 on ds-prod-04, which is inaccessible: critical.
    Remediation:
        Restore access to the datastore (see STO008). If the datastore is gone for good,
        restore the VM's disks from backup to another datastore.
    """
    bad: list[str] = []
    absent: list[str] = []
    listed = False
    for ds_id in vm_datastore_ids(vm):
        listed = True
        ds = ctx.index.datastore(ds_id)
        if ds is None:
            absent.append(ds_id)
        elif not ds.accessible:
            bad.append(ds.name)
    if bad:
        state = "running VM will fail its I/O" if vm.is_on else "VM cannot power on"
        return fail(
            f"files on inaccessible datastore(s) {_listed(bad)}: {state}",
            datastores=", ".join(bad),
            powered_on=vm.is_on,
        )
    if not listed:
        return missing(
            ctx, vm.id, "the VM's datastores were not collected", "vm.datastores", "vm.datastore"
        )
    if absent:
        return missing_any(
            ctx,
            absent,
            f"datastore(s) {_listed(absent)} are not in the collected inventory",
            "datastore",
        )
    return ok()


@check(
    id="STO011",
    name="vm-on-local-datastore-in-ha-cluster",
    title="HA-protected VM has files on local storage",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.MANUAL,
    references=("VMware vSphere Availability guide: shared storage requirement",),
)
def vm_on_local_datastore_in_ha_cluster(vm: VM, ctx: CheckContext) -> Outcome:
    """VMs in a vSphere HA cluster keep all their files on shared storage.

    What it checks:
        For VMs in a cluster with vSphere HA enabled: whether any datastore holding the VM's
        files is reachable by only one host (local VMFS, PMEM, or a datastore without
        multiple-host access).
    Why it matters:
        HA restarts a failed host's VMs on the surviving hosts, which must be able to open the
        VM's files. A VM on local disk is silently unprotected: when its host fails it stays
        down, and it cannot be vMotioned for host maintenance either.
    Example:
        app-cache-01 in cluster Cluster-A (HA on) has its disk on esx03-local: warning.
    Remediation:
        Storage vMotion the VM to a shared datastore. If it must stay local (a host-bound
        appliance), exclude it from HA restart (VM override: restart priority disabled) and
        document the exception as a suppression.
    """
    if vm.template or vm.cluster_id is None:
        return not_applicable()
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
    local: list[str] = []
    undecided: list[str] = []
    undecided_ids: list[str] = []
    for ds_id in vm_datastore_ids(vm):
        ds = ctx.index.datastore(ds_id)
        if ds is None:
            undecided.append(ds_id)
            undecided_ids.append(ds_id)
            continue
        is_local = is_local_datastore(ds)
        if is_local:
            local.append(ds.name)
        elif is_local is None:
            undecided.append(ds.name)
            undecided_ids.append(ds_id)
    if local:
        return fail(
            f"files on local datastore(s) {_listed(local)}: HA cannot restart the VM elsewhere",
            datastores=", ".join(local),
        )
    if undecided:
        return missing_any(
            ctx,
            undecided_ids,
            f"cannot tell whether datastore(s) {_listed(undecided)} are shared",
            "datastore.summary",
            "datastore",
        )
    return ok()


@check(
    id="STO012",
    name="independent-disk",
    title="VM has independent disks",
    family=Family.STORAGE,
    applies_to="vm",
    severity=Severity.INFO,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1025279", "VMware KB 1015180"),
)
def independent_disk(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM's disks are in a mode that snapshots (and therefore backups) capture.

    What it checks:
        The mode of each virtual disk: independent-persistent and independent-nonpersistent
        disks are reported.
    Why it matters:
        Snapshots skip independent disks, so snapshot-based backups (Veeam, Rubrik, Commvault,
        NetBackup, vProxy) silently leave them out or fail, and a snapshot revert does not
        bring them back. Independent-nonpersistent disks also lose every change at power-off.
        Often it is intentional (scratch or database log disks); often it is a surprise at
        restore time.
    Example:
        app-db-02: Hard disk 3 is independent_persistent: reported for review.
    Remediation:
        Confirm the disk is deliberately excluded and protected another way (in-guest backup).
        Otherwise power the VM off and change the disk mode to Dependent.
    """
    if not vm.disks:
        return not_applicable()
    independent = [
        f"{d.label} ({d.disk_mode})"
        for d in vm.disks
        if d.disk_mode is not None and d.disk_mode.startswith("independent")
    ]
    if independent:
        return fail(
            f"independent disk(s) not captured by snapshots or backups: {_listed(independent)}",
            disks=len(independent),
        )
    if any(d.disk_mode is None for d in vm.disks):
        return missing(ctx, vm.id, "disk mode was not collected", "vm.disks", "vm.config")
    return ok()
