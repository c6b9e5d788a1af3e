"""Power-on failures: one scenario per class, with look-alike distractors."""

# ruff: noqa: E501 - log lines and event messages are quoted verbatim, as vSphere writes them

from __future__ import annotations

from collections.abc import Iterator

from ._lab import Builder, at, background
from ._types import Scenario

K = "vm-power-on-failed"
FAILED = "VmFailedToPowerOnEvent"


def _failed(b: Builder, vm: str, minutes: float, reason: str, fault: str, message: str) -> Builder:
    b.task("PowerOnVM_Task", minutes, vm=vm, state="error", fault=fault, message=message)
    b.event(
        FAILED,
        minutes,
        f"Failed to power on {vm} on esx01 in DC1: {reason}",
        vm=vm,
        severity="error",
    )
    return b


def scenarios() -> Iterator[Scenario]:
    b = background(Builder())
    b.vmx("vm1", -0.2, "Msg_Post: Error")
    b.vmx("vm1", -0.2, "[msg.fileio.lock] Failed to lock the file")
    b.vmx(
        "vm1",
        -0.2,
        "[msg.disk.noBackEnd] Cannot open the disk '/vmfs/volumes/5f1c-ds1/app-db-01/app-db-01.vmdk' or one of the snapshot disks it depends on.",
    )
    b.vmx("vm1", -0.2, "Module 'Disk' power on failed.")
    _failed(
        b,
        "vm1",
        0,
        "Failed to lock the file",
        "GenericVmConfigFault",
        "Failed to lock the file Cannot open the disk '/vmfs/volumes/5f1c-ds1/app-db-01/app-db-01.vmdk' or one of the snapshot disks it depends on.",
    )
    yield Scenario("poweron-lock-after-backup", b.build(), "app-db-01", "poweron-file-locked", K)

    b = background(Builder())
    b.hostd(
        "h1",
        -0.1,
        "Unable to access file [ds-prod-01] app-web-01/app-web-01.vmdk since it is locked",
        "warning",
    )
    _failed(
        b,
        "vm2",
        0,
        "Unable to access file since it is locked",
        "FileLocked",
        "Unable to access file [ds-prod-01] app-web-01/app-web-01.vmdk since it is locked",
    )
    b.metric("h1", "mem.usage.average", [71, 72, 74, 73, 72])
    yield Scenario("poweron-filelocked-fault", b.build(), "app-web-01", "poweron-file-locked", K)

    b = background(Builder())
    b.vmx(
        "vm3",
        -0.1,
        "[msg.disk.fileNotFound] File not found: /vmfs/volumes/5f1c-ds2/app-web-02/app-web-02-000003.vmdk",
    )
    b.vmx("vm3", -0.1, "Module 'Disk' power on failed.")
    _failed(
        b,
        "vm3",
        0,
        "File app-web-02-000003.vmdk was not found",
        "FileNotFound",
        "File [ds-prod-02] app-web-02/app-web-02-000003.vmdk was not found",
    )
    yield Scenario("poweron-missing-delta", b.build(), "app-web-02", "poweron-file-missing", K)

    b = background(Builder())
    b.vmx("vm1", -0.1, "Failed to extend swap file from 0 KB to 67108864 KB.")
    b.hostd("h1", -0.05, "Could not power on virtual machine: No space left on device.", "warning")
    _failed(
        b,
        "vm1",
        0,
        "Failed to extend swap file",
        "GenericVmConfigFault",
        "Failed to extend swap file from 0 KB to 67108864 KB.",
    )
    b.ds_kw["ds1"] = {"free_bytes": 12 * 1024**3}
    yield Scenario("poweron-swap-no-space", b.build(), "app-db-01", "poweron-swap-space", K)

    b = background(Builder())
    b.event(
        "NotEnoughResourcesToStartVmEvent",
        0,
        "Insufficient resources to fail over app-db-01 in Cluster-A. vSphere HA will retry",
        vm="vm1",
    )
    b.task(
        "PowerOnVM_Task",
        0,
        vm="vm1",
        state="error",
        fault="InsufficientFailoverResourcesFault",
        message="Insufficient resources to satisfy configured failover level for vSphere HA.",
    )
    b.metric("h1", "mem.usage.average", [82, 84, 86, 85, 85])
    yield Scenario(
        "poweron-ha-admission", b.build(), "app-db-01", "poweron-ha-admission-control", K
    )

    b = background(Builder())
    b.task(
        "PowerOnVM_Task",
        0,
        vm="vm5",
        state="error",
        fault="InsufficientMemoryResourcesFault",
        message="The available Memory resources in the parent resource pool are insufficient for the operation.",
    )
    b.event(FAILED, 0, "Failed to power on build-agent-07: insufficient resources", vm="vm5")
    b.vm_kw["vm5"] = {"memory_reservation_mb": 65536, "memory_mb": 65536}
    yield Scenario(
        "poweron-rp-reservation",
        b.build(),
        "build-agent-07",
        "poweron-resource-pool-reservation",
        K,
    )

    b = background(Builder())
    b.vmx("vm2", -0.1, "Admission check failed for memory resource")
    _failed(
        b,
        "vm2",
        0,
        "Insufficient resources",
        "InsufficientMemoryResourcesFault",
        "Insufficient memory resources.",
    )
    b.metric("h1", "mem.usage.average", [93, 96, 98, 98, 97])
    yield Scenario(
        "poweron-host-memory", b.build(), "app-web-01", "poweron-insufficient-host-resources", K
    )

    b = background(Builder())
    b.vmx("vm6", -0.1, "Feature 'cpuid.avx512f' was 0, but must be 0x1.")
    b.vmx("vm6", -0.1, "Module 'CPUID' power on failed.")
    _failed(
        b,
        "vm6",
        0,
        "feature requirements not met",
        "FeatureRequirementsNotMet",
        "The virtual machine requires hardware features that are unsupported or disabled on the target host.",
    )
    yield Scenario(
        "poweron-cpu-features", b.build(), "gpu-render-01", "poweron-cpu-incompatible", K
    )

    b = background(Builder())
    b.vmx("vm5", -0.1, "Module 'VPMC' power on failed.")
    b.vmx("vm5", -0.1, "Failed to start the virtual machine.")
    b.event(
        FAILED,
        0,
        "Failed to power on build-agent-07 on esx03: Module 'VPMC' power on failed.",
        vm="vm5",
    )
    yield Scenario("poweron-vpmc", b.build(), "build-agent-07", "poweron-virtualization-feature", K)

    b = background(Builder())
    b.task(
        "PowerOnVM_Task",
        0,
        vm="vm3",
        state="error",
        fault="LicenseRestricted",
        message="License not available to perform the operation.",
    )
    b.event("LicenseExpiredEvent", -30, "License vSphere 8 Enterprise Plus has expired", host="h2")
    yield Scenario("poweron-licence", b.build(), "app-web-02", "poweron-licence", K)

    b = background(Builder())
    b.task(
        "PowerOnVM_Task",
        0,
        vm="vm4",
        state="error",
        fault="InaccessibleDatastore",
        message="Datastore 'nfs-backup-01' is not accessible. No connected and accessible host is attached to this datastore.",
    )
    b.ds_kw["nfs1"] = {"accessible": False}
    yield Scenario(
        "poweron-datastore-down", b.build(), "file-srv-01", "poweron-datastore-inaccessible", K
    )

    b = background(Builder())
    b.vmx("vm2", -0.1, "Msg_Post: Error")
    b.vmx("vm2", -0.1, "[msg.ethernet.portgroup] Failed to connect virtual device 'ethernet0'.")
    b.vmx("vm2", -0.1, "Module 'DevicePowerOn' power on failed.")
    _failed(
        b,
        "vm2",
        0,
        "Failed to connect virtual device 'ethernet0'",
        "GenericVmConfigFault",
        "Failed to connect virtual device 'ethernet0'. No free port is available in dvPortgroup 'pg-web'.",
    )
    yield Scenario(
        "poweron-no-free-port", b.build(), "app-web-01", "poweron-invalid-configuration", K
    )

    b = background(Builder())
    b.vmkernel("h3", -0.2, "WARNING: IntrVector: 290: Out of interrupt vectors")
    b.vmkernel("h3", -0.2, "VMKPCIPassthru: 2454: Failed to allocate 32 MSIX vectors")
    b.vmx("vm6", -0.1, "Module 'DevicePowerOn' power on failed.")
    _failed(
        b,
        "vm6",
        0,
        "Module DevicePowerOn power on failed",
        "GenericVmConfigFault",
        "Module 'DevicePowerOn' power on failed.",
    )
    yield Scenario(
        "poweron-msix-vectors", b.build(), "gpu-render-01", "poweron-passthrough-device", K
    )

    b = background(Builder())
    b.vmx("vm1", -0.1, "[msg.msg.noMem] Could not allocate memory: Cannot allocate memory")
    b.vmx("vm1", -0.1, "Module 'MonitorLoop' power on failed.")
    _failed(
        b,
        "vm1",
        0,
        "Module MonitorLoop power on failed",
        "GenericVmConfigFault",
        "Module 'MonitorLoop' power on failed.",
    )
    b.metric("h1", "mem.usage.average", [88, 90, 91, 92, 92])
    yield Scenario(
        "poweron-monitorloop", b.build(), "app-db-01", "poweron-guest-memory-allocation", K
    )

    # Two explanations at hand (a datastore almost full and a generic fault); the VMX line
    # about the lock decides.
    b = background(Builder())
    b.ds_kw["ds1"] = {"free_bytes": 40 * 1024**3}
    b.vmx(
        "vm2",
        -0.1,
        "AIOGNRC: Failed to open '/vmfs/volumes/5f1c-ds1/app-web-01/app-web-01-flat.vmdk' : Failed to lock the file (400000003) (0x2013).",
    )
    _failed(
        b,
        "vm2",
        0,
        "An error was received from the ESX host while powering on VM app-web-01.",
        "GenericVmConfigFault",
        "An error was received from the ESX host while powering on VM app-web-01. Failed to lock the file",
    )
    yield Scenario("poweron-lock-vs-space", b.build(), None, "poweron-file-locked", K)

    _ = at
