"""Bursts of failed logins in the event stream: password guessing against vCenter or hosts."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Family, Severity, VCenter

#: Event types (class names or eventTypeIds of EventEx) that record a failed login or a lockout.
FAILED_LOGIN_EVENTS = frozenset(
    {
        "BadUsernameSessionEvent",
        "esx.audit.account.locked",
        "esx.audit.account.loginfailures",
        "com.vmware.sso.LoginFailure",
        "com.vmware.sso.PrincipalManagement.UserLocked",
        "vim.event.BadUsernameSessionEvent",
    }
)


@check(
    id="SEC020",
    name="failed-login-burst",
    title="Burst of failed logins",
    family=Family.SECURITY,
    applies_to="vcenter",
    severity=Severity.HIGH,
    thresholds={"max_failures": 10, "window_minutes": 10},
    fix=Fix.MANUAL,
    references=(
        "vSphere 8 SCG esxi-8.account-lockout",
        "vSphere 8 SCG vcenter-8.administration-sso-lockout-policy-max-attempts",
    ),
    requires=("events",),
)
def failed_login_burst(vc: VCenter, ctx: CheckContext) -> Outcome:
    """No burst of failed logins against vCenter or its hosts.

    What it checks:
        Events recording failed logins or account lockouts (BadUsernameSessionEvent,
        esx.audit.account.locked, com.vmware.sso.LoginFailure, ...) collected for this vCenter:
        it fails when ``max_failures`` (10) or more fall within ``window_minutes`` (10).
    Why it matters:
        A burst of failures is password guessing or a script with a stale password; the first
        locks out administrators and service accounts, the second breaks backups and monitoring
        when the account locks.
    Example:
        vc01: 42 failed logins between 02:10 and 02:18, mostly for root.
    Remediation:
        Find the source addresses in the events and vpxd/SSO logs, block or fix the client
        (update the stored password), check the account was not compromised, and keep lockout
        policies on.
    """
    if ctx.index.gap_for("events", vc.id) is not None:
        return missing(ctx, vc.id, "events were not collected", "events")
    single = len(ctx.env.vcenters) == 1
    times = []
    users: Counter[str] = Counter()
    for event in ctx.env.timeline.events:
        if event.type not in FAILED_LOGIN_EVENTS:
            continue
        owner = event.objects.vcenter_id
        if owner != vc.id and not (owner is None and single):
            continue
        times.append(event.time)
        users[event.user or "?"] += 1
    if len(times) < ctx.threshold("max_failures"):
        return ok()
    times.sort()
    window = timedelta(minutes=ctx.threshold("window_minutes"))
    best, best_start, start = 0, 0, 0
    for end in range(len(times)):
        while times[end] - times[start] > window:
            start += 1
        if end - start + 1 > best:
            best, best_start = end - start + 1, start
    if best >= ctx.threshold("max_failures"):
        first = times[best_start]
        last = times[best_start + best - 1]
        return fail(
            f"{best} failed logins within {ctx.threshold('window_minutes'):.0f} minutes "
            f"({first:%Y-%m-%d %H:%M} - {last:%H:%M})",
            failures_in_window=best,
            window_start=first.isoformat(),
            window_end=last.isoformat(),
            failures_total=len(times),
            top_users=", ".join(f"{u} x{n}" for u, n in users.most_common(3)),
        )
    return ok()
