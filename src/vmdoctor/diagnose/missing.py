"""Saying plainly what data would settle a diagnosis the evidence does not."""

from __future__ import annotations

from vmdoctor.diagnose import kinds as k
from vmdoctor.diagnose.correlation import Scope
from vmdoctor.model import VM, Host


def missing_data(scope: Scope, kind: str) -> list[str]:
    out: list[str] = []
    if not any(rel == "self" and rec.time is not None for rec, rel in scope.records):
        out.append(_nothing_around(scope, kind))
    logs = scope.log_sources()
    target = scope.target_object()
    hosts = [h for h in [target, *scope.related("host")] if isinstance(h, Host)]
    vm_kind = kind in k.VM_SYMPTOMS or kind == k.UNSPECIFIED
    if isinstance(target, VM) and vm_kind and ("vmware", target.id) not in logs:
        out.append(
            f"no vmware.log for VM {target.name} in the sources: add the VM's folder logs "
            "or the host's support bundle"
        )
    if kind in (k.HOST_NOT_RESPONDING, k.DATASTORE_LOST, k.VM_DOWN, k.VM_STUNNED, k.UNSPECIFIED):
        for host in hosts[:3]:
            if ("vmkernel", host.id) not in logs and ("vobd", host.id) not in logs:
                out.append(
                    f"no vmkernel.log or vobd.log for host {host.name} in the sources: add the "
                    "host's support bundle (vm-support)"
                )
    if kind == k.MANAGEMENT_UNRESPONSIVE and not any(name == "vpxd" for name, _ in logs):
        out.append("no vpxd.log in the sources: add the vCenter support bundle")
    if not scope.env.timeline.events:
        out.append(
            "no vCenter events in the sources: collect from vCenter (--server) or load a "
            "snapshot that has events"
        )
    for obj_id in scope.relations:
        for gap in scope.index.gaps_by_object.get(obj_id, ()):
            out.append(f"{gap.what} missing for {gap.object_name or obj_id}: {gap.reason}")
    for gap in scope.index.gaps_by_object.get(None, ()):
        if gap.what.split(":")[0] in ("events", "logs", "tasks", "metrics"):
            out.append(f"{gap.what} missing: {gap.reason}")
    return out


def _nothing_around(scope: Scope, kind: str) -> str:
    """The symptom was only seen in the inventory: say which records would explain it."""
    what = {
        k.HOST_NOT_RESPONDING: "vCenter events (HostConnectionLostEvent, HostDisconnectedEvent "
        "with its user), vpxd.log, and the host's hostd.log, vpxa.log and vmkernel.log "
        "(vm-support bundle)",
        k.DATASTORE_LOST: "vCenter events and the hosts' vobd.log and vmkernel.log "
        "(vm-support bundles)",
        k.MANAGEMENT_UNRESPONSIVE: "vpxd.log (vCenter support bundle) and vCenter events",
    }.get(kind, "vCenter events and tasks, the VM's vmware.log and its host's logs")
    return (
        f"no event, task or log line about {scope.target.name} between "
        f"{scope.start:%Y-%m-%d %H:%M} and {scope.end:%H:%M} UTC: the state was only seen "
        f"when collected; {what} covering that time would show when and why"
    )
