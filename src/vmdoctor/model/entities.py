"""Inventory entities of a vSphere estate.

Every entity is an immutable ``msgspec.Struct``: typed, slotted, cheap to build in the hundreds
of thousands, and (de)serialised with validation by :mod:`vmdoctor.sources.snapshot`.
Units are part of field names. ``None`` always means "not collected" (a check then answers
UNKNOWN), never zero or false.

IDs are unique inside one Environment. Sources build them as ``"<vcenter>:<moref>"`` so that
several vCenters merge without collisions; references between entities use these IDs.
"""

from __future__ import annotations

from datetime import datetime

import msgspec


class Entity(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    id: str
    name: str


# --- management plane -------------------------------------------------------------------------


class VCenter(Entity, frozen=True, kw_only=True):
    """A vCenter Server, or a standalone ESXi host answering the API itself (product "ESXi")."""

    product: str = "vCenter Server"
    version: str | None = None  # "8.0.2"
    build: int | None = None
    api_version: str | None = None
    instance_uuid: str | None = None
    advanced_settings: dict[str, str] = {}
    active_sessions: int | None = None
    max_sessions: int | None = None


class Datacenter(Entity, frozen=True, kw_only=True):
    vcenter_id: str


class HAConfig(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    enabled: bool
    admission_control_enabled: bool | None = None
    # "failoverLevel" | "resourcePercentage" | "failoverHosts" | "slot" | None
    admission_control_policy: str | None = None
    failover_level: int | None = None
    cpu_failover_pct: int | None = None
    memory_failover_pct: int | None = None
    host_monitoring_enabled: bool | None = None
    vm_monitoring: str | None = (
        None  # "vmMonitoringDisabled" | "vmMonitoringOnly" | "vmAndAppMonitoring"
    )
    datastore_heartbeat_count: int | None = None


class DRSConfig(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    enabled: bool
    behavior: str | None = None  # "fullyAutomated" | "partiallyAutomated" | "manual"
    migration_threshold: int | None = None  # 1 (conservative) .. 5 (aggressive)


class ClusterRule(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """A DRS rule of a cluster (``ClusterConfigInfoEx.rule``)."""

    name: str
    # "affinity" (keep VMs together) | "anti-affinity" (keep them apart) | "vm-host" (VM group
    # to host group) | "dependency" (VM group restart order) | the API's type name otherwise
    kind: str
    enabled: bool = True
    mandatory: bool | None = None  # "must" rule (DRS/HA never break it) vs "should"
    in_compliance: bool | None = None
    vm_ids: list[str] = []  # affinity / anti-affinity members
    vm_group: str | None = None  # vm-host and dependency rules
    host_group: str | None = None  # vm-host rules
    host_group_affine: bool | None = None  # True: run on host_group; False: not on it
    depends_on_vm_group: str | None = None  # dependency rules


class Cluster(Entity, frozen=True, kw_only=True):
    datacenter_id: str
    vcenter_id: str
    ha: HAConfig | None = None
    drs: DRSConfig | None = None
    evc_mode: str | None = None  # "intel-skylake"; None = EVC disabled (or not collected: see gaps)
    vsan_enabled: bool | None = None
    drs_rules: list[ClusterRule] | None = None  # None = not collected


class ResourcePool(Entity, frozen=True, kw_only=True):
    cluster_id: str | None = None
    parent_id: str | None = None
    cpu_reservation_mhz: int | None = None
    cpu_limit_mhz: int | None = None  # None = unlimited (-1 in the API)
    memory_reservation_mb: int | None = None
    memory_limit_mb: int | None = None
    expandable_reservation: bool | None = None


# --- hosts --------------------------------------------------------------------------------------


class HostService(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    key: str  # "TSM-SSH", "TSM", "ntpd", ...
    label: str = ""
    running: bool
    policy: str | None = None  # "on" | "off" | "automatic"


class PortGroupSecurity(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    allow_promiscuous: bool | None = None
    forged_transmits: bool | None = None
    mac_changes: bool | None = None


class VSwitch(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    name: str
    security: PortGroupSecurity = PortGroupSecurity()
    uplinks: list[str] = []
    mtu: int | None = None


class HostPortGroup(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    name: str
    vswitch: str
    vlan_id: int | None = None
    security: PortGroupSecurity = PortGroupSecurity()  # effective policy (vSwitch + override)


class StorageDevice(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """A SCSI/NVMe device seen by a host, with its multipathing state."""

    canonical_name: str  # "naa.6000..."
    display_name: str = ""
    is_local: bool = False
    paths_total: int
    paths_active: int
    paths_dead: int = 0
    datastore_id: str | None = None


class HealthSensor(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    name: str
    sensor_type: str = ""
    state: str  # "green" | "yellow" | "red" | "unknown"


class FirewallRuleset(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """An enabled ESXi firewall ruleset and who may reach it (``config.firewall``)."""

    key: str  # "sshServer", "vSphereClient", ...
    label: str = ""
    required: bool | None = None
    all_ip: bool | None = None  # True: open to every address
    allowed_ips: list[str] = []  # addresses and networks ("192.168.10.0/24") when not all_ip


class Host(Entity, frozen=True, kw_only=True):
    vcenter_id: str
    datacenter_id: str | None = None
    cluster_id: str | None = None  # None = standalone host
    product: str = "ESXi"
    version: str | None = None  # "7.0.3"
    build: int | None = None
    vendor: str | None = None
    model: str | None = None
    cpu_model: str | None = None
    cpu_vendor: str | None = None  # "intel" | "amd"
    cpu_sockets: int | None = None
    cpu_cores: int | None = None
    cpu_threads: int | None = None
    cpu_mhz: int | None = None  # per core
    memory_mb: int | None = None
    cpu_usage_mhz: int | None = None
    memory_usage_mb: int | None = None
    connection_state: str = "connected"  # "connected" | "disconnected" | "notResponding"
    power_state: str | None = None  # "poweredOn" | "poweredOff" | "standBy"
    in_maintenance_mode: bool = False
    lockdown_mode: str | None = None  # "lockdownDisabled" | "lockdownNormal" | "lockdownStrict"
    boot_time: datetime | None = None
    max_evc_mode: str | None = None
    advanced_settings: dict[str, str] = {}
    services: list[HostService] | None = None
    ntp_servers: list[str] | None = None
    syslog_hosts: list[str] | None = None
    vswitches: list[VSwitch] | None = None
    portgroups: list[HostPortGroup] | None = None
    storage_devices: list[StorageDevice] | None = None
    health_sensors: list[HealthSensor] | None = None
    datastore_ids: list[str] = []
    network_ids: list[str] = []
    # The enabled firewall rulesets (disabled ones left out); None = not collected.
    firewall_rulesets: list[FirewallRuleset] | None = None

    @property
    def cpu_capacity_mhz(self) -> int | None:
        if self.cpu_cores is None or self.cpu_mhz is None:
            return None
        return self.cpu_cores * self.cpu_mhz

    @property
    def is_connected(self) -> bool:
        return self.connection_state == "connected"

    def service(self, key: str) -> HostService | None:
        for svc in self.services or ():
            if svc.key == key:
                return svc
        return None


# --- storage and network ------------------------------------------------------------------------


class Datastore(Entity, frozen=True, kw_only=True):
    datacenter_id: str | None = None
    vcenter_id: str
    type: str  # "VMFS" | "NFS" | "NFS41" | "vsan" | "VVOL" | "PMEM"
    capacity_bytes: int | None = None
    free_bytes: int | None = None
    uncommitted_bytes: int | None = None  # thin-provisioned space promised but not used
    accessible: bool = True
    maintenance_mode: str | None = None  # "normal" | "inMaintenance" | "enteringMaintenance"
    multiple_host_access: bool | None = None
    url: str | None = None
    host_ids: list[str] = []

    @property
    def provisioned_bytes(self) -> int | None:
        if self.capacity_bytes is None or self.free_bytes is None:
            return None
        return self.capacity_bytes - self.free_bytes + (self.uncommitted_bytes or 0)

    @property
    def free_pct(self) -> float | None:
        if not self.capacity_bytes or self.free_bytes is None:
            return None
        return 100.0 * self.free_bytes / self.capacity_bytes


class Network(Entity, frozen=True, kw_only=True):
    datacenter_id: str | None = None
    vcenter_id: str
    type: str = "Network"  # "Network" | "DistributedVirtualPortgroup" | "OpaqueNetwork"
    vlan_id: int | None = None
    switch_name: str | None = None
    security: PortGroupSecurity | None = None  # distributed portgroups; host portgroups on Host
    accessible: bool = True
    host_ids: list[str] = []


# --- virtual machines ---------------------------------------------------------------------------


class NIC(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    label: str
    adapter_type: str | None = None  # "vmxnet3" | "e1000e" | ...
    network_name: str | None = None
    network_id: str | None = None  # None = backing network not found in inventory
    connected: bool | None = None
    start_connected: bool | None = None
    mac_address: str | None = None


class Disk(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    label: str
    capacity_bytes: int
    datastore_id: str | None = None
    file_name: str | None = None  # "[ds01] vm/vm.vmdk"
    thin: bool | None = None
    disk_mode: str | None = None  # "persistent" | "independent_persistent" | ...
    controller: str | None = None


class Snapshot(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    id: str
    name: str
    created: datetime
    size_bytes: int | None = None
    parent_id: str | None = None
    description: str = ""
    quiesced: bool | None = None
    memory: bool | None = None


class RemovableDevice(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    kind: str  # "cdrom" | "floppy" | "usb"
    label: str
    connected: bool
    start_connected: bool = False
    backing: str | None = None  # "[ds] iso/x.iso", "host device", "client device"


class VM(Entity, frozen=True, kw_only=True):
    vcenter_id: str
    datacenter_id: str | None = None
    cluster_id: str | None = None
    host_id: str | None = None
    resource_pool_id: str | None = None
    folder: str | None = None
    vmx_path: str | None = None
    uuid: str | None = None
    template: bool = False
    power_state: str = "poweredOff"  # "poweredOn" | "poweredOff" | "suspended"
    connection_state: str = (
        "connected"  # "connected" | "disconnected" | "orphaned" | "inaccessible" | "invalid"
    )
    guest_id: str | None = None  # configured guestId
    guest_full_name: str | None = None
    guest_id_running: str | None = None  # reported by VMware Tools
    guest_hostname: str | None = None
    guest_ip: str | None = None
    tools_status: str | None = (
        None  # "toolsOk" | "toolsOld" | "toolsNotInstalled" | "toolsNotRunning"
    )
    tools_running_status: str | None = None  # "guestToolsRunning" | "guestToolsNotRunning" | ...
    tools_version: int | None = None  # API integer: (major<<10)+(minor<<5)+patch
    tools_version_status: str | None = None  # "guestToolsCurrent" | "guestToolsNeedUpgrade" | ...
    hw_version: str | None = None  # "vmx-19"
    firmware: str | None = None  # "bios" | "efi"
    num_cpu: int
    cores_per_socket: int | None = None
    memory_mb: int
    cpu_reservation_mhz: int = 0
    cpu_limit_mhz: int | None = None  # None = unlimited
    memory_reservation_mb: int = 0
    memory_limit_mb: int | None = None  # None = unlimited
    cpu_hot_add: bool | None = None
    memory_hot_add: bool | None = None
    overall_cpu_usage_mhz: int | None = None
    guest_memory_usage_mb: int | None = None
    host_memory_usage_mb: int | None = None
    ballooned_memory_mb: int | None = None
    swapped_memory_mb: int | None = None
    uptime_s: int | None = None
    boot_time: datetime | None = None
    storage_committed_bytes: int | None = None
    storage_uncommitted_bytes: int | None = None
    consolidation_needed: bool | None = None
    ft_state: str | None = None
    annotation: str = ""
    nics: list[NIC] = []
    disks: list[Disk] = []
    snapshots: list[Snapshot] | None = None  # None = not collected; [] = none
    removable_devices: list[RemovableDevice] | None = None
    custom_attributes: dict[str, str] = {}
    advanced_settings: dict[str, str] | None = None  # config.extraConfig
    datastore_ids: list[str] = []
    network_ids: list[str] = []

    @property
    def is_on(self) -> bool:
        return self.power_state == "poweredOn"

    @property
    def provisioned_disk_bytes(self) -> int:
        return sum(d.capacity_bytes for d in self.disks)
