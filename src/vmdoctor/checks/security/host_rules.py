"""Host advanced settings of the vSphere 8 SCG, one table row per check (see ``_settings``).

Every row reads one key of the host's OptionManager. ESXi reports every option it knows, so a
missing key gives UNKNOWN; the SCG's recommended value is the default threshold, and where the
DISA STIG asks for something stricter the docstring says which threshold to change.
"""

from __future__ import annotations

from vmdoctor.checks.security._settings import (
    Absent,
    SettingRule,
    at_least,
    between,
    boolean,
    empty,
    equals,
    includes_all,
    not_empty,
    one_of,
    register,
)
from vmdoctor.model import Severity


def _refs(control: str, *stig: str) -> tuple[str, ...]:
    return (f"vSphere 8 SCG esxi-8.{control}", *(f"DISA STIG {s}" for s in stig))


HOST_RULES: tuple[SettingRule, ...] = (
    SettingRule(
        id="SEC021",
        name="esxi-password-history-short",
        title="Host lets users reuse recent passwords",
        summary="Local account passwords cannot be reused for the last few changes.",
        target="host",
        key="Security.PasswordHistory",
        expect=at_least("min_history"),
        thresholds={"min_history": 5},
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="Without a password history an administrator forced to change a leaked root "
        "password can set the same one again, and the leak stays exploitable.",
        remediation="Set Security.PasswordHistory to 5 or more (Advanced System Settings); it "
        "applies to the next password change.",
        bad_value="0",
        references=_refs("account-password-history", "ESXI-80-000043"),
    ),
    SettingRule(
        id="SEC022",
        name="esxi-password-max-age",
        title="Host passwords never expire or live longer than the policy allows",
        summary="Local account passwords expire within the allowed maximum age.",
        target="host",
        key="Security.PasswordMaxDays",
        expect=between(1, "max_days", "no maximum password age"),
        thresholds={"max_days": 9999},
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="The SCG keeps the ESXi default (9999 days) and relies on rotation by tooling; the "
        "DISA STIG requires 90 days. A value above your policy leaves a stolen password valid "
        "indefinitely.",
        remediation="Set Security.PasswordMaxDays to your policy (STIG: 90, set the threshold "
        "``max_days`` to 90 to audit it) and rotate the root password with your vault.",
        bad_value="99999",
        references=_refs("account-password-max-days", "ESXI-80-000227"),
    ),
    SettingRule(
        id="SEC024",
        name="esxi-welcome-banner-missing",
        title="Host shows no login banner on the DCUI and Host Client",
        summary="The DCUI and the Host Client display a legal login banner.",
        target="host",
        key="Annotations.WelcomeMessage",
        expect=not_empty(),
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="A banner stating that access is restricted and monitored is what many legal "
        "systems require before unauthorised access can be prosecuted or monitored.",
        remediation="Set Annotations.WelcomeMessage to the text your legal advisors approve "
        "(Advanced System Settings or Set-AdvancedSetting).",
        bad_value="(empty)",
        references=_refs("annotations-welcomemessage", "ESXI-80-000006", "ESXI-80-000007"),
    ),
    SettingRule(
        id="SEC025",
        name="esxi-ssh-banner-missing",
        title="Host shows no login banner for SSH",
        summary="SSH sessions to the host display a legal login banner (/etc/issue).",
        target="host",
        key="Config.Etc.issue",
        expect=not_empty(),
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="SSH is the interactive way into a host; without a banner users are never told "
        "that access is restricted and logged.",
        remediation="Set Config.Etc.issue to the approved banner text; SSH shows it from the "
        "next login.",
        bad_value="(empty)",
        references=_refs("etc-issue", "ESXI-80-000191"),
    ),
    SettingRule(
        id="SEC026",
        name="esxi-api-session-timeout",
        title="Idle vSphere API sessions on the host do not time out soon enough",
        summary="Idle vSphere API (SOAP) sessions to the host expire.",
        target="host",
        key="Config.HostAgent.vmacore.soap.sessionTimeout",
        expect=between(1, "max_minutes", "no timeout"),
        thresholds={"max_minutes": 30},
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="A session left open by a script or client stays usable by anyone who steals its "
        "cookie. The STIG accepts 30 minutes (the default); the SCG recommends 10, set the "
        "threshold ``max_minutes`` to 10 to audit that.",
        remediation="Set Config.HostAgent.vmacore.soap.sessionTimeout (minutes) to 30 or less; "
        "no restart needed.",
        bad_value="0",
        references=_refs("api-soap-timeout", "ESXI-80-000226"),
    ),
    SettingRule(
        id="SEC027",
        name="esxi-hyperthread-warning-suppressed",
        title="Host hides the warning about unmitigated hyperthreading vulnerabilities",
        summary="The host keeps warning when hyperthreading side-channel mitigations are off.",
        target="host",
        key="UserVars.SuppressHyperthreadWarning",
        expect=equals("0"),
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="The warning is the only visible sign that L1TF/MDS-class mitigations are not "
        "applied; suppressing it hides a real exposure between VMs sharing a core.",
        remediation="Set UserVars.SuppressHyperthreadWarning to 0 and decide on the "
        "side-channel-aware scheduler explicitly.",
        bad_value="1",
        references=_refs("cpu-hyperthread-warning", "ESXI-80-000223"),
    ),
    SettingRule(
        id="SEC028",
        name="esxi-host-client-timeout",
        title="Idle Host Client sessions do not time out",
        summary="The ESXi Host Client logs out idle sessions.",
        target="host",
        key="UserVars.HostClientSessionTimeout",
        expect=between(1, "max_s", "no timeout"),
        thresholds={"max_s": 900},
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="A browser left logged in to the Host Client gives full control of the host to "
        "whoever uses that workstation next.",
        remediation="Set UserVars.HostClientSessionTimeout to 900 seconds or less.",
        bad_value="0",
        references=_refs("host-client-session-timeout", "ESXI-80-000010"),
    ),
    SettingRule(
        id="SEC029",
        name="esxi-bmc-virtual-nic-enabled",
        title="Host exposes a virtual NIC to the hardware management controller",
        summary="The host does not enable the BMC's virtual network interface (Redfish host "
        "interface).",
        target="host",
        key="Net.BMCNetworkEnable",
        expect=equals("0"),
        absent=Absent.UNKNOWN,
        severity=Severity.INFO,
        why="The virtual NIC links the BMC (iDRAC, iLO, XCC) to the hypervisor over a network "
        "path that bypasses the management network's firewalls.",
        remediation="Set Net.BMCNetworkEnable to 0 unless a hardware management tool needs it; "
        "takes effect after a reboot.",
        bad_value="1",
        references=_refs("hw-virtual-nic", "ESXI-80-000250"),
    ),
    SettingRule(
        id="SEC030",
        name="esxi-dcui-access-list",
        title="More users than allowed can use the DCUI in lockdown mode",
        summary="Only the allowed users may log in to the DCUI when the host is in lockdown mode.",
        target="host",
        key="DCUI.Access",
        expect=one_of("allowed"),
        thresholds={"allowed": "root"},
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="Users in DCUI.Access keep console access in lockdown mode; every extra account is "
        "a way around the lockdown and around vCenter's audit trail.",
        remediation="Set DCUI.Access to root only (or the users your policy names, listed in "
        "the threshold ``allowed``).",
        bad_value="root,svc-backup",
        references=_refs("lockdown-dcui-access", "ESXI-80-000189"),
    ),
    SettingRule(
        id="SEC031",
        name="esxi-audit-log-disabled",
        title="Host does not record audit events",
        summary="The host keeps audit records locally.",
        target="host",
        key="Syslog.global.auditRecord.storageEnable",
        expect=boolean(True),
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="Audit records say who logged in and what they changed; without them a compromise "
        "or an unauthorised change cannot be reconstructed.",
        remediation="Set Syslog.global.auditRecord.storageEnable to true (or run "
        "``esxcli system auditrecords local enable``).",
        bad_value="false",
        references=_refs("logs-audit-local", "ESXI-80-000232"),
    ),
    SettingRule(
        id="SEC032",
        name="esxi-audit-log-capacity-small",
        title="Host audit record storage is too small",
        summary="The local audit record store is large enough to hold about a week of records.",
        target="host",
        key="Syslog.global.auditRecord.storageCapacity",
        expect=at_least("min_mib"),
        thresholds={"min_mib": 100},
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="With the default 4 MiB the oldest records are overwritten within hours on a busy "
        "host, long before anyone looks at them.",
        remediation="Set Syslog.global.auditRecord.storageCapacity to 100 (MiB) or more.",
        bad_value="4",
        references=_refs("logs-audit-local-capacity", "ESXI-80-000113"),
    ),
    SettingRule(
        id="SEC033",
        name="esxi-audit-log-not-forwarded",
        title="Host does not send audit records to the remote syslog servers",
        summary="The host forwards its audit records to the remote log servers.",
        target="host",
        key="Syslog.global.auditRecord.remoteEnable",
        expect=boolean(True),
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="An intruder with root on the host can erase local audit records; only a remote "
        "copy survives.",
        remediation="Set Syslog.global.auditRecord.remoteEnable to true (a remote log host must "
        "be configured, see SEC019).",
        bad_value="false",
        references=_refs("logs-audit-remote", "ESXI-80-000233"),
    ),
    SettingRule(
        id="SEC035",
        name="esxi-hostd-log-level",
        title="Host agent log level is not info",
        summary="The host agent (hostd) logs at the info level.",
        target="host",
        key="Config.HostAgent.log.level",
        expect=equals("info"),
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="Below info, logins and configuration changes are not logged; above it (verbose, "
        "trivia) logs rotate so fast that the evidence is gone within hours.",
        remediation="Set Config.HostAgent.log.level to info.",
        bad_value="warning",
        references=_refs("logs-level", "ESXI-80-000015", "ESXI-80-000030"),
    ),
    SettingRule(
        id="SEC036",
        name="esxi-syslog-log-level",
        title="Host syslog daemon log level is not an accepted one",
        summary="The syslog daemon logs at an accepted level.",
        target="host",
        key="Syslog.global.logLevel",
        expect=one_of("allowed"),
        thresholds={"allowed": "error,info"},
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="The SCG recommends error, the DISA STIG info; debug floods the log partition and "
        "hides the records that matter.",
        remediation="Set Syslog.global.logLevel to error (SCG) or info (STIG); narrow the "
        "threshold ``allowed`` to the one your baseline requires.",
        bad_value="debug",
        references=_refs("logs-level-global", "ESXI-80-000235"),
    ),
    SettingRule(
        id="SEC037",
        name="esxi-syslog-tls-unverified",
        title="Host does not verify the certificates of TLS syslog servers",
        summary="The host verifies the certificates of its TLS syslog servers.",
        target="host",
        key="Syslog.global.certificate.checkSSLCerts",
        expect=boolean(True),
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="Without verification anyone able to redirect traffic can pose as the log server "
        "and receive, or silently drop, the host's logs.",
        remediation="Set Syslog.global.certificate.checkSSLCerts to true and install the log "
        "server's CA in the host's trust store.",
        bad_value="false",
        references=_refs("logs-remote-tls", "ESXI-80-000224"),
    ),
    SettingRule(
        id="SEC038",
        name="esxi-syslog-x509-lenient",
        title="Host accepts syslog server certificates that are not strictly X.509 compliant",
        summary="Syslog server certificates are checked with strict X.509 rules.",
        target="host",
        key="Syslog.global.certificate.strictX509Compliance",
        expect=boolean(True),
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="Lenient validation accepts malformed or weakly constrained certificates, which "
        "makes impersonating the log server easier.",
        remediation="Set Syslog.global.certificate.strictX509Compliance to true once the log "
        "server's certificate is standards compliant.",
        bad_value="false",
        references=_refs("logs-remote-tls-x509", "ESXI-80-000234"),
    ),
    SettingRule(
        id="SEC039",
        name="esxi-memory-not-eager-zeroed",
        title="Host does not zero memory pages when a VM or process releases them",
        summary="Memory freed by VMs and user worlds is zeroed immediately (volatile key "
        "destruction).",
        target="host",
        key="Mem.MemEagerZero",
        expect=equals("1"),
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="Encryption keys and other secrets stay in freed memory until it is reused; eager "
        "zeroing removes them as soon as the VM powers off.",
        remediation="Set Mem.MemEagerZero to 1; it applies to memory freed from then on.",
        bad_value="0",
        references=_refs("memeagerzero", "ESXI-80-000225"),
    ),
    SettingRule(
        id="SEC040",
        name="esxi-dvfilter-bind-address-set",
        title="Host exposes the dvFilter network API",
        summary="The dvFilter network API is not bound to an address unless a security "
        "appliance uses it.",
        target="host",
        key="Net.DVFilterBindIpAddress",
        expect=empty(),
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="With a bind address set, any process that reaches it can attach to VM traffic "
        "through the dvFilter API; only a network security appliance should.",
        remediation="Clear Net.DVFilterBindIpAddress unless a dvFilter-based appliance needs it "
        "(then suppress this check on those hosts with the reason).",
        bad_value="10.0.0.15",
        references=_refs("network-dvfilter", "ESXI-80-000219"),
    ),
    SettingRule(
        id="SEC041",
        name="esxi-shell-warning-suppressed",
        title="Host hides the warning that SSH or the ESXi Shell is enabled",
        summary="The host keeps warning when SSH or the ESXi Shell is enabled.",
        target="host",
        key="UserVars.SuppressShellWarning",
        expect=equals("0"),
        absent=Absent.UNKNOWN,
        severity=Severity.LOW,
        why="The warning is how administrators notice a shell left enabled after a support "
        "session; suppressed, it stays open unnoticed.",
        remediation="Set UserVars.SuppressShellWarning to 0.",
        bad_value="1",
        references=_refs("shell-warning", "ESXI-80-000222"),
    ),
    SettingRule(
        id="SEC042",
        name="esxi-old-tls-protocols",
        title="Host services accept SSL 3.0, TLS 1.0 or TLS 1.1",
        summary="The host's services refuse SSL 3.0, TLS 1.0 and TLS 1.1.",
        target="host",
        key="UserVars.ESXiVPsDisabledProtocols",
        expect=includes_all("disabled"),
        thresholds={"disabled": "sslv3,tlsv1,tlsv1.1"},
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="The old protocols have known weaknesses (POODLE, BEAST) that let an attacker on "
        "the network decrypt or tamper with management traffic.",
        remediation="Set UserVars.ESXiVPsDisabledProtocols to sslv3,tlsv1,tlsv1.1 and reboot "
        "the host (or use the TLS profile on 8.0 U3).",
        bad_value="sslv3",
        references=_refs("tls-protocols", "ESXI-80-000161"),
    ),
    SettingRule(
        id="SEC043",
        name="esxi-untrusted-binaries-allowed",
        title="Host runs binaries that were not installed from a signed VIB",
        summary="The host executes only binaries delivered by signed, installed VIBs.",
        target="host",
        key="VMkernel.Boot.execInstalledOnly",
        expect=boolean(True),
        absent=Absent.UNKNOWN,
        severity=Severity.MEDIUM,
        why="Ransomware that reaches an ESXi host copies its encryptor to a datastore and runs "
        "it; with execInstalledOnly the kernel refuses to execute it.",
        remediation="Set VMkernel.Boot.execInstalledOnly to true and reboot; with a TPM also "
        "enforce it (esxcli system settings encryption set --require-exec-installed-only=T).",
        bad_value="false",
        references=_refs("vib-trusted-binaries", "ESXI-80-000244"),
    ),
)

register(HOST_RULES)
