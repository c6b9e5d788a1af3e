"""VMs that went down or stunned: panics, guest faults, users, HA, storage under the VM."""

# ruff: noqa: E501 - log lines and event messages are quoted verbatim, as vSphere writes them

from __future__ import annotations

from collections.abc import Iterator

from ._lab import NAA, Builder, at, background
from ._types import Scenario

DOWN = "vm-down"
STUN = "vm-stunned"
OFF = "VmPoweredOffEvent"


def scenarios() -> Iterator[Scenario]:
    b = background(Builder())
    b.vmx(
        "vm1",
        -0.05,
        "| vcpu-3| E105: PANIC: VERIFY bora/vmcore/vmx/main/monitorAction.c:598",
        "vcpu-3",
    )
    b.vmx(
        "vm1", -0.04, 'A core file is available in "/vmfs/volumes/5f1c-ds1/app-db-01/vmx-zdump.000"'
    )
    b.vmx("vm1", -0.03, "VMX has left the building: 1.")
    b.event(OFF, 0, "app-db-01 on esx01.lab.local in DC1 is powered off", vm="vm1")
    yield Scenario("down-vmx-panic", b.build(), "app-db-01", "vmx-panic", DOWN, at=at(0))

    b = background(Builder())
    b.vmx(
        "vm3",
        -0.1,
        "MONITOR PANIC: vcpu-1:NOT_IMPLEMENTED bora/vmcore/vmm/intr/apic.c:2049",
        "vcpu-1",
    )
    b.vmx("vm3", -0.05, "VMX has left the building: 1.")
    b.event(OFF, 0, "app-web-02 on esx02.lab.local in DC1 is powered off", vm="vm3")
    yield Scenario("down-monitor-panic", b.build(), "app-web-02", "monitor-panic", DOWN)

    b = background(Builder())
    b.vmx("vm5", -0.2, "Triple fault.", "vcpu-0")
    b.vmx("vm5", -0.2, "MsgHint: msg.monitorEvent.tripleFault", "vcpu-0")
    b.vmx("vm5", -0.1, "CPU reset: hard (mode Emulation)", "vcpu-0")
    b.event("VmResettingEvent", 0, "build-agent-07 on esx03.lab.local in DC1 is reset", vm="vm5")
    b.event(OFF, 0.5, "build-agent-07 on esx03.lab.local in DC1 is powered off", vm="vm5")
    yield Scenario("down-triple-fault", b.build(), "build-agent-07", "guest-triple-fault", DOWN)

    b = background(Builder())
    b.event(
        "VmGuestShutdownEvent",
        -0.5,
        "Guest OS shut down for app-web-02 on esx02.lab.local in DC1",
        vm="vm3",
    )
    b.event(OFF, 0, "app-web-02 on esx02.lab.local in DC1 is powered off", vm="vm3")
    b.vmx("vm3", -0.6, "Tools: Tools heartbeat timeout.")
    yield Scenario("down-guest-shutdown", b.build(), "app-web-02", "guest-initiated-shutdown", DOWN)

    b = background(Builder())
    b.task("PowerOffVM_Task", 0, vm="vm2", user="LAB\\j.doe")
    b.event(
        OFF, 0, "app-web-01 on esx01.lab.local in DC1 is powered off", vm="vm2", user="LAB\\j.doe"
    )
    b.metric("h1", "cpu.usage.average", [60, 62, 97, 96, 60])
    yield Scenario("down-user-poweroff", b.build(), "app-web-01", "user-power-off", DOWN)

    b = background(Builder())
    b.vmx("vm1", -3, "Tools: Tools heartbeat timeout.")
    b.event(
        "VmDasBeingResetWithScreenshotEvent",
        0,
        "app-db-01 on esx01.lab.local in Cluster-A in DC1 reset by vSphere HA. Reason: VMware Tools heartbeat failure. A screenshot is saved at /vmfs/volumes/5f1c-ds1/app-db-01/app-db-01-1.png",
        vm="vm1",
    )
    yield Scenario(
        "down-vm-monitoring-reset", b.build(), "app-db-01", "ha-vm-monitoring-reset", DOWN
    )

    # The VM went down because its host crashed; HA restarted it elsewhere.
    b = background(Builder())
    b.vmkernel(
        "h1",
        -0.5,
        "@BlueScreen: #PF Exception 14 in world 2098715:vmnic0-pollW IP 0x41800e4a3f1c addr 0x0",
    )
    b.vmkernel("h1", -0.5, "Code start: 0x41800de00000 VMK uptime: 41:02:11:45.912")
    b.event("HostNotRespondingEvent", 0, "Host esx01.lab.local in DC1 is not responding", host="h1")
    b.event(
        "com.vmware.vc.HA.DasHostFailedEvent",
        0.3,
        "vSphere HA detected a possible host failure of host esx01.lab.local in cluster Cluster-A in datacenter DC1",
        host="h1",
    )
    b.event(
        "com.vmware.vc.ha.VmRestartedByHAEvent",
        2,
        "vSphere HA restarted virtual machine app-db-01 on host esx02.lab.local in cluster Cluster-A",
        vm="vm1",
        host="h2",
    )
    yield Scenario("down-host-psod", b.build(), "app-db-01", "host-psod", DOWN)

    # APD on the VM's datastore; the VM lost its lock and was powered off.
    b = background(Builder())
    b.event(
        "esx.problem.storage.apd.start",
        -2,
        f"Device or filesystem with identifier [{NAA['ds1']}] has entered the All Paths Down state.",
        host="h1",
        ds="ds1",
    )
    b.vmkernel(
        "h1", -2, f"StorageApdHandler: 1204: APD start for 0x4305de2b8d70 [{NAA['ds1']}]", ds="ds1"
    )
    b.vmx(
        "vm2",
        -0.5,
        "[msg.hbacommon.locklost] The lock protecting app-web-01.vmdk has been lost, possibly due to underlying storage issues.",
    )
    b.event(OFF, 0, "app-web-01 on esx01.lab.local in DC1 is powered off", vm="vm2")
    yield Scenario(
        "down-apd-locklost", b.build(), "app-web-01", "datastore-connectivity-lost", DOWN
    )

    # HA isolation response powered the VM off; the host's uplink went down first.
    b = background(Builder())
    b.event(
        "esx.problem.net.vmnic.linkstate.down",
        -1.5,
        "Physical NIC vmnic0 linkstate is down",
        host="h2",
    )
    b.event(
        "com.vmware.vc.HA.DasHostIsolatedEvent",
        -0.5,
        "vSphere HA detected that host esx02.lab.local is isolated from cluster Cluster-A in DC1",
        host="h2",
    )
    b.event(OFF, 0, "file-srv-01 on esx02.lab.local in DC1 is powered off", vm="vm4")
    yield Scenario("down-ha-isolation", b.build(), "file-srv-01", "ha-host-isolation", DOWN)

    b = background(Builder())
    b.event(
        "HostShutdownEvent",
        -1,
        "Shut down of esx03.lab.local in DC1: Planned hardware replacement",
        host="h3",
        user="root",
    )
    b.task("RebootHost_Task", -1, host="h3", user="LAB\\ops-admin")
    b.event(OFF, 0, "build-agent-07 on esx03.lab.local in DC1 is powered off", vm="vm5")
    yield Scenario("down-host-rebooted", b.build(), "build-agent-07", "host-planned-reboot", DOWN)

    # Stunned: datastore out of space, question pending.
    b = background(Builder())
    b.vmx("vm1", -0.1, "Msg_Question:", "vmx")
    b.vmx(
        "vm1",
        -0.1,
        "[msg.hbacommon.outofspace] There is no more space for virtual disk 'app-db-01-000002.vmdk'. You might be able to continue this session by freeing disk space on the relevant volume, and clicking _Retry. Click Cancel to terminate this session.",
    )
    b.ds_kw["ds1"] = {"free_bytes": 0}
    b.vm_kw["vm1"] = {"snapshots": []}
    yield Scenario("stun-out-of-space", b.build(), "app-db-01", "datastore-full", STUN)

    b = background(Builder())
    b.task("RemoveAllSnapshots_Task", -0.2, vm="vm3", user="LAB\\veeam-svc")
    b.vmx("vm3", -0.1, "SnapshotVMXConsolidateOnlineCB: nextState = 2 uid 0")
    b.vmx("vm3", 0, "Checkpoint_Unstun: vm stopped for 38211950 us")
    yield Scenario(
        "stun-consolidation", b.build(), "app-web-02", "snapshot-consolidation-stun", STUN
    )

    b = background(Builder())
    b.event(
        "esx.problem.storage.apd.start",
        -1,
        f"Device or filesystem with identifier [{NAA['ds2']}] has entered the All Paths Down state.",
        host="h3",
        ds="ds2",
    )
    b.vmx(
        "vm5",
        0,
        "[msg.hbacommon.locklost] The lock protecting build-agent-07.vmdk has been lost, possibly due to underlying storage issues.",
    )
    b.vmx("vm5", 0, "Msg_Question:")
    yield Scenario(
        "stun-lock-lost-apd", b.build(), "build-agent-07", "datastore-connectivity-lost", STUN
    )

    b = background(Builder())
    b.event(
        "esx.problem.scsi.device.io.latency.high",
        -3,
        f"Device {NAA['ds1']} performance has deteriorated. I/O latency increased from average value of 1343 microseconds to 68422 microseconds.",
        host="h1",
        ds="ds1",
    )
    b.vmkernel(
        "h1",
        -3,
        f"WARNING: ScsiDeviceIO: 1513: Device {NAA['ds1']} performance has deteriorated. I/O latency increased from average value of 1343 microseconds to 68422 microseconds.",
        ds="ds1",
    )
    b.vmx("vm2", 0, "Checkpoint_Unstun: vm stopped for 12450311 us")
    b.vm_kw["vm2"] = {"snapshots": []}
    yield Scenario("stun-latency", b.build(), "app-web-01", "storage-latency", STUN)
