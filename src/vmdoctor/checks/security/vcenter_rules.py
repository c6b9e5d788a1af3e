"""vCenter advanced settings (its OptionManager) of the vSphere 8 SCG.

The vCenter OptionManager lists the settings stored in its database; a key it does not list
runs with the built-in default. Every control here has a compliant default (the SCG marks them
"is default"), so an absent key passes once any setting was collected; no settings at all
means they were not collected and gives UNKNOWN.
"""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.security._common import is_true
from vmdoctor.checks.security._settings import (
    Absent,
    SettingRule,
    between,
    boolean,
    equals,
    register,
)
from vmdoctor.model import Family, Severity, VCenter

VCENTER_RULES: tuple[SettingRule, ...] = (
    SettingRule(
        id="SEC060",
        name="vcenter-event-syslog-disabled",
        title="vCenter does not send its events to syslog",
        summary="vCenter writes its events to syslog, so they reach the remote log servers.",
        target="vcenter",
        key="vpxd.event.syslog.enabled",
        expect=boolean(True),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        why="Events (logins, permission changes, VM deletions) otherwise live only in the "
        "vCenter database, where an attacker with admin rights can purge them.",
        remediation="Set vpxd.event.syslog.enabled to true (vCenter > Configure > Advanced "
        "Settings) and forward the appliance's syslog to your collector.",
        bad_value="false",
        references=("vSphere 8 SCG vcenter-8.events-remote-logging", "DISA STIG VCSA-80-000280"),
    ),
    SettingRule(
        id="SEC061",
        name="vcenter-log-level",
        title="vCenter server log level is not info",
        summary="The vCenter server (vpxd) logs at the info level.",
        target="vcenter",
        key="config.log.level",
        expect=equals("info"),
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        why="Below info, vpxd does not record who did what; above it the logs rotate so fast "
        "that an investigation finds nothing.",
        remediation="Set config.log.level to info (vCenter > Configure > Advanced Settings); "
        "no restart needed.",
        bad_value="warning",
        references=("vSphere 8 SCG vcenter-8.logs-level-global", "DISA STIG VCSA-80-000034"),
    ),
    SettingRule(
        id="SEC062",
        name="vcenter-vpxuser-rotation",
        title="vCenter rotates the vpxuser password too rarely",
        summary="vCenter rotates the password of its host account (vpxuser) regularly.",
        target="vcenter",
        key="VirtualCenter.VimPasswordExpirationInDays",
        expect=between(1, "max_days", "never rotated"),
        thresholds={"max_days": 30},
        absent=Absent.COMPLIANT,
        severity=Severity.LOW,
        why="vpxuser has root rights on every host; a password taken from a host or a backup "
        "stays valid until vCenter rotates it.",
        remediation="Set VirtualCenter.VimPasswordExpirationInDays to 30 or less.",
        bad_value="365",
        references=("vSphere 8 SCG vcenter-8.vpxuser-rotation", "DISA STIG VCSA-80-000275"),
    ),
)

register(VCENTER_RULES)

RETENTION_KEYS = ("event.maxAge", "task.maxAge")


@check(
    id="SEC059",
    name="vcenter-event-retention-short",
    title="vCenter keeps events and tasks for too short a time",
    family=Family.SECURITY,
    applies_to="vcenter",
    severity=Severity.LOW,
    thresholds={"min_days": 30},
    fix=Fix.SAFE,
    references=("vSphere 8 SCG vcenter-8.events-database-retention", "DISA STIG VCSA-80-000293"),
)
def vcenter_event_retention_short(vc: VCenter, ctx: CheckContext) -> Outcome:
    """vCenter keeps events and tasks for at least ``min_days`` days.

    What it checks:
        The vCenter advanced settings event.maxAge and task.maxAge must be at least
        ``min_days`` (30). An absent key is the default (30 days) and passes, so does a
        disabled purge (event.maxAgeEnabled = false keeps everything); no settings at all means
        they were not collected (UNKNOWN).
    Why it matters:
        Events and tasks are the record of who changed what; with a short retention the trail
        of a change made last month is already gone when an outage is investigated.
    Example:
        vcsa-01: event.maxAge = 7.
    Remediation:
        Set event.maxAge and task.maxAge to 30 or more (and event.maxAgeEnabled /
        task.maxAgeEnabled to true) in vCenter > Configure > Advanced Settings; size the
        database accordingly.
    """
    settings = vc.advanced_settings
    if not settings:
        return missing(
            ctx, vc.id, "vCenter advanced settings were not collected", "vcenter.settings"
        )
    limit = ctx.threshold("min_days")
    short = []
    for key in RETENTION_KEYS:
        raw = settings.get(key)
        enabled = settings.get(f"{key}Enabled", "true")
        if raw is None or not is_true(enabled):  # absent: default 30 days; disabled: kept forever
            continue
        try:
            days = int(raw.strip())
        except ValueError:
            short.append(f"{key} = {raw!r} (not a number)")
            continue
        if days < limit:
            short.append(f"{key} = {days} days")
    if short:
        return fail(f"{'; '.join(short)} (< {limit:.0f} days)", min_days=limit)
    return ok()
