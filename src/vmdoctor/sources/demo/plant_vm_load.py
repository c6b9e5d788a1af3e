"""VM flaws of placement and load: local disks, too wide or big VMs, a saturated host."""

from __future__ import annotations

import msgspec

from vmdoctor.model import Disk, Family, Host
from vmdoctor.sources.demo.metrics import SAMPLES, VM_BALLOON, VM_COSTOP, VM_READY, VM_SWAPPED, ramp
from vmdoctor.sources.demo.planter import Planter

INTERVAL_MS = 7200 * 1000


def plant_mgmt_placement(p: Planter, rep: int) -> None:
    """Local datastore, too wide, too big: once on a mgmt cluster per lab repetition."""
    draft = p.draft
    mgmt = draft.clusters_with("mgmt")
    for _cluster, info in mgmt[rep % len(mgmt) :] + mgmt[: rep % len(mgmt)]:
        local = next((d for d in draft.datastores if d.local and d.cluster_id == _cluster.id), None)
        if local is None:
            continue
        host_id = local.host_ids[0]
        candidates = [draft.vms[i] for i in info.vm_indexes if draft.vms[i].host_id == host_id]
        for vm in candidates[:2]:
            if vm.id in draft.taken:
                continue
            old = draft.datastore_by_id[vm.datastore_ids[0]]
            disks = [_moved(d, local.id, local.name, old.name) for d in vm.disks]
            moved = vm.storage_committed_bytes or 0
            old.committed_bytes -= moved
            old.uncommitted_bytes -= vm.storage_uncommitted_bytes or 0
            local.committed_bytes += moved
            local.uncommitted_bytes += vm.storage_uncommitted_bytes or 0
            draft.replace_vm(
                vm.id,
                disks=disks,
                datastore_ids=[local.id],
                vmx_path=(vm.vmx_path or "").replace(f"[{old.name}]", f"[{local.name}]"),
            )
            p.flag(
                vm,
                "vm-on-local-datastore",
                Family.STORAGE,
                "Deployed on the host's local disk: HA cannot restart it if the host fails.",
                ["vm-on-local-datastore-in-ha-cluster"],
            )
        host = draft.host(host_id)
        too_wide = next(
            (
                draft.vms[i]
                for i in info.vm_indexes
                if draft.vms[i].id not in draft.taken
                and not draft.vms[i].is_on
                and draft.vms[i].host_id != host_id
            ),
            None,
        )
        if too_wide is None:
            continue
        vm = too_wide
        cores = host.cpu_cores or 48
        draft.replace_vm(vm.id, num_cpu=cores + 16, cores_per_socket=(cores + 16) // 2)
        p.flag(
            vm,
            "vm-wider-than-host",
            Family.RESOURCES,
            f"{cores + 16} vCPUs requested for a batch job: more than the {cores} cores of any "
            "host in the cluster, so it can never power on.",
            ["vm-wider-than-host", "vm-wider-than-numa-node", "vm-cpu-topology"],
        )
        big = next(
            (
                draft.vms[i]
                for i in info.vm_indexes
                if draft.vms[i].id not in draft.taken and not draft.vms[i].is_on
            ),
            None,
        )
        if big is None:
            continue
        vm = big
        memory = (host.memory_mb or 524288) + 128 * 1024
        draft.replace_vm(vm.id, memory_mb=memory)
        p.flag(
            vm,
            "vm-memory-exceeds-host",
            Family.CONFIGURATION,
            f"Configured with {memory // 1024} GiB, more than any host of the cluster has.",
            ["vm-memory-exceeds-host", "vm-wider-than-numa-node"],
        )
        break  # once per lab repetition is enough


def plant_busy_host(p: Planter) -> None:
    """A busy host with ready, co-stop, ballooning and swapping."""
    draft = p.draft

    def busy_candidate(h: Host) -> bool:
        return (
            h.id not in p.load
            and sum(1 for v in p.vms_on(h.id) if v.is_on and v.id not in draft.taken) >= 4
        )

    host = p.pick_host(("prod",), busy_candidate)
    p.load[host.id] = (93.0, 96.0)
    p.flag(
        host,
        "host-cpu-saturated",
        Family.RESOURCES,
        "DRS could not balance a CPU-heavy batch window: the host runs at ~93 % CPU.",
        ["host-cpu-usage"],
    )
    p.flag(
        host,
        "host-memory-saturated",
        Family.RESOURCES,
        "Memory consumed at 96 %: the host reclaims memory by ballooning and swapping.",
        ["host-memory-usage"],
    )
    on_host = [v for v in p.vms_on(host.id) if v.is_on and v.id not in draft.taken]
    ready_vm, costop_vm, balloon_vm, swap_vm = on_host[:4]
    shape = [1.0] * SAMPLES
    p.overrides[(ready_vm.id, VM_READY)] = [
        0.14 * INTERVAL_MS * ready_vm.num_cpu * (0.6 + 0.4 * (i / SAMPLES)) for i in range(SAMPLES)
    ]
    p.flag(
        ready_vm,
        "vm-cpu-ready-high",
        Family.RESOURCES,
        "CPU ready around 14 % per vCPU on the saturated host.",
        ["vm-cpu-ready"],
    )
    wide = 16
    draft.replace_vm(costop_vm.id, num_cpu=wide, cores_per_socket=8)
    costop_vm = draft.vm(costop_vm.id)
    p.overrides[(costop_vm.id, VM_COSTOP)] = [0.07 * INTERVAL_MS * wide * s for s in shape]
    p.overrides[(costop_vm.id, VM_READY)] = [0.04 * INTERVAL_MS * wide * s for s in shape]
    p.flag(
        costop_vm,
        "vm-cpu-costop-high",
        Family.RESOURCES,
        "Sized up to 16 vCPUs 'for performance': co-stop near 7 % per vCPU.",
        ["vm-cpu-costop"],
    )
    balloon_kb = balloon_vm.memory_mb * 1024 * 0.3
    p.overrides[(balloon_vm.id, VM_BALLOON)] = ramp(0.0, balloon_kb, SAMPLES // 2)
    draft.replace_vm(balloon_vm.id, ballooned_memory_mb=int(balloon_kb / 1024))
    p.flag(
        balloon_vm,
        "vm-ballooning",
        Family.RESOURCES,
        "The balloon driver holds 30 % of the VM's memory since the host ran short.",
        ["vm-memory-ballooning"],
    )
    swap_kb = 2.5 * 1024 * 1024
    p.overrides[(swap_vm.id, VM_SWAPPED)] = ramp(0.0, swap_kb, SAMPLES // 2)
    draft.replace_vm(swap_vm.id, swapped_memory_mb=int(swap_kb / 1024))
    p.flag(
        swap_vm,
        "vm-swapping",
        Family.RESOURCES,
        "2.5 GiB of the VM's memory is swapped to disk by the host.",
        ["vm-memory-swapping"],
    )


def _moved(disk: Disk, ds_id: str, ds_name: str, old_name: str) -> Disk:
    return msgspec.structs.replace(
        disk,
        datastore_id=ds_id,
        file_name=(disk.file_name or "").replace(f"[{old_name}]", f"[{ds_name}]"),
    )
