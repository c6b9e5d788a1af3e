"""Virtual hardware version: not too old, and not beyond what the host can run."""

from __future__ import annotations

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    check,
    fail,
    not_applicable,
    ok,
    unknown,
)
from vmdoctor.checks.compatibility._common import host_label, host_of
from vmdoctor.checks.gaps import ESXI_VERSION, missing, vm_host_missing
from vmdoctor.knowledge.versions import hw_version_number, release_label
from vmdoctor.model import VM, Family, Severity


@check(
    id="CMP004",
    name="vm-hardware-version-old",
    title="Virtual hardware version is old",
    family=Family.COMPATIBILITY,
    applies_to="vm",
    severity=Severity.LOW,
    thresholds={"min_hw_version": 17},
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1003746", "vSphere 8 SCG guest-8.virtual-hardware"),
)
def vm_hardware_version_old(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM's virtual hardware version is at least the configured floor (vmx-17).

    What it checks:
        config.version (vmx-NN) against ``min_hw_version`` (17 = ESXi 7.0, the floor the vSphere 8
        security configuration guide recommends). Templates count too: VMs cloned from them
        inherit the version.
    Why it matters:
        Old hardware versions lack current virtual devices and CPU features (vNVMe, newer
        vmxnet3 revisions, larger VM limits, security mitigations exposed to the guest), and
        some guest OS releases are supported only from a given hardware version.
    Example:
        legacy-app-03 runs vmx-11 (ESXi 6.0): 6 versions below the vmx-17 floor.
    Remediation:
        Take a snapshot or backup, power the VM off and upgrade its compatibility (Actions >
        Compatibility > Upgrade VM Compatibility), or schedule the upgrade for the next guest
        reboot. Upgrade Tools first. Do not go beyond what the oldest host it may run on supports.
    """
    if vm.hw_version is None:
        return missing(ctx, vm.id, "hardware version was not collected", "vm.config.version")
    number = hw_version_number(vm.hw_version)
    if number is None:
        return missing(
            ctx, vm.id, f"hardware version {vm.hw_version!r} is not vmx-NN", "vm.config.version"
        )
    floor = int(ctx.threshold("min_hw_version"))
    if number < floor:
        return fail(
            f"hardware version vmx-{number} is below the vmx-{floor} floor",
            hw_version=vm.hw_version,
            min_hw_version=f"vmx-{floor}",
        )
    return ok()


@check(
    id="CMP005",
    name="vm-hardware-version-beyond-host",
    title="Virtual hardware version is newer than the host supports",
    family=Family.COMPATIBILITY,
    applies_to="vm",
    severity=Severity.HIGH,
    fix=Fix.MANUAL,
    references=("Broadcom KB 315655", "VMware KB 1003746"),
)
def vm_hardware_version_beyond_host(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM's hardware version is one its current host can run.

    What it checks:
        config.version against the highest hardware version of the host's ESXi release
        (knowledge table from KB 315655). For a 6.x host whose build is unknown the highest
        version of its line is used, so this never over-reports.
    Why it matters:
        A host cannot power on a VM whose hardware version is newer than it supports, and DRS,
        HA and vMotion cannot place the VM there: after a failover it stays powered off.
    Example:
        app-01 is vmx-21 (ESXi 8.0 U2) but is registered on an ESXi 7.0 U3 host (max vmx-19).
    Remediation:
        Move the VM to a host of a recent enough release, or upgrade the host. Lowering the
        hardware version needs a new VM built from the disks (or VMware Converter).
    """
    if vm.hw_version is None:
        return missing(ctx, vm.id, "hardware version was not collected", "vm.config.version")
    number = hw_version_number(vm.hw_version)
    if number is None:
        return missing(
            ctx, vm.id, f"hardware version {vm.hw_version!r} is not vmx-NN", "vm.config.version"
        )
    host = host_of(vm, ctx)
    if host is None:
        if vm.host_id is None:
            return not_applicable()
        return vm_host_missing(ctx, vm.host_id)
    release = ctx.knowledge.esxi_release(host.version, host.build)
    maximum = ctx.knowledge.max_hw_version(release)
    if release is None:
        return missing(ctx, host.id, "the host's ESXi version was not collected", *ESXI_VERSION)
    if maximum is None:
        return unknown(f"the highest hardware version of {host_label(host)} is not known")
    if number > maximum:
        return fail(
            f"vmx-{number} is beyond vmx-{maximum}, "
            f"the highest ESXi {release_label(release.release)} runs",
            hw_version=vm.hw_version,
            host=host.name,
            host_max_hw_version=f"vmx-{maximum}",
        )
    return ok()
