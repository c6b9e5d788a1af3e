"""VM advanced settings (extraConfig) of the vSphere 8 SCG, one table row per check.

extraConfig lists only the keys that were set, so an absent key means the ESXi default. Where
the SCG marks the default as compliant ("TRUE or Undefined") absent passes; where it does not
(tools.guest.desktop.autolock) absent fails. Templates are skipped: they never run.
"""

from __future__ import annotations

import re

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.security._settings import (
    Absent,
    SettingRule,
    between,
    boolean,
    equals,
    register,
)
from vmdoctor.model import VM, Family, Severity


def _refs(control: str, *stig: str) -> tuple[str, ...]:
    return (f"vSphere 8 SCG vm-8.{control}", *(f"DISA STIG {s}" for s in stig))


_POWER_CYCLE = "; takes effect at the next power cycle."

VM_RULES: tuple[SettingRule, ...] = (
    SettingRule(
        id="SEC048",
        name="vm-disk-shrink-enabled",
        title="Guest users can shrink the VM's virtual disks",
        summary="Virtual disk shrinking from inside the guest is disabled.",
        target="vm",
        key="isolation.tools.diskShrink.disable",
        expect=boolean(True),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="Any guest user, not only an administrator, can start a shrink; repeated shrinks "
        "tie up the datastore and make the disk unavailable while they run (denial of service).",
        remediation="Remove the key or set it to true in the VM's advanced settings" + _POWER_CYCLE,
        bad_value="false",
        references=_refs("deactivate-disk-shrinking-shrink", "VMCH-80-000193"),
    ),
    SettingRule(
        id="SEC049",
        name="vm-disk-wiper-enabled",
        title="Guest users can run the disk wiper on the VM's virtual disks",
        summary="The VMware Tools disk wiper is disabled.",
        target="vm",
        key="isolation.tools.diskWiper.disable",
        expect=boolean(True),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="Wiping runs with the shrink operation and blocks the disk while it writes; an "
        "unprivileged guest user can use it to degrade the VM and its datastore.",
        remediation="Remove the key or set it to true in the VM's advanced settings" + _POWER_CYCLE,
        bad_value="false",
        references=_refs("deactivate-disk-shrinking-wiper", "VMCH-80-000194"),
    ),
    SettingRule(
        id="SEC050",
        name="vm-3d-enabled",
        title="3D acceleration is enabled on the VM",
        summary="The VM's virtual graphics run without 3D acceleration unless needed.",
        target="vm",
        key="mks.enable3d",
        expect=boolean(False),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="The 3D stack is a large, complex interface between guest and hypervisor; several "
        "published VM escapes went through the virtual graphics (SVGA) device.",
        remediation="Turn off 3D graphics in the VM's video card settings (mks.enable3d = "
        "false) unless the workload needs it" + _POWER_CYCLE,
        bad_value="true",
        references=_refs("deactivate-non-essential-3d-features", "VMCH-80-000202"),
    ),
    SettingRule(
        id="SEC052",
        name="vm-device-changes-allowed",
        title="Guest users can connect and disconnect the VM's devices",
        summary="The guest cannot connect, disconnect or modify the VM's devices.",
        target="vm",
        key="isolation.device.connectable.disable",
        expect=boolean(True),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="With device changes allowed, a guest user can disconnect the network adapter or "
        "attach removable devices through VMware Tools, bypassing the administrator.",
        remediation="Remove the key or set it to true in the VM's advanced settings" + _POWER_CYCLE,
        bad_value="false",
        references=_refs("isolation-device-connectable-deactivate", "VMCH-80-000197"),
    ),
    SettingRule(
        id="SEC053",
        name="vm-setinfo-size-large",
        title="The guest can write large informational messages to the VM's configuration",
        summary="Messages from VMware Tools to the VMX (setinfo) stay within 1 MiB.",
        target="vm",
        key="tools.setInfo.sizeLimit",
        expect=between(1, "max_bytes", "no size limit"),
        thresholds={"max_bytes": 1048576},
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="Unbounded setinfo messages let a guest fill the datastore with VMX data and deny "
        "service to every VM on it.",
        remediation="Remove tools.setInfo.sizeLimit or set it to 1048576" + _POWER_CYCLE,
        bad_value="104857600",
        references=_refs("limit-setinfo-size", "VMCH-80-000196"),
    ),
    SettingRule(
        id="SEC054",
        name="vm-log-retention",
        title="The VM keeps a non-standard number of vmware.log files",
        summary="The VM keeps the standard number of rotated vmware.log files.",
        target="vm",
        key="log.keepOld",
        expect=equals("10"),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="Too few files lose the history needed to explain a crash; too many fill the VM's "
        "folder on the datastore over time.",
        remediation="Remove log.keepOld or set it to 10" + _POWER_CYCLE,
        bad_value="1000",
        references=_refs("log-retention", "VMCH-80-000206"),
    ),
    SettingRule(
        id="SEC055",
        name="vm-log-rotation-size",
        title="The VM's vmware.log rotates at a non-standard size",
        summary="vmware.log rotates at the standard size (2048000 bytes).",
        target="vm",
        key="log.rotateSize",
        expect=equals("2048000"),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="A value of 0 never rotates: a chatty guest grows vmware.log until the datastore is "
        "full; a tiny value rotates the evidence away within minutes.",
        remediation="Remove log.rotateSize or set it to 2048000" + _POWER_CYCLE,
        bad_value="0",
        references=_refs("log-rotation-size", "VMCH-80-000205"),
    ),
    SettingRule(
        id="SEC056",
        name="vm-host-info-exposed",
        title="The guest can read information about the host",
        summary="The guest cannot query performance data of the host it runs on.",
        target="vm",
        key="tools.guestlib.enableHostInfo",
        expect=boolean(False),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="Host resource data tells an attacker in the guest what else runs on the host and "
        "helps plan side-channel or resource-exhaustion attacks.",
        remediation="Remove the key or set it to false" + _POWER_CYCLE,
        bad_value="true",
        references=_refs("restrict-host-info", "VMCH-80-000198"),
    ),
    SettingRule(
        id="SEC058",
        name="vm-console-not-locked",
        title="The guest session stays unlocked when the last console closes",
        summary="The guest locks its desktop when the last remote console disconnects.",
        target="vm",
        key="tools.guest.desktop.autolock",
        expect=boolean(True),
        absent=Absent.NONCOMPLIANT,
        severity=Severity.LOW,
        fix=Fix.DISRUPTIVE,
        why="An administrator who closes the console without logging off leaves the session "
        "open for the next person who opens a console on the VM.",
        remediation="Set tools.guest.desktop.autolock = true in the VM's advanced settings "
        "(needs VMware Tools; Windows guests)" + _POWER_CYCLE,
        bad_value="false",
        references=_refs("vmrc-lock", "VMCH-80-000201"),
        default_scan=False,
    ),
)

register(VM_RULES)

# ethernet0.filter0.name, ethernet12.filter3.name, ...
DVFILTER_KEY = re.compile(r"ethernet\d+\.filter\d+\.name", re.IGNORECASE)
PSHARE_SALT_KEY = "sched.mem.pshare.salt"


@check(
    id="SEC051",
    name="vm-dvfilter-attached",
    title="A dvFilter network filter is attached to the VM's network adapter",
    family=Family.SECURITY,
    applies_to="vm",
    severity=Severity.LOW,
    fix=Fix.DISRUPTIVE,
    references=("vSphere 8 SCG vm-8.dvfilter", "DISA STIG VMCH-80-000200"),
)
def vm_dvfilter_attached(vm: VM, ctx: CheckContext) -> Outcome:
    """No dvFilter is attached to the VM's network adapters unless a security appliance needs it.

    What it checks:
        The VM's advanced settings must hold no ``ethernetN.filterM.name`` key. None present is
        the ESXi default and passes.
    Why it matters:
        A dvFilter sees and can alter every packet of the adapter; one that nobody expects is
        a tap on the VM's traffic.
    Example:
        app-web-01: ethernet0.filter0.name = "dvfilter-maclearn".
    Remediation:
        Remove the filter keys unless a known appliance (NSX, a security product) put them
        there; suppress this check for those VMs with the reason. Takes effect at the next
        power cycle.
    """
    if vm.template:
        return not_applicable()
    settings = vm.advanced_settings
    if settings is None:
        return missing(
            ctx, vm.id, "advanced settings were not collected", "vm.advanced_settings", "vm.config"
        )
    if not settings:
        return ok()
    filters = [f"{k} = {v}" for k, v in settings.items() if DVFILTER_KEY.fullmatch(k)]
    if filters:
        return fail(f"dvFilter attached: {'; '.join(filters)}", filters=len(filters))
    return ok()


@check(
    id="SEC057",
    name="vm-page-sharing-salt-set",
    title="The VM shares memory pages with other VMs through a common salt",
    family=Family.SECURITY,
    applies_to="vm",
    severity=Severity.LOW,
    fix=Fix.DISRUPTIVE,
    references=(
        "vSphere 8 SCG vm-8.transparentpagesharing-inter-vm-enabled",
        "DISA STIG VMCH-80-000199",
    ),
)
def vm_page_sharing_salt_set(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM has no explicit page-sharing salt.

    What it checks:
        The VM's advanced settings must not hold sched.mem.pshare.salt; absent (the default)
        passes.
    Why it matters:
        VMs with the same salt share identical memory pages again, which re-opens the
        side channels that salting closed (SEC012 checks the host side).
    Example:
        app-web-01: sched.mem.pshare.salt = "tenant-a".
    Remediation:
        Remove sched.mem.pshare.salt from the VM's advanced settings; takes effect at the next
        power cycle.
    """
    if vm.template:
        return not_applicable()
    settings = vm.advanced_settings
    if settings is None:
        return missing(
            ctx, vm.id, "advanced settings were not collected", "vm.advanced_settings", "vm.config"
        )
    salt = settings.get(PSHARE_SALT_KEY)
    if salt is not None:
        return fail(f"{PSHARE_SALT_KEY} = {salt}", setting=PSHARE_SALT_KEY, value=salt)
    return ok()
