"""Guest OS: what is configured matches what runs, and the host knows the configured OS."""

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
from vmdoctor.knowledge.versions import release_label
from vmdoctor.model import VM, Family, Severity

# Tools states in which no guest information comes from inside the VM.
_NO_TOOLS = frozenset({"toolsNotRunning", "toolsNotInstalled"})


@check(
    id="CMP006",
    name="vm-guest-os-mismatch",
    title="Configured guest OS differs from the one running",
    family=Family.COMPATIBILITY,
    applies_to="vm",
    severity=Severity.LOW,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1003746", "VMware Compatibility Guide (guest OS)"),
)
def vm_guest_os_mismatch(vm: VM, ctx: CheckContext) -> Outcome:
    """The guest OS type in the VM's configuration is the OS that actually runs.

    What it checks:
        The configured guestId against the guestId VMware Tools reports from inside the guest
        (guest.guestId). Powered-off VMs are skipped; a running VM without Tools is UNKNOWN.
    Why it matters:
        ESXi picks virtual devices, defaults, CPU features and optimisations from the configured
        guest type. A wrong one (an OS upgraded in place, a VM cloned from another template)
        leads to unsupported configurations, wrong default devices and support refusals.
    Example:
        srv-dc01 is configured as windows2016srv_64Guest but runs windows2019srv_64Guest.
    Remediation:
        Power the VM off and set the guest OS to the one installed (Edit Settings > VM Options >
        General Options), then check the virtual devices suit it.
    """
    if vm.template or not vm.is_on:
        return not_applicable()
    if vm.guest_id is None:
        return missing(ctx, vm.id, "configured guest OS was not collected", "vm.config.guestId")
    if vm.guest_id_running is None:
        if vm.tools_running_status == "guestToolsNotRunning" or vm.tools_status in _NO_TOOLS:
            return unknown("the running guest OS is not reported: VMware Tools is not running")
        return missing(ctx, vm.id, "the running guest OS was not reported", "vm.guest.guestId")
    if vm.guest_id != vm.guest_id_running:
        return fail(
            f"configured as {vm.guest_id} but running {vm.guest_id_running}",
            guest_id=vm.guest_id,
            guest_id_running=vm.guest_id_running,
        )
    return ok()


@check(
    id="CMP007",
    name="vm-guest-id-unknown-to-host",
    title="Configured guest OS is not known to the host's ESXi release",
    family=Family.COMPATIBILITY,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.MANUAL,
    references=(
        "VMware Compatibility Guide (guest OS)",
        "vSphere API VirtualMachineGuestOsIdentifier",
    ),
)
def vm_guest_id_unknown_to_host(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM's guest OS identifier exists in its host's ESXi release.

    What it checks:
        The configured guestId against the first ESXi release whose API knows it (knowledge
        table built from the vSphere API enumeration history).
    Why it matters:
        A VM whose guestId is newer than its host (created on ESXi 8.0 U3, then moved to or
        restored on 7.0) shows an unknown OS, gets generic defaults, and may fail to power on or
        migrate; vCenter and backup tools reject it in some workflows.
    Example:
        app-01 is rhel10_64Guest (known from ESXi 9.0) on an ESXi 8.0 U3 host.
    Remediation:
        Run the VM on hosts of a release that knows its guest OS, or pick the closest guest OS
        the host offers until the hosts are upgraded.
    """
    if vm.guest_id is None:
        return missing(ctx, vm.id, "configured guest OS was not collected", "vm.config.guestId")
    host = host_of(vm, ctx)
    if host is None:
        if vm.host_id is None:
            return not_applicable()
        return vm_host_missing(ctx, vm.host_id)
    release = ctx.knowledge.esxi_release(host.version, host.build)
    if release is None:
        return missing(ctx, host.id, "the host's ESXi version was not collected", *ESXI_VERSION)
    guest = ctx.knowledge.guest(vm.guest_id)
    if guest is None:
        return missing(
            ctx, vm.id, f"guest OS {vm.guest_id} is not in the knowledge base", "knowledge"
        )
    known = ctx.knowledge.guest_known_to(vm.guest_id, release)
    if known is None:
        return missing(
            ctx,
            host.id,
            f"{host_label(host)}: update level unknown, {vm.guest_id} needs {guest.min_esxi}",
            "knowledge",
        )
    if not known:
        return fail(
            f"{vm.guest_id} needs ESXi {guest.min_esxi}; "
            f"host runs {release_label(release.release)}",
            guest_id=vm.guest_id,
            min_esxi=guest.min_esxi,
            host=host.name,
        )
    return ok()
