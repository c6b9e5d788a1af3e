"""Why a VM will not power on: classification from the failed task's fault and the VM's log.

vCenter reports most power-on failures as a handful of fault types; the decisive words are
often in the fault message (the VMX error it relays) or in vmware.log / hostd.log lines just
before the failure. Each class below is a cause rule: event types and faults it owns, and the
text that identifies it, with a weight for how specific that text is.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from vmdoctor.diagnose import probes
from vmdoctor.diagnose.kinds import VM_POWER_ON_FAILED
from vmdoctor.diagnose.records import Record
from vmdoctor.diagnose.signals import CauseRule, event, fault, log, rule, task
from vmdoctor.model import Family

_ON = (VM_POWER_ON_FAILED,)
_VMX = ("vmware",)  # vmware.log, vmware-1.log ...
_HOST_AGENT = ("hostd", "vpxa", "vpxd", "vmkernel")
# Every rule here explains the same symptom.
_power_on_rule = partial(rule, symptoms=_ON)

POWER_ON_RULES: tuple[CauseRule, ...] = (
    _power_on_rule(
        "poweron-ha-admission-control",
        Family.RESOURCES,
        "vSphere HA admission control refused the power-on (failover capacity reserved)",
        relations=("self", "cluster"),
        signals=(
            fault("InsufficientFailoverResourcesFault", weight=0.95),
            log(
                r"Insufficient resources to satisfy (the )?configured failover level",
                "vpxd",
                "fdm",
                weight=0.95,
                messages=True,
            ),
            event("NotEnoughResourcesToStartVmEvent", weight=0.4),
        ),
        remediation="Add capacity to the cluster, power off unneeded VMs, or (knowingly) lower "
        "the HA failover capacity reserved by admission control.",
        prevention="Size clusters for N+1 with the admission control policy in mind; alert "
        "on the cluster's current failover capacity, not only on host usage.",
    ),
    _power_on_rule(
        "poweron-resource-pool-reservation",
        Family.CONFIGURATION,
        "The resource pool cannot honour the VM's reservation",
        relations=("self", "cluster"),
        signals=(
            log(
                r"The available (Memory|CPU) resources in the parent resource pool are "
                r"insufficient",
                "vpxd",
                "hostd",
                weight=0.95,
                messages=True,
            ),
            log(r"Admission check failed for memory resource", *_VMX, "hostd", weight=0.6),
        ),
        probes=(probes.vm_memory_reservation,),
        remediation="Lower or remove the VM's reservation, or raise the parent resource pool's "
        "reservation / make it expandable.",
        prevention="Keep reservations for the VMs that need them and review resource pool "
        "limits after every change of pool membership.",
    ),
    _power_on_rule(
        "poweron-insufficient-host-resources",
        Family.RESOURCES,
        "The host has not enough free memory or CPU to start the VM",
        relations=("self", "host", "cluster"),
        signals=(
            fault(
                "InsufficientResourcesFault",
                "InsufficientMemoryResourcesFault",
                "InsufficientCpuResourcesFault",
                "InsufficientHostCapacityFault",
                "InsufficientHostMemoryCapacityFault",
                "InsufficientHostCpuCapacityFault",
                weight=0.6,
            ),
            log(r"Admission check failed for (memory|cpu) resource", *_VMX, "hostd", weight=0.7),
            event("NotEnoughResourcesToStartVmEvent", weight=0.5),
        ),
        probes=(probes.host_memory_pressure, probes.host_cpu_saturated),
        remediation="Start the VM on a host with free capacity (DRS or vMotion other VMs away), "
        "or free memory on this host.",
        prevention="Keep host memory under about 90 % and watch reservations; let DRS place VMs.",
    ),
    _power_on_rule(
        "poweron-guest-memory-allocation",
        Family.RESOURCES,
        "The host could not allocate the VM's memory or overhead",
        relations=("self", "host"),
        signals=(
            log(r"Module '?MonitorLoop'? power on failed", *_VMX, weight=0.75, messages=True),
            log(r"\[msg\.msg\.noMem\]|Cannot allocate memory", *_VMX, weight=0.8, messages=True),
            log(r"Failed to allocate page for guest RAM", *_VMX, weight=0.85, messages=True),
        ),
        probes=(probes.host_memory_pressure,),
        remediation="Free memory on the host (migrate VMs away) and power on again; check the "
        "host is not swapping.",
        prevention="Avoid memory overcommit on hosts that run large VMs; alert on host swap.",
    ),
    _power_on_rule(
        "poweron-file-locked",
        Family.STORAGE,
        "A file of the VM is locked by another host or process",
        relations=("self", "datastore"),
        signals=(
            fault("FileLocked", weight=0.95),
            log(r"Failed to lock the file", *_VMX, "hostd", weight=0.9, messages=True),
            log(r"since it is locked", "hostd", "vpxd", *_VMX, weight=0.9, messages=True),
            log(r"Lock was not free|msg\.fileio\.lock", *_VMX, weight=0.75),
        ),
        remediation="Find the lock owner (vmkfstools -D on the file, or `vmfsfilelockinfo`): "
        "usually a backup proxy that kept the disk hot-added or another host still running "
        "the VM; release it there, then power on.",
        prevention="Check backup jobs clean up hot-added disks; never register one VM on two "
        "hosts.",
    ),
    _power_on_rule(
        "poweron-file-missing",
        Family.STORAGE,
        "A disk or file the VM needs is missing",
        relations=("self", "datastore"),
        signals=(
            fault("FileNotFound", weight=0.9),
            log(r"\[msg\.disk\.fileNotFound\]", *_VMX, weight=0.9),
            log(r"File .{0,200} was not found", *_VMX, "hostd", "vpxd", weight=0.8, messages=True),
            log(
                r"Cannot open the disk .* or one of the snapshot disks it depends on",
                *_VMX,
                weight=0.7,
                messages=True,
            ),
            log(r"\[msg\.disk\.noBackEnd\]", *_VMX, weight=0.6),
            log(r"Module '?Disk'? power on failed", *_VMX, weight=0.45, messages=True),
        ),
        remediation="Restore or re-point the missing file (check the VMX's disk paths and the "
        "snapshot chain descriptors), then power on.",
        prevention="Delete VM files only through vSphere; monitor snapshot chains and backups "
        "that rewrite descriptors.",
    ),
    _power_on_rule(
        "poweron-swap-space",
        Family.STORAGE,
        "No room on the datastore for the VM's swap file",
        relations=("self", "datastore"),
        signals=(
            log(
                r"Failed to extend swap file from \d+ KB to \d+ KB",
                *_VMX,
                "hostd",
                weight=0.95,
                messages=True,
            ),
            log(
                r"Could not power on (VM|virtual machine)\s*: ?No space left on device",
                *_VMX,
                "hostd",
                weight=0.9,
                messages=True,
            ),
            log(r"Failed to create swap file", *_VMX, "hostd", weight=0.9, messages=True),
            fault("NoDiskSpace", "InsufficientDiskSpace", weight=0.55),
        ),
        probes=(probes.datastore_nearly_full,),
        remediation="Free space on the datastore (remove old snapshots or files), set a memory "
        "reservation to shrink the swap file, or place swap elsewhere; then power on.",
        prevention="Alert on datastore free space before 10 %; keep room for every VM's swap "
        "(memory size minus reservation).",
    ),
    _power_on_rule(
        "poweron-cpu-incompatible",
        Family.COMPATIBILITY,
        "The host's CPU lacks features the VM requires (EVC / CPU compatibility)",
        relations=("self", "host", "cluster"),
        signals=(
            fault(
                "FeatureRequirementsNotMet",
                "CpuIncompatible",
                "CpuIncompatible1ECX",
                "CpuIncompatible81EDX",
                "EVCAdmissionFailed",
                "EVCAdmissionFailedCPUFeaturesForMode",
                weight=0.9,
            ),
            log(r"Module '?CPUID'? power on failed", *_VMX, weight=0.85, messages=True),
            log(
                r"requires hardware features that are unsupported or disabled on the target host",
                *_VMX,
                "vpxd",
                weight=0.9,
                messages=True,
            ),
            log(r"Feature '?cpuid\.\w+'? was \d+, but must be", *_VMX, weight=0.9),
        ),
        remediation="Run the VM on a host with the required CPU features, or power it off and "
        "let it pick up the cluster's EVC baseline.",
        prevention="Enable EVC on clusters with mixed CPU generations before adding hosts.",
    ),
    _power_on_rule(
        "poweron-hardware-version-unsupported",
        Family.COMPATIBILITY,
        "The VM's virtual hardware version is newer than the host supports",
        relations=("self", "host"),
        signals=(
            fault(
                "NotSupported",
                "DeviceUnsupportedForVmVersion",
                text=r"[Vv]ersion",
                weight=0.85,
            ),
            log(
                r"virtual machine version is not compatible with the version of the host|"
                r"hardware version vmx-\d+ is not supported",
                "hostd",
                "vpxd",
                *_VMX,
                weight=0.95,
                messages=True,
            ),
            task("UpgradeVM_Task", weight=0.3),
        ),
        remediation="Move the VM to a host that runs a recent enough ESXi (or upgrade this "
        "host); a hardware version cannot be downgraded in place.",
        prevention="Upgrade every host of a cluster before raising VM hardware versions; "
        "schedule VM upgrades only after the cluster is done.",
    ),
    _power_on_rule(
        "poweron-virtualization-feature",
        Family.COMPATIBILITY,
        "A virtual hardware feature the VM asks for is not available on this host",
        relations=("self", "host"),
        signals=(
            log(r"Module '?(VPMC|HV|VHV)'? power on failed", *_VMX, weight=0.9, messages=True),
            log(
                r"Virtualized (performance counters|Intel VT-x/EPT|AMD-V/RVI) (is|are) not "
                r"supported",
                *_VMX,
                weight=0.9,
                messages=True,
            ),
        ),
        remediation="Turn off the feature in the VM's settings (virtual CPU performance "
        "counters, nested virtualization) or run it on a host that supports it.",
        prevention="Keep per-VM CPU feature flags consistent with the cluster's hardware.",
    ),
    _power_on_rule(
        "poweron-licence",
        Family.CONFIGURATION,
        "The host or feature is not licensed for this operation",
        relations=("self", "host", "vcenter"),
        signals=(
            fault(
                "LicenseRestricted",
                "InvalidLicense",
                "ExpiredFeatureLicense",
                "ExpiredEditionLicense",
                "NotEnoughLicenses",
                "LicenseExpired",
                weight=0.9,
            ),
            log(
                r"[Ll]icen[sc]e (not available|has expired|expired)|is not licensed",
                "vpxd",
                "hostd",
                weight=0.85,
                messages=True,
            ),
            event(
                "LicenseExpiredEvent",
                "HostLicenseExpiredEvent",
                "NoLicenseEvent",
                "LicenseNonComplianceEvent",
                weight=0.75,
            ),
        ),
        remediation="Assign a valid licence to the host (or the feature) in vCenter, then "
        "power on.",
        prevention="Track licence and evaluation expiry dates; alert 30 days ahead.",
    ),
    _power_on_rule(
        "poweron-datastore-inaccessible",
        Family.STORAGE,
        "The VM's datastore is not accessible from the host",
        relations=("self", "datastore", "host"),
        signals=(
            fault(
                "InaccessibleDatastore",
                "InvalidDatastore",
                "DatastoreNotWritableOnHost",
                weight=0.9,
            ),
            log(
                r"Datastore '?[^']*'? is not accessible",
                "vpxd",
                "hostd",
                weight=0.85,
                messages=True,
            ),
            event("DatastoreInaccessibleEvent", weight=0.5),
        ),
        probes=(probes.datastore_inaccessible,),
        remediation="Restore the datastore's connectivity on the host (paths, NFS mount), then "
        "power on; or register the VM on a host that sees the datastore.",
        prevention="Keep storage multipathing redundant and mount datastores on every host of "
        "the cluster.",
    ),
    _power_on_rule(
        "poweron-invalid-configuration",
        Family.CONFIGURATION,
        "The VM's configuration is invalid for this host (device, network or setting)",
        relations=("self", "network", "host"),
        signals=(
            fault(
                "InvalidVmConfig",
                "InvalidDeviceSpec",
                "InvalidDeviceBacking",
                "InvalidDeviceOperation",
                "InvalidNetworkInType",
                weight=0.75,
            ),
            log(r"Invalid configuration for device '?\d+'?", *_VMX, weight=0.7, messages=True),
            log(
                r"Failed to connect virtual device '?[Ee]thernet\d+'?",
                *_VMX,
                "hostd",
                weight=0.85,
                messages=True,
            ),
            log(
                r"No free port (is )?(found|available)",
                *_VMX,
                "hostd",
                "vpxd",
                weight=0.85,
                messages=True,
            ),
            log(r"Invalid memory setting", *_VMX, weight=0.85, messages=True),
            log(r"Module '?DevicePowerOn'? power on failed", *_VMX, weight=0.4, messages=True),
        ),
        probes=(probes.vm_nic_unbacked,),
        remediation="Correct the VM's settings: point each network adapter at an existing "
        "portgroup with free ports and remove devices the host does not have.",
        prevention="Change portgroups and devices through vSphere with the VMs' backings in "
        "mind; give distributed portgroups elastic port allocation.",
    ),
    _power_on_rule(
        "poweron-passthrough-device",
        Family.CONFIGURATION,
        "A passthrough device could not be given to the VM (missing device or interrupt vectors)",
        relations=("self", "host"),
        signals=(
            log(r"Out of interrupt vectors", "vmkernel", *_VMX, weight=0.9),
            log(r"Failed to allocate \d+ MSI-?X? vectors", "vmkernel", *_VMX, weight=0.9),
            log(
                r"PCIPassthru|pciPassthru\d+|VMKPCIPassthru",
                *_VMX,
                "vmkernel",
                weight=0.6,
                messages=True,
            ),
            log(
                r"is not a passthrough device|not available for passthrough",
                *_VMX,
                "hostd",
                weight=0.85,
                messages=True,
            ),
        ),
        remediation="Check the passthrough device is present and enabled for passthrough on "
        "this host; lower the number of passthrough devices or MSI-X vectors per host.",
        prevention="Pin passthrough VMs to hosts that own the device (DRS rules) and count "
        "interrupt vectors when adding passthrough adapters.",
    ),
)


def classify_power_on(records: Iterable[Record]) -> str | None:
    """The power-on failure class best supported by these records (task, vmware.log lines)."""
    best: tuple[float, str] | None = None
    for rec in records:
        for cause in POWER_ON_RULES:
            for sig in cause.signals:
                if sig.matches(rec) and (best is None or sig.weight > best[0]):
                    best = (sig.weight, cause.id)
    return best[1].removeprefix("poweron-") if best else None
