"""Hosts, datastores and the management plane."""

# ruff: noqa: E501 - log lines and event messages are quoted verbatim, as vSphere writes them

from __future__ import annotations

from collections.abc import Iterator

from ._lab import NAA, Builder, background
from ._types import Scenario

HOST = "host-not-responding"
DS = "datastore-lost"
MGMT = "management-unresponsive"
NR = "HostNotRespondingEvent"


def _not_responding(b: Builder, host: str, name: str, minutes: float = 0) -> Builder:
    return b.event(
        NR, minutes, f"Host {name} in DC1 is not responding", host=host, severity="error"
    )


def scenarios() -> Iterator[Scenario]:
    b = background(Builder())
    b.vmkernel(
        "h2",
        -0.3,
        "@BlueScreen: PCPU 12 locked up. Failed to ack TLB invalidate (total of 1 locked up, PCPU(s): 12).",
    )
    b.vmkernel("h2", -0.3, "Code start: 0x418022000000 VMK uptime: 112:08:14:31.215")
    b.raw("vmksummary.log", 9, "2026-11-20T03:21:02Z bootstop: Host has booted", host="h2")
    _not_responding(b, "h2", "esx02.lab.local")
    yield Scenario("host-psod-tlb", b.build(), "esx02", "host-psod", HOST)

    b = background(Builder())
    b.vmkernel(
        "h3",
        -1,
        "WARNING: MCE: 222: cpu14: bank9: status=0xbe00000000800400: (VAL=1, OVFLW=0, UC=1, EN=1, PCC=1, S=1, AR=1), Addr:0x2c8ff4c0 (Valid), Misc:0x86 (Valid)",
    )
    b.vmkernel(
        "h3",
        -0.5,
        "@BlueScreen: LINT1/NMI (motherboard nonmaskable interrupt), undiagnosed. This may be a hardware problem; please contact your hardware vendor.",
    )
    _not_responding(b, "h3", "esx03.lab.local")
    yield Scenario("host-mce-psod", b.build(), "esx03", "host-hardware-failure", HOST)

    b = background(Builder())
    b.vmkernel(
        "h1", -6, "WARNING: Heap: 3622: Heap netGPHeap already at its maximum size. Cannot expand."
    )
    b.vmkernel(
        "h1",
        -6,
        "WARNING: Heap: 4079: Heap_Align(netGPHeap, 4364/4364 bytes, 8 align) failed.  caller: 0x41801c90bb4e",
    )
    b.vmkernel(
        "h1",
        -5,
        "UserDump: 1485: Dumping cartel 14235 (from world 14258) to file /var/core/vpxa-zdump.000 ...",
    )
    b.event(
        "HostConnectionLostEvent",
        -0.5,
        "Host esx01.lab.local in DC1 lost its connection to vCenter",
        host="h1",
    )
    _not_responding(b, "h1", "esx01.lab.local")
    yield Scenario("host-heap-vpxa", b.build(), "esx01", "host-agent-resource-exhaustion", HOST)

    b = background(Builder())
    b.event(
        "esx.problem.hostd.core.dumped",
        -1,
        "/bin/hostd crashed (1 time(s) so far) and a core file may have been created at /var/core/hostd-worker-zdump.001.",
        host="h3",
    )
    b.hostd("h3", -1.2, "Backtrace:", "panic")
    _not_responding(b, "h3", "esx03.lab.local")
    yield Scenario("host-hostd-crash", b.build(), "esx03", "host-agent-crash", HOST)

    b = background(Builder())
    b.event(
        "esx.problem.net.vmnic.linkstate.down",
        -0.7,
        "Physical NIC vmnic0 linkstate is down",
        host="h1",
    )
    b.event(
        "esx.problem.net.redundancy.lost",
        -0.6,
        'Lost uplink redundancy on virtual switch "vSwitch0". Physical NIC vmnic1 is down. Affected port groups: "Management Network".',
        host="h1",
    )
    b.event(
        "esx.problem.net.connectivity.lost",
        -0.5,
        'Lost network connectivity on virtual switch "vSwitch0". Physical NIC vmnic1 is down. Affected port groups: "Management Network".',
        host="h1",
    )
    _not_responding(b, "h1", "esx01.lab.local")
    yield Scenario("host-mgmt-uplinks", b.build(), "esx01", "host-network-link-down", HOST)

    b = background(Builder())
    b.event("esx.audit.host.stop.reboot", -2, "Host is rebooting.", host="h2")
    b.task("RebootHost_Task", -2, host="h2", user="LAB\\j.doe")
    _not_responding(b, "h2", "esx02.lab.local")
    b.raw("vmksummary.log", 6, "2026-11-20T03:18:12Z bootstop: Host has booted", host="h2")
    yield Scenario("host-rebooted-by-admin", b.build(), "esx02", "host-planned-reboot", HOST)

    b = background(Builder())
    b.event(
        "HostCnxFailedBadUsernameEvent",
        0,
        "Cannot connect esx03.lab.local in DC1: incorrect user name or password",
        host="h3",
    )
    b.event("HostDisconnectedEvent", -0.2, "Host esx03.lab.local in DC1 is disconnected", host="h3")
    b.host_kw["h3"] = {"connection_state": "disconnected"}
    yield Scenario("host-bad-credentials", b.build(), "esx03", "host-connection-refused", HOST)

    # A host hung on APD: hostd threads stuck on the dead device.
    b = background(Builder())
    b.event(
        "esx.problem.storage.apd.start",
        -4,
        f"Device or filesystem with identifier [{NAA['ds2']}] has entered the All Paths Down state.",
        host="h2",
        ds="ds2",
    )
    b.event(
        "esx.problem.storage.apd.timeout",
        -1.6,
        f"Device or filesystem with identifier [{NAA['ds2']}] has entered the All Paths Down Timeout state after being in the All Paths Down state for 140 seconds. I/Os will now be fast failed.",
        host="h2",
        ds="ds2",
    )
    _not_responding(b, "h2", "esx02.lab.local")
    yield Scenario("host-hung-on-apd", b.build(), "esx02", "datastore-connectivity-lost", HOST)

    # Datastores.
    b = background(Builder())
    b.vobd(
        "h1",
        -0.2,
        f'Lost connectivity to storage device {NAA["ds1"]}. Path vmhba64:C0:T1:L0 is down. Affected datastores: "ds-prod-01".',
        ds="ds1",
    )
    b.vobd(
        "h1",
        -0.2,
        "[vob.scsi.scsipath.pathstate.dead] scsiPath vmhba64:C0:T1:L0 changed state from on",
        ds="ds1",
    )
    b.vmkernel(
        "h1",
        -0.1,
        f'WARNING: NMP: nmp_DeviceStartLoop: NMP Device "{NAA["ds1"]}" is blocked. Not starting I/O from device.',
        ds="ds1",
    )
    b.event(
        "esx.problem.storage.apd.start",
        0,
        f"Device or filesystem with identifier [{NAA['ds1']}] has entered the All Paths Down state.",
        host="h1",
        ds="ds1",
    )
    yield Scenario("ds-fabric-paths", b.build(), "ds-prod-01", "storage-path-failure", DS)

    b = background(Builder())
    b.vmkernel(
        "h1",
        -0.3,
        f'ScsiDeviceIO: 4325: Cmd(0x45d8c0e5a7c8) 0x28, CmdSN 0x8a1 from world 2099714 to dev "{NAA["ds2"]}" failed H:0x0 D:0x2 P:0x0 Valid sense data: 0x5 0x25 0x0.',
        ds="ds2",
    )
    b.event(
        "esx.problem.scsi.device.state.permanentloss",
        0,
        f'Device: {NAA["ds2"]} has been removed or is permanently inaccessible. Affected datastores (if any): "ds-prod-02".',
        host="h1",
        ds="ds2",
    )
    yield Scenario("ds-pdl-unmapped", b.build(), "ds-prod-02", "lun-permanent-device-loss", DS)

    b = background(Builder())
    b.vmkernel(
        "h2",
        -0.5,
        "WARNING: NFS: 898: RPC error 13 (RPC was aborted due to timeout) trying to get port for Mount Program (100005) Version (3) Protocol (TCP) on Server (192.0.2.10)",
        ds="nfs1",
    )
    b.vmkernel(
        "h2",
        0,
        'NFS: 1983: Lost connection to the server 192.0.2.10 mount point /vol/backup01, mounted as 3c9ef8a1-52b1c0e4-0000-000000000000 ("nfs-backup-01")',
        ds="nfs1",
    )
    b.event(
        "esx.problem.vmfs.nfs.server.disconnect",
        0,
        "Lost connection to server 192.0.2.10 mount point /vol/backup01 mounted as 3c9ef8a1-52b1c0e4-0000-000000000000 (nfs-backup-01).",
        host="h2",
        ds="nfs1",
    )
    yield Scenario("ds-nfs-server", b.build(), "nfs-backup-01", "nfs-server-unreachable", DS)

    # The NFS loss is explained by the host's storage uplink going down first.
    b = background(Builder())
    b.event(
        "esx.problem.net.vmnic.linkstate.down",
        -0.4,
        "Physical NIC vmnic3 linkstate is down",
        host="h2",
    )
    b.vmkernel(
        "h2",
        0,
        'NFS: 1983: Lost connection to the server 192.0.2.10 mount point /vol/backup01, mounted as 3c9ef8a1-52b1c0e4-0000-000000000000 ("nfs-backup-01")',
        ds="nfs1",
    )
    b.event(
        "esx.problem.vmfs.nfs.server.disconnect",
        0,
        "Lost connection to server 192.0.2.10 mount point /vol/backup01 mounted as 3c9ef8a1-52b1c0e4-0000-000000000000 (nfs-backup-01).",
        host="h2",
        ds="nfs1",
    )
    yield Scenario("ds-nfs-uplink", b.build(), None, "host-network-link-down", DS)

    b = background(Builder())
    b.vmkernel(
        "h3",
        -1,
        "iscsi_vmk: iscsivmk_ConnNetRegister: socket 0x4306df2e3a40 network resource pool netsched.pools.persist.iscsi associated",
    )
    b.vmkernel(
        "h3",
        -0.5,
        "WARNING: iscsi_vmk: iscsivmk_StartConnection: vmhba64:CH:0 T:1 CN:0: Login authentication failed with target iqn.2001-05.com.example:array01",
    )
    b.vmkernel(
        "h3",
        -0.3,
        'WARNING: iscsi_vmk: iscsivmk_StopConnection: vmhba64:CH:0 T:1 CN:0: iSCSI connection is being marked "OFFLINE" (Event:6)',
        ds="ds2",
    )
    b.event(
        "esx.problem.storage.apd.start",
        0,
        f"Device or filesystem with identifier [{NAA['ds2']}] has entered the All Paths Down state.",
        host="h3",
        ds="ds2",
    )
    yield Scenario("ds-iscsi-chap", b.build(), "ds-prod-02", "iscsi-authentication-failure", DS)

    b = background(Builder())
    b.event(
        "esx.problem.vmfs.heartbeat.corruptondisk",
        -0.2,
        "At least one corrupt on-disk heartbeat region was detected on volume 5f1c0a2e-9c1f6d4e-3a7b-0025b5aa00f1 (ds-prod-01). Other regions of the volume might be damaged too.",
        host="h1",
        ds="ds1",
    )
    b.event(
        "esx.problem.vmfs.heartbeat.timedout",
        0,
        "5f1c0a2e-9c1f6d4e-3a7b-0025b5aa00f1 ds-prod-01",
        host="h1",
        ds="ds1",
    )
    yield Scenario("ds-vmfs-corruption", b.build(), "ds-prod-01", "vmfs-metadata-corruption", DS)

    # Management plane.
    b = background(Builder())
    b.vpxd(
        -1,
        '[VdbStatement] SQLError was thrown: "ODBC error: (08006) - could not connect to server: Connection refused" is returned when executing SQL statement',
    )
    b.vpxd(-0.5, "[Vpxd::ServerApp::Init] Init failed: VpxdVdb::Init(false, false)")
    yield Scenario("mgmt-vpxd-database", b.build(), "vcenter", "vcenter-database-failure", MGMT)

    b = background(Builder())
    b.vpxd(
        -0.4,
        "[VpxdMoSessionManager] Session limit reached: 2000 sessions are active; rejecting login for user LAB\\monitor-svc",
    )
    b.vc_kw.update(active_sessions=2000, max_sessions=2000)
    yield Scenario("mgmt-session-leak", b.build(), "vcenter", "vcenter-session-exhaustion", MGMT)

    b = background(Builder())
    b.vpxd(
        -0.3,
        "[VpxdInvtHost] Failed to write /storage/log/vmware/vpxd/vpxd-1234.log: No space left on device",
    )
    yield Scenario("mgmt-vcsa-disk-full", b.build(), None, "vcenter-disk-full", MGMT)

    b = background(Builder())
    b.vobd(
        "h2",
        -2,
        "[esx.audit.account.locked] Remote access for ESXi local user account 'root' has been locked for 900 seconds after 10 failed login attempts.",
    )
    b.event(
        "esx.audit.account.locked",
        -2,
        "Remote access for ESXi local user account 'root' has been locked for 900 seconds after 10 failed login attempts.",
        host="h2",
    )
    b.event(
        "esx.problem.hostd.core.dumped",
        0,
        "/bin/hostd crashed (1 time(s) so far) and a core file may have been created at /var/core/hostd-zdump.000.",
        host="h2",
    )
    yield Scenario("mgmt-login-storm", b.build(), "esx02", "brute-force-login", MGMT)

    b = background(Builder())
    b.event(
        "esx.problem.visorfs.ramdisk.full",
        -3,
        "The ramdisk 'tmp' is full. As a result, the file /tmp/hostd-trace.gz could not be written.",
        host="h1",
    )
    b.event(
        "esx.problem.hostd.core.dumped",
        0,
        "/bin/hostd crashed (1 time(s) so far) and a core file may have been created at /var/core/hostd-zdump.000.",
        host="h1",
    )
    yield Scenario("mgmt-ramdisk-full", b.build(), "esx01", "host-agent-resource-exhaustion", MGMT)
