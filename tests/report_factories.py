"""Findings, scan results and reports built by hand, for the reporter tests.

Stats are derived from the findings (plus explicit pass counts), so every report built here is
internally consistent without running the checks, and the tests do not depend on which checks
exist today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from vmdoctor.model import (
    CheckStats,
    Environment,
    Family,
    Finding,
    Gap,
    ObjectRef,
    ScanResult,
    Severity,
    Status,
)
from vmdoctor.report import Report, build_report

from factories import GIB, NOW, make_datastore, make_env, make_host, make_vm

FAMILY_OF_PREFIX = {
    "RES": Family.RESOURCES,
    "CMP": Family.COMPATIBILITY,
    "CFG": Family.CONFIGURATION,
    "STO": Family.STORAGE,
    "SEC": Family.SECURITY,
}
XSS = "<script>alert('x')</script>"


def make_finding(
    check_id: str = "STO001",
    *,
    status: Status = Status.FAIL,
    severity: Severity = Severity.HIGH,
    obj_type: str = "datastore",
    obj_id: str = "ds1",
    obj_name: str = "ds-prod-01",
    cluster: str | None = None,
    message: str = "only 4.0 % free",
    evidence: Mapping[str, Any] | None = None,
    references: Iterable[str] = ("VMware KB 2003964",),
    name: str | None = None,
) -> Finding:
    return Finding(
        check_id=check_id,
        name=name or f"check-{check_id.lower()}",
        title=f"Title of {check_id}",
        family=FAMILY_OF_PREFIX[check_id[:3]],
        severity=severity,
        status=status,
        object=ObjectRef(type=obj_type, id=obj_id, name=obj_name, cluster=cluster),
        message=message,
        evidence=dict(evidence or {}),
        remediation=f"Fix what {check_id} found.",
        references=list(references),
    )


def make_result(
    findings: Iterable[Finding],
    passed: Mapping[str, int] | None = None,
    *,
    check_severity: Mapping[str, Severity] | None = None,
    passed_findings: Iterable[Finding] = (),
) -> ScanResult:
    """A ScanResult whose stats count ``findings`` plus ``passed[check_id]`` passes."""
    findings = list(findings)
    stats: dict[str, CheckStats] = {}

    def stat_for(check_id: str, name: str, severity: Severity) -> CheckStats:
        if check_id not in stats:
            stats[check_id] = CheckStats(
                check_id=check_id,
                name=name,
                family=FAMILY_OF_PREFIX[check_id[:3]],
                severity=(check_severity or {}).get(check_id, severity),
            )
        return stats[check_id]

    for f in findings:
        s = stat_for(f.check_id, f.name, f.severity)
        s.checked += 1
        if f.status is Status.FAIL:
            s.failed += 1
        elif f.status is Status.UNKNOWN:
            s.unknown += 1
        elif f.status is Status.SKIPPED:
            s.skipped += 1
        elif f.status is Status.ERROR:
            s.errors += 1
    for check_id, n in (passed or {}).items():
        s = stat_for(check_id, f"check-{check_id.lower()}", Severity.MEDIUM)
        s.checked += n
        s.passed += n
    return ScanResult(
        started_at=datetime(2026, 11, 20, 12, 0, 5, tzinfo=UTC),
        duration_s=0.25,
        findings=findings,
        stats=sorted(stats.values(), key=lambda s: s.check_id),
        passed_findings=list(passed_findings),
    )


def sample_env(**kw: Any) -> Environment:
    """Three datastores (one nearly full), two hosts (one loaded), two VMs, one gap."""
    base: dict[str, Any] = dict(
        datastores=[
            make_datastore(id="ds1", name="ds-prod-01", free_bytes=80 * GIB),
            make_datastore(id="ds2", name="ds-prod-02", free_bytes=1500 * GIB),
            make_datastore(id="ds3", name=f"ds-{XSS}", free_bytes=700 * GIB),
        ],
        hosts=[
            make_host(id="h1", name="esx01.lab.local", cpu_usage_mhz=120_000),
            make_host(id="h2", name="esx02.lab.local"),
        ],
        vms=[make_vm(id="vm1", name="app-web-01"), make_vm(id="vm2", name=f"vm-{XSS}")],
        gaps=[
            Gap(what="metrics", reason="performance statistics level 1: counters missing"),
            Gap(
                what="host.config",
                reason=f"permission denied {XSS}",
                object_type="host",
                object_id="h2",
                object_name="esx02.lab.local",
            ),
        ],
    )
    return make_env(**(base | kw))


def sample_findings() -> list[Finding]:
    return [
        make_finding(
            "STO001",
            severity=Severity.CRITICAL,
            message="only 3.9 % free",
            evidence={"free_pct": 3.9, "thin": True, "note": None},
        ),
        make_finding(
            "RES001",
            severity=Severity.HIGH,
            obj_type="host",
            obj_id="h1",
            obj_name="esx01.lab.local",
            cluster="Cluster-A",
            message="CPU at 94 %",
        ),
        make_finding(
            "SEC002",
            severity=Severity.MEDIUM,
            obj_type="host",
            obj_id="h1",
            obj_name="esx01.lab.local",
            cluster="Cluster-A",
            message="SSH is running",
        ),
        make_finding(
            "SEC002",
            severity=Severity.MEDIUM,
            obj_type="vm",
            obj_id="vm2",
            obj_name=f"vm-{XSS}",
            message=f"message with {XSS}",
        ),
        make_finding(
            "CMP001",
            status=Status.UNKNOWN,
            severity=Severity.LOW,
            obj_type="vm",
            obj_id="vm1",
            obj_name="app-web-01",
            message="guest OS not reported",
        ),
        make_finding(
            "CFG003",
            status=Status.ERROR,
            severity=Severity.MEDIUM,
            obj_type="vm",
            obj_id="vm1",
            obj_name="app-web-01",
            message="check failed: KeyError",
        ),
    ]


def sample_report(**kw: Any) -> Report:
    result = make_result(
        sample_findings(), passed={"STO001": 2, "RES001": 1, "SEC002": 3, "CMP001": 1}
    )
    return build_report(sample_env(), result, generated_at=NOW, **kw)


def many_findings(n: int) -> list[Finding]:
    """n findings over n // 2 VMs, cycling severities, statuses and families."""
    severities = list(Severity)
    checks = ["RES003", "CMP002", "CFG004", "STO003", "SEC005"]
    statuses = [Status.FAIL, Status.FAIL, Status.UNKNOWN]
    return [
        make_finding(
            checks[i % len(checks)],
            status=statuses[i % len(statuses)],
            severity=severities[i % len(severities)],
            obj_type="vm",
            obj_id=f"vm{i // 2}",
            obj_name=f"vm-{i // 2:06d}",
            cluster=f"Cluster-{i % 7}",
            message=f"value {i} above threshold",
            evidence={"value": i, "limit": 10},
        )
        for i in range(n)
    ]
