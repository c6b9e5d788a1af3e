"""Small helpers shared by the compatibility checks."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext, Outcome, unknown
from vmdoctor.model import VM, Host


def missing(ctx: CheckContext, what: str, object_id: str, message: str) -> Outcome:
    """UNKNOWN, with the collector's reason when a gap explains the missing data."""
    gap = ctx.index.gap_for(what, object_id)
    if gap is not None:
        return unknown(f"{message}: {gap.reason}", gap=gap.what)
    return unknown(message)


def host_of(vm: VM, ctx: CheckContext) -> Host | None:
    return ctx.index.host(vm.host_id)


def host_label(host: Host) -> str:
    return f"{host.name} (ESXi {host.version or '?'} build {host.build or '?'})"
