"""Host services and access: SSH, ESXi Shell, SLP, lockdown mode, the managed object browser."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.security._common import is_true, service_outcome, setting_missing
from vmdoctor.model import Family, Host, Severity


@check(
    id="SEC004",
    name="esxi-ssh-running",
    title="SSH is running on the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.deactivate-ssh", "DISA STIG ESXI-80-000193"),
)
def esxi_ssh_running(host: Host, ctx: CheckContext) -> Outcome:
    """SSH (TSM-SSH) is stopped and does not start with the host.

    What it checks:
        The TSM-SSH service: running fails; stopped with start policy "on" fails with low severity.
    Why it matters:
        An open SSH service gives a root shell to anyone holding a password and is the first
        thing ransomware operators use to encrypt datastores from the host itself.
    Example:
        esx04: SSH running, start policy "on".
    Remediation:
        Stop SSH and set its policy to "Start and stop manually" (Host > Configure > Services);
        enable it only for a support session.
    """
    return service_outcome(host, ctx, "TSM-SSH", "SSH")


@check(
    id="SEC005",
    name="esxi-shell-running",
    title="ESXi Shell is running on the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.deactivate-shell", "DISA STIG ESXI-80-000194"),
)
def esxi_shell_running(host: Host, ctx: CheckContext) -> Outcome:
    """The ESXi Shell (TSM) is stopped and does not start with the host.

    What it checks:
        The TSM service: running fails; stopped with start policy "on" fails with low severity.
    Why it matters:
        The local shell bypasses vCenter's permissions and audit trail; left running it is an
        unmonitored root console on the DCUI.
    Example:
        esx02: ESXi Shell running, start policy "off" (started by hand and forgotten).
    Remediation:
        Stop the ESXi Shell service and set its policy to "Start and stop manually".
    """
    return service_outcome(host, ctx, "TSM", "ESXi Shell")


@check(
    id="SEC006",
    name="esxi-slp-running",
    title="SLP service is running on the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.HIGH,
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG esxi-8.deactivate-slp",
        "DISA STIG ESXI-80-000231",
        "VMware KB 76372",
        "VMSA-2021-0002",
    ),
)
def esxi_slp_running(host: Host, ctx: CheckContext) -> Outcome:
    """The OpenSLP service (slpd) is stopped.

    What it checks:
        The slpd service; hosts whose service list has no slpd (removed in recent releases)
        pass.
    Why it matters:
        OpenSLP on port 427 was the entry point of the ESXiArgs ransomware wave
        (CVE-2021-21974, CVE-2020-3992); almost nothing needs it (CIM discovery).
    Example:
        esx09: slpd running, start policy "on".
    Remediation:
        Stop slpd, set it to start manually and close the CIM SLP firewall rule (KB 76372);
        patch the host.
    """
    if host.services is None:
        return missing(
            ctx, host.id, "host services were not collected", "host.services", "host.config", "host"
        )
    if host.service("slpd") is None:
        return ok()
    return service_outcome(host, ctx, "slpd", "SLP (slpd)")


@check(
    id="SEC007",
    name="esxi-lockdown-disabled",
    title="Lockdown mode is disabled on the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.lockdown-mode", "DISA STIG ESXI-80-000008"),
)
def esxi_lockdown_disabled(host: Host, ctx: CheckContext) -> Outcome:
    """Hosts managed by vCenter run in normal (or strict) lockdown mode.

    What it checks:
        config.lockdownMode: lockdownDisabled fails.
    Why it matters:
        Without lockdown mode anyone with a local account can manage the host directly,
        bypassing vCenter roles and auditing; attackers with stolen root passwords use exactly
        that path.
    Example:
        esx05: lockdownDisabled.
    Remediation:
        Enable normal lockdown mode (Host > Configure > Security Profile > Lockdown Mode) and keep
        only the needed exception users.
    """
    if host.lockdown_mode is None:
        return missing(ctx, host.id, "lockdown mode was not collected", "host.config", "host")
    if host.lockdown_mode == "lockdownDisabled":
        return fail("lockdown mode is disabled", lockdown_mode=host.lockdown_mode)
    return ok()


MOB_KEY = "Config.HostAgent.plugins.solo.enableMob"


@check(
    id="SEC008",
    name="esxi-mob-enabled",
    title="Managed object browser is enabled on the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.deactivate-mob", "DISA STIG ESXI-80-000047"),
)
def esxi_mob_enabled(host: Host, ctx: CheckContext) -> Outcome:
    """The managed object browser (MOB) is disabled.

    What it checks:
        Advanced setting Config.HostAgent.plugins.solo.enableMob must be false.
    Why it matters:
        The MOB is a web UI over the whole host API, meant for debugging: it widens the attack
        surface and can change configuration outside normal tooling.
    Example:
        esx01: Config.HostAgent.plugins.solo.enableMob = true.
    Remediation:
        Set Config.HostAgent.plugins.solo.enableMob to false (Advanced System Settings); no
        reboot needed.
    """
    raw = host.advanced_settings.get(MOB_KEY)
    if raw is None:
        return setting_missing(ctx, host, MOB_KEY)
    if is_true(raw):
        return fail("the managed object browser is enabled", setting=MOB_KEY, value=raw)
    return ok()
