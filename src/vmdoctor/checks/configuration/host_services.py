"""Host time and logging configuration: NTP and remote syslog."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Family, Host, Severity

LOGHOST_SETTING = "Syslog.global.logHost"
TIME_SERVICES = ("ntpd", "ptpd")


@check(
    id="CFG011",
    name="host-ntp-not-configured",
    title="Host time is not synchronised (NTP)",
    family=Family.CONFIGURATION,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("VMware KB 1003063", "vSphere Host Management guide: time configuration"),
)
def host_ntp_not_configured(host: Host, ctx: CheckContext) -> Outcome:
    """A host has NTP servers and a running time service.

    What it checks:
        ``ntp_servers`` of every host is not empty, and the ``ntpd`` service (or ``ptpd`` for
        PTP) is running. UNKNOWN when the time configuration or service states were not
        collected.
    Why it matters:
        Hosts with drifting clocks break Kerberos/AD authentication, make HA and vCenter
        certificates fail validation, misorder logs across hosts (which ruins any
        investigation), and pass the wrong time to guests synchronised with VMware Tools.
    Example:
        esx07 has no NTP server configured and its clock is 6 minutes behind.
    Remediation:
        Configure at least two reliable NTP servers, set the NTP service policy to "start and
        stop with host" and start it - live and safe.
    """
    if host.ntp_servers is None:
        return missing(
            ctx, host.id, "the host's NTP servers were not collected", "host.config", "host"
        )
    if not host.ntp_servers:
        return fail("no NTP server is configured")
    if host.services is None:
        return missing(
            ctx,
            host.id,
            "NTP servers are set but the service states were not collected",
            "host.services",
            "host.config",
            "host",
        )
    running = [k for k in TIME_SERVICES if (svc := host.service(k)) is not None and svc.running]
    if running:
        return ok()
    return fail(
        f"NTP servers are configured ({', '.join(host.ntp_servers)}) but no time service runs",
        ntp_servers=", ".join(host.ntp_servers),
    )


@check(
    id="CFG012",
    name="host-syslog-not-configured",
    title="Host does not send its logs to a remote syslog server",
    family=Family.CONFIGURATION,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("VMware KB 2003322", "vSphere Security guide: ESXi log files"),
)
def host_syslog_not_configured(host: Host, ctx: CheckContext) -> Outcome:
    """A host forwards its logs to at least one remote syslog server.

    What it checks:
        ``syslog_hosts`` of every host, or else its ``Syslog.global.logHost`` advanced setting:
        empty fails. UNKNOWN when neither was collected.
    Why it matters:
        ESXi keeps its logs in memory unless a persistent scratch location exists, and a host
        that crashes or is rebuilt loses them: the evidence of why it stopped working is gone
        exactly when it is needed.
    Example:
        esx02 has Syslog.global.logHost empty: its vmkernel and hostd logs are local only.
    Remediation:
        Set Syslog.global.logHost (e.g. ``tcp://syslog.example.org:514``), open the syslog
        firewall rule and reload syslog (``esxcli system syslog reload``) - live and safe.
    """
    targets = host.syslog_hosts
    if targets is None:
        setting = host.advanced_settings.get(LOGHOST_SETTING)
        if setting is None:
            return missing(
                ctx,
                host.id,
                "neither the syslog targets nor Syslog.global.logHost were collected",
                "host.advanced_settings",
                "host.config",
                "host",
            )
        targets = [t for t in (p.strip() for p in setting.split(",")) if t]
    if targets:
        return ok()
    return fail("no remote syslog server is configured")
