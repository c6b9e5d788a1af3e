"""A small synthetic estate and record builders for the scenario corpus.

The estate: one vCenter, one HA/DRS cluster of three hosts, two VMFS datastores and one NFS
datastore, a dozen VMs. Records are written the way vSphere writes them (event type names,
EventEx ids, vmware.log / vmkernel.log / vobd.log / hostd.log line formats); host names,
addresses and LUN ids are made up.
"""

# ruff: noqa: E501 - log lines and event messages are quoted verbatim, as vSphere writes them

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from vmdoctor.model import (
    Datacenter,
    Environment,
    Event,
    Gap,
    LogRecord,
    MetricSeries,
    ObjectLink,
    SourceInfo,
    Task,
    Timeline,
    VCenter,
)

from factories import make_cluster, make_datastore, make_host, make_network, make_series, make_vm

T0 = datetime(2026, 11, 20, 3, 12, tzinfo=UTC)

HOSTS = {"h1": "esx01.lab.local", "h2": "esx02.lab.local", "h3": "esx03.lab.local"}
DATASTORES = {
    "ds1": ("ds-prod-01", "VMFS"),
    "ds2": ("ds-prod-02", "VMFS"),
    "nfs1": ("nfs-backup-01", "NFS"),
}
VMS = {
    "vm1": ("app-db-01", "h1", "ds1"),
    "vm2": ("app-web-01", "h1", "ds1"),
    "vm3": ("app-web-02", "h2", "ds2"),
    "vm4": ("file-srv-01", "h2", "nfs1"),
    "vm5": ("build-agent-07", "h3", "ds2"),
    "vm6": ("gpu-render-01", "h3", "ds1"),
}
NAA = {"ds1": "naa.600508b1001c3a5f", "ds2": "naa.600508b1001c9d21"}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Builder:
    """Collects timeline records and inventory overrides for one scenario."""

    events: list[Event] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    logs: list[LogRecord] = field(default_factory=list)
    metrics: list[MetricSeries] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    host_kw: dict[str, dict[str, Any]] = field(default_factory=dict)
    vm_kw: dict[str, dict[str, Any]] = field(default_factory=dict)
    ds_kw: dict[str, dict[str, Any]] = field(default_factory=dict)
    vc_kw: dict[str, Any] = field(default_factory=dict)

    def event(
        self,
        type_: str,
        minutes: float,
        message: str = "",
        *,
        vm: str | None = None,
        host: str | None = None,
        ds: str | None = None,
        user: str | None = None,
        severity: str = "info",
    ) -> Builder:
        if vm and host is None:
            host = VMS[vm][1]
        self.events.append(
            Event(
                key=len(self.events) + 1000,
                time=at(minutes),
                type=type_,
                message=message,
                severity=severity,
                user=user,
                objects=ObjectLink(vm_id=vm, host_id=host, datastore_id=ds, vcenter_id="vc1"),
                vm_name=VMS[vm][0] if vm else None,
                host_name=HOSTS[host] if host else None,
            )
        )
        return self

    def task(
        self,
        name: str,
        minutes: float,
        *,
        vm: str | None = None,
        host: str | None = None,
        state: str = "success",
        fault: str | None = None,
        message: str | None = None,
        user: str | None = "LAB\\ops-admin",
    ) -> Builder:
        entity = vm or host
        etype = "vm" if vm else "host"
        self.tasks.append(
            Task(
                key=f"task-{len(self.tasks) + 500}",
                name=name,
                entity_type=etype,
                entity_id=entity,
                entity_name=VMS[vm][0] if vm else HOSTS.get(host or ""),
                state=state,
                start_time=at(minutes) - timedelta(seconds=4),
                complete_time=at(minutes),
                user=user,
                fault_type=fault,
                fault_message=message,
                objects=ObjectLink(vm_id=vm, host_id=host or (VMS[vm][1] if vm else None)),
            )
        )
        return self

    def vmx(self, vm: str, minutes: float, text: str, thread: str = "vmx") -> Builder:
        line = f"{stamp(at(minutes))} In(05) {thread} {text}"
        return self._log("vmware.log", minutes, line, vm=vm, host=VMS[vm][1])

    def vmkernel(self, host: str, minutes: float, text: str, *, ds: str | None = None) -> Builder:
        line = f"{stamp(at(minutes))} cpu{len(self.logs) % 32}:2098{len(self.logs):03d}){text}"
        return self._log("vmkernel.log", minutes, line, host=host, ds=ds)

    def vobd(self, host: str, minutes: float, text: str, *, ds: str | None = None) -> Builder:
        line = f"{stamp(at(minutes))}: [{'APDCorrelator' if 'APD' in text else 'vob'}] {text}"
        return self._log("vobd.log", minutes, line, host=host, ds=ds)

    def hostd(self, host: str, minutes: float, text: str, level: str = "info") -> Builder:
        line = f"{stamp(at(minutes))} {level} hostd[2099588] [Originator@6876 sub=Vimsvc] {text}"
        return self._log("hostd.log", minutes, line, host=host)

    def vpxd(self, minutes: float, text: str, level: str = "error") -> Builder:
        line = f"{stamp(at(minutes))} {level} vpxd[04321] [Originator@6876 sub=vpxd] {text}"
        return self._log("vpxd.log", minutes, line, vc="vc1")

    def raw(self, log: str, minutes: float, text: str, *, host: str | None = None) -> Builder:
        return self._log(log, minutes, text, host=host)

    def _log(
        self,
        log: str,
        minutes: float,
        text: str,
        *,
        vm: str | None = None,
        host: str | None = None,
        ds: str | None = None,
        vc: str | None = None,
    ) -> Builder:
        self.logs.append(
            LogRecord(
                time=at(minutes),
                log=log,
                text=text,
                objects=ObjectLink(vm_id=vm, host_id=host, datastore_id=ds, vcenter_id=vc),
            )
        )
        return self

    def metric(
        self, host: str, counter: str, values: list[float], unit: str = "percent"
    ) -> Builder:
        self.metrics.append(
            make_series(
                host, counter, values, entity_type="host", unit=unit, interval_s=300, end=at(5)
            )
        )
        return self

    def build(self) -> Environment:
        hosts = [
            make_host(
                id=hid, name=name, datastore_ids=list(DATASTORES), **self.host_kw.get(hid, {})
            )
            for hid, name in HOSTS.items()
        ]
        datastores = [
            make_datastore(
                id=dsid, name=name, type=kind, host_ids=list(HOSTS), **self.ds_kw.get(dsid, {})
            )
            for dsid, (name, kind) in DATASTORES.items()
        ]
        vms = [
            make_vm(id=vid, name=name, host_id=hid, datastore_ids=[dsid], **self.vm_kw.get(vid, {}))
            for vid, (name, hid, dsid) in VMS.items()
        ]
        vcenter = msgspec.structs.replace(
            VCenter(id="vc1", name="vc01.lab.local", version="8.0.3", build=24322831),
            **self.vc_kw,
        )
        return Environment(
            collected_at=at(90),
            source=SourceInfo(kind="test", name="scenario"),
            vcenters=[vcenter],
            datacenters=[Datacenter(id="dc1", name="DC1", vcenter_id="vc1")],
            clusters=[make_cluster()],
            hosts=hosts,
            vms=vms,
            datastores=datastores,
            networks=[make_network(host_ids=list(HOSTS))],
            timeline=Timeline(
                events=sorted(self.events, key=lambda e: e.time),
                tasks=self.tasks,
                logs=self.logs,
                metrics=self.metrics,
            ),
            gaps=self.gaps,
        )


def background(b: Builder) -> Builder:
    """Ordinary traffic every estate has around any incident: logins, migrations, noise."""
    b.event(
        "UserLoginSessionEvent",
        -95,
        "User LAB\\backup-svc logged in as pyvmomi",
        user="LAB\\backup-svc",
    )
    b.event("DrsVmMigratedEvent", -70, "Migrating build-agent-07 from esx02 to esx03", vm="vm5")
    b.event("VmBeingHotMigratedEvent", -71, "Migrating build-agent-07", vm="vm5")
    b.event(
        "AlarmStatusChangedEvent",
        -40,
        "Alarm 'Virtual machine CPU usage' on app-web-02 changed from Green to Yellow",
        vm="vm3",
    )
    b.event(
        "UserLogoutSessionEvent", -30, "User LAB\\backup-svc logged out", user="LAB\\backup-svc"
    )
    b.vmkernel(
        "h2",
        -50,
        'ScsiDeviceIO: 4325: Cmd(0x45d8c0e5a7c8) 0x85, CmdSN 0x2c from world 2099714 to dev "naa.600508b1001c9d21" failed H:0x0 D:0x2 P:0x0 Valid sense data: 0x5 0x20 0x0.',
    )
    b.hostd("h1", -20, "Event 412 : User root@127.0.0.1 logged in as VMware-client/6.5.0")
    b.vmx("vm2", -15, "Tools: Changing running status: 1 => 2.")
    b.vmx(
        "vm1", -60, "GuestRpc: Got RPCI vsocket connection 48, assigned to App 'toolbox', policy 2"
    )
    return b
