"""Causes of a VM going down: VMX and monitor panics, guest faults, users, HA resets."""

from __future__ import annotations

from vmdoctor.diagnose import probes
from vmdoctor.diagnose.kinds import HOST_NOT_RESPONDING, VM_DOWN, VM_STUNNED
from vmdoctor.diagnose.signals import CauseRule, event, log, rule, task
from vmdoctor.model import Family

_VMX = ("vmware",)

VM_RULES: tuple[CauseRule, ...] = (
    rule(
        "vmx-panic",
        Family.COMPATIBILITY,
        "The VM's VMX process panicked (a hypervisor-side defect)",
        symptoms=(VM_DOWN,),
        relations=("self",),
        signals=(
            log(
                r"\| (vcpu-\d+|vmx|mks)\| E105: PANIC:|(vmx|vcpu-\d+|mks) PANIC:", *_VMX, weight=0.9
            ),
            log(r"Unexpected signal: (4|6|11)\.", *_VMX, weight=0.85),
            log(r"\[msg\.log\.error\.unrecoverable\]", *_VMX, weight=0.85),
            log(r"vmx-zdump\.\d+", *_VMX, weight=0.7),
            log(r"VMX has left the building: [1-9]", *_VMX, weight=0.45),
        ),
        remediation="Power the VM on again; collect vmware.log and the vmx-zdump core, and "
        "search VMware's KB for the panic string of this ESXi build.",
        prevention="Keep ESXi on a current patch level; the fix for a VMX panic is usually a "
        "patch.",
    ),
    rule(
        "monitor-panic",
        Family.COMPATIBILITY,
        "The virtual machine monitor panicked (CPU or guest instruction not handled)",
        symptoms=(VM_DOWN,),
        relations=("self",),
        signals=(
            log(r"MONITOR PANIC", *_VMX, weight=0.95),
            log(r"NOT_IMPLEMENTED", *_VMX, weight=0.7),
        ),
        remediation="Power the VM on again and collect vmware.log and the core; check the "
        "guest OS is supported on this ESXi version and hardware version.",
        prevention="Keep ESXi patched and the VM hardware version supported by the host.",
    ),
    rule(
        "guest-triple-fault",
        Family.COMPATIBILITY,
        "The guest OS triple-faulted the virtual CPU (guest kernel or driver crash)",
        symptoms=(VM_DOWN,),
        relations=("self",),
        signals=(
            log(r"Triple fault", *_VMX, weight=0.9),
            log(r"msg\.monitorEvent\.tripleFault", *_VMX, weight=0.9),
        ),
        remediation="Look at the guest's own crash logs; check the guest OS and its boot "
        "loader are supported for the VM's configured guest type and firmware.",
        prevention="Match the configured guest OS type to the installed OS; patch the guest.",
    ),
    rule(
        "guest-initiated-shutdown",
        Family.CONFIGURATION,
        "The guest OS shut itself down (from inside the VM)",
        symptoms=(VM_DOWN,),
        relations=("self",),
        signals=(
            event("VmGuestShutdownEvent", weight=0.9, user=False),
            event("VmGuestRebootEvent", weight=0.6, user=False),
            log(r"Tools: .*(OS_Halt|OS_PowerOff)|GuestRpc: .*OS_Halt", *_VMX, weight=0.8),
        ),
        remediation="Ask who or what shut the guest down: the guest's own logs (Windows event "
        "1074, Linux journal) name the process or user.",
        prevention="Schedule guest updates that reboot; restrict shutdown rights inside guests.",
    ),
    rule(
        "user-power-off",
        Family.SECURITY,
        "A user powered the VM off or reset it through vSphere",
        symptoms=(VM_DOWN,),
        relations=("self",),
        signals=(
            event("VmPoweredOffEvent", weight=0.75, user=True),
            # "Shut Down Guest OS" clicked in vSphere: the event names who asked
            event("VmGuestShutdownEvent", weight=0.85, user=True),
            event("VmResettingEvent", weight=0.6, user=True),
            task("PowerOffVM_Task", "ResetVM_Task", "ShutdownGuest", weight=0.85, user=True),
        ),
        remediation="Confirm with the user named in the event that the power-off was "
        "intended; power the VM on.",
        prevention="Limit power operations to the roles that need them; require a change "
        "ticket for production VMs.",
    ),
    rule(
        "ha-vm-monitoring-reset",
        Family.CONFIGURATION,
        "vSphere HA VM monitoring reset the VM after its heartbeats stopped",
        symptoms=(VM_DOWN,),
        relations=("self", "cluster"),
        signals=(
            event("VmDasBeingResetEvent", "VmDasBeingResetWithScreenshotEvent", weight=0.9),
            log(
                r"reset by vSphere HA\. Reason: VMware Tools heartbeat failure",
                "vpxd",
                "fdm",
                weight=0.9,
                messages=True,
            ),
            log(r"Tools: Tools heartbeat timeout", *_VMX, weight=0.4),
        ),
        remediation="Check why the guest stopped answering (guest hang, Tools stopped, heavy "
        "swapping); the screenshot in the VM's folder shows the console at reset time.",
        prevention="Keep VMware Tools running and current; tune VM monitoring sensitivity for "
        "VMs with long pauses.",
    ),
    rule(
        "host-memory-exhaustion",
        Family.RESOURCES,
        "The host ran out of memory for its VMs",
        symptoms=(VM_DOWN, VM_STUNNED, HOST_NOT_RESPONDING),
        relations=("self", "host"),
        signals=(
            event("esx.problem.vm.kill.unexpected.noSwapResponse", weight=0.85),
            log(r"\[msg\.msg\.noMem\]|Failed to allocate page for guest RAM", *_VMX, weight=0.7),
            log(r"MemSched: .*(admission failure|out of memory)", "vmkernel", weight=0.7),
        ),
        probes=(probes.host_memory_pressure,),
        remediation="Move VMs off the host or shut down idle ones; check memory limits and "
        "reservations that force swapping.",
        prevention="Plan host memory for N+1 with headroom; alert on host swap and balloon.",
    ),
)
