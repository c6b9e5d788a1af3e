"""Network causes: uplinks that went down and hosts HA declared isolated."""

from __future__ import annotations

from vmdoctor.diagnose.kinds import DATASTORE_LOST, HOST_NOT_RESPONDING, VM_DOWN
from vmdoctor.diagnose.signals import CauseRule, event, log, rule
from vmdoctor.model import Family

NETWORK_RULES: tuple[CauseRule, ...] = (
    rule(
        "host-network-link-down",
        Family.CONFIGURATION,
        "The host lost a physical uplink or its network connectivity",
        symptoms=(DATASTORE_LOST, HOST_NOT_RESPONDING),
        relations=("self", "host"),
        explains=(
            "storage-path-failure",
            "nfs-server-unreachable",
            "datastore-connectivity-lost",
            "ha-host-isolation",
        ),
        signals=(
            event("esx.problem.net.vmnic.linkstate.down", weight=0.85),
            event("esx.problem.net.connectivity.lost", weight=0.85),
            event("esx.problem.net.dvport.connectivity.lost", weight=0.8),
            event("esx.problem.net.redundancy.lost", weight=0.5),
            log(
                r"esx\.problem\.net\.(vmnic\.linkstate\.down|connectivity\.lost)",
                "vobd",
                weight=0.85,
            ),
            log(r"vmnic\d+: (link|Link) (is )?(down|Down)", "vmkernel", weight=0.75),
            log(r"NETDEV WATCHDOG: vmnic\d+", "vmkernel", weight=0.7),
        ),
        remediation="Check the uplink's cable, switch port and NIC driver/firmware; restore "
        "the link or fail traffic over to a healthy uplink.",
        prevention="Team at least two uplinks on separate switches for management and storage "
        "VMkernel ports; alert on esx.problem.net.redundancy.lost.",
    ),
    rule(
        "ha-host-isolation",
        Family.CONFIGURATION,
        "vSphere HA declared the host isolated and applied the isolation response",
        symptoms=(VM_DOWN, HOST_NOT_RESPONDING),
        relations=("self", "host", "cluster"),
        signals=(
            event("com.vmware.vc.HA.DasHostIsolatedEvent", weight=0.9),
            event("com.vmware.vc.HA.HostIsolatedEvent", weight=0.9),
            log(
                r"vSphere HA detected that host .* is isolated from cluster",
                "vpxd",
                "fdm",
                weight=0.85,
                messages=True,
            ),
            log(
                r"[Ii]solation (response|declared)|isolated from the (network|cluster)",
                "fdm",
                weight=0.6,
            ),
        ),
        remediation="Restore the host's management network; the isolated host's VMs restart "
        "elsewhere or resume when it rejoins.",
        prevention="Redundant management uplinks, reachable isolation addresses, and datastore "
        "heartbeating on at least two datastores.",
    ),
)
