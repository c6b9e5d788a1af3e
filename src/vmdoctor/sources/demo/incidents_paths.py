"""Storage incidents of connectivity: all paths down to a LUN, an NFS export lost.

Each ``incident_*`` function changes the inventory so the end state is consistent (the host
is not responding, the VM is off, the datastore is full), writes the timeline records an
administrator would find, and returns an :class:`IncidentDraft` naming those records.
"""

from __future__ import annotations

from datetime import timedelta

import msgspec

from vmdoctor.model import Family
from vmdoctor.sources.demo.draft import DatastoreDraft
from vmdoctor.sources.demo.events import Handle
from vmdoctor.sources.demo.incident_base import IncidentDraft, step
from vmdoctor.sources.demo.planter import Planter


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
        rec.vobd(
            t,
            host,
            f"[esx.problem.storage.redundancy.lost] Lost path redundancy to storage "
            f"device {naa}. Path vmhba2:C0:T0:L4 is down. Affected datastores: {ds.name}.",
            datastore_id=ds.id,
        ),
        rec.host_event(
            t + timedelta(seconds=1),
            host,
            "esx.problem.storage.redundancy.lost",
            f"Lost path redundancy to storage device {naa}. Path vmhba2:C0:T0:L4 is "
            f"down. Affected datastores: {ds.name}.",
            "warning",
            datastore_id=ds.id,
        ),
        rec.vmkernel(
            t + timedelta(seconds=38),
            host,
            f"cpu17:2098412)StorageApdHandler: 1204: APD start for 0x430a5e1c3f40 [{naa}]",
            "warning",
            datastore_id=ds.id,
        ),
        rec.vobd(
            t + timedelta(seconds=38),
            host,
            f"[esx.problem.storage.apd.start] Device or "
            f"filesystem with identifier [{naa}] has entered the All Paths Down state.",
            datastore_id=ds.id,
        ),
        rec.host_event(
            t + timedelta(seconds=39),
            host,
            "esx.problem.storage.apd.start",
            f"Device or filesystem with identifier {naa} has entered the All Paths Down state.",
            "warning",
            datastore_id=ds.id,
        ),
        rec.vmkernel(
            t + timedelta(seconds=52),
            host,
            f"cpu4:2097989)HBX: 3055: '{ds.name}': HB at "
            "offset 3801088 - Waiting for timed out HB:",
            "warning",
            datastore_id=ds.id,
        ),
        rec.host_event(
            t + timedelta(seconds=55),
            host,
            "esx.problem.vmfs.heartbeat.timedout",
            f"Lost access to volume {ds.url.rstrip('/').rsplit('/', 1)[-1]} ({ds.name}) "
            "due to connectivity issues. Recovery attempt is in progress and outcome "
            "will be reported shortly.",
            "warning",
            datastore_id=ds.id,
        ),
        rec.vobd(
            t + timedelta(seconds=178),
            host,
            f"[esx.problem.storage.apd.timeout] Device or "
            f"filesystem with identifier [{naa}] has entered the All Paths Down Timeout "
            "state after being in the All Paths Down state for 140 seconds. I/Os will now "
            "be fast failed.",
            datastore_id=ds.id,
        ),
        rec.hostd(
            t + timedelta(minutes=4),
            host,
            "Task Created : haTask-ha-host-vim.host."
            "DatastoreSystem.refresh-221873 took 246 seconds; 27 worker threads blocked "
            f"on I/O to {naa}",
            "warning",
            sub="ThreadPool",
        ),
        rec.host_event(
            t + timedelta(minutes=6),
            host,
            "HostNotRespondingEvent",
            f"Host {host.name} in {rec.dc_name(host)} is not responding",
            "error",
        ),
        rec.host_event(
            t + timedelta(minutes=6, seconds=5),
            host,
            "AlarmStatusChangedEvent",
            f"Alarm 'Host connection and power state' on {host.name} changed from Green to Red",
            "error",
        ),
    ]
    ids = [
        p.flag(
            host,
            "apd-on-lun",
            Family.STORAGE,
            f"All paths down to {naa} ({ds.name}) on this host.",
            ["storage-connectivity-lost"],
        ),
        p.flag(
            host,
            "host-not-responding",
            Family.CONFIGURATION,
            "The host stopped answering vCenter (hostd blocked on the APD device).",
            ["host-not-connected"],
        ),
    ]
    return IncidentDraft.about(
        host,
        symptom="host-not-responding",
        time=t + timedelta(minutes=6),
        summary=f"{host.name} is not responding after all paths to {ds.name}'s LUN went down.",
        chain=[
            step(
                Family.STORAGE,
                f"A fabric zoning change removed every path from {host.name} to {naa}.",
                "host",
                host.id,
            ),
            step(
                Family.STORAGE,
                f"The device entered All Paths Down; {ds.name} lost its VMFS "
                "heartbeat on this host.",
                "datastore",
                ds.id,
            ),
            step(
                Family.STORAGE,
                "hostd worker threads blocked on I/O to the APD device until "
                "the agent stopped answering.",
                "host",
                host.id,
            ),
            step(
                Family.CONFIGURATION, f"vCenter marks {host.name} not responding.", "host", host.id
            ),
        ],
        handles=h,
        problem_ids=ids,
    )


def incident_iso_library_lost(p: Planter) -> IncidentDraft | None:
    """Datastore lost: the NFS ISO library disappeared after a NAS failover."""
    draft, rec = p.draft, p.rec
    iso: DatastoreDraft | None = next(
        (d for d in draft.datastores if d.name == "nfs-iso-library"), None
    )
    if iso is None:
        return None
    iso.accessible = False
    t = draft.now - timedelta(days=2, hours=8)
    h: list[Handle] = []
    for host_id in iso.host_ids[:3]:
        host = draft.host(host_id)
        p.flag(
            host,
            "nfs-mount-lost",
            Family.STORAGE,
            f"Lost its NFS mount of {iso.name}.",
            ["storage-connectivity-lost"],
            exclusive=False,
        )
        h.append(
            rec.vobd(
                t,
                host,
                "[esx.problem.vmfs.nfs.server.disconnect] Lost connection to "
                f"server 10.10.40.20 mount point /export/iso mounted as "
                f"{iso.url.rstrip('/').rsplit('/', 1)[-1]} ({iso.name}).",
                datastore_id=iso.id,
            )
        )
        h.append(
            rec.host_event(
                t + timedelta(seconds=1),
                host,
                "esx.problem.vmfs.nfs.server.disconnect",
                f"Lost connection to server 10.10.40.20 mount point /export/iso "
                f"mounted as {iso.name}.",
                "warning",
                datastore_id=iso.id,
            )
        )
    ids = [
        p.flag(
            iso,
            "datastore-inaccessible",
            Family.STORAGE,
            "The NFS ISO library has been unreachable since a NAS controller failover.",
            ["datastore-inaccessible"],
        )
    ]
    for vm in draft.vms:
        if iso.id in vm.datastore_ids and any(r.connected for r in vm.removable_devices or []):
            ids.append(
                p.flag(
                    vm,
                    "vm-on-inaccessible-datastore",
                    Family.STORAGE,
                    "Its mounted ISO lives on the lost datastore: vMotion and HA fail for this VM.",
                    ["vm-on-inaccessible-datastore"],
                )
            )
    return IncidentDraft.about(
        iso,
        symptom="datastore-lost",
        time=t,
        summary=f"{iso.name} is inaccessible on every host.",
        chain=[
            step(
                Family.STORAGE,
                "The NAS failed over to its partner controller, which does not export /export/iso.",
                "datastore",
                iso.id,
            ),
            step(
                Family.STORAGE,
                f"Every host lost the NFS mount: {iso.name} is inaccessible.",
                "datastore",
                iso.id,
            ),
        ],
        handles=h,
        problem_ids=ids,
    )
