"""Builds affected by VMware security advisories (VMSA): ESXi, vCenter and VMware Tools."""

from __future__ import annotations

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    check,
    fail,
    not_applicable,
    ok,
    unknown,
)
from vmdoctor.checks.gaps import ESXI_VERSION, missing
from vmdoctor.knowledge import BuildAssessment
from vmdoctor.knowledge.versions import is_real_tools_version, tools_int_to_version
from vmdoctor.model import VM, Family, Host, Severity, VCenter
from vmdoctor.model.finding import EvidenceValue

_MAX_LISTED_CVES = 12


def _build_label(row: object) -> str:
    return f"{getattr(row, 'release', '?')} ({getattr(row, 'build', '?')})"


def _assessment_outcome(product: str, assessment: BuildAssessment, ctx: CheckContext) -> Outcome:
    if not assessment.known:
        below, above = assessment.nearest
        return unknown(
            f"{product} build {assessment.build} is not in the knowledge base: "
            "its advisories cannot be assessed",
            nearest_older=_build_label(below) if below else None,
            nearest_newer=_build_label(above) if above else None,
            advisories_fixed_only_in_newer_builds=", ".join(assessment.older_than_fixes) or None,
        )
    affected = assessment.affected
    evidence: dict[str, EvidenceValue] = {"build": assessment.build}
    if assessment.release is not None:
        evidence["release"] = assessment.release.release
    support = ctx.knowledge.support(product.lower(), assessment.line, ctx.now.date())
    unlisted: tuple[str, ...] = ()
    if support is not None and support.past_general_support and assessment.line:
        unlisted = ctx.knowledge.unlisted_advisories(
            product.lower(), assessment.line, support.lifecycle.end_of_general_support
        )
        if unlisted:
            evidence["not_assessed_since_end_of_support"] = ", ".join(unlisted)
    if not affected and unlisted:
        return unknown(
            f"{product} {assessment.line} is past end of general support "
            f"({support.lifecycle.end_of_general_support if support else '?'}): "
            f"{len(unlisted)} later advisories do not list it, so its exposure cannot be assessed",
            **evidence,
        )
    if not affected:
        if assessment.unknown:
            names = sorted({v.advisory.advisory for v in assessment.unknown})
            return unknown(
                f"fix build not known for {', '.join(names)}",
                advisories_unknown=", ".join(names),
                **evidence,
            )
        return ok()
    rows = [v.advisory for v in affected]
    cves = sorted({c for r in rows for c in r.cves})
    exploited = sorted({r.advisory for r in rows if r.exploited or r.kev})
    kev = sorted({r.advisory for r in rows if r.kev})
    cvss = max(r.cvss_max for r in rows)
    target = assessment.patch_target
    evidence |= {
        "advisories": ", ".join(r.advisory for r in rows),
        "cves": ", ".join(cves[:_MAX_LISTED_CVES])
        + (f" (+{len(cves) - _MAX_LISTED_CVES} more)" if len(cves) > _MAX_LISTED_CVES else ""),
        "cve_count": len(cves),
        "max_cvss": cvss,
        "exploited_in_the_wild": ", ".join(exploited) or None,
        "cisa_kev": ", ".join(kev) or None,
        "patch_target": _build_label(target) if target else None,
        "conditions": "; ".join(sorted({r.applies_if for r in rows if r.applies_if})) or None,
        "advisories_unknown": ", ".join(sorted({v.advisory.advisory for v in assessment.unknown}))
        or None,
    }
    severity = Severity.CRITICAL if exploited else Severity.HIGH if cvss >= 7.0 else Severity.MEDIUM
    unfixable = sorted({r.advisory for r in rows if r.fix_status == "none"})
    if unfixable:
        evidence["no_fix_on_this_line"] = ", ".join(unfixable)
    advice = (
        f"patch to {_build_label(target)}"
        if target
        else "no known build of this line fixes them all: upgrade"
    )
    return fail(
        f"{len(rows)} advisories affect build {assessment.build} (max CVSS {cvss}"
        + (f", exploited: {', '.join(exploited)}" if exploited else "")
        + f"); {advice}"
        + (
            f"; no fix on this line for {', '.join(unfixable)}: apply its workaround"
            if unfixable
            else ""
        ),
        severity,
        **evidence,
    )


@check(
    id="SEC001",
    name="esxi-vulnerable-build",
    title="ESXi build is affected by security advisories",
    family=Family.SECURITY,
    applies_to="host",
    severity=Severity.HIGH,
    fix=Fix.DISRUPTIVE,
    references=(
        "VMware Security Advisories (VMSA)",
        "CISA Known Exploited Vulnerabilities",
        "Broadcom KB 2143832",
    ),
)
def esxi_vulnerable_build(host: Host, ctx: CheckContext) -> Outcome:
    """The host's ESXi build is not affected by any known VMware security advisory.

    What it checks:
        The build against every advisory row of its line in the knowledge base (fixed build per
        line or update branch; a security-only build counts as its full patch). It fails with
        the advisories, CVEs, highest CVSS and the lowest build that fixes them all. Exploited
        in the wild or CISA KEV-listed advisories make it critical. An unknown build is UNKNOWN
        with the nearest known builds, never a pass.
    Why it matters:
        ESXi flaws are exploited by ransomware crews (OpenSLP/ESXiArgs, the "ESX Admins" AD
        group) and by guest-to-host escapes (VMCI/HGFS, VMSA-2025-0004): one unpatched host
        exposes every VM and datastore it touches.
    Example:
        esx01 runs 8.0 U1 (21495797): 6 advisories incl. VMSA-2025-0004 (KEV); patch to
        ESXi 8.0 Update 3f (24784735).
    Remediation:
        Patch to the target build (or newer) with vSphere Lifecycle Manager, host by host in
        maintenance mode; until then apply the advisory's workaround (e.g. stop slpd, remove USB
        controllers) where one exists.
    """
    if host.build is None:
        return missing(ctx, host.id, "ESXi build was not collected", *ESXI_VERSION)
    return _assessment_outcome("ESXi", ctx.knowledge.esxi_assessment(host.build, host.version), ctx)


@check(
    id="SEC002",
    name="vcenter-vulnerable-build",
    title="vCenter build is affected by security advisories",
    family=Family.SECURITY,
    applies_to="vcenter",
    severity=Severity.HIGH,
    fix=Fix.DISRUPTIVE,
    references=(
        "VMware Security Advisories (VMSA)",
        "CISA Known Exploited Vulnerabilities",
        "Broadcom KB 2143838",
    ),
)
def vcenter_vulnerable_build(vc: VCenter, ctx: CheckContext) -> Outcome:
    """The vCenter build is not affected by any known VMware security advisory.

    What it checks:
        about.build against the vCenter advisory rows of its line, as for ESXi: advisories,
        CVEs, highest CVSS, exploitation and the lowest build fixing them all. Unknown builds
        are UNKNOWN. Standalone ESXi endpoints are left to the host check.
    Why it matters:
        vCenter DCERPC and plugin flaws (VMSA-2021-0002, 2023-0023, 2024-0019) gave attackers
        unauthenticated remote code execution on the system that controls every host.
    Example:
        vc01 runs 8.0 U1 (21560480): VMSA-2023-0023 (KEV) and 4 more; patch to 8.0 U3e.
    Remediation:
        Back up vCenter (file-based backup and a snapshot), then patch through the VAMI or
        vCenter Lifecycle Manager to the target build or newer.
    """
    if "esx" in vc.product.lower():
        return not_applicable()
    if vc.build is None:
        return missing(ctx, vc.id, "vCenter build was not collected", "vcenter")
    return _assessment_outcome(
        "vCenter", ctx.knowledge.vcenter_assessment(vc.build, vc.version), ctx
    )


@check(
    id="SEC003",
    name="vm-tools-vulnerable",
    title="VMware Tools version is affected by security advisories",
    family=Family.SECURITY,
    applies_to="vm",
    severity=Severity.MEDIUM,
    fix=Fix.DISRUPTIVE,
    references=("VMSA-2023-0013", "VMSA-2025-0015"),
)
def vm_tools_vulnerable(vm: VM, ctx: CheckContext) -> Outcome:
    """The VM's VMware Tools version is not affected by a Tools security advisory.

    What it checks:
        The Tools version number against the affected ranges of Tools advisories (e.g. guest
        operations without authentication, VMSA-2023-0013; service-discovery privilege
        escalation, VMSA-2025-0015). OS-managed open-vm-tools report "unmanaged" and are
        skipped: their fixes come with the distribution's packages.
    Why it matters:
        Tools flaws were exploited in the wild (UNC3886 used VMSA-2023-0013 to run commands in
        guests from a compromised host; VMSA-2025-0015 gives root in Linux guests).
    Example:
        web-07 runs Tools 12.1.5: affected by VMSA-2023-0013 and VMSA-2025-0015.
    Remediation:
        Upgrade Tools to the fixed release or newer (12.5.4 / 13.0.5) from vCenter or the guest's
        package manager.
    """
    if vm.template:
        return not_applicable()
    if vm.tools_version is None:
        return missing(ctx, vm.id, "Tools version was not collected", "vm.guest")
    if not is_real_tools_version(vm.tools_version):
        return not_applicable()
    version = vm.tools_version
    return ctx.knowledge.memo(("SEC003", version), lambda: _tools_outcome(ctx, version))


def _tools_outcome(ctx: CheckContext, version: int) -> Outcome:
    rows = ctx.knowledge.tools_advisories.affecting(version)
    if not rows:
        return ok()
    exploited = [r.advisory for r in rows if r.exploited or r.kev]
    return fail(
        f"Tools {tools_int_to_version(version)} is affected by "
        + ", ".join(r.advisory for r in rows),
        Severity.HIGH if exploited else None,
        tools_version=tools_int_to_version(version),
        advisories=", ".join(r.advisory for r in rows),
        cves=", ".join(sorted({c for r in rows for c in r.cves})),
        fixed_in=", ".join(sorted({r.fixed_version for r in rows})),
        exploited_in_the_wild=", ".join(exploited) or None,
    )
