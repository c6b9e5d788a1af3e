"""Storage incidents of space: a datastore filled by a snapshot or by thin disks.

Each ``incident_*`` function changes the inventory so the end state is consistent (the host
is not responding, the VM is off, the datastore is full), writes the timeline records an
administrator would find, and returns an :class:`IncidentDraft` naming those records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from vmdoctor.model import VM, Disk, Family, Snapshot
from vmdoctor.sources.demo.draft import GIB
from vmdoctor.sources.demo.events import Handle
from vmdoctor.sources.demo.incident_base import IncidentDraft, power_off, step, vms_on_datastore
from vmdoctor.sources.demo.metrics import DS_USED
from vmdoctor.sources.demo.planter import Planter
from vmdoctor.sources.demo.truth import EvidenceRef


def incident_snapshot_fills_datastore(p: Planter) -> IncidentDraft | None:
    """VM power-on fails: a forgotten backup snapshot grew until the datastore was full."""
    draft, rec = p.draft, p.rec
    ds = next(
        (
            d
            for d in draft.shuffled_datastores()
            if d.type == "VMFS"
            and not d.local
            and d.id not in draft.taken
            and draft.cluster_of(d.cluster_id)[1].profile == "prod"
        ),
        None,
    )
    if ds is None:
        return None
    vms = [v for v in vms_on_datastore(p, ds.id) if v.id not in draft.taken]
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
        rec.host_event(
            draft.now - timedelta(days=6),
            host,
            "AlarmStatusChangedEvent",
            f"Alarm 'Datastore usage on disk' on {ds.name} changed from Green to Yellow",
            "warning",
            datastore_id=ds.id,
        ),
        rec.host_event(
            draft.now - timedelta(days=1, hours=10),
            host,
            "AlarmStatusChangedEvent",
            f"Alarm 'Datastore usage on disk' on {ds.name} changed from Yellow to Red",
            "error",
            datastore_id=ds.id,
        ),
        rec.vm_event(
            t_off,
            victim,
            "VmGuestShutdownEvent",
            f"Guest OS shut down for {victim.name} on {where}",
            user=user,
        ),
        rec.vm_event(
            t_off + timedelta(seconds=70),
            victim,
            "VmPoweredOffEvent",
            f"{victim.name} on {where} is powered off",
            user=user,
        ),
    ]
    victim = power_off(p, victim)
    swap_kb = victim.memory_mb * 1024
    message = (
        "Could not power on virtual machine: No space left on device. Failed to extend "
        f"swap file from 0 KB to {swap_kb} KB."
    )
    vmx_lines = (
        (1, f"Failed to extend swap file from 0 KB to {swap_kb} KB."),
        (1, "Module 'MonitorLoop' power on failed."),
        (
            2,
            "Power on failure messages: Could not power on virtual machine: "
            "No space left on device.",
        ),
    )
    for attempt in range(2):
        t = t_on + timedelta(minutes=9 * attempt)
        h.extend(rec.power_on_failure(t, victim, "NoDiskSpace", message, user))
        h.extend(
            rec.vmware_log(t + timedelta(seconds=after), victim, "vmx", text, "error")
            for after, text in vmx_lines
        )
    ids = [
        p.flag(
            grower,
            "snapshot-forgotten",
            Family.STORAGE,
            f"A backup snapshot from 97 days ago was never removed and grew to {snap_gib} GiB.",
            ["snapshot-too-old", "snapshot-too-large", "snapshot-on-low-space-datastore"],
        ),
        p.flag(
            ds,
            "datastore-full",
            Family.STORAGE,
            "1.5 % free: the forgotten snapshot's growth filled the datastore.",
            ["datastore-free-space", "datastore-full-forecast"],
        ),
        p.flag(
            victim,
            "vm-power-on-no-space",
            Family.STORAGE,
            "Cannot power on: no room for its swap file on the full datastore.",
            [],
        ),
    ]
    return IncidentDraft.about(
        victim,
        symptom="vm-power-on-failed",
        time=t_on,
        summary=f"{victim.name} does not power on after patching: {ds.name} is full.",
        chain=[
            step(
                Family.STORAGE,
                f"A backup job left a snapshot on {grower.name} 97 days ago and nobody removed it.",
                "vm",
                grower.id,
            ),
            step(
                Family.STORAGE,
                f"The snapshot's delta disk grew to {snap_gib} GiB and filled {ds.name} to 98.5 %.",
                "datastore",
                ds.id,
            ),
            step(
                Family.STORAGE,
                f"There is no room left for the {victim.memory_mb // 1024} GiB "
                "swap file a VM needs to power on.",
                "datastore",
                ds.id,
            ),
            step(
                Family.STORAGE, f"{victim.name} fails to power on (NoDiskSpace).", "vm", victim.id
            ),
        ],
        handles=h,
        metrics=[
            EvidenceRef(
                kind="metric",
                ref=f"{ds.id}|{DS_USED}",
                time=draft.now,
                summary=f"{ds.name} used space rising from 83 % to 98.5 % in 14 days",
            )
        ],
        problem_ids=ids,
    )


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
    ds = next(
        draft.datastore_by_id[d]
        for d in info.datastore_ids
        if draft.datastore_by_id[d].type == "NFS"
    )
    vms = [v for v in vms_on_datastore(p, ds.id) if v.id not in draft.taken and v.is_on]
    hog, victim = vms[0], vms[1]
    # The file server got a 6 TiB thin disk "to be safe": the promise, not the use, is huge.
    big = 6 * 1024 * GIB
    written = int(ds.committed_bytes * 0.25)
    disk = Disk(
        label="Hard disk 3",
        capacity_bytes=big,
        datastore_id=ds.id,
        file_name=f"[{ds.name}] {hog.name}/{hog.name}_2.vmdk",
        thin=True,
        disk_mode="persistent",
        controller="SCSI controller 0",
    )
    draft.replace_vm(
        hog.id,
        disks=[*hog.disks, disk],
        storage_committed_bytes=(hog.storage_committed_bytes or 0) + written,
        storage_uncommitted_bytes=(hog.storage_uncommitted_bytes or 0) + big - written,
    )
    ds.committed_bytes += written
    ds.uncommitted_bytes += big - written
    ds.used_fraction = 0.992
    draft.used_ramps[ds.id] = 0.7
    host = draft.host(victim.host_id or "")
    t = draft.now - timedelta(days=3, hours=4)
    vmdk = victim.disks[-1].file_name or victim.name
    where = f"{victim.name} on {host.name} in {rec.dc_name(victim)}"
    h = [
        rec.host_event(
            t - timedelta(minutes=25),
            host,
            "AlarmStatusChangedEvent",
            f"Alarm 'Datastore usage on disk' on {ds.name} changed from Yellow to Red",
            "error",
            datastore_id=ds.id,
        ),
        rec.vmware_log(
            t,
            victim,
            "vmx",
            f"Msg_Question: [msg.hbacommon.outofspace] There is no "
            f"more space for virtual disk '{vmdk.split('] ', 1)[-1]}'. You might be able "
            "to continue this session by freeing disk space on the relevant volume, "
            "and clicking Retry. Click Cancel to terminate this session.",
            "error",
        ),
        rec.vm_event(
            t + timedelta(seconds=2),
            victim,
            "VmMessageErrorEvent",
            f"Message on {where}: There is no more space for virtual disk "
            f"'{vmdk.split('] ', 1)[-1]}'. You might be able to continue this session by "
            "freeing disk space on the relevant volume, and clicking Retry.",
            "error",
        ),
        rec.vmware_log(
            t + timedelta(minutes=41),
            victim,
            "vmx",
            "Transitioned vmx/execState/val to poweredOff",
            "info",
        ),
        rec.vm_event(
            t + timedelta(minutes=41, seconds=3),
            victim,
            "VmPoweredOffEvent",
            f"{where} is powered off",
            user="DEMO\\mlopez-adm",
        ),
    ]
    victim = power_off(p, victim)
    ids = [
        p.flag(
            ds,
            "datastore-overprovisioned",
            Family.STORAGE,
            "Thin disks promise well over twice the datastore's capacity.",
            ["datastore-overprovisioned"],
        ),
        p.flag(
            ds,
            "datastore-full-thin",
            Family.STORAGE,
            "Under 1 % free: the thin disks grew into the last of the space.",
            ["datastore-free-space", "datastore-full-forecast"],
        ),
    ]
    return IncidentDraft.about(
        victim,
        symptom="vm-down",
        time=t,
        summary=f"{victim.name} froze with an out-of-space question and was powered off.",
        chain=[
            step(
                Family.STORAGE,
                f"{ds.name} was thin-provisioned far beyond its capacity "
                f"(a 6 TiB thin disk on {hog.name}).",
                "datastore",
                ds.id,
            ),
            step(
                Family.STORAGE,
                f"The thin disks kept growing until {ds.name} had no free space.",
                "datastore",
                ds.id,
            ),
            step(
                Family.STORAGE,
                f"{victim.name}'s thin disk could not grow: the VM was stunned "
                "with an out-of-space question (msg.hbacommon.outofspace).",
                "vm",
                victim.id,
            ),
            step(
                Family.STORAGE,
                f"The question was answered Cancel; {victim.name} powered off.",
                "vm",
                victim.id,
            ),
        ],
        handles=h,
        problem_ids=ids,
        metrics=[
            EvidenceRef(
                kind="metric",
                ref=f"{ds.id}|{DS_USED}",
                time=draft.now,
                summary=f"{ds.name} used space rising to 99 % in 14 days",
            )
        ],
    )
