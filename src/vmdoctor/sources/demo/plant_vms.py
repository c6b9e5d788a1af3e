"""Flaws on single VMs: snapshots, backups, Tools, hardware, devices, limits, contention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec

from vmdoctor.model import NIC, VM, Disk, Family, Host, RemovableDevice, Snapshot
from vmdoctor.sources.demo.catalog import GUESTS, TOOLS_OLD
from vmdoctor.sources.demo.draft import GIB
from vmdoctor.sources.demo.metrics import SAMPLES, VM_BALLOON, VM_COSTOP, VM_READY, VM_SWAPPED, ramp
from vmdoctor.sources.demo.planter import Planter

MODERN = ("prod", "vsan", "mgmt")
ANY = ("prod", "vsan", "mgmt", "legacy")
INTERVAL_MS = 7200 * 1000


def plant_vm_problems(p: Planter, rep: int) -> None:
    draft = p.draft
    now = draft.now

    def chain(vm: VM, count: int, first_days: float, size_gib: int, name: str) -> list[Snapshot]:
        out: list[Snapshot] = []
        for i in range(count):
            out.append(
                Snapshot(
                    id=f"{vm.id}-snapshot-{i + 1}",
                    name=name if count == 1 else f"{name} {i + 1}",
                    created=now - timedelta(days=first_days - i, hours=3),
                    size_bytes=size_gib * GIB,
                    parent_id=out[-1].id if out else None,
                    quiesced=False,
                    memory=False,
                )
            )
        return out

    def grow(vm: VM, extra: int) -> None:
        draft.datastore_by_id[vm.datastore_ids[0]].committed_bytes += extra

    # --- storage: snapshots and backups -----------------------------------------------------
    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    size = max(1, min(80, int(vm.provisioned_disk_bytes / GIB * 0.15)))
    snaps = chain(vm, 1, 118, size, "before upgrade to 5.2")
    draft.replace_vm(vm.id, snapshots=snaps)
    grow(vm, size * GIB)
    p.add(
        "snapshot-too-old",
        Family.STORAGE,
        "vm",
        vm.id,
        vm.name,
        "A snapshot taken before an application upgrade four months ago was never deleted.",
        ["snapshot-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    size = max(1, min(12, int(vm.provisioned_disk_bytes / GIB * 0.04)))
    snaps = chain(vm, 6, 9, size, "daily-test")
    draft.replace_vm(vm.id, snapshots=snaps)
    grow(vm, 6 * size * GIB)
    p.add(
        "snapshot-chain-too-deep",
        Family.STORAGE,
        "vm",
        vm.id,
        vm.name,
        "A test script takes a snapshot every day and never removes one: a chain of six.",
        ["snapshot-chain-too-deep", "snapshot-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.provisioned_disk_bytes >= 400 * GIB)
    size = int(vm.provisioned_disk_bytes / GIB * 0.8)
    snaps = chain(vm, 1, 16, size, "pre-migration")
    draft.replace_vm(vm.id, snapshots=snaps)
    grow(vm, size * GIB)
    p.add(
        "snapshot-too-large",
        Family.STORAGE,
        "vm",
        vm.id,
        vm.name,
        f"A 16-day-old snapshot of a busy VM has grown to {size} GiB (80 % of its disks).",
        ["snapshot-too-large", "snapshot-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(vm.id, consolidation_needed=True)
    p.add(
        "consolidation-needed",
        Family.STORAGE,
        "vm",
        vm.id,
        vm.name,
        "A backup job's snapshot removal failed half-way: the disks need consolidation.",
        ["consolidation-needed"],
    )

    vm = p.pick_vm(ANY, lambda v: v.is_on)
    stale = (now - timedelta(days=41, hours=2)).strftime("%Y-%m-%d %H:%M:%S")
    draft.replace_vm(vm.id, custom_attributes={**vm.custom_attributes, "Last Backup": stale})
    p.add(
        "backup-too-old",
        Family.STORAGE,
        "vm",
        vm.id,
        vm.name,
        "The VM dropped out of its backup job after a rename: last backup 41 days ago.",
        ["backup-too-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    attrs = {
        k: v for k, v in vm.custom_attributes.items() if k not in ("Last Backup", "Backup Job")
    }
    draft.replace_vm(vm.id, custom_attributes=attrs)
    p.add(
        "backup-missing",
        Family.STORAGE,
        "vm",
        vm.id,
        vm.name,
        "A VM created last month was never added to any backup job.",
        ["backup-too-old"],
    )

    # --- compatibility: Tools, hardware, guest ---------------------------------------------
    vm = p.pick_vm(MODERN, lambda v: v.is_on and not GUESTS[v.guest_id or ""].windows)
    draft.replace_vm(
        vm.id,
        tools_status="toolsNotInstalled",
        tools_running_status="guestToolsNotRunning",
        tools_version=0,
        tools_version_status="guestToolsNotInstalled",
    )
    p.add(
        "tools-not-installed",
        Family.COMPATIBILITY,
        "vm",
        vm.id,
        vm.name,
        "VMware Tools (open-vm-tools) was never installed in this guest.",
        ["vm-tools-not-installed"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(
        vm.id, tools_status="toolsNotRunning", tools_running_status="guestToolsNotRunning"
    )
    p.add(
        "tools-not-running",
        Family.COMPATIBILITY,
        "vm",
        vm.id,
        vm.name,
        "The Tools service stopped inside the guest after an OS update.",
        ["vm-tools-not-running"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and GUESTS[v.guest_id or ""].windows)
    draft.replace_vm(
        vm.id,
        tools_status="toolsOld",
        tools_version=TOOLS_OLD,
        tools_version_status="guestToolsNeedUpgrade",
    )
    p.add(
        "tools-outdated",
        Family.COMPATIBILITY,
        "vm",
        vm.id,
        vm.name,
        "VMware Tools 11.3.5 was never upgraded (older than the host's bundle, and affected by "
        "VMSA-2023-0013).",
        ["vm-tools-outdated", "vm-tools-vulnerable"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(
        vm.id,
        hw_version="vmx-10",
        guest_id="centos7_64Guest",
        guest_id_running="centos7_64Guest",
        guest_full_name=GUESTS["centos7_64Guest"].full_name,
        firmware="bios",
    )
    p.add(
        "hardware-version-old",
        Family.COMPATIBILITY,
        "vm",
        vm.id,
        vm.name,
        "A VM imported from an old ESXi 5.5 farm still runs virtual hardware vmx-10.",
        ["vm-hardware-version-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.guest_id == "rhel8_64Guest")
    draft.replace_vm(vm.id, guest_id_running="rhel9_64Guest")
    p.add(
        "guest-os-mismatch",
        Family.COMPATIBILITY,
        "vm",
        vm.id,
        vm.name,
        "The guest was upgraded in place to RHEL 9 but is still configured as RHEL 8.",
        ["vm-guest-os-mismatch"],
    )

    # --- configuration: devices and network -------------------------------------------------
    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(vm.id, nics=[_nic(vm.nics[0], connected=False)])
    p.add(
        "nic-disconnected",
        Family.CONFIGURATION,
        "vm",
        vm.id,
        vm.name,
        "Someone unticked 'Connected' during troubleshooting: the VM is running off the network.",
        ["vm-nic-disconnected"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(vm.id, nics=[_nic(vm.nics[0], start_connected=False)])
    p.add(
        "nic-not-connected-at-power-on",
        Family.CONFIGURATION,
        "vm",
        vm.id,
        vm.name,
        "'Connect at power on' is off: the next reboot leaves the VM without network.",
        ["vm-nic-not-connected-at-power-on"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(
        vm.id,
        nics=[
            _nic(vm.nics[0], network_id=None, network_name="dvPG-OldDMZ-VLAN140", connected=False)
        ],
        network_ids=[],
    )
    p.add(
        "nic-network-missing",
        Family.CONFIGURATION,
        "vm",
        vm.id,
        vm.name,
        "The VM's portgroup was deleted in a network clean-up; its NIC points at nothing.",
        ["vm-nic-network-missing", "vm-nic-disconnected"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and GUESTS[v.guest_id or ""].windows)
    _, info = draft.cluster_of(vm.cluster_id)
    iso_ds = draft.datastore_by_id[info.iso_datastore_id or ""]
    cd = RemovableDevice(
        kind="cdrom",
        label="CD/DVD drive 1",
        connected=True,
        start_connected=True,
        backing=f"[{iso_ds.name}] iso/SW_DVD9_Win_Server_STD_CORE_2022.iso",
    )
    draft.replace_vm(vm.id, removable_devices=[cd], datastore_ids=[*vm.datastore_ids, iso_ds.id])
    p.add(
        "cdrom-connected",
        Family.CONFIGURATION,
        "vm",
        vm.id,
        vm.name,
        "An installation ISO stayed mounted: it blocks vMotion when the library is not shared.",
        ["vm-removable-media-connected"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and GUESTS[v.guest_id or ""].windows)
    extra = {
        **(vm.advanced_settings or {}),
        "isolation.tools.copy.disable": "FALSE",
        "isolation.tools.paste.disable": "FALSE",
    }
    draft.replace_vm(vm.id, advanced_settings=extra)
    p.add(
        "copy-paste-enabled",
        Family.SECURITY,
        "vm",
        vm.id,
        vm.name,
        "Console copy and paste was enabled for a vendor support session and left on.",
        ["vm-console-copy-paste-enabled"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.num_cpu >= 4)
    draft.replace_vm(vm.id, cpu_limit_mhz=1000)
    p.add(
        "vm-cpu-limit",
        Family.RESOURCES,
        "vm",
        vm.id,
        vm.name,
        f"A 1,000 MHz CPU limit, left from a noisy-neighbour test, caps {vm.num_cpu} vCPUs.",
        ["vm-cpu-limit"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.memory_mb >= 8192)
    draft.replace_vm(vm.id, memory_limit_mb=vm.memory_mb // 4)
    p.add(
        "vm-memory-limit",
        Family.RESOURCES,
        "vm",
        vm.id,
        vm.name,
        "A memory limit at a quarter of configured memory forces ballooning and swapping.",
        ["vm-memory-limit"],
    )

    # --- inventory state ------------------------------------------------------------------------
    vm = p.pick_vm(MODERN, lambda v: not v.is_on)
    draft.replace_vm(vm.id, connection_state="orphaned")
    p.add(
        "vm-orphaned",
        Family.CONFIGURATION,
        "vm",
        vm.id,
        vm.name,
        "The VM's files were removed outside vCenter; the inventory entry is orphaned.",
        ["vm-inaccessible-or-orphaned"],
    )

    vm = p.pick_vm(MODERN, lambda v: not v.is_on)
    draft.replace_vm(vm.id, connection_state="inaccessible")
    p.add(
        "vm-inaccessible",
        Family.CONFIGURATION,
        "vm",
        vm.id,
        vm.name,
        "The .vmx file cannot be read (a stale lock after a host crash).",
        ["vm-inaccessible-or-orphaned"],
    )

    # --- placement on the mgmt cluster: local datastore, too wide, too big --------------------
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
            p.add(
                "vm-on-local-datastore",
                Family.STORAGE,
                "vm",
                vm.id,
                vm.name,
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
        p.add(
            "vm-wider-than-host",
            Family.RESOURCES,
            "vm",
            vm.id,
            vm.name,
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
        p.add(
            "vm-memory-exceeds-host",
            Family.CONFIGURATION,
            "vm",
            vm.id,
            vm.name,
            f"Configured with {memory // 1024} GiB, more than any host of the cluster has.",
            ["vm-memory-exceeds-host", "vm-wider-than-numa-node"],
        )
        break  # once per lab repetition is enough

    # --- resources: a busy host with ready, co-stop, ballooning and swapping ----------------
    def busy_candidate(h: Host) -> bool:
        return (
            h.id not in p.load
            and sum(1 for v in p.vms_on(h.id) if v.is_on and v.id not in draft.taken) >= 4
        )

    host = p.pick_host(("prod",), busy_candidate)
    p.load[host.id] = (93.0, 96.0)
    p.add(
        "host-cpu-saturated",
        Family.RESOURCES,
        "host",
        host.id,
        host.name,
        "DRS could not balance a CPU-heavy batch window: the host runs at ~93 % CPU.",
        ["host-cpu-usage"],
    )
    p.add(
        "host-memory-saturated",
        Family.RESOURCES,
        "host",
        host.id,
        host.name,
        "Memory consumed at 96 %: the host reclaims memory by ballooning and swapping.",
        ["host-memory-usage"],
    )
    on_host = [v for v in p.vms_on(host.id) if v.is_on and v.id not in draft.taken]
    ready_vm, costop_vm, balloon_vm, swap_vm = on_host[:4]
    shape = [1.0] * SAMPLES
    p.overrides[(ready_vm.id, VM_READY)] = [
        0.14 * INTERVAL_MS * ready_vm.num_cpu * (0.6 + 0.4 * (i / SAMPLES)) for i in range(SAMPLES)
    ]
    p.add(
        "vm-cpu-ready-high",
        Family.RESOURCES,
        "vm",
        ready_vm.id,
        ready_vm.name,
        "CPU ready around 14 % per vCPU on the saturated host.",
        ["vm-cpu-ready"],
    )
    wide = 16
    draft.replace_vm(costop_vm.id, num_cpu=wide, cores_per_socket=8)
    costop_vm = draft.vm(costop_vm.id)
    p.overrides[(costop_vm.id, VM_COSTOP)] = [0.07 * INTERVAL_MS * wide * s for s in shape]
    p.overrides[(costop_vm.id, VM_READY)] = [0.04 * INTERVAL_MS * wide * s for s in shape]
    p.add(
        "vm-cpu-costop-high",
        Family.RESOURCES,
        "vm",
        costop_vm.id,
        costop_vm.name,
        "Sized up to 16 vCPUs 'for performance': co-stop near 7 % per vCPU.",
        ["vm-cpu-costop"],
    )
    balloon_kb = balloon_vm.memory_mb * 1024 * 0.3
    p.overrides[(balloon_vm.id, VM_BALLOON)] = ramp(0.0, balloon_kb, SAMPLES // 2)
    draft.replace_vm(balloon_vm.id, ballooned_memory_mb=int(balloon_kb / 1024))
    p.add(
        "vm-ballooning",
        Family.RESOURCES,
        "vm",
        balloon_vm.id,
        balloon_vm.name,
        "The balloon driver holds 30 % of the VM's memory since the host ran short.",
        ["vm-memory-ballooning"],
    )
    swap_kb = 2.5 * 1024 * 1024
    p.overrides[(swap_vm.id, VM_SWAPPED)] = ramp(0.0, swap_kb, SAMPLES // 2)
    draft.replace_vm(swap_vm.id, swapped_memory_mb=int(swap_kb / 1024))
    p.add(
        "vm-swapping",
        Family.RESOURCES,
        "vm",
        swap_vm.id,
        swap_vm.name,
        "2.5 GiB of the VM's memory is swapped to disk by the host.",
        ["vm-memory-swapping"],
    )


def _nic(nic: NIC, **changes: Any) -> NIC:
    return msgspec.structs.replace(nic, **changes)


def _moved(disk: Disk, ds_id: str, ds_name: str, old_name: str) -> Disk:
    return msgspec.structs.replace(
        disk,
        datastore_id=ds_id,
        file_name=(disk.file_name or "").replace(f"[{old_name}]", f"[{ds_name}]"),
    )
