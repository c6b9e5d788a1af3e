"""Host states that take a host out of service: maintenance mode, lost connection."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Family, Host, Severity

# Connection states a source gives when it cannot tell the real one.
UNKNOWN_STATES = frozenset({"unknown", ""})


@check(
    id="CFG013",
    name="host-in-maintenance-mode",
    title="Host is in maintenance mode",
    family=Family.CONFIGURATION,
    applies_to="host",
    severity=Severity.LOW,
    fix=Fix.SAFE,
    references=("vSphere Resource Management guide: maintenance mode",),
)
def host_in_maintenance_mode(host: Host, ctx: CheckContext) -> Outcome:
    """A host is not left in maintenance mode.

    What it checks:
        ``runtime.inMaintenanceMode`` of every host.
    Why it matters:
        A host in maintenance mode runs no VMs and counts for nothing in HA failover capacity;
        one forgotten after patching silently shrinks the cluster until the next failure shows
        there is no room left.
    Example:
        esx04 has been in maintenance mode since its firmware update.
    Remediation:
        Finish the maintenance and exit maintenance mode, or remove the host from the cluster
        if it is being retired. Suppress this finding with an expiry date during planned work.
    """
    if not host.in_maintenance_mode:
        return ok()
    return fail("the host is in maintenance mode and carries no workload")


@check(
    id="CFG014",
    name="host-not-connected",
    title="Host is disconnected or not responding",
    family=Family.CONFIGURATION,
    applies_to="host",
    severity=Severity.HIGH,
    fix=Fix.MANUAL,
    references=("VMware KB 1003409",),
)
def host_not_connected(host: Host, ctx: CheckContext) -> Outcome:
    """vCenter is connected to the host.

    What it checks:
        ``runtime.connectionState`` of every host: "notResponding" is critical (vCenter lost
        the host unexpectedly), "disconnected" is high (someone disconnected it). UNKNOWN when
        the source cannot tell the state (an RVTools export lists the host without runtime
        data).
    Why it matters:
        vCenter cannot manage a host it does not reach: no vMotion, DRS or power operations
        for its VMs, stale data in every report, and a not-responding host may have failed
        outright (HA will then restart its VMs elsewhere, if enabled).
    Example:
        esx06 is "not responding": missed heartbeats since 03:12.
    Remediation:
        Check the host console (alive? purple screen?), restart the management agents (hostd,
        vpxa), check the management network and port 902, then reconnect the host.
    """
    state = host.connection_state
    if state == "connected":
        return ok()
    if state == "notResponding":
        return fail("the host is not responding to vCenter", Severity.CRITICAL)
    if state in UNKNOWN_STATES:
        # A source that cannot tell (RVTools lists the host without runtime data) is no
        # evidence that the host is down: say what is missing instead of failing it.
        return missing(
            ctx, host.id, "the host's connection state was not collected", "host.connection_state"
        )
    return fail(f"the host is {state}", state=state)
