"""Helpers that write timeline records the way vCenter and ESXi word them.

Message texts follow the vSphere event catalogue and ESXi log formats; the wording of each
line is our own and every name in it belongs to the demo lab.
"""

from __future__ import annotations

from datetime import datetime

from vmdoctor.model import VM, Host, ObjectLink
from vmdoctor.sources.demo.draft import Draft
from vmdoctor.sources.demo.events import Handle


def vm_link(vm: VM) -> ObjectLink:
    return ObjectLink(
        vm_id=vm.id,
        host_id=vm.host_id,
        cluster_id=vm.cluster_id,
        datacenter_id=vm.datacenter_id,
        vcenter_id=vm.vcenter_id,
    )


def host_link(host: Host, datastore_id: str | None = None) -> ObjectLink:
    return ObjectLink(
        host_id=host.id,
        cluster_id=host.cluster_id,
        datacenter_id=host.datacenter_id,
        vcenter_id=host.vcenter_id,
        datastore_id=datastore_id,
    )


def short(host_name: str) -> str:
    return host_name.split(".", 1)[0]


def iso(time: datetime) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}Z"


class Records:
    """Typed shortcuts over the draft's TimelineBuilder."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.tl = draft.timeline

    # --- vCenter events -----------------------------------------------------------------------

    def vm_event(
        self,
        time: datetime,
        vm: VM,
        type_: str,
        message: str,
        severity: str = "info",
        user: str | None = None,
    ) -> Handle:
        host = self.draft.host(vm.host_id) if vm.host_id else None
        return self.tl.event(
            time,
            type_,
            message,
            severity=severity,
            user=user,
            objects=vm_link(vm),
            vm_name=vm.name,
            host_name=host.name if host else None,
        )

    def host_event(
        self,
        time: datetime,
        host: Host,
        type_: str,
        message: str,
        severity: str = "info",
        user: str | None = None,
        datastore_id: str | None = None,
    ) -> Handle:
        return self.tl.event(
            time,
            type_,
            message,
            severity=severity,
            user=user,
            objects=host_link(host, datastore_id),
            host_name=host.name,
        )

    def vcenter_event(
        self,
        time: datetime,
        vcenter_id: str,
        type_: str,
        message: str,
        severity: str = "info",
        user: str | None = None,
        link: ObjectLink | None = None,
    ) -> Handle:
        return self.tl.event(
            time,
            type_,
            message,
            severity=severity,
            user=user,
            objects=link or ObjectLink(vcenter_id=vcenter_id),
        )

    def dc_name(self, vm_or_host: VM | Host) -> str:
        return self.draft.datacenter_name(vm_or_host.datacenter_id)

    # --- tasks --------------------------------------------------------------------------------

    def vm_task(
        self,
        time: datetime,
        vm: VM,
        name: str,
        description_id: str,
        state: str = "success",
        user: str | None = None,
        fault_type: str | None = None,
        fault_message: str | None = None,
        duration_s: int = 4,
    ) -> Handle:
        return self.tl.task(
            time,
            name,
            state,
            duration_s,
            description_id=description_id,
            entity_type="vm",
            entity_id=vm.id,
            entity_name=vm.name,
            user=user,
            fault_type=fault_type,
            fault_message=fault_message,
            objects=vm_link(vm),
        )

    def power_on_failure(
        self, time: datetime, vm: VM, fault_type: str, fault_message: str, user: str
    ) -> tuple[Handle, Handle]:
        host = self.draft.host(vm.host_id) if vm.host_id else None
        task = self.vm_task(
            time,
            vm,
            "PowerOnVM_Task",
            "VirtualMachine.powerOn",
            "error",
            user,
            fault_type,
            fault_message,
            duration_s=3,
        )
        event = self.vm_event(
            time,
            vm,
            "VmFailedToPowerOnEvent",
            f"Cannot power on {vm.name} on {host.name if host else 'unknown host'} in "
            f"{self.dc_name(vm)}. {fault_message}",
            "error",
            user,
        )
        return task, event

    # --- logs ---------------------------------------------------------------------------------

    def vmkernel(
        self,
        time: datetime,
        host: Host,
        text: str,
        severity: str = "info",
        datastore_id: str | None = None,
        log: str = "vmkernel.log",
    ) -> Handle:
        level = {"info": "In(182)", "warning": "Wa(180)", "error": "Er(179)"}.get(
            severity, "In(182)"
        )
        prefix = f"{iso(time)} {level} vmkernel: " if host.version != "6.7.0" else f"{iso(time)} "
        return self.tl.log(
            time,
            log,
            f"{short(host.name)}/var/run/log/{log}",
            prefix + text,
            severity=severity,
            objects=host_link(host, datastore_id),
        )

    def vobd(
        self,
        time: datetime,
        host: Host,
        text: str,
        severity: str = "warning",
        datastore_id: str | None = None,
    ) -> Handle:
        level = "In(14)" if severity == "info" else "Wa(12)"
        prefix = (
            f"{iso(time)} {level} vobd[2098563]: " if host.version != "6.7.0" else f"{iso(time)}: "
        )
        return self.tl.log(
            time,
            "vobd.log",
            f"{short(host.name)}/var/run/log/vobd.log",
            prefix + text,
            severity=severity,
            objects=host_link(host, datastore_id),
        )

    def hostd(
        self,
        time: datetime,
        host: Host,
        text: str,
        severity: str = "info",
        sub: str = "Hostsvc",
        opid: str = "",
    ) -> Handle:
        level = {"info": "info", "warning": "warning", "error": "error"}[severity]
        op = f" opID={opid}" if opid else ""
        text = f"{iso(time)} {level} hostd[2099415] [Originator@6876 sub={sub}{op}] {text}"
        return self.tl.log(
            time,
            "hostd.log",
            f"{short(host.name)}/var/run/log/hostd.log",
            text,
            severity=severity,
            objects=host_link(host),
        )

    def vmware_log(
        self, time: datetime, vm: VM, thread: str, text: str, severity: str = "info"
    ) -> Handle:
        level = {"info": "In(05)", "warning": "Wa(03)", "error": "Er(02)"}[severity]
        folder = (vm.vmx_path or f"[unknown] {vm.name}/").split("] ", 1)
        ds_name = folder[0].lstrip("[")
        host = self.draft.host(vm.host_id) if vm.host_id else None
        where = short(host.name) if host else "unknown-host"
        return self.tl.log(
            time,
            "vmware.log",
            f"{where}/vmfs/volumes/{ds_name}/{vm.name}/vmware.log",
            f"{iso(time)} {level} {thread} {text}",
            severity=severity,
            objects=vm_link(vm),
        )

    def vpxd(
        self,
        time: datetime,
        vcenter_name: str,
        vcenter_id: str,
        text: str,
        severity: str = "info",
        sub: str = "vpxLro",
    ) -> Handle:
        line = f"{iso(time)} {severity} vpxd[41877] [Originator@6876 sub={sub}] {text}"
        return self.tl.log(
            time,
            "vpxd.log",
            f"{short(vcenter_name)}/var/log/vmware/vpxd/vpxd.log",
            line,
            severity=severity,
            objects=ObjectLink(vcenter_id=vcenter_id),
        )
