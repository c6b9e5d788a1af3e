"""VMware Tools: installed, running, and not older than what the host ships."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.compatibility._common import host_of
from vmdoctor.checks.gaps import ESXI_VERSION, missing, vm_host_missing
from vmdoctor.knowledge.versions import (
    TOOLS_VERSION_NONE,
    TOOLS_VERSION_UNMANAGED,
    is_real_tools_version,
    tools_int_to_version,
)
from vmdoctor.model import VM, Family, Severity

_NEEDS_UPGRADE = {"guestToolsNeedUpgrade", "guestToolsTooOld", "guestToolsBlacklisted"}
_CURRENT = {"guestToolsCurrent", "guestToolsTooNew", "guestToolsUnmanaged"}


def _not_installed(vm: VM) -> bool:
    return (
        vm.tools_status == "toolsNotInstalled"
        or vm.tools_version_status == "guestToolsNotInstalled"
    )


@check(
    id="CMP001",
    name="vm-tools-not-installed",
    title="VMware Tools is not installed",
    family=Family.COMPATIBILITY,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1014294",),
)
def vm_tools_not_installed(vm: VM, ctx: CheckContext) -> Outcome:
    """Every VM has VMware Tools (or open-vm-tools) installed.

    What it checks:
        The Tools status vCenter reports for the VM (guest.toolsStatus / toolsVersionStatus2).
        Templates are skipped.
    Why it matters:
        Without Tools there is no graceful shutdown or restart, no quiesced snapshot or
        application-consistent backup, no guest heartbeat for HA VM monitoring, no guest IP or
        hostname in inventory, and the paravirtual drivers (vmxnet3, pvscsi) are missing.
    Example:
        app-web-01 reports toolsNotInstalled.
    Remediation:
        Install open-vm-tools from the distribution's packages (Linux) or VMware Tools from the
        host's bundled ISO or the VMware download site (Windows); the install needs a guest
        restart on Windows.
    """
    if vm.template:
        return not_applicable()
    if vm.tools_status is None and vm.tools_version_status is None and vm.tools_version is None:
        return missing(ctx, vm.id, "Tools status was not collected", "vm.guest")
    if _not_installed(vm) or vm.tools_version == TOOLS_VERSION_NONE:
        return fail("VMware Tools is not installed", tools_status=vm.tools_status)
    return ok()


@check(
    id="CMP002",
    name="vm-tools-not-running",
    title="VMware Tools is installed but not running",
    family=Family.COMPATIBILITY,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("VMware KB 1014294",),
)
def vm_tools_not_running(vm: VM, ctx: CheckContext) -> Outcome:
    """VMware Tools runs in every powered-on VM that has it.

    What it checks:
        Powered-on VMs whose Tools are installed but report guestToolsNotRunning / toolsNotRunning.
    Why it matters:
        A VM whose Tools stopped loses its heartbeat: HA VM monitoring may reset it, shutdown
        and restart from vCenter fail, backups fall back to crash-consistent snapshots, and the
        guest IP disappears from inventory and monitoring.
    Example:
        db-02 is powered on, Tools 12.3.5 installed, status guestToolsNotRunning.
    Remediation:
        Start the service in the guest (systemctl start vmtoolsd / the "VMware Tools" Windows
        service) and look in the guest logs for why it stopped; reinstall if it keeps crashing.
    """
    if vm.template or not vm.is_on or _not_installed(vm):
        return not_applicable()
    if vm.tools_running_status is None and vm.tools_status is None:
        return missing(ctx, vm.id, "Tools running state was not collected", "vm.guest")
    if vm.tools_running_status == "guestToolsNotRunning" or vm.tools_status == "toolsNotRunning":
        return fail("VMware Tools is installed but not running", tools_status=vm.tools_status)
    return ok()


@check(
    id="CMP003",
    name="vm-tools-outdated",
    title="VMware Tools is older than the version the host ships",
    family=Family.COMPATIBILITY,
    applies_to="vm",
    severity=Severity.LOW,
    fix=Fix.DISRUPTIVE,
    references=(
        "VMware Product Interoperability Matrix (VMware Tools)",
        "packages.vmware.com/tools/versions",
    ),
)
def vm_tools_outdated(vm: VM, ctx: CheckContext) -> Outcome:
    """VMware Tools is at least the version bundled with the VM's host.

    What it checks:
        vCenter's own verdict (toolsVersionStatus2) when collected; otherwise the VM's Tools
        version number against the newest Tools release the knowledge base knows to ship with
        the host's ESXi build. OS-managed open-vm-tools ("unmanaged") pass.
    Why it matters:
        Old Tools carry old vmxnet3/pvscsi drivers and guest-operation flaws (several VMSAs are
        fixed in Tools, not ESXi), and some are unsupported on newer ESXi releases, which breaks
        quiescing and guest customisation.
    Example:
        app-01 runs Tools 11.3.0 on an ESXi 8.0b host that bundles 12.1.5.
    Remediation:
        Upgrade Tools from vCenter (Guest OS > Upgrade VMware Tools, with or without automatic
        reboot) or through the guest's package manager for open-vm-tools; plan a reboot window
        for Windows guests.
    """
    if vm.template or _not_installed(vm) or vm.tools_version == TOOLS_VERSION_NONE:
        return not_applicable()
    if (
        vm.tools_version == TOOLS_VERSION_UNMANAGED
        or vm.tools_version_status == "guestToolsUnmanaged"
    ):
        return ok()
    version = vm.tools_version
    shown = tools_int_to_version(version) if version is not None else None
    if vm.tools_version_status in _NEEDS_UPGRADE:
        return fail(
            f"vCenter reports Tools {shown or '?'} as {vm.tools_version_status}",
            Severity.MEDIUM if vm.tools_version_status != "guestToolsNeedUpgrade" else None,
            tools_version=shown,
            tools_version_status=vm.tools_version_status,
        )
    if vm.tools_version_status == "guestToolsSupportedOld":
        return fail(
            f"Tools {shown or '?'} is older than the host's but still supported",
            tools_version=shown,
        )
    if vm.tools_version_status in _CURRENT:
        return ok()
    if not is_real_tools_version(version):
        return missing(ctx, vm.id, "Tools version was not collected", "vm.guest")
    assert version is not None
    host = host_of(vm, ctx)
    if host is None:
        return vm_host_missing(ctx, vm.host_id)
    if host.build is None:
        return missing(ctx, host.id, "the VM's host build was not collected", *ESXI_VERSION)
    kb = ctx.knowledge
    bundled = kb.bundled_tools(kb.esxi.line_of(host.version, host.build), host.build)
    if bundled is None:
        return missing(
            ctx, vm.id, f"the Tools bundled with ESXi build {host.build} are not known", "knowledge"
        )
    if version < bundled.version_int:
        return fail(
            f"Tools {shown} is older than {bundled.tools_version}, "
            f"shipped with ESXi build {host.build}",
            tools_version=shown,
            bundled_tools_version=bundled.tools_version,
            host=host.name,
        )
    return ok()
