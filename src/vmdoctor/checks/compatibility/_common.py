"""Small helpers shared by the compatibility checks."""

from __future__ import annotations

from vmdoctor.checks.base import CheckContext
from vmdoctor.model import VM, Host


def host_of(vm: VM, ctx: CheckContext) -> Host | None:
    return ctx.index.host(vm.host_id)


def host_label(host: Host) -> str:
    return f"{host.name} (ESXi {host.version or '?'} build {host.build or '?'})"
