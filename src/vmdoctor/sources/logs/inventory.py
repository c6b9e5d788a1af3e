"""The least inventory a set of logs proves: the hosts, VMs, datastores and vCenter they name.

Logs alone carry no inventory, yet an admin asks "why did app-db-01 go down?" about a VM
folder. Every object a record is linked to becomes a minimal entity with a name-reference ID
(:mod:`vmdoctor.sources.names`) and a gap saying its inventory was not collected, so checks
answer UNKNOWN and ``why``/``incidents`` can name it. Relations come from the records: a VM
whose vmware.log is in a host's support bundle runs on that host; a host that logs a datastore
mounts it. :func:`vmdoctor.sources.merge.merge_environments` folds these stand-ins into the
inventory objects of the same name when an inventory source is loaded too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from vmdoctor.model import VM, Datastore, Gap, Host, LogRecord, VCenter
from vmdoctor.sources.names import name_ref, parse_name_ref

#: vcenter_id of hosts, VMs and datastores when no vpxd.log names a vCenter
NO_VCENTER = "logs:no-vcenter"

_HOW_TO_FIX = (
    "load an RVTools export, a saved snapshot or connect to vCenter (--server) together "
    "with the logs"
)


@dataclass
class LogInventory:
    hosts: list[Host] = field(default_factory=list)
    vms: list[VM] = field(default_factory=list)
    datastores: list[Datastore] = field(default_factory=list)
    vcenters: list[VCenter] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def inventory_from_records(records: Sequence[LogRecord], source: str) -> LogInventory:
    vm_hosts: dict[str, Counter[str]] = {}
    vm_datastores: dict[str, set[str]] = defaultdict(set)
    host_datastores: dict[str, set[str]] = defaultdict(set)
    ds_hosts: dict[str, set[str]] = defaultdict(set)
    vcenters: set[str] = set()
    hosts: set[str] = set()
    datastores: set[str] = set()
    for rec in records:
        link = rec.objects
        vm, host, ds, vc = link.vm_id, link.host_id, link.datastore_id, link.vcenter_id
        for ref, bucket in ((host, hosts), (ds, datastores), (vc, vcenters)):
            if ref and parse_name_ref(ref):
                bucket.add(ref)
        if vm and parse_name_ref(vm):
            counter = vm_hosts.setdefault(vm, Counter())  # every named VM, host or not
            if host:
                counter[host] += 1
            if ds:
                vm_datastores[vm].add(ds)
        if host and ds:
            host_datastores[host].add(ds)
            ds_hosts[ds].add(host)
    for vm, ds_refs in vm_datastores.items():
        for host in vm_hosts.get(vm, ()):
            host_datastores[host] |= ds_refs
            for ds in ds_refs:
                ds_hosts[ds].add(host)
    hosts.update(h for counter in vm_hosts.values() for h in counter)
    datastores.update(d for refs in vm_datastores.values() for d in refs)
    vc_id = sorted(vcenters)[0] if len(vcenters) == 1 else NO_VCENTER
    out = LogInventory()
    for ref in sorted(vcenters):
        out.vcenters.append(VCenter(id=ref, name=_name(ref)))
    for ref in sorted(hosts):
        out.hosts.append(
            Host(
                id=ref,
                name=_name(ref),
                vcenter_id=vc_id,
                connection_state="unknown",
                datastore_ids=sorted(host_datastores.get(ref, ())),
            )
        )
    for ref in sorted(datastores):
        out.datastores.append(
            Datastore(
                id=ref,
                name=_name(ref),
                vcenter_id=vc_id,
                type="unknown",
                host_ids=sorted(ds_hosts.get(ref, ())),
            )
        )
    for ref, counter in sorted(vm_hosts.items()):
        out.vms.append(
            VM(
                id=ref,
                name=_name(ref),
                vcenter_id=vc_id,
                host_id=counter.most_common(1)[0][0] if counter else None,
                power_state="unknown",
                num_cpu=0,
                memory_mb=0,
                datastore_ids=sorted(vm_datastores.get(ref, ())),
            )
        )
    for kind, objs in (
        ("vcenter", out.vcenters),
        ("host", out.hosts),
        ("vm", out.vms),
        ("datastore", out.datastores),
    ):
        for obj in objs:
            out.gaps.append(
                Gap(
                    what="inventory",
                    reason=f"inventory was not collected: {kind} {obj.name} is only named in "
                    f"log files; {_HOW_TO_FIX}",
                    object_type=kind,
                    object_id=obj.id,
                    object_name=obj.name,
                    source=source,
                )
            )
    return out


def _name(ref: str) -> str:
    parsed = parse_name_ref(ref)
    return parsed[1] if parsed else ref


__all__ = ["NO_VCENTER", "LogInventory", "inventory_from_records", "name_ref"]
