"""Host hardening controls that need more than one comparison: password quality, audit record
location, services that should be off (CIM, SNMP) or on (time), guest VLAN trunking."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.security._common import service_outcome, setting_missing
from vmdoctor.checks.security.host_logging import persistent_location
from vmdoctor.model import Family, Host, Severity

QUALITY_KEY = "Security.PasswordQualityControl"
AUDIT_DIR_KEY = "Syslog.global.auditRecord.storageDirectory"
TIME_SERVICES = ("ntpd", "ptpd")
VGT_VLAN = 4095
# pam_passwdqc's own default when the policy has no min=: (one class, two classes, passphrase,
# three classes, four classes)
PASSWDQC_DEFAULT_MIN = ("disabled", "24", "11", "8", "7")


def password_quality_problems(policy: str, min_length: float) -> list[str]:
    """What makes a pam_passwdqc policy weaker than ``min_length`` characters for every class."""
    options = dict(part.split("=", 1) for part in policy.strip().strip('"').split() if "=" in part)
    problems = []
    if options.get("similar", "deny").lower() != "deny":
        problems.append("new passwords may be similar to the old one (similar=permit)")
    minimums = options["min"].split(",") if "min" in options else list(PASSWDQC_DEFAULT_MIN)
    enabled = []
    for value in minimums:
        if value.strip().lower() == "disabled":
            continue
        try:
            enabled.append(int(value))
        except ValueError:
            problems.append(f"min= holds {value!r}, not a length")
    if minimums and not enabled and not problems:
        problems.append("every password class is disabled (min=)")
    if enabled and min(enabled) < min_length:
        problems.append(f"passwords of {min(enabled)} characters are accepted")
    return problems


@check(
    id="SEC023",
    name="esxi-password-complexity-weak",
    title="Host accepts short or simple local passwords",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    thresholds={"min_length": 15},
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG esxi-8.account-password-policies",
        "DISA STIG ESXI-80-000035",
        "DISA STIG ESXI-80-000044",
    ),
)
def esxi_password_complexity_weak(host: Host, ctx: CheckContext) -> Outcome:
    """Local passwords are at least ``min_length`` characters and unlike the previous one.

    What it checks:
        Security.PasswordQualityControl (a pam_passwdqc policy): every character-class length
        in ``min=`` that is not "disabled" must be at least ``min_length`` (15), and
        ``similar=permit`` fails. A policy without ``min=`` uses passwdqc's default
        (disabled,24,11,8,7) and fails.
    Why it matters:
        The ESXi default accepts 7-character passwords with four character classes: short
        enough to brute-force offline from a stolen shadow file or a host profile.
    Example:
        esx05: Security.PasswordQualityControl = "retry=3 min=disabled,disabled,disabled,7,7".
    Remediation:
        Set Security.PasswordQualityControl to
        "similar=deny retry=3 min=disabled,disabled,disabled,disabled,15 max=64"; it applies to
        the next password change.
    """
    raw = host.advanced_settings.get(QUALITY_KEY)
    if raw is None:
        return setting_missing(ctx, host, QUALITY_KEY)
    problems = password_quality_problems(raw, ctx.threshold("min_length"))
    if problems:
        return fail("; ".join(problems), setting=QUALITY_KEY, value=raw)
    return ok()


@check(
    id="SEC034",
    name="esxi-audit-log-not-persistent",
    title="Host keeps its audit records on non-persistent storage",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.logs-audit-persistent", "DISA STIG ESXI-80-000243"),
)
def esxi_audit_log_not_persistent(host: Host, ctx: CheckContext) -> Outcome:
    """The host stores its audit records where they survive a reboot.

    What it checks:
        Syslog.global.auditRecord.storageDirectory: a datastore path passes; an empty value or a
        /tmp path fails; the default "[] /scratch/auditLog" passes only when
        ScratchConfig.CurrentScratchLocation is not on the RAM disk.
    Why it matters:
        Audit records on the RAM disk vanish at every reboot or crash, and a reboot is exactly
        what an intruder uses to cover tracks.
    Example:
        esx11: Syslog.global.auditRecord.storageDirectory = "[] /scratch/auditLog" with scratch
        on /tmp/scratch.
    Remediation:
        Point the audit record directory (or the scratch location) at a persistent datastore
        folder and re-enable audit records (esxcli system auditrecords local enable).
    """
    return persistent_location(host, ctx, AUDIT_DIR_KEY, "audit records", "audit_dir")


@check(
    id="SEC044",
    name="esxi-cim-running",
    title="CIM service is running on the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.deactivate-cim", "DISA STIG ESXI-80-000228"),
)
def esxi_cim_running(host: Host, ctx: CheckContext) -> Outcome:
    """The CIM server (sfcbd-watchdog) is stopped unless hardware monitoring needs it.

    What it checks:
        The sfcbd-watchdog service: running fails; stopped with start policy "on" fails with low
        severity.
    Why it matters:
        The CIM server listens on the network with root privileges and has had remotely
        exploitable flaws; most estates monitor hardware through the BMC or vCenter instead.
    Example:
        esx07: sfcbd-watchdog running, start policy "on".
    Remediation:
        Stop the CIM server and set its policy to "Start and stop manually" (or
        ``esxcli system wbem set --enable false``); keep it only where a CIM-based tool needs
        it, and suppress this check there with the reason.
    """
    return service_outcome(host, ctx, "sfcbd-watchdog", "CIM server (sfcbd)")


@check(
    id="SEC045",
    name="esxi-snmp-running",
    title="SNMP service is running on the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.deactivate-snmp", "DISA STIG ESXI-80-000212"),
)
def esxi_snmp_running(host: Host, ctx: CheckContext) -> Outcome:
    """The SNMP agent (snmpd) is stopped unless monitoring uses it.

    What it checks:
        The snmpd service: running fails; stopped with start policy "on" fails with low severity.
    Why it matters:
        SNMP v1/v2c sends community strings in clear text and answers anyone who knows them;
        an unused agent is attack surface with no benefit.
    Example:
        esx02: snmpd running, start policy "on".
    Remediation:
        Stop snmpd and set it to start manually (``esxcli system snmp set --enable false``); if
        monitoring needs SNMP use v3 with authentication and privacy, and suppress this check
        with the reason.
    """
    return service_outcome(host, ctx, "snmpd", "SNMP agent (snmpd)")


@check(
    id="SEC046",
    name="esxi-time-service-not-persistent",
    title="Host time service is not running or does not start with the host",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.timekeeping-services", "DISA STIG ESXI-80-000124"),
)
def esxi_time_service_not_persistent(host: Host, ctx: CheckContext) -> Outcome:
    """A time service (NTP or PTP) runs and starts with the host.

    What it checks:
        The ntpd or ptpd service: at least one must be running with start policy "on". One
        running with another policy fails with low severity (it will not come back after a
        reboot); one running whose policy was not collected (RVTools) is UNKNOWN.
    Why it matters:
        Log correlation, certificate validation and Kerberos all depend on correct time; a time
        service started by hand is gone after the next reboot and the clock drifts unnoticed.
    Example:
        esx09: ntpd running, start policy "off".
    Remediation:
        Set the NTP (or PTP) service policy to "Start and stop with host" and start it; make sure
        time sources are configured (CFG011).
    """
    if host.services is None:
        return missing(
            ctx, host.id, "host services were not collected", "host.services", "host.config", "host"
        )
    services = [s for key in TIME_SERVICES if (s := host.service(key)) is not None]
    if not services:
        return missing(
            ctx,
            host.id,
            "neither ntpd nor ptpd is in the collected list",
            "host.services",
            "host.config",
            "host",
        )
    if any(s.running and s.policy == "on" for s in services):
        return ok()
    running = [s for s in services if s.running]
    if running and all(s.policy is None for s in running):
        # Running now, but whether it comes back after a reboot is not known (RVTools exports
        # no start policies): that is missing data, not a finding.
        names = " and ".join(s.key for s in running)
        return missing(
            ctx,
            host.id,
            f"{names} runs but its start policy was not collected",
            "host.services",
            service=running[0].key,
        )
    if running:
        s = next(s for s in running if s.policy is not None)
        return fail(
            f"{s.key} runs but does not start with the host (policy {s.policy})",
            Severity.LOW,
            service=s.key,
            policy=s.policy,
        )
    return fail(
        "no time service is running",
        services=", ".join(f"{s.key}:{s.policy or '?'}" for s in services),
    )


@check(
    id="SEC047",
    name="host-portgroup-guest-vlan-trunk",
    title="Standard port group passes all VLANs to guests (VLAN 4095)",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.LOW,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.network-vgt", "DISA STIG ESXI-80-000220"),
)
def host_portgroup_guest_vlan_trunk(host: Host, ctx: CheckContext) -> Outcome:
    """No standard port group uses VLAN 4095 (virtual guest tagging) unless a VM needs it.

    What it checks:
        The VLAN ID of every standard port group on the host: 4095 fails.
    Why it matters:
        VLAN 4095 hands every VLAN of the uplink to the VMs on the port group, which can then tag
        their own traffic into any network segment, including management.
    Example:
        esx01: port group "Trunk-All" has VLAN 4095.
    Remediation:
        Give the port group its VLAN ID; keep VGT only for the VMs that need it (network
        appliances, nested labs) on a dedicated port group, and suppress the check there.
    """
    if host.portgroups is None:
        return missing(ctx, host.id, "port groups were not collected", "host.network", "host")
    trunks = [g.name for g in host.portgroups if g.vlan_id == VGT_VLAN]
    if trunks:
        return fail(
            f"port group{'s' if len(trunks) > 1 else ''} {', '.join(trunks)} use VLAN 4095",
            portgroups=", ".join(trunks),
        )
    return ok()
