"""Layer-2 security policy: promiscuous mode, forged transmits, MAC address changes."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Family, Host, Network, PortGroupSecurity, Severity

_POLICIES = (
    ("allow_promiscuous", "promiscuous mode"),
    ("forged_transmits", "forged transmits"),
    ("mac_changes", "MAC address changes"),
)


def _accepted(security: PortGroupSecurity) -> list[str]:
    return [label for attr, label in _POLICIES if getattr(security, attr) is True]


def _severity(accepted: list[str]) -> Severity | None:
    return Severity.HIGH if "promiscuous mode" in accepted else None


@check(
    id="SEC014",
    name="host-portgroup-insecure-policy",
    title="Standard switch or port group accepts promiscuous mode, forged transmits or MAC changes",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG esxi-8.network-reject-promiscuous-mode-standardswitch",
        "vSphere 8 SCG esxi-8.network-reject-forged-transmit-standardswitch",
        "vSphere 8 SCG esxi-8.network-reject-mac-changes-standardswitch",
        "DISA STIG ESXI-80-000216",
        "DISA STIG ESXI-80-000217",
        "DISA STIG ESXI-80-000218",
    ),
)
def host_portgroup_insecure_policy(host: Host, ctx: CheckContext) -> Outcome:
    """Standard vSwitches and their port groups reject all three layer-2 exceptions.

    What it checks:
        The security policy of every standard vSwitch and the effective policy of every host
        port group: promiscuous mode, forged transmits and MAC address changes must be Reject.
        Promiscuous mode makes it high severity.
    Why it matters:
        Promiscuous mode lets a VM read all traffic on the port group; forged transmits and MAC
        changes let it impersonate other machines (ARP spoofing, traffic interception).
    Example:
        esx01: port group "DMZ" accepts promiscuous mode and forged transmits.
    Remediation:
        Set the three policies to Reject on the vSwitch and remove port-group overrides; keep
        exceptions (nested ESXi, some appliances) on dedicated port groups and suppress them here
        with a reason.
    """
    if host.vswitches is None and host.portgroups is None:
        return missing(
            ctx,
            host.id,
            "virtual switches and port groups were not collected",
            "host.network",
            "host",
        )
    findings = []
    for switch in host.vswitches or ():
        if accepted := _accepted(switch.security):
            findings.append(f"vSwitch {switch.name}: {', '.join(accepted)}")
    for group in host.portgroups or ():
        if accepted := _accepted(group.security):
            findings.append(f"port group {group.name}: {', '.join(accepted)}")
    if findings:
        promiscuous = any("promiscuous" in f for f in findings)
        return fail(
            "; ".join(findings),
            Severity.HIGH if promiscuous else None,
            insecure=len(findings),
        )
    return ok()


@check(
    id="SEC015",
    name="dvportgroup-insecure-policy",
    title="Distributed port group accepts promiscuous mode, forged transmits or MAC changes",
    family=Family.SECURITY,
    applies_to="network",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=(
        "vSphere 8 SCG vcenter-8.network-reject-promiscuous-mode-dvportgroup",
        "vSphere 8 SCG vcenter-8.network-reject-forged-transmit-dvportgroup",
        "vSphere 8 SCG vcenter-8.network-reject-mac-changes-dvportgroup",
        "DISA STIG VCSA-80-000268",
        "DISA STIG VCSA-80-000269",
        "DISA STIG VCSA-80-000270",
    ),
)
def dvportgroup_insecure_policy(net: Network, ctx: CheckContext) -> Outcome:
    """Distributed port groups reject all three layer-2 exceptions.

    What it checks:
        The default port security policy of each distributed port group (Network.security):
        promiscuous mode, forged transmits and MAC address changes must be Reject. Standard
        networks are left to the host check.
    Why it matters:
        The same as on standard switches, but for every host of the distributed switch at once:
        one permissive port group exposes traffic across the cluster.
    Example:
        dvpg-backup accepts MAC address changes.
    Remediation:
        Edit the distributed port group's security policy and set all three to Reject.
    """
    if net.type != "DistributedVirtualPortgroup":
        return not_applicable()
    if net.security is None:
        return missing(
            ctx, net.id, "the port group's security policy was not collected", "network.config"
        )
    accepted = _accepted(net.security)
    if accepted:
        return fail(
            f"accepts {', '.join(accepted)}", _severity(accepted), accepted=", ".join(accepted)
        )
    return ok()
