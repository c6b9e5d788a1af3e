"""Storage reachability: a datastore unreachable from a host <- the host's dead paths; an NFS
server that stopped answering; and, downstream, host agents blocked on the lost device."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vmdoctor.diagnose import kinds as k
from vmdoctor.diagnose.chain.context import ChainContext
from vmdoctor.diagnose.chain.link import Expander, Link, Seed
from vmdoctor.model import Datastore, Family, Host, StorageDevice
from vmdoctor.model.diagnosis import Cause, EvidenceItem

_APD = re.compile(r"All Paths Down|APD start|apd\.", re.IGNORECASE)
_PDL = re.compile(r"permanent(ly inaccessible|loss)", re.IGNORECASE)
_NFS_LOST = re.compile(
    r"Lost connection to (the )?server (?P<server>\S+)(?: mount point (?P<mount>\S+))?"
)
_PATH_LOSS = re.compile(
    r"Lost path redundancy|redundancy\.(lost|degraded)|pathstate\.dead|path .* is down|"
    r"Lost connectivity to storage device",
    re.IGNORECASE,
)
_AGENT_BLOCKED = re.compile(r"blocked on I/O|took \d+ seconds|not responding|hung", re.IGNORECASE)


def _host(ctx: ChainContext, cause: Cause) -> Host | None:
    if cause.object is not None and (host := ctx.get(cause.object.id, Host)):
        return host
    target = ctx.index.by_id.get(ctx.symptom.target.id)
    if isinstance(target, Host):
        return target
    host_id = getattr(target, "host_id", None)
    return ctx.get(host_id, Host) if isinstance(host_id, str) else None


def _lost_devices(host: Host) -> list[StorageDevice]:
    devices = [d for d in host.storage_devices or () if d.paths_dead]
    devices.sort(key=lambda d: (d.paths_active, -d.paths_dead))
    return devices


def seed_unreachable(ctx: ChainContext, cause: Cause) -> Link | None:
    host = _host(ctx, cause)
    if host is None:
        return None
    ds = _lost_datastore(ctx, cause, host)
    texts = " ".join(e.text for e in cause.evidence)
    how = (
        "was lost for good (Permanent Device Loss)"
        if _PDL.search(texts)
        else "went into All Paths Down"
        if _APD.search(texts)
        else "became unreachable"
    )
    where = ds.name if ds else "a datastore"
    return Link(
        key="storage-unreachable",
        object_id=ds.id if ds else host.id,
        family=cause.family,
        statement=f"{where} {how} on {host.name}.",
        clause=f"{where} {how} on {host.name}",
        evidence=tuple(e for e in cause.evidence if e.time and not _PATH_LOSS.search(e.text))[:3],
        about_id=host.id,
    )


def _lost_datastore(ctx: ChainContext, cause: Cause, host: Host) -> Datastore | None:
    for dev in _lost_devices(host):
        if dev.paths_active == 0 and (ds := ctx.get(dev.datastore_id, Datastore)):
            return ds
    target = ctx.get(ctx.symptom.target.id, Datastore)
    if target is not None:
        return target
    texts = " ".join(e.text for e in cause.evidence)
    for ds_id in host.datastore_ids:
        ds = ctx.get(ds_id, Datastore)
        if ds is not None and re.search(rf"\b{re.escape(ds.name)}\b", texts):
            return ds
    return None


def up_dead_paths(ctx: ChainContext, link: Link) -> Sequence[Link]:
    host = ctx.get(link.about_id, Host)
    if host is None:
        return []
    records = ctx.records([host.id], pattern=_PATH_LOSS, until_symptom=True)
    evidence: list[EvidenceItem] = [ctx.item(r) for r in records[:2]]
    dead = [d for d in _lost_devices(host) if d.paths_active == 0]
    if dead:
        dev = dead[0]
        evidence.append(
            ctx.fact(
                host.id,
                f"{host.name}: device {dev.canonical_name} has {dev.paths_dead} dead of "
                f"{dev.paths_total} paths",
                "paths_dead",
            )
        )
        device = dev.canonical_name
        on = f" ({ds.name})" if (ds := ctx.get(dev.datastore_id, Datastore)) else ""
        facts = (
            f"every path from {host.name} to {device}{on} is dead "
            f"({dev.paths_dead} of {dev.paths_total})"
        )
    elif records:
        device = "the device"
        facts = f"{host.name} lost its paths to the device one after the other"
    else:
        return []
    evidence += ctx.findings_on(host.id, ("STO013", "STO014"))
    return [
        Link(
            key="paths-dead",
            object_id=host.id,
            family=Family.STORAGE,
            statement=f"{facts[0].upper()}{facts[1:]}: the array or the fabric (zoning, switch "
            "ports, target ports, LUN masking) stopped presenting the LUN to the host.",
            clause=f"every path from {host.name} to {device} died",
            evidence=tuple(evidence),
            weight=0.8 if dead else 0.6,
            remediation=f"Find what removed {host.name}'s paths to {device} — a zoning or LUN "
            "masking change, a switch or array port — and restore them; rescan storage on the "
            "host, then restart hostd if it stays unresponsive.",
            prevention="Review zoning and masking changes with a path check on every host, keep "
            "two paths through separate fabrics, and alert on path redundancy loss (STO013).",
        )
    ]


def seed_nfs(ctx: ChainContext, cause: Cause) -> Link | None:
    """One host losing an NFS server is the host's network; every host losing it is the server."""
    lost = [(e, m) for e in cause.evidence if (m := _NFS_LOST.search(e.text))]
    hosts = {e.object.id for e, _ in lost if e.object and e.object.type == "host"}
    ds = ctx.get(ctx.symptom.target.id, Datastore)
    if not lost or ds is None:
        return None
    records = ctx.records([ds.id, *ds.host_ids], pattern=_NFS_LOST)
    hosts |= {r.link.host_id for r in records if r.link.host_id}
    server, mount = lost[0][1].group("server"), lost[0][1].group("mount") or ""
    share = f"{server}:{mount}" if mount else server
    everywhere = not ds.accessible
    if len(hosts) >= 2 or everywhere:
        seen = f"{len(hosts)} hosts lost the connection at once" if len(hosts) >= 2 else ""
        state = "it is inaccessible on every host" if everywhere else ""
        facts = " and ".join(t for t in (seen, state) if t)
        return Link(
            key="nfs-server-down",
            object_id=ds.id,
            family=cause.family,
            statement=f"The NFS server behind {ds.name} ({share}) stopped serving it: {facts}, "
            "so the fault is on the server side (the NAS, its failover or its exports), not on "
            "one host.",
            clause=f"the NFS server {share} stopped serving {ds.name} to its hosts",
            evidence=(
                *(e for e, _ in lost[:2]),
                ctx.fact(ds.id, f"{ds.name}: {facts}", "accessible"),
            ),
            remediation=f"Check the NAS behind {ds.name}: is {share} still exported, to these "
            "hosts, from the controller that now serves it (after a failover)? The hosts "
            "remount by themselves once it is.",
            prevention="Test NAS controller failover with the vSphere exports on both "
            "controllers, and alert on esx.problem.vmfs.nfs.server.disconnect.",
        )
    host = ctx.get(next(iter(hosts), None), Host)
    if host is None:
        return None
    return Link(
        key="nfs-host-lost",
        object_id=host.id,
        family=cause.family,
        statement=f"{host.name} lost its connection to the NFS server {share} while other hosts "
        "kept theirs: the host's storage network (VMkernel port, VLAN, uplink) failed.",
        clause=f"{host.name} lost its connection to the NFS server {share}",
        evidence=tuple(e for e, _ in lost[:2]),
    )


def down_agent_blocked(ctx: ChainContext, link: Link) -> Sequence[Link]:
    if ctx.symptom.kind not in (k.HOST_NOT_RESPONDING, k.MANAGEMENT_UNRESPONSIVE):
        return []
    host = ctx.get(link.about_id, Host)
    if host is None:
        return []
    blocked = [
        r
        for r in ctx.records([host.id], pattern=_AGENT_BLOCKED, until_symptom=True)
        if r.log.startswith(("hostd", "vpxa"))
    ]
    if not blocked:
        return []
    agent = "vpxa" if blocked[0].log.startswith("vpxa") else "hostd"
    return [
        Link(
            key="agent-blocked",
            object_id=host.id,
            family=Family.STORAGE,
            statement=f"{agent} worker threads on {host.name} blocked on I/O to the lost device "
            "until the agent stopped answering vCenter.",
            clause=f"{agent} on {host.name} hung on I/O to it",
            evidence=(ctx.item(blocked[-1]),),
        )
    ]


SEEDS: dict[str, Seed] = {
    "datastore-connectivity-lost": seed_unreachable,
    "storage-path-failure": seed_unreachable,
    "poweron-datastore-inaccessible": seed_unreachable,
    "nfs-server-unreachable": seed_nfs,
}
UPSTREAM: dict[str, tuple[Expander, ...]] = {"storage-unreachable": (up_dead_paths,)}
DOWNSTREAM: dict[str, tuple[Expander, ...]] = {"storage-unreachable": (down_agent_blocked,)}
