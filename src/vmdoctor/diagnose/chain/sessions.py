"""vCenter sessions: the session limit reached <- a client that logs in and never logs out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from vmdoctor.diagnose.chain.context import ChainContext
from vmdoctor.diagnose.chain.link import Expander, Link, Seed
from vmdoctor.diagnose.records import Record
from vmdoctor.model import Family, VCenter
from vmdoctor.model.diagnosis import Cause

LOGIN = "UserLoginSessionEvent"
LOGOUT = "UserLogoutSessionEvent"
#: logins without a logout from one account before it counts as a leak
MIN_LEAKED = 5


def seed_sessions(ctx: ChainContext, cause: Cause) -> Link | None:
    vc = ctx.get(cause.object.id if cause.object else ctx.symptom.target.id, VCenter)
    if vc is None:
        return None
    if vc.active_sessions and vc.max_sessions:
        statement = (
            f"{vc.name} holds {vc.active_sessions} of its {vc.max_sessions} API sessions: vpxd "
            "refuses new logins."
        )
        clause = f"the sessions piled up to vpxd's limit of {vc.max_sessions:,}"
    else:
        statement = f"{vc.name} reached its API session limit: vpxd refuses new logins."
        clause = "the sessions piled up to vpxd's limit"
    return Link(
        key="sessions-exhausted",
        object_id=vc.id,
        family=cause.family,
        statement=statement,
        clause=clause,
        evidence=tuple(cause.evidence)[:3],
    )


def up_leaking_client(ctx: ChainContext, link: Link) -> Sequence[Link]:
    vc_id = link.object_id
    logins: Counter[str] = Counter()
    logouts: Counter[str] = Counter()
    first: dict[str, Record] = {}
    last: dict[str, Record] = {}
    for rec in ctx.scope.all_records:
        if rec.kind not in (LOGIN, LOGOUT) or not rec.user or rec.link.vcenter_id != vc_id:
            continue
        if rec.time is not None and rec.time > ctx.scope.time:
            continue
        if rec.kind == LOGIN:
            logins[rec.user] += 1
            first.setdefault(rec.user, rec)
            last[rec.user] = rec
        else:
            logouts[rec.user] += 1
    leaks = {u: n - logouts[u] for u, n in logins.items() if n - logouts[u] >= MIN_LEAKED}
    if not leaks:
        return []
    user = max(leaks, key=lambda u: (leaks[u], u))
    n, out = logins[user], logouts[user]
    since, until = first[user].time, last[user].time
    span = f" between {since:%Y-%m-%d %H:%M} and {until:%Y-%m-%d %H:%M}" if since and until else ""
    closed = "never logged out" if not out else f"logged out only {out} times"
    return [
        Link(
            key="session-leak",
            object_id=vc_id,
            family=Family.CONFIGURATION,
            statement=f"{user} logged in {n} times{span} and {closed}: a script or tool opens "
            "a session for every run and never closes it.",
            clause=f"{user} kept opening sessions and never closed them",
            evidence=(ctx.item(first[user]), ctx.item(last[user])),
            weight=min(1.0, 0.4 + leaks[user] / 50),
            remediation=f"Terminate the idle sessions of {user} (Administration > Client "
            "sessions, or SessionManager.TerminateSession) and fix that script to reuse one "
            "session and log out.",
            prevention="Give each tool its own account, make it reuse one session and log out, "
            "and alert when one account holds more than a few dozen sessions.",
        )
    ]


SEEDS: dict[str, Seed] = {"vcenter-session-exhaustion": seed_sessions}
UPSTREAM: dict[str, tuple[Expander, ...]] = {"sessions-exhausted": (up_leaking_client,)}
