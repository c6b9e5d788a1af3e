"""Management plane causes: vCenter's database, disk, memory and sessions; login storms."""

from __future__ import annotations

from vmdoctor.diagnose import probes
from vmdoctor.diagnose.kinds import HOST_NOT_RESPONDING, MANAGEMENT_UNRESPONSIVE
from vmdoctor.diagnose.signals import CauseRule, event, log, rule
from vmdoctor.model import Family

_MGMT = (MANAGEMENT_UNRESPONSIVE,)

MANAGEMENT_RULES: tuple[CauseRule, ...] = (
    rule(
        "vcenter-database-failure",
        Family.CONFIGURATION,
        "vCenter lost its database",
        symptoms=_MGMT,
        relations=("self", "vcenter"),
        signals=(
            log(
                r"ODBC error|Failed to connect to (the )?database|[Dd]atabase connection "
                r"(lost|failed)",
                "vpxd",
                weight=0.85,
            ),
            log(r"VpxdVdb|vdb.*[Ee]rror", "vpxd", weight=0.5),
            log(r"Init failed", "vpxd", weight=0.4),
        ),
        remediation="Check the vPostgres service (service-control --status vmware-vpostgres) "
        "and its disk; restart vpxd once the database answers.",
        prevention="Watch the vCenter database partition and purge old events/tasks "
        "(retention settings).",
    ),
    rule(
        "vcenter-disk-full",
        Family.STORAGE,
        "A vCenter appliance partition is full",
        symptoms=_MGMT,
        relations=("self", "vcenter"),
        signals=(
            log(r"No space left on device", "vpxd", "vmon", "vpostgres", weight=0.85),
            log(
                r"/storage/(log|db|seat|core)\S* .*(full|exceeded|[0-9]{2} ?% used)",
                "vpxd",
                "vmon",
                "syslog",
                weight=0.75,
            ),
            event("com.vmware.vc.health.StorageFull", weight=0.85),
        ),
        remediation="Free space on the full partition (old logs, core dumps, SEAT data) or "
        "grow the appliance disk; then restart the services.",
        prevention="Alert on VCSA partition usage; size the appliance for the event volume.",
    ),
    rule(
        "vcenter-session-exhaustion",
        Family.RESOURCES,
        "vCenter ran out of API sessions (a script or tool leaks sessions)",
        symptoms=_MGMT,
        relations=("self", "vcenter"),
        signals=(
            log(
                r"[Ss]ession limit (reached|exceeded)|[Tt]oo many sessions|[Mm]aximum number "
                r"of sessions",
                "vpxd",
                weight=0.85,
            ),
        ),
        probes=(probes.vcenter_sessions_exhausted,),
        remediation="Find the client holding most sessions (Administration > Sessions) and "
        "terminate its idle sessions; fix the script to log out.",
        prevention="Monitoring and backup tools must reuse one session and log out.",
    ),
    rule(
        "vcenter-out-of-memory",
        Family.RESOURCES,
        "vCenter services ran out of memory",
        symptoms=_MGMT,
        relations=("self", "vcenter"),
        signals=(
            log(
                r"OutOfMemory|std::bad_alloc|[Oo]ut of memory",
                "vpxd",
                "vmon",
                "vsphere-ui",
                weight=0.85,
            ),
        ),
        remediation="Restart the affected service; give the appliance the memory its size "
        "class needs.",
        prevention="Size vCenter for the inventory (tiny/small/medium/large) and watch its memory.",
    ),
    rule(
        "vcenter-database-slow",
        Family.RESOURCES,
        "vCenter's database answers slowly, so every API call waits",
        symptoms=_MGMT,
        relations=("self", "vcenter"),
        signals=(
            log(
                r"VdbStatement.* took \d{4,} ?ms|[Ss]low (SQL|database) (query|statement)",
                "vpxd",
                weight=0.8,
            ),
            log(r"VpxProfiler.* took \d{5,} ?ms", "vpxd", weight=0.3),
        ),
        remediation="Check the vPostgres service and the latency of the disk under "
        "/storage/db; purge old events and tasks (Advanced settings: event.maxAge, task.maxAge) "
        "and let the database vacuum.",
        prevention="Keep event/task retention bounded, put the appliance on storage with low "
        "latency, and alert on vCenter database size.",
    ),
    rule(
        "vcenter-overloaded",
        Family.RESOURCES,
        "vCenter is overloaded: its operations take tens of seconds",
        symptoms=_MGMT,
        relations=("self", "vcenter"),
        signals=(log(r"VpxProfiler.* took \d{5,} ?ms", "vpxd", weight=0.6),),
        remediation="Look at the appliance's CPU and memory (VAMI > Monitor), at what floods the "
        "API (Administration > Sessions: a script polling without a pause), and restart vpxd if "
        "it stays slow.",
        prevention="Size vCenter for the inventory, throttle monitoring and backup tools, and "
        "alert on API latency.",
    ),
    rule(
        "brute-force-login",
        Family.SECURITY,
        "Repeated failed logins locked accounts and loaded the management plane",
        symptoms=(MANAGEMENT_UNRESPONSIVE, HOST_NOT_RESPONDING),
        relations=("self", "host", "vcenter"),
        signals=(
            event("esx.audit.account.locked", weight=0.8),
            log(
                r"has been locked for \d+ seconds after \d+ failed login attempts",
                "vobd",
                "hostd",
                weight=0.8,
            ),
            event("BadUsernameSessionEvent", weight=0.35),
            event("com.vmware.sso.LoginFailure", weight=0.35),
        ),
        remediation="Block the source address, rotate any exposed password, and unlock the "
        "account once the source is stopped.",
        prevention="Restrict management interfaces to an admin network; enable lockdown mode.",
    ),
)
