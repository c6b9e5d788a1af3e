"""VM advanced settings (extraConfig) from the vSphere 8 security configuration guide.

Keys absent from a VM's extraConfig take the ESXi default. For the isolation settings the
default has been the secure value since vSphere 6.x, so absent passes (the hardening table lists
their recommended value as "TRUE or Undefined"); only an explicit insecure value fails.
"""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.checks.security._common import is_true
from vmdoctor.model import VM, Family, Severity

COPY_KEY = "isolation.tools.copy.disable"
PASTE_KEY = "isolation.tools.paste.disable"
DND_KEY = "isolation.tools.dnd.disable"
REMOTE_DISPLAY_KEY = "RemoteDisplay.maxConnections"


@check(
    id="SEC016",
    name="vm-console-copy-paste-enabled",
    title="Console copy and paste is enabled on the VM",
    family=Family.SECURITY,
    applies_to="vm",
    severity=Severity.LOW,
    fix=Fix.DISRUPTIVE,
    references=(
        "vSphere 8 SCG vm-8.deactivate-console-copy",
        "vSphere 8 SCG vm-8.deactivate-console-paste",
        "vSphere 8 SCG vm-8.isolation-tools-dnd-deactivate",
        "DISA STIG VMCH-80-000189",
        "DISA STIG VMCH-80-000191",
        "DISA STIG VMCH-80-000192",
    ),
)
def vm_console_copy_paste_enabled(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM's console does not allow copy, paste or drag and drop.

    What it checks:
        isolation.tools.copy.disable, isolation.tools.paste.disable and
        isolation.tools.dnd.disable in the VM's advanced settings. Absent keys take the secure
        default (disabled) and pass; an explicit "false" fails.
    Why it matters:
        Clipboard and drag and drop move data between the guest and whoever holds a console
        session, past any data-loss controls inside the guest.
    Example:
        fin-app-02: isolation.tools.copy.disable = false, isolation.tools.paste.disable = false.
    Remediation:
        Remove the keys or set them to true (Edit Settings > Advanced > Configuration
        Parameters); takes effect at the next power cycle.
    """
    if vm.template:
        return not_applicable()
    if vm.advanced_settings is None:
        return missing(
            ctx, vm.id, "advanced settings were not collected", "vm.advanced_settings", "vm.config"
        )
    enabled = [
        key
        for key in (COPY_KEY, PASTE_KEY, DND_KEY)
        if key in vm.advanced_settings and not is_true(vm.advanced_settings[key])
    ]
    if enabled:
        return fail(
            "console " + ", ".join(k.split(".")[2] for k in enabled) + " enabled",
            None,
            **{k: vm.advanced_settings[k] for k in enabled},
        )
    return ok()


@check(
    id="SEC017",
    name="vm-console-connections-unlimited",
    title="VM console accepts several simultaneous connections",
    family=Family.SECURITY,
    applies_to="vm",
    severity=Severity.LOW,
    thresholds={"max_connections": 1},
    fix=Fix.DISRUPTIVE,
    references=("vSphere 8 SCG vm-8.limit-console-connections", "DISA STIG VMCH-80-000195"),
    default_scan=False,
)
def vm_console_connections_unlimited(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM's remote console accepts at most one session.

    What it checks:
        RemoteDisplay.maxConnections must be between 1 and ``max_connections`` (1). Absent means
        unlimited (the ESXi default, -1) and fails.
    Why it matters:
        With several console sessions a second user can watch or take over an administrator's
        console unnoticed.
    Example:
        app-web-01 has no RemoteDisplay.maxConnections (unlimited).
    Remediation:
        Set RemoteDisplay.maxConnections = 1 in the VM's advanced settings (applies at the next
        power cycle); a VM template with it set spreads it to new VMs.
    """
    if vm.template:
        return not_applicable()
    if vm.advanced_settings is None:
        return missing(
            ctx, vm.id, "advanced settings were not collected", "vm.advanced_settings", "vm.config"
        )
    raw = vm.advanced_settings.get(REMOTE_DISPLAY_KEY)
    limit = ctx.threshold("max_connections")
    return ctx.knowledge.memo(("SEC017", raw, limit), lambda: _connections_outcome(raw, limit))


def _connections_outcome(raw: str | None, limit: float) -> Outcome:
    try:
        value = int(raw) if raw is not None else -1
    except ValueError:
        return fail(f"{REMOTE_DISPLAY_KEY} is not a number: {raw!r}")
    if value < 1 or value > limit:
        shown = "unlimited" if value < 1 else str(value)
        return fail(f"console accepts {shown} connections (limit {limit:.0f})", value=raw)
    return ok()
