"""The healthy VM population: names, guests, sizes, Tools, disks, NICs, attributes.

Built for speed: one pass, a handful of random draws per VM, and every sub-object that is
the same for many VMs (CD-ROM list, extraConfig, attribute strings) shared, not copied.
"""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from vmdoctor.model import NIC, VM, Disk, Host, RemovableDevice, Snapshot
from vmdoctor.sources.demo.catalog import (
    GUESTS,
    LEGACY_GUESTS,
    MAX_HW_VERSION,
    ROLES,
    TOOLS_CURRENT,
    GuestOS,
    Role,
)
from vmdoctor.sources.demo.draft import GIB, ClusterInfo, Draft

IDLE_CDROM = [
    RemovableDevice(
        kind="cdrom",
        label="CD/DVD drive 1",
        connected=False,
        start_connected=False,
        backing="client device",
    )
]
HARDENED_EXTRA_CONFIG = {
    "isolation.tools.copy.disable": "TRUE",
    "isolation.tools.paste.disable": "TRUE",
    "isolation.tools.diskShrink.disable": "TRUE",
    "isolation.tools.diskWiper.disable": "TRUE",
    "isolation.device.connectable.disable": "TRUE",
    "tools.setInfo.sizeLimit": "1048576",
    "RemoteDisplay.maxConnections": "1",
    "log.keepOld": "10",
    "log.rotateSize": "2048000",
}
ENVIRONMENT_OF_FOLDER = {"Test": "Test", "Dev/CI": "Development", "Legacy": "Production"}
BACKUP_JOBS = ("Daily-Prod-01", "Daily-Prod-02", "Daily-Prod-03", "Daily-Infra")
_ROLE_WEIGHTS = list(itertools.accumulate(r.weight for r in ROLES))
_WIN_FALLBACK = {"6.7.0": "windows9Server64Guest", "7.0.3": "windows2019srv_64Guest"}
_LINUX_FALLBACK = {"6.7.0": "rhel8_64Guest", "7.0.3": "rhel9_64Guest"}
_LEGACY_OK = frozenset(LEGACY_GUESTS)


class VmFactory:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.rng: random.Random = draft.rng
        self.counters: dict[str, int] = {}
        now = draft.now
        # Last night's backup window, 21:00-02:00: a shared pool of timestamp strings.
        self.backup_stamps = [
            (now - timedelta(hours=9.5 + 5 * i / 97)).strftime("%Y-%m-%d %H:%M:%S")
            for i in range(97)
        ]
        self.serial = 0

    def name(self, role: Role) -> str:
        n = self.counters.get(role.prefix, 0) + 1
        self.counters[role.prefix] = n
        if role.prefix == "dc":
            return f"dc{n:02d}"
        return f"{role.prefix}-{n:02d}"

    def populate(self, info: ClusterInfo, count: int) -> None:
        draft = self.draft
        rng = self.rng
        hosts = [draft.hosts[i] for i in info.host_indexes]
        datastores = [draft.datastore_by_id[d] for d in info.datastore_ids]
        offset = rng.randrange(len(datastores))
        for n in range(count):
            role = rng.choices(ROLES, cum_weights=_ROLE_WEIGHTS)[0]
            host = hosts[n % len(hosts)]
            ds = datastores[(n + offset) % len(datastores)]
            vm = self.make(role, host, info, ds.id, ds.name)
            info.vm_indexes.append(draft.add_vm(vm))

    def make(self, role: Role, host: Host, info: ClusterInfo, ds_id: str, ds_name: str) -> VM:
        draft = self.draft
        rng = self.rng
        self.serial += 1
        serial = self.serial
        version = host.version or "8.0.3"
        guest = self.guest_for(role, version)
        name = self.name(role)
        on = rng.random() < 0.93
        num_cpu = rng.choice(role.cpus)
        memory_mb = rng.choice(role.memory_gb) * 1024
        max_hw = MAX_HW_VERSION[version]
        hw = max_hw if rng.random() < 0.5 else max(13, max_hw - rng.choice((0, 1, 2)))
        disks: list[Disk] = []
        committed = 0
        uncommitted = 0
        ds = draft.datastore_by_id[ds_id]
        thin_all = role.prefix not in ("sql-prod", "ora-db", "exch-mbx")
        for k, size_gb in enumerate(role.disks_gb):
            capacity = size_gb * GIB
            used = int(capacity * rng.uniform(0.25, 0.7)) if thin_all else capacity
            committed += used
            uncommitted += capacity - used
            suffix = "" if k == 0 else f"_{k}"
            disks.append(
                Disk(
                    label=f"Hard disk {k + 1}",
                    capacity_bytes=capacity,
                    datastore_id=ds_id,
                    file_name=f"[{ds_name}] {name}/{name}{suffix}.vmdk",
                    thin=thin_all,
                    disk_mode="persistent",
                    controller="SCSI controller 0",
                )
            )
        if on:
            committed += memory_mb * 1024 * 1024  # the .vswp file
        ds.committed_bytes += committed
        ds.uncommitted_bytes += uncommitted
        net_id, net_name = info.network_by_role[role.portgroup]
        nic = NIC(
            label="Network adapter 1",
            adapter_type="vmxnet3" if not guest.windows or rng.random() < 0.9 else "e1000e",
            network_name=net_name,
            network_id=net_id,
            connected=on,
            start_connected=True,
            mac_address=f"00:50:56:{0x80 + ((serial >> 16) & 0x3F):02x}:"
            f"{(serial >> 8) & 0xFF:02x}:{serial & 0xFF:02x}",
        )
        mhz = host.cpu_mhz or 2000
        snapshots: list[Snapshot] = []
        if rng.random() < 0.02:
            # A fresh "before patching" snapshot: normal, and gone in a day or two.
            snapshots.append(
                Snapshot(
                    id=f"{name}-snapshot-1",
                    name="before-patching",
                    created=draft.now - timedelta(hours=rng.randint(3, 40)),
                    size_bytes=rng.randint(1, 12) * GIB,
                    description="pre patch",
                    quiesced=False,
                    memory=False,
                )
            )
            committed += snapshots[0].size_bytes or 0
            ds.committed_bytes += snapshots[0].size_bytes or 0
        uptime = rng.randint(2, 120) * 86400 + rng.randrange(86400) if on else None
        root_pool = info.resource_pool_ids[0]
        pool = root_pool
        if len(info.resource_pool_ids) > 1:
            pool = info.resource_pool_ids[2 if role.folder in ("Test", "Dev/CI") else 1]
        return VM(
            id=draft.moref(host.vcenter_id, "vm"),
            name=name,
            vcenter_id=host.vcenter_id,
            datacenter_id=host.datacenter_id,
            cluster_id=host.cluster_id,
            host_id=host.id,
            resource_pool_id=pool,
            folder=role.folder,
            vmx_path=f"[{ds_name}] {name}/{name}.vmx",
            uuid=draft.uuid(),
            power_state="poweredOn" if on else "poweredOff",
            guest_id=guest.guest_id,
            guest_full_name=guest.full_name,
            guest_id_running=guest.guest_id if on else None,
            guest_hostname=f"{name}.demo.example" if on else None,
            guest_ip=f"10.{(serial >> 14) & 0xFF}.{(serial >> 6) & 0xFF}.{(serial & 0x3F) + 10}"
            if on
            else None,
            tools_status="toolsOk" if on else "toolsNotRunning",
            tools_running_status="guestToolsRunning" if on else "guestToolsNotRunning",
            tools_version=TOOLS_CURRENT[serial % 2],
            tools_version_status="guestToolsCurrent",
            hw_version=f"vmx-{hw}",
            firmware="efi" if guest.windows or guest.guest_id.startswith("rhel9") else "bios",
            num_cpu=num_cpu,
            cores_per_socket=num_cpu if num_cpu <= 8 else num_cpu // 2,
            memory_mb=memory_mb,
            cpu_hot_add=False,
            memory_hot_add=False,
            overall_cpu_usage_mhz=int(num_cpu * mhz * rng.uniform(0.04, 0.3)) if on else 0,
            guest_memory_usage_mb=int(memory_mb * rng.uniform(0.12, 0.45)) if on else 0,
            host_memory_usage_mb=int(memory_mb * rng.uniform(0.55, 0.95)) if on else 0,
            ballooned_memory_mb=0 if on else None,
            swapped_memory_mb=0 if on else None,
            uptime_s=uptime,
            boot_time=draft.now - timedelta(seconds=uptime) if uptime else None,
            storage_committed_bytes=committed,
            storage_uncommitted_bytes=uncommitted,
            consolidation_needed=False,
            nics=[nic],
            disks=disks,
            snapshots=snapshots,
            removable_devices=IDLE_CDROM,
            custom_attributes={
                "Owner": role.owner,
                "Environment": ENVIRONMENT_OF_FOLDER.get(role.folder, "Production"),
                "Last Backup": self.backup_stamps[serial % len(self.backup_stamps)],
                "Backup Job": BACKUP_JOBS[serial % len(BACKUP_JOBS)],
            },
            advanced_settings=HARDENED_EXTRA_CONFIG,
            datastore_ids=[ds_id],
            network_ids=[net_id],
        )

    def guest_for(self, role: Role, version: str) -> GuestOS:
        guest = GUESTS[self.rng.choice(role.guests)]
        if version == "6.7.0" and guest.guest_id not in _LEGACY_OK:
            fallback = _WIN_FALLBACK if guest.windows else _LINUX_FALLBACK
            return GUESTS[fallback["6.7.0"]]
        if version == "7.0.3" and guest.min_esxi == "8.0":
            fallback = _WIN_FALLBACK if guest.windows else _LINUX_FALLBACK
            return GUESTS[fallback["7.0.3"]]
        return guest


def build_vms(draft: Draft, vms_per_cluster: list[int]) -> VmFactory:
    factory = VmFactory(draft)
    for info, count in zip(draft.cluster_info, vms_per_cluster, strict=True):
        factory.populate(info, count)
    return factory
