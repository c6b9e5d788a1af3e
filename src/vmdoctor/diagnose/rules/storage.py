"""Storage causes: lost datastores, full datastores, snapshot stuns, path and LUN failures."""

from __future__ import annotations

from vmdoctor.diagnose import probes
from vmdoctor.diagnose.kinds import (
    DATASTORE_LOST,
    HOST_NOT_RESPONDING,
    MANAGEMENT_UNRESPONSIVE,
    VM_DOWN,
    VM_POWER_ON_FAILED,
    VM_STUNNED,
)
from vmdoctor.diagnose.signals import CauseRule, event, log, rule, task
from vmdoctor.model import Family

_VMX = ("vmware",)
_ESX = ("vmkernel", "vobd", "vmkwarning", "hostd")

STORAGE_RULES: tuple[CauseRule, ...] = (
    rule(
        "datastore-connectivity-lost",
        Family.STORAGE,
        "The datastore became unreachable (All Paths Down, device loss or NFS disconnect)",
        symptoms=(VM_DOWN, VM_STUNNED, HOST_NOT_RESPONDING, MANAGEMENT_UNRESPONSIVE),
        relations=("self", "datastore", "host"),
        signals=(
            event("esx.problem.storage.apd.start", weight=0.8),
            event("esx.problem.storage.apd.timeout", weight=0.85),
            event("esx.problem.scsi.device.state.permanentloss", weight=0.85),
            event("esx.problem.vmfs.nfs.server.disconnect", weight=0.8),
            event("esx.problem.vmfs.heartbeat.timedout", weight=0.7),
            event("esx.problem.storage.connectivity.lost", weight=0.75),
            log(r"StorageApdHandler: \d+: APD start for", "vmkernel", weight=0.8),
            log(r"has entered the All Paths Down( Timeout)? state", *_ESX, weight=0.8),
            log(r"has been removed or is permanently inaccessible", *_ESX, weight=0.8),
            log(r"Lost access to volume", *_ESX, weight=0.7),
            log(r"NFS: \d+: Lost connection to (the )?server", "vmkernel", weight=0.75),
            log(r"Lost previously held lock|msg\.hbacommon\.locklost", *_VMX, weight=0.7),
        ),
        probes=(probes.datastore_inaccessible, probes.dead_paths),
        remediation="Restore the storage path (array, fabric, network) and let the datastore "
        "exit APD; restart the affected VMs once the datastore is back; reboot a host left "
        "with hung agents.",
        prevention="Redundant paths on separate fabrics, APD/PDL responses set in vSphere HA "
        "(VMCP), and alerts on path redundancy loss.",
    ),
    rule(
        "storage-path-failure",
        Family.STORAGE,
        "Every path to the storage device failed (array, fabric or target)",
        symptoms=(DATASTORE_LOST,),
        relations=("self", "host"),
        signals=(
            event("esx.problem.storage.connectivity.lost", weight=0.8),
            event("esx.problem.storage.redundancy.lost", weight=0.5),
            log(r"Lost connectivity to storage device", "vobd", "vmkernel", weight=0.8),
            log(r"scsipath\.pathstate\.dead|changed state from on", "vobd", weight=0.7),
            log(r"NMP Device \S+ is blocked\. Not starting I/O", "vmkernel", weight=0.6),
            log(r"failed H:0x(5|8|b|c|1) ", "vmkernel", weight=0.6),
            log(r'iSCSI connection is being marked "OFFLINE"', "vmkernel", weight=0.7),
            log(r"HB at offset \d+ - Waiting for timed out HB", "vmkernel", weight=0.45),
            log(r"StorageApdHandler: \d+: APD start for", "vmkernel", weight=0.45),
            event("esx.problem.storage.apd.start", weight=0.45),
        ),
        probes=(probes.dead_paths,),
        remediation="Check the array and the fabric (switch ports, zoning, target ports) for "
        "the failed paths; rescan once they are back.",
        prevention="At least two paths through separate fabrics per device, and alerts on "
        "esx.problem.storage.redundancy.degraded before the last path goes.",
    ),
    rule(
        "lun-permanent-device-loss",
        Family.STORAGE,
        "The LUN was removed or unmapped on the array (Permanent Device Loss)",
        symptoms=(DATASTORE_LOST,),
        relations=("self", "host"),
        signals=(
            event("esx.problem.scsi.device.state.permanentloss", weight=0.95),
            log(r"has been removed or is permanently inaccessible", *_ESX, weight=0.9),
            log(r"Valid sense data: 0x5 0x25 0x0", "vmkernel", weight=0.85),
            log(r"state\.permanentloss", "vobd", weight=0.9),
        ),
        remediation="Find out who unmapped or deleted the LUN on the array; present it again "
        "or, if intended, unmount and detach the device cleanly on every host.",
        prevention="Unmount and detach datastores in vSphere before removing LUNs on the array.",
    ),
    rule(
        "nfs-server-unreachable",
        Family.STORAGE,
        "The NFS server stopped answering the host",
        symptoms=(DATASTORE_LOST,),
        relations=("self", "host"),
        signals=(
            event("esx.problem.vmfs.nfs.server.disconnect", weight=0.85),
            log(r"NFS: \d+: Lost connection to (the )?server", "vmkernel", weight=0.85),
            log(r"RPC error 13 \(RPC was aborted due to timeout\)", "vmkernel", weight=0.75),
            log(r"NFS41?: \d+: .*(timed out|not responding|APD)", "vmkernel", weight=0.6),
        ),
        remediation="Check the NFS server and the storage network path (VMkernel port, VLAN, "
        "routing); the datastore reconnects by itself when the server answers.",
        prevention="Keep NFS traffic on a dedicated, non-routed VLAN with redundant uplinks.",
    ),
    rule(
        "iscsi-authentication-failure",
        Family.CONFIGURATION,
        "The iSCSI target refused the host's login (CHAP or initiator settings)",
        symptoms=(DATASTORE_LOST,),
        relations=("self", "host"),
        explains=("storage-path-failure",),
        signals=(
            log(r"Login authentication failed with target", "vmkernel", "vobd", weight=0.9),
            log(
                r"iscsid: .*[Ll]ogin (failed|rejected)", "iscsid", "vmkernel", "syslog", weight=0.7
            ),
        ),
        remediation="Make the CHAP secrets and initiator names match on host and target, then "
        "rescan the adapter.",
        prevention="Change CHAP secrets on host and array in one change window; test one host "
        "first.",
    ),
    rule(
        "vmfs-metadata-corruption",
        Family.STORAGE,
        "VMFS metadata on the datastore is corrupt",
        symptoms=(DATASTORE_LOST, VM_DOWN, VM_POWER_ON_FAILED),
        relations=("self", "datastore", "host"),
        signals=(
            event("esx.problem.vmfs.heartbeat.corruptondisk", weight=0.9),
            event("esx.problem.vmfs.lock.corruptondisk", weight=0.9),
            event("esx.problem.vmfs.resource.corruptondisk", weight=0.9),
            log(r"(heartbeat|lock|resource)\.corruptondisk", "vobd", weight=0.9),
            log(r"[Cc]orrupt(ion)? (detected|on disk)", "vmkernel", weight=0.6),
        ),
        remediation="Stop writing to the datastore, open a support case and check it with "
        "VOMA; move readable VMs elsewhere.",
        prevention="Keep array firmware current and never present one LUN to two unrelated "
        "clusters.",
    ),
    rule(
        "datastore-full",
        Family.STORAGE,
        "The datastore ran out of space, so the VM's disk writes stopped",
        symptoms=(VM_STUNNED, VM_DOWN),
        relations=("self", "datastore"),
        signals=(
            log(r"msg\.hbacommon\.outofspace", *_VMX, "hostd", weight=0.95),
            log(
                r"There is no more space for virtual disk",
                *_VMX,
                "hostd",
                weight=0.95,
                messages=True,
            ),
            log(
                r"There is no more space for the redo log of",
                *_VMX,
                "hostd",
                weight=0.95,
                messages=True,
            ),
            event(
                "VmMessageEvent",
                "VmMessageErrorEvent",
                "VmMessageWarningEvent",
                text=r"no more space",
                weight=0.85,
            ),
            event("AlarmStatusChangedEvent", text=r"[Dd]atastore usage", weight=0.45),
            log(r"No space left on device", "vmkernel", "hostd", weight=0.45),
        ),
        probes=(probes.datastore_nearly_full,),
        remediation="Free space on the datastore (delete or consolidate old snapshots, move a "
        "VM away, grow the LUN), then answer the VM's question with Retry.",
        prevention="Alert on datastore free space and on snapshot age; limit thin-provisioning "
        "overcommit per datastore.",
    ),
    rule(
        "snapshot-consolidation-stun",
        Family.STORAGE,
        "A snapshot removal or consolidation stunned the VM",
        symptoms=(VM_STUNNED, VM_DOWN),
        relations=("self",),
        signals=(
            log(r"Checkpoint_Unstun: vm stopped for \d{7,} us", *_VMX, weight=0.45),
            log(r"SnapshotVMXConsolidate|Consolidate(Disk|Online)", *_VMX, weight=0.6),
            task(
                "RemoveSnapshot_Task",
                "RemoveAllSnapshots_Task",
                "ConsolidateVMDisks_Task",
                weight=0.55,
            ),
            event("com.vmware.vc.VmDiskConsolidatedEvent", weight=0.5),
        ),
        probes=(probes.vm_snapshot_chain,),
        remediation="Let the consolidation finish; remove the remaining snapshots at a quiet "
        "hour, one at a time.",
        prevention="Keep snapshots for days, not weeks; check backups delete theirs.",
    ),
    rule(
        "storage-latency",
        Family.STORAGE,
        "Storage latency rose sharply on the VM's device",
        symptoms=(VM_STUNNED, VM_DOWN, HOST_NOT_RESPONDING),
        relations=("self", "datastore", "host"),
        signals=(
            event("esx.problem.scsi.device.io.latency.high", weight=0.65),
            log(
                r"performance has deteriorated\. I/O latency increased",
                "vmkernel",
                "vmkwarning",
                "vobd",
                weight=0.65,
            ),
        ),
        remediation="Find the busy workload on the device (esxtop DAVG/KAVG per device) and "
        "move or throttle it; check the array for a failed controller or rebuild.",
        prevention="Place busy VMs across datastores; watch device latency, not only capacity.",
    ),
)
