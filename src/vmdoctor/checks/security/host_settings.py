"""Host advanced settings from the vSphere 8 security configuration guide."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.security._common import int_setting, setting_missing
from vmdoctor.model import Family, Host, Severity

INTERACTIVE_KEY = "UserVars.ESXiShellInteractiveTimeOut"
SHELL_KEY = "UserVars.ESXiShellTimeOut"
LOCK_FAILURES_KEY = "Security.AccountLockFailures"
UNLOCK_TIME_KEY = "Security.AccountUnlockTime"


def _timeout_problem(value: int, limit: float, key: str) -> str | None:
    if value <= 0:
        return f"{key} = {value} (no timeout)"
    if value > limit:
        return f"{key} = {value} s (> {limit:.0f} s)"
    return None


@check(
    id="SEC009",
    name="esxi-shell-timeouts",
    title="Shell and SSH sessions do not time out",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    thresholds={"max_interactive_s": 900, "max_availability_s": 600},
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG esxi-8.shell-interactive-timeout",
        "vSphere 8 SCG esxi-8.shell-timeout",
        "DISA STIG ESXI-80-000068",
        "DISA STIG ESXI-80-000195",
    ),
)
def esxi_shell_timeouts(host: Host, ctx: CheckContext) -> Outcome:
    """Idle shell sessions and enabled shell services time out.

    What it checks:
        UserVars.ESXiShellInteractiveTimeOut (idle shell/SSH sessions, at most 900 s) and
        UserVars.ESXiShellTimeOut (how long SSH/ESXi Shell stay enabled, at most 600 s). 0 means
        never and fails.
    Why it matters:
        Without timeouts a forgotten SSH session or a shell enabled "for a minute" stays open
        for days, an open door for anyone on the management network.
    Example:
        esx03: UserVars.ESXiShellInteractiveTimeOut = 0 (no timeout).
    Remediation:
        Set both advanced settings (900 and 600 seconds, or your policy's values); takes effect
        for new sessions without a reboot.
    """
    problems = []
    for key, limit in (
        (INTERACTIVE_KEY, ctx.threshold("max_interactive_s")),
        (SHELL_KEY, ctx.threshold("max_availability_s")),
    ):
        if key not in host.advanced_settings:
            return setting_missing(ctx, host, key)
        value = int_setting(host, key)
        if value is None:
            return fail(f"{key} is not a number: {host.advanced_settings[key]!r}")
        problem = _timeout_problem(value, limit, key)
        if problem:
            problems.append(problem)
    if problems:
        return fail(
            "; ".join(problems),
            None,
            **{k: host.advanced_settings[k] for k in (INTERACTIVE_KEY, SHELL_KEY)},
        )
    return ok()


@check(
    id="SEC010",
    name="esxi-account-lockout",
    title="Host accounts are not locked after failed logins",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    thresholds={"max_failures": 5, "min_unlock_s": 900},
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG esxi-8.account-lockout",
        "vSphere 8 SCG esxi-8.account-auto-unlock-time",
        "DISA STIG ESXI-80-000005",
        "DISA STIG ESXI-80-000111",
    ),
)
def esxi_account_lockout(host: Host, ctx: CheckContext) -> Outcome:
    """Local accounts lock after a few failed logins, for long enough to stop guessing.

    What it checks:
        Security.AccountLockFailures between 1 and ``max_failures`` (5 per the SCG; the DISA
        STIG asks for 3) and Security.AccountUnlockTime at least ``min_unlock_s`` (900 s).
    Why it matters:
        Without lockout, SSH and the host client allow unlimited password guessing against
        root; a short unlock time lets a slow brute force run anyway.
    Example:
        esx06: Security.AccountLockFailures = 0 (lockout disabled).
    Remediation:
        Set Security.AccountLockFailures (e.g. 5, or 3 for STIG) and Security.AccountUnlockTime
        (900) in Advanced System Settings.
    """
    for key in (LOCK_FAILURES_KEY, UNLOCK_TIME_KEY):
        if key not in host.advanced_settings:
            return setting_missing(ctx, host, key)
    failures = int_setting(host, LOCK_FAILURES_KEY)
    unlock = int_setting(host, UNLOCK_TIME_KEY)
    evidence = {
        "lock_failures": host.advanced_settings[LOCK_FAILURES_KEY],
        "unlock_time_s": host.advanced_settings[UNLOCK_TIME_KEY],
    }
    problems = []
    if failures is None or failures <= 0:
        problems.append("account lockout is disabled")
    elif failures > ctx.threshold("max_failures"):
        problems.append(
            f"accounts lock only after {failures} failures (> {ctx.threshold('max_failures'):.0f})"
        )
    if unlock is None or unlock < ctx.threshold("min_unlock_s"):
        problems.append(
            f"locked accounts unlock after {unlock} s (< {ctx.threshold('min_unlock_s'):.0f} s)"
        )
    if problems:
        return fail("; ".join(problems), None, **evidence)
    return ok()


def _expect_int(host: Host, ctx: CheckContext, key: str, expected: int, why: str) -> Outcome:
    if key not in host.advanced_settings:
        return setting_missing(ctx, host, key)
    value = int_setting(host, key)
    if value != expected:
        return fail(
            f"{key} = {host.advanced_settings[key]} (expected {expected}): {why}",
            setting=key,
            value=host.advanced_settings[key],
        )
    return ok()


@check(
    id="SEC011",
    name="esxi-guest-bpdu-not-blocked",
    title="Host does not block BPDU frames from guests",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.LOW,
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.network-bpdu", "DISA STIG ESXI-80-000215"),
)
def esxi_guest_bpdu_not_blocked(host: Host, ctx: CheckContext) -> Outcome:
    """The host drops spanning-tree BPDU frames sent by VMs.

    What it checks:
        Net.BlockGuestBPDU must be 1.
    Why it matters:
        A VM sending BPDUs (bridging inside the guest, or malicious) makes the physical switch
        shut the uplink port with BPDU guard: every VM behind that uplink loses the network.
    Example:
        esx02: Net.BlockGuestBPDU = 0.
    Remediation:
        Set Net.BlockGuestBPDU to 1 (Advanced System Settings).
    """
    return _expect_int(
        host, ctx, "Net.BlockGuestBPDU", 1, "VMs can make the physical switch shut uplinks"
    )


@check(
    id="SEC012",
    name="esxi-page-sharing-not-salted",
    title="Transparent page sharing between VMs is not restricted",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.LOW,
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG esxi-8.transparent-page-sharing",
        "DISA STIG ESXI-80-000213",
        "VMware KB 2097593",
    ),
)
def esxi_page_sharing_not_salted(host: Host, ctx: CheckContext) -> Outcome:
    """Memory pages are shared only inside a VM (salting on).

    What it checks:
        Mem.ShareForceSalting must be 2 (the default since 6.0: intra-VM sharing only).
    Why it matters:
        Inter-VM page sharing enables side channels that leak memory contents (e.g. AES keys)
        between VMs of different tenants.
    Example:
        esx08: Mem.ShareForceSalting = 0 (pages shared between all VMs).
    Remediation:
        Set Mem.ShareForceSalting to 2; the change applies as pages are re-shared.
    """
    return _expect_int(host, ctx, "Mem.ShareForceSalting", 2, "memory pages shared across VMs")


@check(
    id="SEC013",
    name="esxi-dcui-timeout",
    title="DCUI sessions do not time out",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.LOW,
    thresholds={"max_s": 600},
    fix=Fix.SAFE,
    references=("vSphere 8 SCG esxi-8.dcui-timeout", "DISA STIG ESXI-80-000196"),
)
def esxi_dcui_timeout(host: Host, ctx: CheckContext) -> Outcome:
    """The direct console (DCUI) logs out idle sessions.

    What it checks:
        UserVars.DcuiTimeOut between 1 and ``max_s`` (600 s).
    Why it matters:
        A DCUI left logged in at the console or in a remote KVM/iLO session gives whoever finds
        it full host control.
    Example:
        esx01: UserVars.DcuiTimeOut = 0.
    Remediation:
        Set UserVars.DcuiTimeOut to 600 or less.
    """
    key = "UserVars.DcuiTimeOut"
    if key not in host.advanced_settings:
        return setting_missing(ctx, host, key)
    value = int_setting(host, key)
    problem = _timeout_problem(value if value is not None else 0, ctx.threshold("max_s"), key)
    if problem:
        return fail(problem, setting=key, value=host.advanced_settings[key])
    return ok()
