"""End of support and builds the knowledge base does not know."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.gaps import ESXI_VERSION, missing
from vmdoctor.knowledge.builds import BuildCatalog
from vmdoctor.knowledge.core import SupportStatus
from vmdoctor.model import Family, Host, Severity, VCenter
from vmdoctor.model.finding import EvidenceValue


def _support_outcome(product: str, support: SupportStatus, warn_days: float) -> Outcome:
    row = support.lifecycle
    evidence: dict[str, EvidenceValue] = {
        "version_line": row.version_line,
        "end_of_general_support": row.end_of_general_support.isoformat(),
        "end_of_technical_guidance": row.end_of_technical_guidance.isoformat(),
        "days_to_end_of_general_support": support.days_to_end_of_general_support,
    }
    if support.past_technical_guidance:
        return fail(
            f"{product} {row.version_line} is past end of technical guidance "
            f"({row.end_of_technical_guidance}): no patches, no support",
            Severity.CRITICAL,
            **evidence,
        )
    if support.past_general_support:
        return fail(
            f"{product} {row.version_line} is past end of general support "
            f"({row.end_of_general_support}): no security patches",
            Severity.HIGH,
            **evidence,
        )
    if support.days_to_end_of_general_support <= warn_days:
        return fail(
            f"{product} {row.version_line} reaches end of general support in "
            f"{support.days_to_end_of_general_support} days ({row.end_of_general_support})",
            Severity.LOW,
            **evidence,
        )
    return ok()


@check(
    id="CMP008",
    name="esxi-end-of-support",
    title="ESXi version is past (or near) end of general support",
    family=Family.COMPATIBILITY,
    applies_to="host",
    severity=Severity.HIGH,
    thresholds={"warn_days": 180},
    fix=Fix.DISRUPTIVE,
    references=("Broadcom Product Lifecycle Matrix", "vSphere 8 SCG esxi-8.supported"),
)
def esxi_end_of_support(host: Host, ctx: CheckContext) -> Outcome:
    """The host's ESXi line is still in general support, with time to spare.

    What it checks:
        The host's ESXi line (6.5, 6.7, 7.0, 8.0) against the end of general support and end of
        technical guidance dates in the knowledge base. Within ``warn_days`` (180) of the end of
        general support it fails with low severity; past it, high; past technical guidance,
        critical.
    Why it matters:
        After end of general support no security patches are released (several exploited
        VMSAs were never fixed on 6.5/6.7), new hardware and guest OS releases are not
        certified, and support cases are refused or limited.
    Example:
        esx07 runs ESXi 7.0 U3; general support ended on 2025-10-02.
    Remediation:
        Plan the upgrade to a supported release: check hardware and driver compatibility in the
        VMware Compatibility Guide, upgrade vCenter first, then the hosts with vLCM, one cluster
        at a time.
    """
    if host.version is None and host.build is None:
        return missing(ctx, host.id, "ESXi version was not collected", *ESXI_VERSION)
    line = ctx.knowledge.esxi.line_of(host.version, host.build)
    support = ctx.knowledge.support("esxi", line, ctx.now.date())
    if support is None:
        return missing(
            ctx, host.id, f"no lifecycle dates for ESXi {line or host.version}", "knowledge"
        )
    return _support_outcome("ESXi", support, ctx.threshold("warn_days"))


@check(
    id="CMP009",
    name="vcenter-end-of-support",
    title="vCenter version is past (or near) end of general support",
    family=Family.COMPATIBILITY,
    applies_to="vcenter",
    severity=Severity.HIGH,
    thresholds={"warn_days": 180},
    fix=Fix.DISRUPTIVE,
    references=("Broadcom Product Lifecycle Matrix", "vSphere 8 SCG vcenter-8.supported"),
)
def vcenter_end_of_support(vc: VCenter, ctx: CheckContext) -> Outcome:
    """The vCenter Server line is still in general support, with time to spare.

    What it checks:
        The vCenter line against the lifecycle table, as for ESXi: low severity within
        ``warn_days`` (180) of end of general support, high past it, critical past end of
        technical guidance. A standalone ESXi host answering the API is skipped.
    Why it matters:
        vCenter is the most attacked part of vSphere (DCERPC and plugin RCEs exploited in the
        wild); without general support its next critical flaw stays open, and it cannot manage
        hosts of newer releases.
    Example:
        vc01 runs vCenter 7.0 U3; general support ended on 2025-10-02.
    Remediation:
        Upgrade vCenter to a supported release (back up first, check plugin and backup-product
        compatibility), before upgrading any host.
    """
    if "esx" in vc.product.lower():
        return not_applicable()
    if vc.version is None and vc.build is None:
        return missing(ctx, vc.id, "vCenter version was not collected", "vcenter")
    line = ctx.knowledge.vcenter.line_of(vc.version, vc.build)
    support = ctx.knowledge.support("vcenter", line, ctx.now.date())
    if support is None:
        return missing(
            ctx, vc.id, f"no lifecycle dates for vCenter {line or vc.version}", "knowledge"
        )
    return _support_outcome("vCenter", support, ctx.threshold("warn_days"))


def _unknown_build(catalog: BuildCatalog, product: str, version: str | None, build: int) -> Outcome:
    line = catalog.line_of(version, build)
    below, above = catalog.nearest(build, line)
    return fail(
        f"{product} build {build} is not in the knowledge base",
        version=version,
        nearest_older=f"{below.release} ({below.build})" if below else None,
        nearest_newer=f"{above.release} ({above.build})" if above else None,
    )


@check(
    id="CMP010",
    name="esxi-build-unknown",
    title="ESXi build is not in the knowledge base",
    family=Family.COMPATIBILITY,
    applies_to="host",
    severity=Severity.INFO,
    fix=Fix.MANUAL,
    references=("Broadcom KB 2143832",),
)
def esxi_build_unknown(host: Host, ctx: CheckContext) -> Outcome:
    """The host's ESXi build is one the knowledge base knows.

    What it checks:
        host.config.product.build against the ESXi build table (from KB 2143832).
    Why it matters:
        Advisory, Tools and hardware-version checks need to know the release a build belongs
        to. An unknown build is either newer than the knowledge data (run ``vmdoctor kb update``)
        or a custom/OEM or hot-patch build; its security status is then UNKNOWN, never safe.
    Example:
        esx12 runs build 24999999, between ESXi 8.0 U3g (24859861) and 8.0 U3h (25067014).
    Remediation:
        Update the knowledge base (``vmdoctor kb update``); if the build stays unknown, look it up
        in KB 2143832 or the vendor's custom-image release notes.
    """
    if host.build is None:
        return missing(ctx, host.id, "ESXi build was not collected", *ESXI_VERSION)
    if ctx.knowledge.esxi.release(host.build) is None:
        return _unknown_build(ctx.knowledge.esxi, "ESXi", host.version, host.build)
    return ok()


@check(
    id="CMP011",
    name="vcenter-build-unknown",
    title="vCenter build is not in the knowledge base",
    family=Family.COMPATIBILITY,
    applies_to="vcenter",
    severity=Severity.INFO,
    fix=Fix.MANUAL,
    references=("Broadcom KB 2143838",),
)
def vcenter_build_unknown(vc: VCenter, ctx: CheckContext) -> Outcome:
    """The vCenter build is one the knowledge base knows.

    What it checks:
        about.build against the vCenter build table (from KB 2143838). Standalone ESXi
        endpoints are skipped (the host checks cover them).
    Why it matters:
        The vCenter advisory check needs the release a build belongs to; an unknown build gets
        an UNKNOWN security verdict until the knowledge data knows it.
    Example:
        vc01 reports build 24999999, newer than any vCenter 8.0 build in the knowledge base.
    Remediation:
        Update the knowledge base (``vmdoctor kb update``) or look the build up in KB 2143838.
    """
    if "esx" in vc.product.lower():
        return not_applicable()
    if vc.build is None:
        return missing(ctx, vc.id, "vCenter build was not collected", "vcenter")
    if ctx.knowledge.vcenter.release(vc.build) is None:
        return _unknown_build(ctx.knowledge.vcenter, "vCenter", vc.version, vc.build)
    return ok()
