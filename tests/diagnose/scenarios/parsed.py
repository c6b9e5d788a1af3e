"""Scenarios that start from raw log text: files written the way vSphere writes them, read by
the real loaders (VM folders, vm-support bundles built here, syslog files, vpxd.log), alone
or merged with an inventory snapshot of the scenario estate, then diagnosed.

Nothing here builds a LogRecord by hand: if a loader stops linking a line to its VM, host,
datastore or vCenter, or the signature catalogue stops keeping it, these scenarios fail.
"""

# ruff: noqa: E501 - log lines are written whole, as vSphere writes them

from __future__ import annotations

import io
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from vmdoctor.model import Environment
from vmdoctor.sources import snapshot
from vmdoctor.sources.resolve import load_specs

from ._lab import Builder
from ._types import Scenario

DAY = "2026-11-20T"
UUID1 = "6550a1b2-3c4d5e6f-7a8b-001b21c3d4e5"
NAA2 = "naa.600508b1001c9d21"


def _vmx_header(display: str, folder: str, host: str, esxi8: bool = True) -> str:
    """The first lines every ESXi vmware.log starts with (VM identity, host, config)."""
    p = f"{DAY}03:00:00.0"
    sep = " In(05) vmx " if esxi8 else "| vmx| I125: "
    return "".join(
        f"{p}{i}Z{sep}{text}\n"
        for i, text in enumerate(
            (
                "Log for VMware ESX pid=2100123 version=8.0.3 build=build-24022510 option=Release",
                "The host is x86_64.",
                f"Hostname={host}",
                f"Config file: /vmfs/volumes/{UUID1}/{folder}/{folder}.vmx",
                f"DICT --- CONFIGURATION /vmfs/volumes/{UUID1}/{folder}/{folder}.vmx",
                'DICT            config.version = "8"',
                'DICT         virtualHW.version = "19"',
                f'DICT               displayName = "{display}"',
                'DICT                   guestOS = "windows2019srv-64"',
                "Tools: Changing running status: 0 => 1.",
            )
        )
    )


class _Files:
    """A scratch folder of source files for one scenario."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="vmdoctor-why-"))

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def tgz(self, name: str, members: dict[str, str]) -> Path:
        path = self.root / name
        with tarfile.open(path, "w:gz") as tar:
            for member, text in members.items():
                data = text.encode()
                info = tarfile.TarInfo(member)
                info.size, info.mtime = len(data), 1_763_600_000
                tar.addfile(info, io.BytesIO(data))
        return path

    def inventory(self, builder: Builder | None = None) -> Path:
        """The scenario estate (inventory only, no timeline) saved as a snapshot."""
        path = self.root / "inventory.json"
        snapshot.save((builder or Builder()).build(), path)
        return path


def _load(*paths: Path) -> Environment:
    return load_specs([str(p) for p in paths])


def _scenario(name: str, env: Environment, target: str | None, cause: str, kind: str) -> Scenario:
    return Scenario(name, env, target, cause, kind, origin="log-parser")


def scenarios() -> Iterator[Scenario]:
    # 1. a VM folder alone: vmware.log ends in a monitor panic
    f = _Files()
    folder = f.root / "vmfs/volumes/ds-prod-01/app-db-01"
    f.write(
        "vmfs/volumes/ds-prod-01/app-db-01/vmware.log",
        _vmx_header("app-db-01", "app-db-01", "esx01.lab.local", esxi8=False)
        + f"{DAY}03:05:12.301Z| vmx| I125: GuestRpc: Got RPCI vsocket connection 48, assigned to App 'toolbox', policy 2\n"
        f"{DAY}03:11:58.100Z| vcpu-2| I125: MONITOR PANIC: vcpu-2:VMM fault 14: src=MONITOR rip=0xfffffffffc22b4d2 regs=0xfffffffffc008e30\n"
        f"{DAY}03:11:58.102Z| vcpu-2| I125: Core dump with build build-24022510\n"
        f"{DAY}03:12:00.300Z| vmx| I125: VMX has left the building: 1.\n",
    )
    yield _scenario(
        "parsed-vmfolder-monitor-panic", _load(folder), "app-db-01", "monitor-panic", "vm-down"
    )

    # 2. VM folder named differently from the VM, merged with the inventory; no target
    f = _Files()
    f.write(
        "logs/render01/vmware.log",
        _vmx_header("gpu-render-01", "render01", "esx03.lab.local")
        + f"{DAY}03:10:44.020Z In(05) vcpu-0 Guest: Windows guest BSOD recovery not enabled.\n"
        f"{DAY}03:11:59.870Z In(05) vcpu-0 Triple fault.\n"
        f"{DAY}03:11:59.871Z In(05) vcpu-0 Msg_Post: Error\n"
        f"{DAY}03:11:59.871Z In(05) vcpu-0 [msg.monitorEvent.tripleFault] A fatal error has occurred in the virtual machine: the guest operating system triple faulted.\n"
        f"{DAY}03:12:01.004Z In(05) vmx VMX has left the building: 0.\n",
    )
    yield _scenario(
        "parsed-vmfolder-triple-fault-merged",
        _load(f.inventory(), f.root / "logs"),
        None,
        "guest-triple-fault",
        "vm-down",
    )

    # 3. out of space on a thin disk: the VM waits on a question; the inventory shows the
    #    datastore nearly full
    f = _Files()
    full = Builder()
    full.ds_kw["ds2"] = {"capacity_bytes": 2 << 40, "free_bytes": 6 << 30}
    f.write(
        "vmfs/volumes/ds-prod-02/app-web-02/vmware.log",
        _vmx_header("app-web-02", "app-web-02", "esx02.lab.local")
        + f"{DAY}03:11:57.010Z In(05) vmx Msg_Question:\n"
        f"{DAY}03:11:57.010Z In(05) vmx [msg.hbacommon.outofspace] There is no more space for virtual disk '/vmfs/volumes/ds-prod-02/app-web-02/app-web-02-000001.vmdk'. You might be able to continue this session by freeing disk space on the relevant volume, and clicking _Retry. Click Cancel to terminate this session.\n"
        f"{DAY}03:11:57.011Z In(05) vmx ----------------------------------------\n",
    )
    yield _scenario(
        "parsed-vmfolder-out-of-space",
        _load(f.inventory(full), f.root / "vmfs"),
        "app-web-02",
        "datastore-full",
        "vm-stunned",
    )

    # 4. a power-on that fails on a locked disk (another host still holds it)
    f = _Files()
    disk = "/vmfs/volumes/ds-prod-01/app-web-01/app-web-01.vmdk"
    f.write(
        "app-web-01/vmware.log",
        _vmx_header("app-web-01", "app-web-01", "esx01.lab.local", esxi8=False)
        + f"{DAY}03:12:01.200Z| vmx| I125: DISK: Cannot open disk '{disk}': Failed to lock the file (16392).\n"
        f"{DAY}03:12:01.201Z| vmx| I125: Msg_Post: Error\n"
        f"{DAY}03:12:01.201Z| vmx| I125: [msg.disk.noBackEnd] Cannot open the disk '{disk}' or one of the snapshot disks it depends on.\n"
        f"{DAY}03:12:01.201Z| vmx| I125: [msg.disk.configureDiskError] Reason: Failed to lock the file.\n"
        f"{DAY}03:12:01.230Z| vmx| I125: Module 'Disk' power on failed.\n"
        f"{DAY}03:12:01.240Z| vmx| I125: VMX_PowerOn: ModuleTable_PowerOn = 0\n"
        f"{DAY}03:12:01.300Z| vmx| I125: VMX has left the building: 0.\n",
    )
    yield _scenario(
        "parsed-vmfolder-file-locked",
        _load(f.root / "app-web-01"),
        "app-web-01",
        "poweron-file-locked",
        "vm-power-on-failed",
    )

    # 5. a vm-support bundle: APD on a LUN, then the array says the LUN is gone (PDL)
    f = _Files()
    top = "esx-esx02.lab.local-2026-11-20--03.40-2211"
    bundle = f.tgz(
        f"{top}.tgz",
        {
            f"{top}/var/run/log/vmkernel.log": f"{DAY}03:01:00.000Z cpu1:2097152)World: 12345: nothing to see here\n"
            f'{DAY}03:05:10.100Z cpu12:2097583)WARNING: NMP: nmp_DeviceRequestFastDeviceProbe:237: NMP device "{NAA2}" state in doubt; requested fast path state update...\n'
            f"{DAY}03:05:12.512Z cpu3:2097251)StorageApdHandler: 1182: APD start for 0x4305c2b3e8c0 [{NAA2}]\n"
            f'{DAY}03:05:14.000Z cpu3:2097251)WARNING: ScsiDeviceIO: 4048: Cmd(0x45b8c1b6d6c8) 0x28, CmdSN 0x1 from world 0 to dev "{NAA2}" failed H:0x0 D:0x2 P:0x0 Valid sense data: 0x5 0x25 0x0.\n'
            f'{DAY}03:05:14.100Z cpu3:2097251)WARNING: ScsiDevice: 1503: Device {NAA2} has been removed or is permanently inaccessible. Affected datastores (if any): "ds-prod-02".\n'
            f"{DAY}03:05:20.000Z cpu8:2097912)Lost access to volume {UUID1} (ds-prod-02) due to connectivity issues. Recovery attempt is in progress and outcome will be reported shortly.\n",
            f"{top}/var/run/log/vobd.log": f"{DAY}03:05:12.513Z: [APDCorrelator] 2284719823us: [vob.storage.apd.start] Device or filesystem with identifier [{NAA2}] has entered the All Paths Down state.\n"
            f"{DAY}03:05:12.513Z: [APDCorrelator] 2284719990us: [esx.problem.storage.apd.start] Device or filesystem with identifier [{NAA2}] has entered the All Paths Down state.\n"
            f'{DAY}03:05:14.120Z: [scsiCorrelator] 2284721600us: [esx.problem.scsi.device.state.permanentloss] Device: {NAA2} has been removed or is permanently inaccessible. Affected datastores (if any): "ds-prod-02".\n',
            f"{top}/etc/vmware/esx.conf": '/adv/Misc/HostName = "esx02"\n',
        },
    )
    yield _scenario(
        "parsed-bundle-apd-then-pdl",
        _load(bundle),
        "ds-prod-02",
        "lun-permanent-device-loss",
        "datastore-lost",
    )

    # 6. a support upload with a generic name: only etc/hosts names the host; the last boot
    #    ended in a purple screen and the host booted again
    f = _Files()
    upload = f.tgz(
        "support-upload.tgz",
        {
            "vm-support/etc/hosts": "127.0.0.1 localhost.localdomain localhost\n::1 localhost.localdomain localhost\n10.20.0.13 esx03.lab.local esx03\n",
            "vm-support/var/run/log/vmkernel.log": f"{DAY}03:02:00.000Z cpu1:2097152)World: 12345: nothing to see here\n"
            f"{DAY}03:11:40.001Z cpu7:2098811)@BlueScreen: #PF Exception 14 in world 2098811:vmnic4-pollW IP 0x4200216c3b1a addr 0x0\n"
            f"{DAY}03:11:40.001Z cpu7:2098811)Code start: 0x420021000000 VMK uptime: 41:06:12:55.118\n"
            f"{DAY}03:11:40.002Z cpu7:2098811)0x45391a11bd50:[0x4200216c3b1a]bnxtnet_tx_complete@(bnxtnet)#<None>+0x4e stack: 0x0\n"
            f"{DAY}03:11:40.002Z cpu7:2098811)Backtrace for current CPU #7, worldID=2098811, fp=0x45391a11bd50\n",
            "vm-support/var/run/log/vmksummary.log": f"{DAY}03:19:02Z bootstop: Host has booted\n",
        },
    )
    yield _scenario(
        "parsed-upload-psod-reboot-merged",
        _load(f.inventory(), upload),
        "esx03",
        "host-psod",
        "host-not-responding",
    )

    # 7. hostd outgrows its memory limit, is shut down by its watchdog and restarts
    f = _Files()
    agent = f.tgz(
        "host-logs.tgz",
        {
            "var/run/log/hostd.log": f"{DAY}03:00:02.000Z info hostd[2099588] [Originator@6876 sub=Vimsvc.ha-eventmgr] Event 412 : User root@127.0.0.1 logged in as VMware-client/6.5.0\n"
            f"{DAY}03:08:12.331Z warning hostd[2099588] [Originator@6876 sub=Default] Memory checker: Current value 1006632 exceeded soft limit 943718.\n"
            f"{DAY}03:11:52.004Z panic hostd[2099588] [Originator@6876 sub=Default] Memory checker: Current value 1073741 exceeded hard limit 1048576. Shutting down process.\n"
            f"{DAY}03:11:52.010Z panic hostd[2099588] [Originator@6876 sub=Default] Backtrace:\n",
            "var/run/log/vmkernel.log": f"{DAY}03:11:53.100Z cpu2:2101870)UserDump: 3138: hostd: Dumping cartel 2099588 (from world 2099601) to file /var/core/hostd-zdump.000 ...\n",
            "commands/esxcli_system-hostname-get.txt": "   Domain Name: lab.local\n   Fully Qualified Domain Name: esx01.lab.local\n   Host Name: esx01\n",
        },
    )
    yield _scenario(
        "parsed-hostd-memory-restart",
        _load(agent),
        "esx01.lab.local",
        "host-agent-resource-exhaustion",
        "management-unresponsive",
    )

    # 8. vpxd.log alone: vCenter loses its database and fails to start
    f = _Files()
    f.write(
        "vpxd.log",
        f"{DAY}03:00:01.000Z info vpxd[04321] [Originator@6876 sub=vpxLro] [VpxLRO] -- BEGIN session[52a1]5c3e -- SessionManager -- vim.SessionManager.login\n"
        f'{DAY}03:10:02.118Z error vpxd[04321] [Originator@6876 sub=Default] [VdbODBCError] (-1) "ODBC error: (08001) - could not connect to server: Connection refused" is returned when executing SQL statement "SELECT ID FROM VPX_ENTITY"\n'
        f"{DAY}03:10:02.120Z error vpxd[04321] [Originator@6876 sub=Default] Failed to connect to database: ODBC error\n"
        f"{DAY}03:12:00.500Z error vpxd[04321] [Originator@6876 sub=Main] Init failed. VdbError: Error[VdbODBCError] (-1)\n",
    )
    yield _scenario(
        "parsed-vpxd-database-lost",
        _load(f.root / "vpxd.log"),
        "vcenter",
        "vcenter-database-failure",
        "management-unresponsive",
    )

    # 8b. vpxd.log alone: the API crawls because the database is slow (slow statements under
    #     the slow operations, a login in the middle as noise)
    f = _Files()
    f.write(
        "vpxd.log",
        f"{DAY}02:58:00.000Z info vpxd[04321] [Originator@6876 sub=vpxLro] [VpxLRO] -- BEGIN session[52a1]5c3e -- SessionManager -- vim.SessionManager.login\n"
        f"{DAY}03:01:12.400Z warning vpxd[04321] [Originator@6876 sub=Default] [VdbStatement] Execution of statement SELECT FROM VPX_EVENT_ARG took 8713 ms\n"
        f"{DAY}03:02:40.002Z warning vpxd[04321] [Originator@6876 sub=VpxProfiler] Vpxd::ServerApp [VpxdInvtHostSyncHostLRO::Sync] took 41877 ms\n"
        f"{DAY}03:04:05.730Z warning vpxd[04321] [Originator@6876 sub=Default] [VdbStatement] Execution of statement INSERT INTO VPX_EVENT took 12033 ms\n"
        f"{DAY}03:05:11.121Z warning vpxd[04321] [Originator@6876 sub=VpxProfiler] Vpxd::ServerApp [PropertyCollector::WaitForUpdatesEx] took 63002 ms\n",
    )
    yield _scenario(
        "parsed-vpxd-database-slow",
        _load(f.root / "vpxd.log"),
        "vcenter",
        "vcenter-database-slow",
        "management-unresponsive",
    )

    # 8c. vpxd.log alone: operations take tens of seconds, the database answers in time
    f = _Files()
    f.write(
        "vpxd.log",
        f"{DAY}05:20:01.000Z info vpxd[04321] [Originator@6876 sub=vpxLro] [VpxLRO] -- BEGIN session[77b2]1a0e -- SessionManager -- vim.SessionManager.login\n"
        f"{DAY}05:21:44.502Z warning vpxd[04321] [Originator@6876 sub=VpxProfiler] Vpxd::ServerApp [VpxdInvtHostSyncHostLRO::Sync] took 37120 ms\n"
        f"{DAY}05:23:02.117Z warning vpxd[04321] [Originator@6876 sub=VpxProfiler] Vpxd::ServerApp [PropertyCollector::RetrievePropertiesEx] took 52890 ms\n"
        f"{DAY}05:24:30.000Z info vpxd[04321] [Originator@6876 sub=Default] [VdbStatement] Execution of statement SELECT FROM VPX_HOST took 12 ms\n",
    )
    yield _scenario(
        "parsed-vpxd-overloaded",
        _load(f.root / "vpxd.log"),
        None,
        "vcenter-overloaded",
        "management-unresponsive",
    )

    # 9. vpxd refuses logins: a reporting script leaked sessions (merged with the inventory,
    #    where vCenter shows every session in use); no target
    f = _Files()
    leaky = Builder()
    leaky.vc_kw.update(active_sessions=2000, max_sessions=2000)
    f.write(
        "vc/vpxd-12.log",
        "".join(
            f"{DAY}03:{m:02d}:00.000Z info vpxd[04321] [Originator@6876 sub=vpxLro] [VpxLRO] -- BEGIN session[52a{m}]5c3e -- SessionManager -- vim.SessionManager.login\n"
            for m in range(0, 10)
        )
        + f"{DAY}03:11:40.000Z warning vpxd[04321] [Originator@6876 sub=SessionManager] Session limit reached: 2000 sessions, rejecting login for user 'LAB\\svc-report'\n"
        f"{DAY}03:12:00.000Z warning vpxd[04321] [Originator@6876 sub=SessionManager] Session limit reached: 2000 sessions, rejecting login for user 'LAB\\ops-admin'\n",
    )
    yield _scenario(
        "parsed-vpxd-session-limit-merged",
        _load(f.inventory(leaky), f.root / "vc"),
        None,
        "vcenter-session-exhaustion",
        "management-unresponsive",
    )

    # 10. a syslog server's file: forwarded lines of several hosts; one loses its NFS server
    f = _Files()
    f.write(
        "syslog/esxi-2026-11-20.log",
        f"<166>1 {DAY}03:02:11.000Z esx01.lab.local hostd - - -  info hostd[2099588] [Originator@6876 sub=Vimsvc.ha-eventmgr] Event 415 : User root@127.0.0.1 logged in as VMware-client/6.5.0\n"
        f'<166>1 {DAY}03:11:30.112Z esx02.lab.local vmkernel - - - cpu5:2097715)NFS: 346: Lost connection to the server 10.20.30.40 mount point /vol/backup01, mounted as 6550b3c4-8d9e0f1a-0000-000000000000 ("nfs-backup-01")\n'
        f'<166>1 {DAY}03:11:40.000Z esx02.lab.local vmkernel - - - cpu5:2097715)NFS: 346: Lost connection to the server 10.20.30.40 mount point /vol/backup01, mounted as 6550b3c4-8d9e0f1a-0000-000000000000 ("nfs-backup-01")\n'
        f'<166>1 {DAY}03:12:05.000Z esx03.lab.local vmkernel - - - cpu2:2097715)ScsiDeviceIO: 4325: Cmd(0x45d8c0e5a7c8) 0x85, CmdSN 0x2c from world 2099714 to dev "naa.600508b1001c3a5f" failed H:0x0 D:0x2 P:0x0 Valid sense data: 0x5 0x20 0x0.\n',
    )
    yield _scenario(
        "parsed-syslog-nfs-lost-merged",
        _load(f.inventory(), f.root / "syslog"),
        "nfs-backup-01",
        "nfs-server-unreachable",
        "datastore-lost",
    )

    # 11. a vm-support bundle holding a VM folder: the VMX panicked; the VM is the bundle
    #     host's, found by name without any inventory
    f = _Files()
    top = "esx-esx01.lab.local-2026-11-20--03.30-1187"
    vmdir = f"{top}/vmfs/volumes/ds-prod-01/app-web-01"
    bundle = f.tgz(
        f"{top}.tgz",
        {
            f"{vmdir}/vmware.log": _vmx_header("app-web-01", "app-web-01", "esx01.lab.local")
            + f"{DAY}03:11:59.500Z In(05) vmx VERIFY bora/vmcore/vmx/main/timeTracker_user.c:234 bugNr=148722\n"
            f"{DAY}03:11:59.501Z Er(02) vmx PANIC: VERIFY bora/vmcore/vmx/main/timeTracker_user.c:234 bugNr=148722\n"
            f'{DAY}03:12:00.900Z In(05) vmx A core file is available in "/vmfs/volumes/{UUID1}/app-web-01/vmx-zdump.000"\n'
            f"{DAY}03:12:01.000Z In(05) vmx VMX has left the building: 1.\n",
            f"{top}/var/run/log/vmkernel.log": f"{DAY}03:12:00.100Z cpu4:2100123)UserDump: 3138: vmx: Dumping cartel 2100123 (from world 2100130) to file /vmfs/volumes/{UUID1}/app-web-01/vmx-zdump.000 ...\n",
        },
    )
    yield _scenario(
        "parsed-bundle-vm-folder-vmx-panic",
        _load(bundle),
        "app-web-01",
        "vmx-panic",
        "vm-down",
    )
