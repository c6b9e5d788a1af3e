"""UNKNOWN outcomes that say what is missing and, when a collection gap explains it, why.

Every check family words a missing-data result the same way through :func:`missing`::

    if host.services is None:
        return missing(ctx, host.id, "host services were not collected", "host.services")

gives ``host services were not collected (<the collector's reason>)`` when a gap named
``host.services`` or a wider one (``host``: a gap names a property path, and covers every path
below it) covers the host or the whole estate, and the bare message otherwise. Several names
are tried in order, so list the most specific first, and only names whose gap really explains
the data: a source's gap for one column must not be quoted for another.

Lookups happen only here, on the UNKNOWN path: a passing object never pays for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from vmdoctor.checks.base import CheckContext, Outcome, unknown
from vmdoctor.model import Cluster, EnvironmentIndex, Gap
from vmdoctor.model.finding import EvidenceValue


def find_gap(index: EnvironmentIndex, object_id: str | None, *whats: str) -> Gap | None:
    """The first gap that explains one of ``whats`` for this object (or the whole estate)."""
    for what in whats:
        gap = index.gap_for(what, object_id)
        if gap is not None:
            return gap
    return None


def find_gap_any(index: EnvironmentIndex, object_ids: Iterable[str], *whats: str) -> Gap | None:
    """The first gap explaining one of ``whats`` for any of the objects (e.g. a cluster's hosts),
    or for the whole estate."""
    for object_id in object_ids:
        for what in whats:
            for gap in index.gaps_by_object.get(object_id, ()):
                if gap.covers(what):
                    return gap
    return find_gap(index, None, *whats)


def with_reason(message: str, gap: Gap | None) -> str:
    """``message (reason)`` when a gap explains it; the message alone otherwise."""
    return f"{message} ({gap.reason})" if gap is not None else message


def missing(
    ctx: CheckContext,
    object_id: str | None,
    message: str,
    *whats: str,
    **evidence: EvidenceValue,
) -> Outcome:
    """UNKNOWN: ``message`` names the missing data; the first matching gap among ``whats`` adds
    why, and its name is kept in the evidence (``gap``) for reports and tools."""
    gap = find_gap(ctx.index, object_id, *whats)
    if gap is None:
        return unknown(message, **evidence)
    return unknown(with_reason(message, gap), **evidence, gap=gap.what)


def missing_any(
    ctx: CheckContext,
    object_ids: Iterable[str],
    message: str,
    *whats: str,
    **evidence: EvidenceValue,
) -> Outcome:
    """:func:`missing` for data that lives on several objects (a cluster's hosts, a VM's
    datastores): the first of them with a matching gap, else an estate-wide gap, explains it."""
    gap = find_gap_any(ctx.index, object_ids, *whats)
    if gap is None:
        return unknown(message, **evidence)
    return unknown(with_reason(message, gap), **evidence, gap=gap.what)


HOST_HARDWARE = ("host.summary", "host.hardware", "host")
"""Gap names that explain missing host hardware figures (cores, sockets, memory, MHz)."""


def vm_host_missing(ctx: CheckContext, host_id: str | None) -> Outcome:
    """UNKNOWN for a VM whose host is named but absent from the collected inventory."""
    return missing(ctx, host_id, "the VM's host is not in the collected inventory", "host")


def cluster_host_ids(ctx: CheckContext, cluster_id: str) -> list[str]:
    return [h.id for h in ctx.index.hosts_by_cluster.get(cluster_id, ())]


def no_usable_host(ctx: CheckContext, cluster: Cluster) -> Outcome:
    """UNKNOWN for a cluster none of whose hosts can be judged: when a source could not tell
    the hosts' connection state, its reason says why."""
    return missing_any(
        ctx,
        cluster_host_ids(ctx, cluster.id),
        "the cluster has no usable host (connected, not in maintenance)",
        "host.connection_state",
        "host",
    )


ESXI_VERSION = ("host.summary.config.product", "host.config", "host")
"""Gap names that explain a missing ESXi version or build (summary.config.product in the API;
"host.config" for sources that hold no host configuration at all)."""
