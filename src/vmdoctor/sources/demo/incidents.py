"""Incidents: a symptom, the chain of causes behind it, and the records that prove it.

Each ``incident_*`` function changes the inventory so the end state is consistent (the host
is not responding, the VM is off, the datastore is full), writes the timeline records an
administrator would find, and returns an :class:`IncidentDraft` naming those records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import msgspec

from vmdoctor.model import VM, Disk, Family, Snapshot
from vmdoctor.sources.demo.draft import GIB, DatastoreDraft
from vmdoctor.sources.demo.events import Handle, TimelineBuilder
from vmdoctor.sources.demo.metrics import DS_USED
from vmdoctor.sources.demo.planter import Planter
from vmdoctor.sources.demo.records import short
from vmdoctor.sources.demo.truth import CauseStep, EvidenceRef, Incident


@dataclass(slots=True)
class IncidentDraft:
    symptom: str
    object_type: str
    object_id: str
    object_name: str
    time: datetime
    summary: str
    chain: list[CauseStep]
    handles: list[Handle] = field(default_factory=list)
    metrics: list[EvidenceRef] = field(default_factory=list)
    problem_ids: list[str] = field(default_factory=list)

    def resolve(self, number: int, timeline: TimelineBuilder) -> Incident:
        evidence = [timeline.evidence(h) for h in self.handles] + self.metrics
        evidence.sort(key=lambda e: (e.time is None, e.time or self.time, e.kind, e.ref))
        return Incident(
            id=f"INC-{number:03d}",
            symptom=self.symptom,
            object_type=self.object_type,
            object_id=self.object_id,
            object_name=self.object_name,
            time=self.time,
            summary=self.summary,
            cause_chain=tuple(self.chain),
            evidence=tuple(evidence),
            problem_ids=tuple(self.problem_ids),
        )


def _step(family: Family, statement: str, obj_type: str | None = None, obj_id: str | None = None) -> CauseStep:
    return CauseStep(family=family, statement=statement, object_type=obj_type, object_id=obj_id)


def _vms_on_datastore(p: Planter, ds_id: str) -> list[VM]:
    return p.draft.vms_on_datastore(ds_id)


def _power_off(p: Planter, vm: VM, host_id: str | None = None) -> VM:
    ds = p.draft.datastore_by_id[vm.datastore_ids[0]]
    if vm.is_on:
        ds.committed_bytes -= vm.memory_mb * 1024 * 1024  # the swap file goes with the power
    return p.draft.replace_vm(
        vm.id, power_state="poweredOff", guest_id_running=None, guest_ip=None, guest_hostname=None,
        tools_status="toolsNotRunning", tools_running_status="guestToolsNotRunning",
        overall_cpu_usage_mhz=0, guest_memory_usage_mb=0, host_memory_usage_mb=0,
        ballooned_memory_mb=None, swapped_memory_mb=None, uptime_s=None, boot_time=None,
        storage_committed_bytes=(vm.storage_committed_bytes or 0) - vm.memory_mb * 1024 * 1024
        if vm.is_on else vm.storage_committed_bytes,
        nics=[msgspec.structs.replace(n, connected=False) for n in vm.nics],
        host_id=host_id or vm.host_id,
    )  # fmt: skip


def incident_snapshot_fills_datastore(p: Planter) -> IncidentDraft | None:
    """VM power-on fails: a forgotten backup snapshot grew until the datastore was full."""
    draft, rec = p.draft, p.rec
    ds = next((d for d in draft.shuffled_datastores()
               if d.type == "VMFS" and not d.local and d.id not in draft.taken
               and draft.cluster_of(d.cluster_id)[1].profile == "prod"), None)  # fmt: skip
    if ds is None:
        return None
    vms = [v for v in _vms_on_datastore(p, ds.id) if v.id not in draft.taken]
    grower = next(v for v in vms if v.is_on)
    victim = next(v for v in vms if v.is_on and v.id != grower.id and v.memory_mb >= 8192)
    snap_gib = 900
    created = draft.now - timedelta(days=97, hours=9)
    draft.replace_vm(grower.id, snapshots=[_snapshot(grower, created, snap_gib)])
    ds.committed_bytes += snap_gib * GIB
    ds.used_fraction = 0.985
    draft.used_ramps[ds.id] = 0.83
    t_off = draft.now - timedelta(hours=27)
    t_on = t_off + timedelta(minutes=14)
    host = draft.host(victim.host_id or "")
    where = f"{host.name} in {rec.dc_name(victim)}"
    user = "DEMO\\jsmith-adm"
    h: list[Handle] = [
        rec.host_event(draft.now - timedelta(days=6), host, "AlarmStatusChangedEvent",
                       f"Alarm 'Datastore usage on disk' on {ds.name} changed from Green to Yellow",
                       "warning", datastore_id=ds.id),
        rec.host_event(draft.now - timedelta(days=1, hours=10), host, "AlarmStatusChangedEvent",
                       f"Alarm 'Datastore usage on disk' on {ds.name} changed from Yellow to Red",
                       "error", datastore_id=ds.id),
        rec.vm_event(t_off, victim, "VmGuestShutdownEvent",
                     f"Guest OS shut down for {victim.name} on {where}", user=user),
        rec.vm_event(t_off + timedelta(seconds=70), victim, "VmPoweredOffEvent",
                     f"{victim.name} on {where} is powered off", user=user),
    ]  # fmt: skip
    victim = _power_off(p, victim)
    swap_kb = victim.memory_mb * 1024
    message = ("Could not power on virtual machine: No space left on device. Failed to extend "
               f"swap file from 0 KB to {swap_kb} KB.")  # fmt: skip
    for attempt in range(2):
        t = t_on + timedelta(minutes=9 * attempt)
        h.extend(rec.power_on_failure(t, victim, "NoDiskSpace", message, user))
        h.append(rec.vmware_log(t + timedelta(seconds=1), victim, "vmx",
                                f"Failed to extend swap file from 0 KB to {swap_kb} KB.", "error"))
        h.append(rec.vmware_log(t + timedelta(seconds=1), victim, "vmx",
                                "Module 'MonitorLoop' power on failed.", "error"))
        h.append(rec.vmware_log(t + timedelta(seconds=2), victim, "vmx",
                                "Power on failure messages: Could not power on virtual machine: "
                                "No space left on device.", "error"))  # fmt: skip
    ids = [
        p.add("snapshot-forgotten", Family.STORAGE, "vm", grower.id, grower.name,
              f"A backup snapshot from 97 days ago was never removed and grew to {snap_gib} GiB.",
              ["snapshot-too-old", "snapshot-too-large", "snapshot-on-low-space-datastore"]),
        p.add("datastore-full", Family.STORAGE, "datastore", ds.id, ds.name,
              "1.5 % free: the forgotten snapshot's growth filled the datastore.",
              ["datastore-free-space", "datastore-full-forecast"]),
        p.add("vm-power-on-no-space", Family.STORAGE, "vm", victim.id, victim.name,
              "Cannot power on: no room for its swap file on the full datastore.", []),
    ]  # fmt: skip
    return IncidentDraft(
        symptom="vm-power-on-failure", object_type="vm", object_id=victim.id,
        object_name=victim.name, time=t_on,
        summary=f"{victim.name} does not power on after patching: {ds.name} is full.",
        chain=[
            _step(Family.STORAGE, f"A backup job left a snapshot on {grower.name} 97 days ago "
                  "and nobody removed it.", "vm", grower.id),
            _step(Family.STORAGE, f"The snapshot's delta disk grew to {snap_gib} GiB and filled "
                  f"{ds.name} to 98.5 %.", "datastore", ds.id),
            _step(Family.STORAGE, f"There is no room left for the {victim.memory_mb // 1024} GiB "
                  "swap file a VM needs to power on.", "datastore", ds.id),
            _step(Family.STORAGE, f"{victim.name} fails to power on (NoDiskSpace).", "vm", victim.id),
        ],
        handles=h,
        metrics=[EvidenceRef(kind="metric", ref=f"{ds.id}|{DS_USED}", time=draft.now,
                             summary=f"{ds.name} used space rising from 83 % to 98.5 % in 14 days")],
        problem_ids=ids,
    )  # fmt: skip


def _snapshot(vm: VM, created: datetime, size_gib: int) -> Snapshot:
    return Snapshot(
        id=f"{vm.id}-snapshot-1",
        name="VEEAM BACKUP TEMPORARY SNAPSHOT",
        created=created,
        size_bytes=size_gib * GIB,
        description="Please do not delete this snapshot. It is being used by Veeam Backup.",
        quiesced=True,
        memory=False,
    )


def incident_thin_overcommit_stun(p: Planter, rep: int) -> IncidentDraft | None:
    """VM powered off: thin disks on an over-promised NFS datastore ran it out of space."""
    draft, rec = p.draft, p.rec
    legacy = draft.clusters_with("legacy")
    if rep >= len(legacy):
        return None
    _, info = legacy[rep]
    ds = next(draft.datastore_by_id[d] for d in info.datastore_ids
              if draft.datastore_by_id[d].type == "NFS")  # fmt: skip
    vms = [v for v in _vms_on_datastore(p, ds.id) if v.id not in draft.taken and v.is_on]
    hog, victim = vms[0], vms[1]
    # The file server got a 6 TiB thin disk "to be safe": the promise, not the use, is huge.
    big = 6 * 1024 * GIB
    written = int(ds.committed_bytes * 0.25)
    disk = Disk(label="Hard disk 3", capacity_bytes=big, datastore_id=ds.id,
                file_name=f"[{ds.name}] {hog.name}/{hog.name}_2.vmdk", thin=True,
                disk_mode="persistent", controller="SCSI controller 0")  # fmt: skip
    draft.replace_vm(hog.id, disks=[*hog.disks, disk],
                     storage_committed_bytes=(hog.storage_committed_bytes or 0) + written,
                     storage_uncommitted_bytes=(hog.storage_uncommitted_bytes or 0) + big - written)  # fmt: skip
    ds.committed_bytes += written
    ds.uncommitted_bytes += big - written
    ds.used_fraction = 0.992
    draft.used_ramps[ds.id] = 0.7
    host = draft.host(victim.host_id or "")
    t = draft.now - timedelta(days=3, hours=4)
    vmdk = victim.disks[-1].file_name or victim.name
    where = f"{victim.name} on {host.name} in {rec.dc_name(victim)}"
    h = [
        rec.host_event(t - timedelta(minutes=25), host, "AlarmStatusChangedEvent",
                       f"Alarm 'Datastore usage on disk' on {ds.name} changed from Yellow to Red",
                       "error", datastore_id=ds.id),
        rec.vmware_log(t, victim, "vmx", f"Msg_Question: [msg.hbacommon.outofspace] There is no "
                       f"more space for virtual disk '{vmdk.split('] ', 1)[-1]}'. You might be able "
                       "to continue this session by freeing disk space on the relevant volume, "
                       "and clicking Retry. Click Cancel to terminate this session.", "error"),
        rec.vm_event(t + timedelta(seconds=2), victim, "VmMessageErrorEvent",
                     f"Message on {where}: There is no more space for virtual disk "
                     f"'{vmdk.split('] ', 1)[-1]}'. You might be able to continue this session by "
                     "freeing disk space on the relevant volume, and clicking Retry.", "error"),
        rec.vmware_log(t + timedelta(minutes=41), victim, "vmx",
                       "Transitioned vmx/execState/val to poweredOff", "info"),
        rec.vm_event(t + timedelta(minutes=41, seconds=3), victim, "VmPoweredOffEvent",
                     f"{where} is powered off", user="DEMO\\mlopez-adm"),
    ]  # fmt: skip
    victim = _power_off(p, victim)
    ids = [
        p.add("datastore-overprovisioned", Family.STORAGE, "datastore", ds.id, ds.name,
              "Thin disks promise well over twice the datastore's capacity.",
              ["datastore-overprovisioned"]),
        p.add("datastore-full-thin", Family.STORAGE, "datastore", ds.id, ds.name,
              "Under 1 % free: the thin disks grew into the last of the space.",
              ["datastore-free-space", "datastore-full-forecast"]),
    ]  # fmt: skip
    return IncidentDraft(
        symptom="vm-crash-or-poweroff", object_type="vm", object_id=victim.id,
        object_name=victim.name, time=t,
        summary=f"{victim.name} froze with an out-of-space question and was powered off.",
        chain=[
            _step(Family.STORAGE, f"{ds.name} was thin-provisioned far beyond its capacity "
                  f"(a 6 TiB thin disk on {hog.name}).", "datastore", ds.id),
            _step(Family.STORAGE, f"The thin disks kept growing until {ds.name} had no free "
                  "space.", "datastore", ds.id),
            _step(Family.STORAGE, f"{victim.name}'s thin disk could not grow: the VM was stunned "
                  "with an out-of-space question (msg.hbacommon.outofspace).", "vm", victim.id),
            _step(Family.STORAGE, f"The question was answered Cancel; {victim.name} powered off.",
                  "vm", victim.id),
        ],
        handles=h, problem_ids=ids,
        metrics=[EvidenceRef(kind="metric", ref=f"{ds.id}|{DS_USED}", time=draft.now,
                             summary=f"{ds.name} used space rising to 99 % in 14 days")],
    )  # fmt: skip


def incident_apd_host(p: Planter) -> IncidentDraft:
    """Host not responding: all paths to a LUN went down and hostd hung on the device."""
    draft, rec = p.draft, p.rec
    host = p.pick_host(("prod",), lambda h: any(not d.is_local for d in h.storage_devices or []))
    devices = list(host.storage_devices or [])
    i = next(k for k, d in enumerate(devices) if not d.is_local and d.paths_dead == 0)
    lun = devices[i]
    ds = draft.datastore_by_id[lun.datastore_id or ""]
    devices[i] = msgspec.structs.replace(lun, paths_active=0, paths_dead=4)
    draft.replace_host(host.id, storage_devices=devices, connection_state="notResponding")
    t = draft.now - timedelta(hours=5, minutes=12)
    naa = lun.canonical_name
    h = [
        rec.vobd(t, host, f"[esx.problem.storage.redundancy.lost] Lost path redundancy to storage "
                 f"device {naa}. Path vmhba2:C0:T0:L4 is down. Affected datastores: {ds.name}.",
                 datastore_id=ds.id),
        rec.host_event(t + timedelta(seconds=1), host, "esx.problem.storage.redundancy.lost",
                       f"Lost path redundancy to storage device {naa}. Path vmhba2:C0:T0:L4 is "
                       f"down. Affected datastores: {ds.name}.", "warning", datastore_id=ds.id),
        rec.vmkernel(t + timedelta(seconds=38), host, f"cpu17:2098412)StorageApdHandler: 1204: APD "
                     f"start for 0x430a5e1c3f40 [{naa}]", "warning", datastore_id=ds.id),
        rec.vobd(t + timedelta(seconds=38), host, f"[esx.problem.storage.apd.start] Device or "
                 f"filesystem with identifier [{naa}] has entered the All Paths Down state.",
                 datastore_id=ds.id),
        rec.host_event(t + timedelta(seconds=39), host, "esx.problem.storage.apd.start",
                       f"Device or filesystem with identifier {naa} has entered the All Paths "
                       "Down state.", "warning", datastore_id=ds.id),
        rec.vmkernel(t + timedelta(seconds=52), host, f"cpu4:2097989)HBX: 3055: '{ds.name}': HB at "
                     "offset 3801088 - Waiting for timed out HB:", "warning", datastore_id=ds.id),
        rec.host_event(t + timedelta(seconds=55), host, "esx.problem.vmfs.heartbeat.timedout",
                       f"Lost access to volume {ds.url.rstrip('/').rsplit('/', 1)[-1]} ({ds.name}) "
                       "due to connectivity issues. Recovery attempt is in progress and outcome "
                       "will be reported shortly.", "warning", datastore_id=ds.id),
        rec.vobd(t + timedelta(seconds=178), host, f"[esx.problem.storage.apd.timeout] Device or "
                 f"filesystem with identifier [{naa}] has entered the All Paths Down Timeout "
                 "state after being in the All Paths Down state for 140 seconds. I/Os will now "
                 "be fast failed.", datastore_id=ds.id),
        rec.hostd(t + timedelta(minutes=4), host, "Task Created : haTask-ha-host-vim.host."
                  "DatastoreSystem.refresh-221873 took 246 seconds; 27 worker threads blocked "
                  f"on I/O to {naa}", "warning", sub="ThreadPool"),
        rec.host_event(t + timedelta(minutes=6), host, "HostNotRespondingEvent",
                       f"Host {host.name} in {rec.dc_name(host)} is not responding", "error"),
        rec.host_event(t + timedelta(minutes=6, seconds=5), host, "AlarmStatusChangedEvent",
                       f"Alarm 'Host connection and power state' on {host.name} changed from "
                       "Green to Red", "error"),
    ]  # fmt: skip
    ids = [
        p.add("apd-on-lun", Family.STORAGE, "host", host.id, host.name,
              f"All paths down to {naa} ({ds.name}) on this host.",
              ["storage-connectivity-lost"]),
        p.add("host-not-responding", Family.CONFIGURATION, "host", host.id, host.name,
              "The host stopped answering vCenter (hostd blocked on the APD device).",
              ["host-not-connected"]),
    ]  # fmt: skip
    return IncidentDraft(
        symptom="host-not-responding", object_type="host", object_id=host.id,
        object_name=host.name, time=t + timedelta(minutes=6),
        summary=f"{host.name} is not responding after all paths to {ds.name}'s LUN went down.",
        chain=[
            _step(Family.STORAGE, f"A fabric zoning change removed every path from {host.name} "
                  f"to {naa}.", "host", host.id),
            _step(Family.STORAGE, f"The device entered All Paths Down; {ds.name} lost its VMFS "
                  "heartbeat on this host.", "datastore", ds.id),
            _step(Family.STORAGE, "hostd worker threads blocked on I/O to the APD device until "
                  "the agent stopped answering.", "host", host.id),
            _step(Family.CONFIGURATION, f"vCenter marks {host.name} not responding.", "host",
                  host.id),
        ],
        handles=h, problem_ids=ids,
    )  # fmt: skip


def incident_psod_failover(p: Planter, rep: int) -> IncidentDraft | None:
    """VM stayed off: a host crashed (driver PSOD) and HA could not restart everything."""
    draft, rec = p.draft, p.rec
    mgmt = draft.clusters_with("mgmt")
    if rep >= len(mgmt):
        return None
    cluster, info = mgmt[rep]
    hosts = [draft.hosts[i] for i in info.host_indexes]
    crashed = next((h for h in hosts if h.id not in draft.taken and h.version == "8.0.3"), None)
    if crashed is None:
        return None
    # HA restarts VMs only where their hardware version can run: the other 8.0 hosts.
    survivors = [h for h in hosts if h.id != crashed.id and h.version == crashed.version]
    on_host = [v for v in p.vms_on(crashed.id) if v.is_on and v.id not in draft.taken]
    if not survivors or len(on_host) < 2:
        return None
    t = draft.now - timedelta(days=6, hours=3, minutes=17)
    draft.replace_host(crashed.id, boot_time=t + timedelta(minutes=19))
    dc = rec.dc_name(crashed)
    h = [
        rec.vmkernel(t, crashed, "cpu21:2098311)@BlueScreen: #PF Exception 14 in world "
                     "2098311:i40en-netq IP 0x420019e3a1b2 addr 0x48", "error",
                     log="vmkernel-zdump.log"),
        rec.vmkernel(t, crashed, "cpu21:2098311)0x451a1c79bd50:[0x420019e3a1b2]"
                     "i40en_clean_rx_irq@(i40en)#<None>+0x3c4 stack: 0x0", "error",
                     log="vmkernel-zdump.log"),
        rec.host_event(t + timedelta(seconds=25), crashed, "HostConnectionLostEvent",
                       f"Host {crashed.name} in {dc} is not responding", "error"),
        rec.host_event(t + timedelta(seconds=40), crashed, "com.vmware.vc.HA.DasHostFailedEvent",
                       f"vSphere HA detected a possible host failure of host {crashed.name} in "
                       f"cluster {cluster.name} in {dc}", "error"),
    ]  # fmt: skip
    victim = on_host[0]
    big = 96 * 1024
    ds = draft.datastore_by_id[victim.datastore_ids[0]]
    ds.committed_bytes += (big - victim.memory_mb) * 1024 * 1024
    victim = draft.replace_vm(victim.id, memory_mb=big, memory_reservation_mb=big)
    for n, vm in enumerate(on_host[1:7]):
        target = survivors[n % len(survivors)]
        draft.replace_vm(vm.id, host_id=target.id, uptime_s=int((draft.now - t).total_seconds()) - 90,
                         boot_time=t + timedelta(seconds=90))  # fmt: skip
        h.append(rec.vm_event(t + timedelta(seconds=80 + n), draft.vm(vm.id),
                              "com.vmware.vc.ha.VmRestartedByHAEvent",
                              f"vSphere HA restarted virtual machine {vm.name} on host "
                              f"{target.name} in cluster {cluster.name} in {dc}", "warning"))  # fmt: skip
    victim = _power_off(p, victim, host_id=survivors[0].id)
    h.append(rec.vm_event(t + timedelta(seconds=95), victim, "VmFailoverFailed",
                          f"vSphere HA virtual machine failover failed for {victim.name} in "
                          f"cluster {cluster.name} in {dc}: insufficient resources to satisfy "
                          f"its {big // 1024} GiB memory reservation", "error"))  # fmt: skip
    ids = [
        p.add("nic-driver-psod", Family.COMPATIBILITY, "host", crashed.id, crashed.name,
              "The i40en NIC driver is older than the one certified for this ESXi build and "
              "crashed the host (PSOD).", ["host-driver-not-certified"]),
        p.add("vm-full-reservation", Family.CONFIGURATION, "vm", victim.id, victim.name,
              f"A {big // 1024} GiB memory reservation that no surviving host could honour "
              "(the VM is off now, so vm-reservation-blocks-failover no longer sees it).", []),
    ]  # fmt: skip
    return IncidentDraft(
        symptom="vm-crash-or-poweroff", object_type="vm", object_id=victim.id,
        object_name=victim.name, time=t,
        summary=f"{crashed.name} crashed; HA restarted its VMs but {victim.name} stayed off.",
        chain=[
            _step(Family.COMPATIBILITY, f"{crashed.name} runs an i40en driver that does not "
                  "match its ESXi build.", "host", crashed.id),
            _step(Family.COMPATIBILITY, f"The driver crashed the host with a purple screen "
                  "(#PF Exception 14 in i40en).", "host", crashed.id),
            _step(Family.CONFIGURATION, f"With admission control off, {cluster.name} kept no "
                  "failover capacity.", "cluster", cluster.id),
            _step(Family.RESOURCES, f"No surviving host could honour {victim.name}'s "
                  f"{big // 1024} GiB reservation; HA failover failed.", "vm", victim.id),
        ],
        handles=h, problem_ids=ids,
    )  # fmt: skip


def incident_session_exhaustion(p: Planter) -> IncidentDraft:
    """vCenter unresponsive: a monitoring script leaked sessions up to the vpxd limit."""
    draft, rec = p.draft, p.rec
    vc = draft.vcenters[0]
    draft.vcenters[0] = msgspec.structs.replace(vc, active_sessions=1994, max_sessions=2000)
    start = draft.now - timedelta(days=3, hours=2)
    h: list[Handle] = []
    t = start
    step = timedelta(minutes=10)
    first = True
    while t < draft.now - timedelta(hours=1):
        handle = rec.vcenter_event(t, vc.id, "UserLoginSessionEvent",
                                   "User DEMO\\svc-monitor@10.10.30.41 logged in as "
                                   "python-requests/2.31 vsphere-automation-sdk", user="DEMO\\svc-monitor")  # fmt: skip
        if first or t + step >= draft.now - timedelta(hours=1):
            h.append(handle)
            first = False
        t += step
    t_full = draft.now - timedelta(hours=7, minutes=40)
    for k, user in enumerate(("DEMO\\jsmith-adm", "DEMO\\svc-backup", "DEMO\\akim-adm")):
        h.append(rec.vpxd(t_full + timedelta(minutes=11 * k), vc.name, vc.id,
                          f"[SessionManager] Rejecting login of {user}: session limit reached "
                          "(2000 active sessions, limit 2000)", "error", sub="SessionManager"))  # fmt: skip
    h.append(rec.vpxd(t_full + timedelta(minutes=40), vc.name, vc.id,
                      "[VpxLRO] -- ERROR lro-3312877 -- SessionManager -- vim.SessionManager.login: "
                      "vim.fault.InvalidLogin: too many sessions", "error"))  # fmt: skip
    ids = [
        p.add("vcenter-session-leak", Family.CONFIGURATION, "vcenter", vc.id, vc.name,
              "A monitoring script logs in every 10 minutes and never logs out: 1,994 of 2,000 "
              "sessions in use.", ["vcenter-session-limit"]),
    ]  # fmt: skip
    return IncidentDraft(
        symptom="management-unresponsive", object_type="vcenter", object_id=vc.id,
        object_name=vc.name, time=t_full,
        summary=f"{vc.name} refuses logins: its sessions are exhausted.",
        chain=[
            _step(Family.CONFIGURATION, "A new version of the monitoring script (DEMO\\svc-monitor)"
                  " opens a session every 10 minutes and never closes it.", "vcenter", vc.id),
            _step(Family.RESOURCES, "Sessions pile up to vpxd's limit of 2,000.", "vcenter", vc.id),
            _step(Family.CONFIGURATION, f"{vc.name} rejects new logins: the vSphere Client and "
                  "API look dead.", "vcenter", vc.id),
        ],
        handles=h, problem_ids=ids,
    )  # fmt: skip


def incident_hw_version_beyond_host(p: Planter, rep: int) -> IncidentDraft | None:
    """VM power-on fails: upgraded to vmx-21, registered on the cluster's last 7.0 host."""
    draft, rec = p.draft, p.rec
    mgmt = draft.clusters_with("mgmt")
    if rep >= len(mgmt):
        return None
    cluster, info = mgmt[rep]
    old = next((draft.hosts[i] for i in info.host_indexes if draft.hosts[i].version == "7.0.3"), None)
    if old is None:
        return None
    vms = [draft.vms[i] for i in info.vm_indexes if draft.vms[i].id not in draft.taken]
    victim = next(v for v in vms if v.host_id != old.id and v.is_on)
    victim = _power_off(p, victim, host_id=old.id)
    victim = draft.replace_vm(victim.id, hw_version="vmx-21")
    t = draft.now - timedelta(hours=30)
    user = "DEMO\\akim-adm"
    h = [
        rec.vm_task(t - timedelta(minutes=20), victim, "UpgradeVM_Task", "VirtualMachine.upgradeVirtualHardware",
                    user=user),
        *rec.power_on_failure(t, victim, "NotSupported",
                              f"The virtual machine version is not compatible with the version of "
                              f"the host '{short(old.name)}'.", user),
        rec.hostd(t + timedelta(seconds=1), old, f"Failed to power on VM {victim.name}: virtual "
                  "hardware version vmx-21 is not supported on this host (maximum vmx-19)",
                  "error", sub="Vmsvc.vm"),
    ]  # fmt: skip
    ids = [
        p.add("hardware-version-beyond-host", Family.COMPATIBILITY, "vm", victim.id, victim.name,
              "vmx-21 VM registered on an ESXi 7.0 U3 host (maximum vmx-19).",
              ["vm-hardware-version-beyond-host"]),
    ]  # fmt: skip
    # Another VM on the old host runs a guest the 7.0 host does not know.
    other = next(v for v in vms if v.host_id == old.id and v.is_on and v.id not in draft.taken)
    draft.replace_vm(other.id, guest_id="windows2022srvNext_64Guest",
                     guest_id_running="windows2022srvNext_64Guest",
                     guest_full_name="Microsoft Windows Server 2025 (64-bit)")  # fmt: skip
    p.add("guest-unknown-to-host", Family.COMPATIBILITY, "vm", other.id, other.name,
          "Windows Server 2025 guest on an ESXi 7.0 host, which does not support it.",
          ["vm-guest-id-unknown-to-host"])  # fmt: skip
    return IncidentDraft(
        symptom="vm-power-on-failure", object_type="vm", object_id=victim.id,
        object_name=victim.name, time=t,
        summary=f"{victim.name} will not power on after a hardware upgrade.",
        chain=[
            _step(Family.COMPATIBILITY, f"{cluster.name} was left half-upgraded: {old.name} "
                  "still runs ESXi 7.0 U3.", "cluster", cluster.id),
            _step(Family.COMPATIBILITY, f"{victim.name} was upgraded to vmx-21, which needs ESXi "
                  "8.0 U2 or later.", "vm", victim.id),
            _step(Family.COMPATIBILITY, f"It is registered on {old.name}, which cannot run "
                  "vmx-21: power-on fails.", "vm", victim.id),
        ],
        handles=h, problem_ids=ids,
    )  # fmt: skip


def incident_pool_reservation(p: Planter, rep: int) -> IncidentDraft | None:
    """VM power-on fails: its resource pool's fixed reservation is used up."""
    draft, rec = p.draft, p.rec
    mgmt = draft.clusters_with("mgmt")
    if rep >= len(mgmt):
        return None
    cluster, info = mgmt[rep]
    pool_id = info.resource_pool_ids[-1]
    index = next(i for i, rp in enumerate(draft.resource_pools) if rp.id == pool_id)
    pool = draft.resource_pools[index]
    draft.resource_pools[index] = msgspec.structs.replace(
        pool, memory_reservation_mb=64 * 1024, expandable_reservation=False
    )
    vms = [draft.vms[i] for i in info.vm_indexes
           if draft.vms[i].id not in draft.taken and draft.vms[i].is_on]  # fmt: skip
    batch = vms[:3]
    for vm in batch:
        draft.replace_vm(vm.id, resource_pool_id=pool_id, memory_mb=24 * 1024,
                         memory_reservation_mb=24 * 1024, folder="Batch")  # fmt: skip
    victim = _power_off(p, draft.vm(batch[2].id))
    t = draft.now - timedelta(hours=16)
    h = list(rec.power_on_failure(
        t, victim, "InsufficientResourcesFault",
        "The available Memory resources in the parent resource pool are insufficient for the "
        "operation.", "DEMO\\svc-batch"))  # fmt: skip
    h.append(rec.vmware_log(t, victim, "vmx", "Admission check failed for memory resource", "error"))
    ids = [
        p.add("resource-pool-reservation-exhausted", Family.CONFIGURATION, "resource_pool",
              pool.id, pool.name, "Fixed 64 GiB memory reservation, expandable reservation off, "
              "fully taken by two running VMs.", ["resource-pool-reservation-exhausted"]),
    ]  # fmt: skip
    return IncidentDraft(
        symptom="vm-power-on-failure", object_type="vm", object_id=victim.id,
        object_name=victim.name, time=t,
        summary=f"{victim.name} cannot start: {pool.name} has no reservation left.",
        chain=[
            _step(Family.CONFIGURATION, f"{pool.name} in {cluster.name} has a fixed 64 GiB memory "
                  "reservation and may not borrow from its parent.", "resource_pool", pool.id),
            _step(Family.CONFIGURATION, "Its VMs reserve all their memory: two running VMs hold "
                  "48 GiB.", "resource_pool", pool.id),
            _step(Family.RESOURCES, f"{victim.name}'s 24 GiB reservation does not fit in the "
                  "16 GiB left: power-on is refused.", "vm", victim.id),
        ],
        handles=h, problem_ids=ids,
    )  # fmt: skip


def incident_iso_library_lost(p: Planter) -> IncidentDraft | None:
    """Datastore lost: the NFS ISO library disappeared after a NAS failover."""
    draft, rec = p.draft, p.rec
    iso: DatastoreDraft | None = next((d for d in draft.datastores if d.name == "nfs-iso-library"), None)
    if iso is None:
        return None
    iso.accessible = False
    t = draft.now - timedelta(days=2, hours=8)
    h: list[Handle] = []
    for host_id in iso.host_ids[:3]:
        host = draft.host(host_id)
        p.add("nfs-mount-lost", Family.STORAGE, "host", host.id, host.name,
              f"Lost its NFS mount of {iso.name}.", ["storage-connectivity-lost"],
              exclusive=False)  # fmt: skip
        h.append(rec.vobd(t, host, "[esx.problem.vmfs.nfs.server.disconnect] Lost connection to "
                          f"server 10.10.40.20 mount point /export/iso mounted as "
                          f"{iso.url.rstrip('/').rsplit('/', 1)[-1]} ({iso.name}).", datastore_id=iso.id))
        h.append(rec.host_event(t + timedelta(seconds=1), host, "esx.problem.vmfs.nfs.server.disconnect",
                                f"Lost connection to server 10.10.40.20 mount point /export/iso "
                                f"mounted as {iso.name}.", "warning", datastore_id=iso.id))  # fmt: skip
    ids = [p.add("datastore-inaccessible", Family.STORAGE, "datastore", iso.id, iso.name,
                 "The NFS ISO library has been unreachable since a NAS controller failover.",
                 ["datastore-inaccessible"])]  # fmt: skip
    for vm in draft.vms:
        if iso.id in vm.datastore_ids and any(r.connected for r in vm.removable_devices or []):
            ids.append(p.add("vm-on-inaccessible-datastore", Family.STORAGE, "vm", vm.id, vm.name,
                             "Its mounted ISO lives on the lost datastore: vMotion and HA fail "
                             "for this VM.", ["vm-on-inaccessible-datastore"]))  # fmt: skip
    return IncidentDraft(
        symptom="datastore-lost", object_type="datastore", object_id=iso.id, object_name=iso.name,
        time=t, summary=f"{iso.name} is inaccessible on every host.",
        chain=[
            _step(Family.STORAGE, "The NAS failed over to its partner controller, which does not "
                  "export /export/iso.", "datastore", iso.id),
            _step(Family.STORAGE, f"Every host lost the NFS mount: {iso.name} is inaccessible.",
                  "datastore", iso.id),
        ],
        handles=h, problem_ids=ids,
    )  # fmt: skip
