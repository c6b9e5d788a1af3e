"""Host logs kept where they survive a reboot, and sent off the host."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.security._common import setting_missing
from vmdoctor.model import Family, Host, Severity

LOG_DIR_KEY = "Syslog.global.logDir"
SCRATCH_KEY = "ScratchConfig.CurrentScratchLocation"
LOG_HOST_KEY = "Syslog.global.logHost"


@check(
    id="SEC018",
    name="esxi-logs-not-persistent",
    title="Host logs are kept on non-persistent storage",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG esxi-8.logs-persistent",
        "DISA STIG ESXI-80-000243",
        "VMware KB 1033696",
    ),
)
def esxi_logs_not_persistent(host: Host, ctx: CheckContext) -> Outcome:
    """The host writes its logs to persistent storage.

    What it checks:
        Syslog.global.logDir: a datastore path passes; an empty value or a /tmp path fails; the
        default "[] /scratch/log" passes only when ScratchConfig.CurrentScratchLocation is not on
        the RAM disk (/tmp).
    Why it matters:
        Logs on the RAM disk vanish at every reboot and PSOD, exactly when they are needed to
        find why the host failed or who changed it.
    Example:
        esx11: Syslog.global.logDir = "[] /scratch/log" with scratch on /tmp/scratch.
    Remediation:
        Point Syslog.global.logDir (or the scratch location) at a persistent datastore folder,
        e.g. "[ds-local-01] logs/esx11", and send logs to a remote syslog server too.
    """
    return persistent_location(host, ctx, LOG_DIR_KEY, "logs", "log_dir")


def persistent_location(
    host: Host, ctx: CheckContext, key: str, what: str, evidence_key: str
) -> Outcome:
    """The directory in ``key`` survives a reboot: a datastore path, or scratch off the RAM disk.

    "[] /scratch/..." (an empty datastore name) means the scratch location, which may itself be
    on the RAM disk when the host boots from USB/SD without a scratch partition.
    """
    raw = host.advanced_settings.get(key)
    if raw is None:
        return setting_missing(ctx, host, key)
    value = raw.strip()
    if not value or value.startswith("/tmp") or "/tmp/" in value:
        return fail(
            f"{what} are written to {value or '(nowhere set)'}",
            Severity.MEDIUM,
            **{evidence_key: value},
        )
    if value.startswith("[]"):
        scratch = host.advanced_settings.get(SCRATCH_KEY)
        if scratch is None:
            return missing(
                ctx,
                host.id,
                f"{key} uses scratch but {SCRATCH_KEY} was not collected",
                "host.advanced_settings",
                "host.config",
                "host",
            )
        if scratch.strip().startswith("/tmp"):
            return fail(
                f"{what} are written to scratch on the RAM disk ({scratch.strip()})",
                None,
                scratch=scratch,
                **{evidence_key: value},
            )
    return ok()


@check(
    id="SEC019",
    name="esxi-remote-syslog-missing",
    title="Host does not send its logs to a remote syslog server",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.logs-remote", "DISA STIG ESXI-80-000114"),
)
def esxi_remote_syslog_missing(host: Host, ctx: CheckContext) -> Outcome:
    """The host forwards its logs to at least one remote syslog server.

    What it checks:
        Syslog.global.logHost (or the collected syslog host list) must not be empty.
    Why it matters:
        Attackers who reach a host wipe its local logs; only a remote copy keeps the audit
        trail, and it is what lets you correlate a cluster-wide outage.
    Example:
        esx04: Syslog.global.logHost is empty.
    Remediation:
        Set Syslog.global.logHost to your collector (e.g. tcp://syslog.example.org:514 or
        ssl://...:1514) and open the syslog firewall rule.
    """
    raw = host.advanced_settings.get(LOG_HOST_KEY)
    if raw is None and host.syslog_hosts is None:
        return setting_missing(ctx, host, LOG_HOST_KEY)
    targets = [t for t in ((raw or "").split(",") + list(host.syslog_hosts or [])) if t.strip()]
    if not targets:
        return fail("no remote syslog server is configured")
    return ok()
