"""vCenter must be at least as new as the hosts it manages."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.gaps import ESXI_VERSION, missing
from vmdoctor.knowledge.versions import release_label
from vmdoctor.model import Family, Host, Severity


@check(
    id="CMP014",
    name="vcenter-older-than-host",
    title="vCenter is older than a host it manages",
    family=Family.COMPATIBILITY,
    applies_to="host",
    severity=Severity.HIGH,
    fix=Fix.DISRUPTIVE,
    references=("VMware Product Interoperability Matrix (vCenter Server / ESXi)",),
)
def vcenter_older_than_host(host: Host, ctx: CheckContext) -> Outcome:
    """The vCenter managing the host runs the same or a newer release.

    What it checks:
        The vCenter release (major, minor, update) against the host's ESXi release. Standalone
        hosts (the API endpoint is the host itself) are skipped.
    Why it matters:
        vCenter does not support hosts newer than itself: the host may fail to connect or
        reconnect after an upgrade, and features of the newer release (hardware versions,
        vSAN, vLCM images) misbehave. Upgrade order is always vCenter first.
    Example:
        vc01 runs 8.0 U1 and manages esx03 on ESXi 8.0 U2.
    Remediation:
        Upgrade vCenter to at least the hosts' release; do not upgrade more hosts until then.
    """
    vc = ctx.index.vcenter(host.vcenter_id)
    if vc is None:
        return missing(
            ctx, host.vcenter_id, "the host's vCenter is not in the inventory", "vcenter"
        )
    if "esx" in vc.product.lower():
        return not_applicable()
    host_release = ctx.knowledge.esxi_release(host.version, host.build)
    vc_release = ctx.knowledge.vcenter_release(vc.version, vc.build)
    if host_release is None:
        return missing(ctx, host.id, "ESXi version was not collected", *ESXI_VERSION)
    if vc_release is None:
        return missing(ctx, vc.id, "vCenter version was not collected", "vcenter")
    evidence = {
        "vcenter": vc.name,
        "vcenter_release": release_label(vc_release.release),
        "esxi_release": release_label(host_release.release),
    }
    if vc_release.release[:2] < host_release.release[:2]:
        return fail(
            f"vCenter {evidence['vcenter_release']} manages ESXi {evidence['esxi_release']}",
            None,
            **evidence,
        )
    if vc_release.release[:2] == host_release.release[:2]:
        if not (vc_release.exact and host_release.exact):
            return missing(
                ctx, host.id, "update levels of vCenter or host are not known", "knowledge"
            )
        if vc_release.release[2] < host_release.release[2]:
            return fail(
                f"vCenter {evidence['vcenter_release']} manages ESXi {evidence['esxi_release']}",
                None,
                **evidence,
            )
    return ok()
