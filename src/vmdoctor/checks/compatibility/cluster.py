"""Cluster homogeneity: ESXi versions and CPUs that vMotion, HA and DRS can work with."""

from __future__ import annotations

from collections import Counter

from vmdoctor.checks.base import CheckContext, Fix, Outcome, check, fail, not_applicable, ok
from vmdoctor.checks.gaps import ESXI_VERSION, HOST_HARDWARE, missing, missing_any
from vmdoctor.model import Cluster, Family, Severity


def _summary(counts: Counter[str]) -> str:
    return ", ".join(f"{value} x{n}" for value, n in counts.most_common())


@check(
    id="CMP012",
    name="cluster-mixed-esxi-versions",
    title="Cluster runs several ESXi versions",
    family=Family.COMPATIBILITY,
    applies_to="cluster",
    severity=Severity.MEDIUM,
    fix=Fix.DISRUPTIVE,
    references=(
        "VMware Product Interoperability Matrix",
        "vSphere Lifecycle Manager documentation",
    ),
)
def cluster_mixed_esxi_versions(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """All hosts of a cluster run the same ESXi version.

    What it checks:
        The distinct ESXi versions (product.version, e.g. 8.0.2 vs 8.0.3) among the cluster's hosts.
    Why it matters:
        A mixed cluster limits VMs to the oldest host's hardware version and guest OS list,
        makes vMotion and HA restarts fail for VMs upgraded on newer hosts, and usually means a
        remediation stopped half way. vLCM image-managed clusters cannot be mixed for long.
    Example:
        Cluster-A: 8.0.3 x6, 8.0.2 x2.
    Remediation:
        Finish the upgrade: remediate the remaining hosts with vSphere Lifecycle Manager (one
        at a time, in maintenance mode).
    """
    hosts = ctx.index.hosts_by_cluster.get(cluster.id, [])
    if not hosts:
        return not_applicable()
    versions = Counter(h.version for h in hosts if h.version is not None)
    if len(versions) > 1:
        return fail(
            f"hosts run {len(versions)} ESXi versions: {_summary(versions)}",
            versions=_summary(versions),
        )
    if sum(versions.values()) < len(hosts):
        return missing_any(
            ctx,
            [h.id for h in hosts if h.version is None],
            "the ESXi version of some hosts was not collected",
            *ESXI_VERSION,
        )
    return ok()


@check(
    id="CMP013",
    name="cluster-mixed-cpus-without-evc",
    title="Cluster mixes CPU vendors, or CPU generations without EVC",
    family=Family.COMPATIBILITY,
    applies_to="cluster",
    severity=Severity.HIGH,
    fix=Fix.DISRUPTIVE,
    references=("VMware KB 1003212", "VMware KB 1005764"),
)
def cluster_mixed_cpus_without_evc(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """vMotion works between every pair of hosts of the cluster.

    What it checks:
        CPU vendors of the hosts (Intel and AMD never vMotion between each other, EVC or not),
        and, when EVC is off, CPU generations: the hosts' highest supported EVC mode, or their
        CPU model when that is not collected.
    Why it matters:
        Without a common CPU baseline a running VM cannot move to an older-generation host: DRS
        cannot balance, maintenance mode hangs evacuating, and HA restarts after a failure are
        the only way VMs move (with downtime).
    Example:
        Cluster-B has EVC disabled; hosts support intel-cascadelake (x4) and intel-icelake (x2).
    Remediation:
        Enable EVC at the highest mode all hosts support (VMs pick it up at their next power
        cycle), or split hosts of different vendors into separate clusters.
    """
    hosts = ctx.index.hosts_by_cluster.get(cluster.id, [])
    if len(hosts) < 2:
        return not_applicable()
    vendors = Counter(h.cpu_vendor.lower() for h in hosts if h.cpu_vendor)
    if len(vendors) > 1:
        return fail(
            f"hosts mix CPU vendors: {_summary(vendors)}",
            Severity.CRITICAL,
            vendors=_summary(vendors),
        )
    if cluster.evc_mode:
        return ok()
    gap = ctx.index.gap_for("cluster.config", cluster.id)
    if gap is not None:
        return missing(
            ctx, cluster.id, "the cluster's EVC mode was not collected", "cluster.config"
        )
    modes = Counter(h.max_evc_mode for h in hosts if h.max_evc_mode)
    if len(modes) == len(hosts):
        if len(modes) > 1:
            return fail(
                f"EVC is off and hosts differ in CPU generation: {_summary(modes)}",
                evc_modes=_summary(modes),
            )
        return ok()
    models = Counter(h.cpu_model for h in hosts if h.cpu_model)
    if len(models) > 1:
        return fail(
            f"EVC is off and hosts have different CPUs: {_summary(models)}",
            cpu_models=_summary(models),
        )
    if sum(models.values()) < len(hosts):
        return missing_any(
            ctx,
            [h.id for h in hosts if not h.cpu_model],
            "the CPU of some hosts was not collected",
            *HOST_HARDWARE,
        )
    return ok()
