"""DRS settings of a cluster."""

from __future__ import annotations

from vmdoctor.checks.base import (
    CheckContext,
    Fix,
    Outcome,
    check,
    fail,
    not_applicable,
    ok,
)
from vmdoctor.checks.gaps import missing
from vmdoctor.model import Cluster, Family, Severity

DRS_NOT_COLLECTED = "the cluster's DRS configuration was not collected"


@check(
    id="CFG009",
    name="cluster-drs-disabled",
    title="DRS is disabled on a cluster with several hosts",
    family=Family.CONFIGURATION,
    applies_to="cluster",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("vSphere Resource Management guide: DRS clusters",),
)
def cluster_drs_disabled(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """DRS is turned on for clusters of two or more hosts.

    What it checks:
        ``drsConfig.enabled`` of clusters with at least two hosts (a one-host cluster has
        nothing to balance). A cluster whose DRS configuration was not collected is UNKNOWN.
    Why it matters:
        Without DRS, load stays wherever VMs were powered on: one host runs hot with high CPU
        ready while others idle, maintenance mode does not evacuate VMs, and resource pools
        are not available (disabling DRS deletes them).
    Example:
        Cluster-B (6 hosts) has DRS disabled; esx03 runs at 95 % CPU, esx05 at 20 %.
    Remediation:
        Turn on DRS in fully automated mode with the default migration threshold (3).
    """
    if cluster.drs is None:
        return missing(ctx, cluster.id, DRS_NOT_COLLECTED, "cluster.drs", "cluster.configurationEx")
    if len(ctx.index.hosts_by_cluster.get(cluster.id, ())) < 2:
        return not_applicable()
    if cluster.drs.enabled:
        return ok()
    return fail("DRS is disabled")


@check(
    id="CFG010",
    name="cluster-drs-not-fully-automated",
    title="DRS is in manual or partially automated mode",
    family=Family.CONFIGURATION,
    applies_to="cluster",
    severity=Severity.LOW,
    fix=Fix.SAFE,
    references=("vSphere Resource Management guide: DRS automation levels",),
)
def cluster_drs_not_fully_automated(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """DRS is fully automated on clusters where it is enabled.

    What it checks:
        ``drsConfig.defaultVmBehavior`` of DRS-enabled clusters: "manual" or
        "partiallyAutomated" fails.
    Why it matters:
        In manual and partially automated modes DRS only recommends migrations: imbalance
        persists until someone applies them, and entering maintenance mode waits for a human
        to move every VM.
    Example:
        Cluster-A runs DRS in manual mode with 14 pending recommendations.
    Remediation:
        Set DRS to fully automated; pin VMs that must not move with VM overrides or
        VM-host rules instead of switching automation off for the whole cluster.
    """
    drs = cluster.drs
    if drs is None:
        return missing(ctx, cluster.id, DRS_NOT_COLLECTED, "cluster.drs", "cluster.configurationEx")
    if not drs.enabled:
        return not_applicable()
    if drs.behavior is None:
        return missing(
            ctx,
            cluster.id,
            "the DRS automation level was not collected",
            "cluster.drs",
            "cluster.configurationEx",
        )
    if drs.behavior == "fullyAutomated":
        return ok()
    return fail(f"DRS automation level is {drs.behavior}", behavior=drs.behavior)
