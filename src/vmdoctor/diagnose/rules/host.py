"""Host causes: PSODs, hardware errors, reboots, exhausted agents, rejected connections."""

from __future__ import annotations

from vmdoctor.diagnose.kinds import (
    HOST_NOT_RESPONDING,
    MANAGEMENT_UNRESPONSIVE,
    VM_DOWN,
    VM_POWER_ON_FAILED,
)
from vmdoctor.diagnose.signals import CauseRule, event, log, rule, task
from vmdoctor.model import Family

_CRASH = ("vmkernel", "vmksummary", "vmkwarning")

HOST_RULES: tuple[CauseRule, ...] = (
    rule(
        "host-psod",
        Family.COMPATIBILITY,
        "The host crashed with a purple diagnostic screen (PSOD)",
        symptoms=(HOST_NOT_RESPONDING, VM_DOWN, VM_POWER_ON_FAILED),
        relations=("self", "host", "cluster-host"),
        signals=(
            log(r"@BlueScreen:", *_CRASH, weight=0.95),
            log(r"#(PF|GP) Exception (14|13) in world \d+", *_CRASH, weight=0.9),
            log(r"PCPU \d+ locked up\. Failed to ack TLB invalidate", *_CRASH, weight=0.9),
            log(r"Spin count exceeded", *_CRASH, weight=0.85),
            log(r"PCPU \d+ didn'?t have a heartbeat for \d+ seconds", *_CRASH, weight=0.7),
            event("esx.problem.host.coredump", weight=0.8),
            log(r"bootstop: Host has booted", "vmksummary", weight=0.35),
            event("com.vmware.vc.HA.DasHostFailedEvent", weight=0.45),
            log(
                r"vSphere HA detected a possible host failure",
                "vpxd",
                "fdm",
                weight=0.45,
                messages=True,
            ),
        ),
        remediation="Read the PSOD backtrace in the core dump (vmkernel-zdump); update the "
        "driver or firmware it names, or open a case with the core dump attached.",
        prevention="Keep drivers, firmware and ESXi on the combinations in VMware's "
        "compatibility guide; configure a persistent core dump target.",
    ),
    rule(
        "host-hardware-failure",
        Family.COMPATIBILITY,
        "A hardware error (machine check, NMI) stopped the host",
        symptoms=(HOST_NOT_RESPONDING, VM_DOWN),
        relations=("self", "host", "cluster-host"),
        explains=("host-psod",),
        signals=(
            log(r"MCE: .*bank\d+|Machine Check Exception", "vmkernel", *_CRASH, weight=0.85),
            log(r"LINT1/NMI \(motherboard nonmaskable interrupt\)", *_CRASH, weight=0.85),
            event("com.vmware.vc.HardwareSensorEvent", text=r"[Rr]ed|[Cc]ritical", weight=0.6),
        ),
        remediation="Run the vendor's hardware diagnostics and read the server's management "
        "log (iLO/iDRAC IML/SEL) for the failed component; replace it.",
        prevention="Monitor hardware health sensors and keep server firmware current.",
    ),
    rule(
        "host-planned-reboot",
        Family.SECURITY,
        "Someone rebooted or shut down the host",
        symptoms=(HOST_NOT_RESPONDING, VM_DOWN),
        relations=("self", "host"),
        signals=(
            event("esx.audit.host.stop.reboot", "esx.audit.host.stop.shutdown", weight=0.85),
            event("HostShutdownEvent", weight=0.8),
            task("RebootHost_Task", "ShutdownHost_Task", weight=0.85),
            log(r"esx\.audit\.host\.stop\.(reboot|shutdown)", "vobd", "hostd", weight=0.85),
        ),
        remediation="Confirm with the user named in the event that the reboot was intended; "
        "check the VMs came back.",
        prevention="Put hosts in maintenance mode before reboots; restrict the Host.Config."
        "Maintenance privilege.",
    ),
    rule(
        "host-disconnected-by-user",
        Family.SECURITY,
        "Someone disconnected the host from vCenter",
        symptoms=(HOST_NOT_RESPONDING,),
        relations=("self",),
        signals=(
            event("HostDisconnectedEvent", weight=0.9, user=True),
            task("DisconnectHost_Task", weight=0.9, user=True),
        ),
        remediation="Ask the user named in the event why; reconnect the host (Connection > "
        "Connect) once the work is done: while disconnected, vCenter does not monitor it and "
        "HA does not protect its VMs.",
        prevention="Use maintenance mode for host work, not a disconnect; alert on hosts left "
        "disconnected.",
    ),
    rule(
        "host-agent-resource-exhaustion",
        Family.RESOURCES,
        "A host memory heap or ramdisk filled up and starved the management agents",
        symptoms=(HOST_NOT_RESPONDING, MANAGEMENT_UNRESPONSIVE),
        relations=("self", "host"),
        explains=("host-agent-crash",),
        signals=(
            log(
                r"Heap \S+ already at its maximum ?[Ss]ize\.? Cannot expand", "vmkernel", weight=0.8
            ),
            event("esx.problem.visorfs.ramdisk.full", weight=0.85),
            log(
                r"The ramdisk '?\S+'? is full|visorfs\.ramdisk\.full",
                "vobd",
                "vmkernel",
                weight=0.85,
            ),
            event("esx.problem.visorfs.inodetable.full", weight=0.8),
            # hostd's own memory watchdog: past the hard limit it shuts hostd down
            log(
                r"Memory checker: Current value \d+ exceeded (hard|soft) limit|"
                r"[Mm]emory usage of (hostd|vpxa) exceeds",
                "hostd",
                "vpxa",
                weight=0.8,
            ),
        ),
        remediation="Restart the management agents (services.sh restart) to recover; find "
        "what filled the heap or ramdisk (a driver leak, log files in /tmp) and fix it.",
        prevention="Keep drivers patched (known heap leaks), point scratch and logs at "
        "persistent storage.",
    ),
    rule(
        "host-agent-crash",
        Family.COMPATIBILITY,
        "The host's management agent (hostd or vpxa) crashed",
        symptoms=(HOST_NOT_RESPONDING, MANAGEMENT_UNRESPONSIVE),
        relations=("self", "host"),
        signals=(
            event("esx.problem.hostd.core.dumped", "esx.problem.vpxa.core.dumped", weight=0.85),
            log(r"(hostd|vpxa)(-worker)?-zdump", "vmkernel", "vobd", weight=0.75),
            log(r"(hostd|vpxa) (crashed|core dumped)|core\.dumped", "vobd", weight=0.8),
            log(r"Backtrace:|Backtrace\[\d+\]|Panic: ", "hostd", "vpxa", weight=0.55),
        ),
        remediation="Restart the agent (/etc/init.d/hostd restart, /etc/init.d/vpxa restart); "
        "keep the zdump for a support case.",
        prevention="Patch ESXi: agent crashes are usually fixed defects.",
    ),
    rule(
        "host-connection-refused",
        Family.SECURITY,
        "vCenter could not log in to the host (credentials or certificate rejected)",
        symptoms=(HOST_NOT_RESPONDING, MANAGEMENT_UNRESPONSIVE),
        relations=("self", "host", "vcenter"),
        signals=(
            event("HostCnxFailedBadUsernameEvent", "HostCnxFailedAccountFailedEvent", weight=0.9),
            log(
                r"certificate (has )?expired|certificate verify failed",
                "vpxd",
                "vpxa",
                "hostd",
                weight=0.8,
                messages=True,
            ),
            log(
                r"SSL Handshake failed|SSLStreamImpl::DoServerHandshake",
                "hostd",
                "vpxa",
                "vpxd",
                weight=0.5,
            ),
            log(r"Login to host failed", "vpxd", weight=0.55),
        ),
        remediation="Reconnect the host with valid credentials; renew the expired certificate "
        "(certificate management in vCenter) and reconnect.",
        prevention="Track certificate expiry; do not change the vpxuser or root password "
        "outside vCenter.",
    ),
    rule(
        "host-version-mismatch",
        Family.COMPATIBILITY,
        "The host's ESXi version is not supported by this vCenter",
        symptoms=(HOST_NOT_RESPONDING,),
        relations=("self", "vcenter"),
        signals=(event("HostCnxFailedBadVersionEvent", weight=0.9),),
        remediation="Upgrade vCenter before the hosts (or the host to a version the vCenter "
        "supports).",
        prevention="Follow the upgrade order: vCenter first, then hosts.",
    ),
)
