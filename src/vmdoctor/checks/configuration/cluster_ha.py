"""vSphere HA settings of a cluster."""

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

HA_NOT_COLLECTED = "the cluster's HA configuration was not collected"


@check(
    id="CFG006",
    name="cluster-ha-disabled",
    title="vSphere HA is disabled on the cluster",
    family=Family.CONFIGURATION,
    applies_to="cluster",
    severity=Severity.HIGH,
    fix=Fix.SAFE,
    references=("VMware KB 1001596", "vSphere Availability guide"),
)
def cluster_ha_disabled(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """vSphere HA is turned on for the cluster.

    What it checks:
        ``das.enabled`` of every cluster. A cluster whose HA configuration was not collected
        is UNKNOWN.
    Why it matters:
        Without HA, a host failure (PSOD, power, network isolation) leaves its VMs powered off
        until someone notices and starts them by hand - the outage lasts as long as nobody
        looks.
    Example:
        Cluster-B has HA disabled: the 120 VMs of a failed host stay down.
    Remediation:
        Turn on vSphere HA (Cluster > Configure > vSphere Availability), with host monitoring
        and admission control; this is live and does not touch running VMs.
    """
    if cluster.ha is None:
        return missing(ctx, cluster.id, HA_NOT_COLLECTED, "cluster.ha", "cluster.configurationEx")
    if cluster.ha.enabled:
        return ok()
    return fail("vSphere HA is disabled")


@check(
    id="CFG007",
    name="cluster-ha-admission-control-disabled",
    title="HA admission control is disabled",
    family=Family.CONFIGURATION,
    applies_to="cluster",
    severity=Severity.MEDIUM,
    fix=Fix.SAFE,
    references=("VMware KB 1001596", "vSphere Availability guide: admission control"),
)
def cluster_ha_admission_control_disabled(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """HA admission control keeps failover capacity in reserve on an HA cluster.

    What it checks:
        ``admissionControlEnabled`` of clusters with HA turned on (clusters without HA are
        left to CFG006).
    Why it matters:
        Without admission control, VMs may be powered on until the cluster has no spare
        capacity; when a host fails, HA then cannot restart its VMs, or restarts them into
        heavy contention.
    Example:
        Cluster-A has HA on but admission control off, with 97 % of its memory reserved.
    Remediation:
        Enable admission control with the "cluster resource percentage" policy sized for at
        least one host failure; check the cluster can satisfy it first (RES013).
    """
    ha = cluster.ha
    if ha is None:
        return missing(ctx, cluster.id, HA_NOT_COLLECTED, "cluster.ha", "cluster.configurationEx")
    if not ha.enabled:
        return not_applicable()
    if ha.admission_control_enabled is None:
        return missing(
            ctx,
            cluster.id,
            "the admission control setting was not collected",
            "cluster.ha",
            "cluster.configurationEx",
        )
    if ha.admission_control_enabled:
        return ok()
    return fail("HA admission control is disabled: failover capacity is not reserved")


@check(
    id="CFG008",
    name="cluster-ha-host-monitoring-disabled",
    title="HA host monitoring is disabled",
    family=Family.CONFIGURATION,
    applies_to="cluster",
    severity=Severity.HIGH,
    fix=Fix.SAFE,
    references=("VMware KB 1001596", "vSphere Availability guide: host monitoring"),
)
def cluster_ha_host_monitoring_disabled(cluster: Cluster, ctx: CheckContext) -> Outcome:
    """HA host monitoring is on for a cluster with HA enabled.

    What it checks:
        ``hostMonitoring`` of clusters with HA turned on.
    Why it matters:
        With host monitoring off, HA does not react to a failed or isolated host: HA looks
        enabled but nothing is restarted. It is often switched off for network maintenance
        and forgotten.
    Example:
        Cluster-C: HA enabled, host monitoring disabled since a switch upgrade last year.
    Remediation:
        Turn on "Host Monitoring" in the cluster's vSphere Availability settings (live).
    """
    ha = cluster.ha
    if ha is None:
        return missing(ctx, cluster.id, HA_NOT_COLLECTED, "cluster.ha", "cluster.configurationEx")
    if not ha.enabled:
        return not_applicable()
    if ha.host_monitoring_enabled is None:
        return missing(
            ctx,
            cluster.id,
            "the host monitoring setting was not collected",
            "cluster.ha",
            "cluster.configurationEx",
        )
    if ha.host_monitoring_enabled:
        return ok()
    return fail("HA host monitoring is disabled: failed hosts trigger no restart")
