"""VM flaws of settings: Tools, hardware and guest, devices and network, limits, state."""

from __future__ import annotations

from typing import Any

import msgspec

from vmdoctor.model import NIC, Family, RemovableDevice
from vmdoctor.sources.demo.catalog import GUESTS, TOOLS_OLD
from vmdoctor.sources.demo.planter import MODERN, Planter


def plant_guest_compatibility(p: Planter) -> None:
    draft = p.draft
    vm = p.pick_vm(MODERN, lambda v: v.is_on and not GUESTS[v.guest_id or ""].windows)
    draft.replace_vm(
        vm.id,
        tools_status="toolsNotInstalled",
        tools_running_status="guestToolsNotRunning",
        tools_version=0,
        tools_version_status="guestToolsNotInstalled",
    )
    p.flag(
        vm,
        "tools-not-installed",
        Family.COMPATIBILITY,
        "VMware Tools (open-vm-tools) was never installed in this guest.",
        ["vm-tools-not-installed"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(
        vm.id, tools_status="toolsNotRunning", tools_running_status="guestToolsNotRunning"
    )
    p.flag(
        vm,
        "tools-not-running",
        Family.COMPATIBILITY,
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
    p.flag(
        vm,
        "tools-outdated",
        Family.COMPATIBILITY,
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
    p.flag(
        vm,
        "hardware-version-old",
        Family.COMPATIBILITY,
        "A VM imported from an old ESXi 5.5 farm still runs virtual hardware vmx-10.",
        ["vm-hardware-version-old"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.guest_id == "rhel8_64Guest")
    draft.replace_vm(vm.id, guest_id_running="rhel9_64Guest")
    p.flag(
        vm,
        "guest-os-mismatch",
        Family.COMPATIBILITY,
        "The guest was upgraded in place to RHEL 9 but is still configured as RHEL 8.",
        ["vm-guest-os-mismatch"],
    )


def plant_devices_and_state(p: Planter) -> None:
    draft = p.draft
    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(vm.id, nics=[_nic(vm.nics[0], connected=False)])
    p.flag(
        vm,
        "nic-disconnected",
        Family.CONFIGURATION,
        "Someone unticked 'Connected' during troubleshooting: the VM is running off the network.",
        ["vm-nic-disconnected"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on)
    draft.replace_vm(vm.id, nics=[_nic(vm.nics[0], start_connected=False)])
    p.flag(
        vm,
        "nic-not-connected-at-power-on",
        Family.CONFIGURATION,
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
    p.flag(
        vm,
        "nic-network-missing",
        Family.CONFIGURATION,
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
    p.flag(
        vm,
        "cdrom-connected",
        Family.CONFIGURATION,
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
    p.flag(
        vm,
        "copy-paste-enabled",
        Family.SECURITY,
        "Console copy and paste was enabled for a vendor support session and left on.",
        ["vm-console-copy-paste-enabled"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.num_cpu >= 4)
    draft.replace_vm(vm.id, cpu_limit_mhz=1000)
    p.flag(
        vm,
        "vm-cpu-limit",
        Family.RESOURCES,
        f"A 1,000 MHz CPU limit, left from a noisy-neighbour test, caps {vm.num_cpu} vCPUs.",
        ["vm-cpu-limit"],
    )

    vm = p.pick_vm(MODERN, lambda v: v.is_on and v.memory_mb >= 8192)
    draft.replace_vm(vm.id, memory_limit_mb=vm.memory_mb // 4)
    p.flag(
        vm,
        "vm-memory-limit",
        Family.RESOURCES,
        "A memory limit at a quarter of configured memory forces ballooning and swapping.",
        ["vm-memory-limit"],
    )

    # --- inventory state ------------------------------------------------------------------------
    vm = p.pick_vm(MODERN, lambda v: not v.is_on)
    draft.replace_vm(vm.id, connection_state="orphaned")
    p.flag(
        vm,
        "vm-orphaned",
        Family.CONFIGURATION,
        "The VM's files were removed outside vCenter; the inventory entry is orphaned.",
        ["vm-inaccessible-or-orphaned"],
    )

    vm = p.pick_vm(MODERN, lambda v: not v.is_on)
    draft.replace_vm(vm.id, connection_state="inaccessible")
    p.flag(
        vm,
        "vm-inaccessible",
        Family.CONFIGURATION,
        "The .vmx file cannot be read (a stale lock after a host crash).",
        ["vm-inaccessible-or-orphaned"],
    )


def _nic(nic: NIC, **changes: Any) -> NIC:
    return msgspec.structs.replace(nic, **changes)
