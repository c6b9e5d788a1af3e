"""What a healthy host carries: settings, services, sensors, switches and portgroups.

Identical across hosts, so every host shares one object of each (see topology).
"""

from __future__ import annotations

from vmdoctor.model import HealthSensor, HostPortGroup, HostService, PortGroupSecurity, VSwitch
from vmdoctor.sources.demo.catalog import DOMAIN

SECURE = PortGroupSecurity(allow_promiscuous=False, forged_transmits=False, mac_changes=False)

HEALTHY_SETTINGS: dict[str, str] = {
    "UserVars.ESXiShellInteractiveTimeOut": "900",
    "UserVars.ESXiShellTimeOut": "600",
    "UserVars.DcuiTimeOut": "600",
    "UserVars.HostClientSessionTimeout": "900",
    "UserVars.SuppressShellWarning": "0",
    "UserVars.SuppressHyperthreadWarning": "0",
    "Security.AccountLockFailures": "5",
    "Security.AccountUnlockTime": "900",
    "Security.PasswordQualityControl": "retry=3 min=disabled,disabled,disabled,disabled,15",
    "Config.HostAgent.plugins.solo.enableMob": "false",
    "Config.HostAgent.vmacore.soap.sessionTimeout": "30",
    "DCUI.Access": "root",
    "Syslog.global.logHost": f"udp://syslog-01.{DOMAIN}:514",
    "Syslog.global.logLevel": "error",
    "Syslog.global.logDir": "[] /scratch/log",
    "Misc.APDHandlingEnable": "1",
    "Misc.APDTimeout": "140",
    "Net.BlockGuestBPDU": "1",
    "Mem.ShareForceSalting": "2",
    "Mem.MemEagerZero": "1",
    "Security.PasswordHistory": "5",
    "Security.PasswordMaxDays": "9999",
    "Annotations.WelcomeMessage": "Authorized use only. Activity is logged.",
    "Config.Etc.issue": "Authorized use only. Activity is logged.",
    "Net.BMCNetworkEnable": "0",
    "Syslog.global.auditRecord.storageEnable": "true",
    "Syslog.global.auditRecord.storageCapacity": "100",
    "Syslog.global.auditRecord.remoteEnable": "true",
    "Config.HostAgent.log.level": "info",
    "Syslog.global.certificate.checkSSLCerts": "true",
    "Syslog.global.certificate.strictX509Compliance": "true",
    "Net.DVFilterBindIpAddress": "",
    "UserVars.ESXiVPsDisabledProtocols": "sslv3,tlsv1,tlsv1.1",
    "VMkernel.Boot.execInstalledOnly": "true",
    "Syslog.global.auditRecord.storageDirectory": "[] /scratch/auditLog",
}
NTP_SERVERS = [f"ntp-01.{DOMAIN}", f"ntp-02.{DOMAIN}"]
SYSLOG_HOSTS = [f"udp://syslog-01.{DOMAIN}:514"]


def service(key: str, label: str, running: bool, policy: str) -> HostService:
    return HostService(key=key, label=label, running=running, policy=policy)


HEALTHY_SERVICES = [
    service("DCUI", "Direct Console UI", True, "on"),
    service("TSM", "ESXi Shell", False, "off"),
    service("TSM-SSH", "SSH", False, "off"),
    service("lbtd", "Load-Based Teaming Daemon", True, "on"),
    service("ntpd", "NTP Daemon", True, "on"),
    service("sfcbd-watchdog", "CIM Server", False, "off"),
    service("slpd", "SLP Server", False, "off"),
    service("snmpd", "SNMP Server", False, "off"),
    service("vmsyslogd", "Syslog Server", True, "on"),
    service("vpxa", "VMware vCenter Agent", True, "on"),
]
HEALTHY_SENSORS = [
    HealthSensor(name="System Board 1 Inlet Temp", sensor_type="temperature", state="green"),
    HealthSensor(name="Power Supply 1 PS1 Status", sensor_type="power", state="green"),
    HealthSensor(name="Power Supply 2 PS2 Status", sensor_type="power", state="green"),
    HealthSensor(name="Processor 1 CPU1 Status", sensor_type="processors", state="green"),
]
DVS_HOST_SWITCHES = [
    VSwitch(name="vSwitch0", security=SECURE, uplinks=["vmnic0", "vmnic1"], mtu=1500)
]
DVS_HOST_PORTGROUPS = [
    HostPortGroup(name="Management Network", vswitch="vSwitch0", vlan_id=10, security=SECURE)
]

#: (role, portgroup name, VLAN) per datacenter kind
DVS_PORTGROUPS = (
    ("web", "dvPG-Web-VLAN110", 110),
    ("app", "dvPG-App-VLAN120", 120),
    ("db", "dvPG-DB-VLAN130", 130),
    ("mgmt", "dvPG-Mgmt-VLAN10", 10),
    ("infra", "dvPG-Infra-VLAN20", 20),
    ("vmotion", "dvPG-vMotion-VLAN30", 30),
    ("dmz", "dvPG-DMZ-VLAN200", 200),
)
STANDARD_PORTGROUPS = (
    ("mgmt", "VM Network", 0, "vSwitch0"),
    ("web", "VLAN110-Web", 110, "vSwitch1"),
    ("app", "VLAN120-App", 120, "vSwitch1"),
    ("db", "VLAN130-DB", 130, "vSwitch1"),
    ("infra", "VLAN20-Infra", 20, "vSwitch1"),
)
LEGACY_SWITCHES = [
    VSwitch(name="vSwitch0", security=SECURE, uplinks=["vmnic0", "vmnic1"], mtu=1500),
    VSwitch(name="vSwitch1", security=SECURE, uplinks=["vmnic2", "vmnic3"], mtu=1500),
]
LEGACY_PORTGROUPS = [
    HostPortGroup(name="Management Network", vswitch="vSwitch0", vlan_id=0, security=SECURE),
    HostPortGroup(name="vMotion", vswitch="vSwitch0", vlan_id=30, security=SECURE),
    *(
        HostPortGroup(name=name, vswitch=switch, vlan_id=vlan, security=SECURE)
        for _, name, vlan, switch in STANDARD_PORTGROUPS
    ),
]
