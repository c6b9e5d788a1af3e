"""Facts the demo lab is built from: real builds, real hardware, realistic workloads.

Build numbers come from the knowledge tables (VMware's build lists); hardware model and CPU
strings are what those servers really report. Nothing here is random: the lab draws from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Build:
    version: str
    build: int
    label: str  # "8.0 U3g"


# ESXi releases (esxi_builds.csv). HEALTHY ones are patched past every exploited advisory.
ESXI_80U3G = Build("8.0.3", 24859861, "8.0 U3g")
ESXI_80U3B = Build("8.0.3", 24280767, "8.0 U3b")  # affected by VMSA-2025-0004 (exploited)
ESXI_70U3W = Build("7.0.3", 24784741, "7.0 U3w")
ESXI_67P08 = Build("6.7.0", 20497097, "6.7 P08")  # last 6.7 patch; end of support 2022-10-15

# vCenter Server (vcenter_builds.csv).
VCENTER_80U3G = Build("8.0.3", 24853646, "8.0 U3g")
VCENTER_70U3V = Build("7.0.3", 24730281, "7.0 U3v")  # manages the 6.7 site (8.0 cannot)

API_VERSION = {"8.0.3": "8.0.3.0", "7.0.3": "7.0.3.0", "6.7.0": "6.7.3"}
MAX_HW_VERSION = {"8.0.3": 21, "7.0.3": 19, "6.7.0": 15}

# VMware Tools API integers (tools_versions.csv): (major << 10) + (minor << 5) + patch.
TOOLS_CURRENT = (12452, 13317)  # 12.5.4, 13.0.5
TOOLS_OLD = 11365  # 11.3.5: older than the host's bundle and affected by VMSA-2023-0013


@dataclass(frozen=True, slots=True)
class Hardware:
    key: str
    vendor: str
    model: str
    cpu_model: str
    cpu_vendor: str
    sockets: int
    cores: int  # total physical cores
    mhz: int
    memory_gb: int
    max_evc: str


HARDWARE = {
    hw.key: hw
    for hw in (
        Hardware(
            "r650",
            "Dell Inc.",
            "PowerEdge R650",
            "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
            "intel",
            2,
            64,
            1995,
            1024,
            "intel-icelake",
        ),
        Hardware(
            "dl380g10p",
            "HPE",
            "ProLiant DL380 Gen10 Plus",
            "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz",
            "intel",
            2,
            56,
            1995,
            768,
            "intel-icelake",
        ),
        Hardware(
            "dl380g10",
            "HPE",
            "ProLiant DL380 Gen10",
            "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz",
            "intel",
            2,
            48,
            2993,
            768,
            "intel-cascadelake",
        ),
        Hardware(
            "sr665",
            "Lenovo",
            "ThinkSystem SR665",
            "AMD EPYC 7413 24-Core Processor",
            "amd",
            2,
            48,
            2650,
            768,
            "amd-zen3",
        ),
        Hardware(
            "r740",
            "Dell Inc.",
            "PowerEdge R740",
            "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz",
            "intel",
            2,
            40,
            2095,
            768,
            "intel-cascadelake",
        ),
        Hardware(
            "r760",
            "Dell Inc.",
            "PowerEdge R760",
            "Intel(R) Xeon(R) Gold 6430",
            "intel",
            2,
            64,
            2100,
            1024,
            "intel-sapphirerapids",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class GuestOS:
    guest_id: str
    full_name: str
    windows: bool
    min_esxi: str  # first ESXi line that knows the guestId (guest_os_support.csv)


GUESTS = {
    g.guest_id: g
    for g in (
        GuestOS(
            "windows2019srvNext_64Guest", "Microsoft Windows Server 2022 (64-bit)", True, "7.0"
        ),
        GuestOS("windows2019srv_64Guest", "Microsoft Windows Server 2019 (64-bit)", True, "7.0"),
        GuestOS("windows9Server64Guest", "Microsoft Windows Server 2016 (64-bit)", True, "6.0"),
        GuestOS(
            "windows2022srvNext_64Guest", "Microsoft Windows Server 2025 (64-bit)", True, "8.0"
        ),
        GuestOS("rhel9_64Guest", "Red Hat Enterprise Linux 9 (64-bit)", False, "7.0"),
        GuestOS("rhel8_64Guest", "Red Hat Enterprise Linux 8 (64-bit)", False, "6.7"),
        GuestOS("rhel7_64Guest", "Red Hat Enterprise Linux 7 (64-bit)", False, "5.5"),
        GuestOS("ubuntu64Guest", "Ubuntu Linux (64-bit)", False, "5.5"),
        GuestOS("sles15_64Guest", "SUSE Linux Enterprise 15 (64-bit)", False, "6.7"),
        GuestOS("debian12_64Guest", "Debian GNU/Linux 12 (64-bit)", False, "8.0"),
        GuestOS("centos7_64Guest", "CentOS 7 (64-bit)", False, "6.5"),
        GuestOS("oracleLinux8_64Guest", "Oracle Linux 8 (64-bit)", False, "6.7"),
    )
}

#: guestIds a 6.7 host knows, used for VMs of the legacy site
LEGACY_GUESTS = ("windows9Server64Guest", "rhel7_64Guest", "centos7_64Guest", "rhel8_64Guest")


@dataclass(frozen=True, slots=True)
class Role:
    """A kind of workload: how its VMs are named, sized and dressed."""

    prefix: str  # "app-web" -> app-web-01
    guests: tuple[str, ...]
    cpus: tuple[int, ...]
    memory_gb: tuple[int, ...]
    disks_gb: tuple[int, ...]  # first disk = system disk
    portgroup: str  # role of the network: "web" | "app" | "db" | "mgmt" | "infra"
    weight: int  # relative frequency in the estate
    folder: str
    owner: str


ROLES = (
    Role(
        "app-web",
        ("rhel9_64Guest", "ubuntu64Guest", "windows2019srvNext_64Guest"),
        (2, 4),
        (4, 8),
        (60, 40),
        "web",
        14,
        "Prod/Web",
        "team-web",
    ),
    Role(
        "app-api",
        ("rhel9_64Guest", "rhel8_64Guest", "ubuntu64Guest"),
        (4,),
        (8, 16),
        (60, 100),
        "app",
        12,
        "Prod/App",
        "team-platform",
    ),
    Role(
        "app-svc",
        ("windows2019srv_64Guest", "windows2019srvNext_64Guest"),
        (2, 4),
        (8, 12),
        (90, 60),
        "app",
        8,
        "Prod/App",
        "team-erp",
    ),
    Role(
        "sql-prod",
        ("windows2019srv_64Guest", "windows2019srvNext_64Guest"),
        (8,),
        (32, 64),
        (90, 500, 200),
        "db",
        4,
        "Prod/DB",
        "team-dba",
    ),
    Role(
        "pg-prod",
        ("rhel9_64Guest", "rhel8_64Guest"),
        (4, 8),
        (16, 32),
        (60, 400),
        "db",
        3,
        "Prod/DB",
        "team-dba",
    ),
    Role(
        "ora-db", ("oracleLinux8_64Guest",), (8,), (64,), (80, 800), "db", 1, "Prod/DB", "team-dba"
    ),
    Role(
        "exch-mbx",
        ("windows2019srv_64Guest",),
        (8,),
        (48, 64),
        (100, 900),
        "app",
        2,
        "Prod/Mail",
        "team-messaging",
    ),
    Role(
        "dc",
        ("windows2019srvNext_64Guest", "windows2019srv_64Guest"),
        (2,),
        (8,),
        (90,),
        "infra",
        1,
        "Infra/AD",
        "team-infra",
    ),
    Role(
        "k8s-master",
        ("ubuntu64Guest",),
        (4,),
        (16,),
        (80,),
        "app",
        2,
        "Platform/K8s",
        "team-platform",
    ),
    Role(
        "k8s-worker",
        ("ubuntu64Guest",),
        (8,),
        (32,),
        (120, 200),
        "app",
        9,
        "Platform/K8s",
        "team-platform",
    ),
    Role(
        "fs",
        ("windows2019srv_64Guest",),
        (4,),
        (16,),
        (90, 2000),
        "infra",
        2,
        "Infra/File",
        "team-infra",
    ),
    Role(
        "citrix-vda",
        ("windows9Server64Guest", "windows2019srv_64Guest"),
        (4,),
        (16,),
        (80,),
        "app",
        8,
        "EUC/VDA",
        "team-euc",
    ),
    Role("kafka", ("rhel8_64Guest",), (4,), (16,), (60, 500), "app", 3, "Prod/Stream", "team-data"),
    Role(
        "elk",
        ("rhel9_64Guest", "debian12_64Guest"),
        (4, 8),
        (32,),
        (60, 1000),
        "mgmt",
        2,
        "Ops/Logging",
        "team-ops",
    ),
    Role(
        "mon-graf",
        ("debian12_64Guest", "ubuntu64Guest"),
        (2,),
        (4,),
        (40,),
        "mgmt",
        1,
        "Ops/Monitoring",
        "team-ops",
    ),
    Role(
        "jump",
        ("windows2019srvNext_64Guest",),
        (2,),
        (8,),
        (80,),
        "mgmt",
        1,
        "Ops/Access",
        "team-ops",
    ),
    Role(
        "backup-proxy",
        ("windows2019srv_64Guest",),
        (4,),
        (8,),
        (80,),
        "infra",
        1,
        "Infra/Backup",
        "team-backup",
    ),
    Role(
        "ci-runner",
        ("ubuntu64Guest", "debian12_64Guest"),
        (4,),
        (8,),
        (100,),
        "app",
        4,
        "Dev/CI",
        "team-devops",
    ),
    Role(
        "app-test",
        ("rhel9_64Guest", "windows2019srvNext_64Guest", "sles15_64Guest"),
        (2,),
        (4, 8),
        (60,),
        "app",
        6,
        "Test",
        "team-qa",
    ),
    Role(
        "legacy-app",
        ("centos7_64Guest", "windows9Server64Guest"),
        (2,),
        (4, 8),
        (60,),
        "app",
        2,
        "Legacy",
        "team-erp",
    ),
)

#: DNS domain of every name in the lab: RFC 2606 keeps it from ever meaning a real company.
DOMAIN = "demo.example"

ADMINS = ("VSPHERE.LOCAL\\Administrator", "DEMO\\jsmith-adm", "DEMO\\mlopez-adm", "DEMO\\akim-adm")
BACKUP_USER = "DEMO\\svc-backup"
MONITOR_USER = "DEMO\\svc-monitor"
