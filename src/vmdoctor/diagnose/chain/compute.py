"""Hosts, clusters and resource pools: a host crash -> no failover capacity -> a VM left off;
a VM's hardware too new for its host <- a half-upgraded cluster; a pool's reservation used up
<- its fixed, non-expandable reservation."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vmdoctor.diagnose import kinds as k
from vmdoctor.diagnose.chain.context import ChainContext
from vmdoctor.diagnose.chain.link import Expander, Link, Seed
from vmdoctor.model import VM, Cluster, Family, Host, ResourcePool
from vmdoctor.model.diagnosis import Cause

_PSOD = re.compile(r"@BlueScreen: (?P<what>.+?)(?: in world \d+:(?P<world>[\w.-]+))?(?: IP |$)")
_FAILOVER_FAILED = re.compile(r"failover failed|insufficient resources", re.IGNORECASE)
_UPGRADE = re.compile(r"UpgradeVM_Task|upgraded .* hardware|Upgrading virtual hardware")


def _version(text: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text or "")[:3])


def seed_host_crash(ctx: ChainContext, cause: Cause) -> Link | None:
    host = ctx.get(cause.object.id, Host) if cause.object else None
    if host is None:
        return None
    psod = next(((e, m) for e in cause.evidence if (m := _PSOD.search(e.text))), None)
    if psod is None:
        return Link(
            key="host-crashed",
            object_id=host.id,
            family=cause.family,
            statement=f"{host.name} went down: {cause.title[0].lower()}{cause.title[1:]}.",
            clause=f"{host.name} went down",
            evidence=tuple(e for e in cause.evidence if e.time)[:2],
            about_id=host.id,
        )
    item, match = psod
    world = match.group("world") or ""
    module = world.split("-")[0] if world else ""
    where = f" in the {module} driver (world {world})" if module else ""
    build = f"ESXi {host.version or '?'} build {host.build}" if host.build else "its ESXi build"
    return Link(
        key="host-crashed",
        object_id=host.id,
        family=Family.COMPATIBILITY,
        statement=f"{host.name} crashed with a purple screen ({match.group('what').strip()})"
        f"{where}: a driver fault, typically a driver version that does not match {build}.",
        clause=f"{host.name} crashed with a purple screen{where.split(' (')[0]}",
        evidence=(item,),
        remediation=(
            f"Check the {module} driver and NIC firmware against the VMware Compatibility Guide "
            f"for {build} and install the listed pair; send the vmkernel-zdump to VMware."
            if module
            else f"Send the vmkernel-zdump of {host.name} to VMware and check drivers and "
            "firmware against the Compatibility Guide."
        ),
        prevention="Update drivers and firmware together with ESXi from one validated image "
        "(vLCM) and keep each host on a Compatibility Guide combination.",
        about_id=host.id,
    )


def down_failover(ctx: ChainContext, link: Link) -> Sequence[Link]:
    """A host failure became a VM outage when HA could not restart the VM elsewhere."""
    vm = ctx.get(ctx.symptom.target.id, VM)
    if vm is None or ctx.symptom.kind != k.VM_DOWN:
        return []
    failed = [r for r in ctx.records([vm.id], pattern=_FAILOVER_FAILED) if r.link.vm_id == vm.id]
    cluster = ctx.get(vm.cluster_id, Cluster)
    out: list[Link] = []
    if cluster is not None and cluster.ha is not None:
        ha = cluster.ha
        if not ha.enabled:
            statement = (
                f"vSphere HA is disabled in {cluster.name}: nothing restarts the VMs of a "
                "failed host."
            )
            clause = f"HA is disabled in {cluster.name}"
        elif ha.admission_control_enabled is False:
            statement = (
                f"HA admission control is off in {cluster.name}: the cluster kept no failover "
                "capacity for a host failure."
            )
            clause = f"{cluster.name} kept no failover capacity (HA admission control off)"
        else:
            statement = clause = ""
        if statement:
            out.append(
                Link(
                    key="no-failover-capacity",
                    object_id=cluster.id,
                    family=Family.CONFIGURATION,
                    statement=statement,
                    clause=clause,
                    evidence=(
                        ctx.fact(
                            cluster.id, f"{cluster.name}: {_ha_text(cluster)}", "ha", "config"
                        ),
                        *ctx.findings_on(cluster.id, ("CFG006", "CFG007", "RES013")),
                    ),
                    caused_by_previous=False,
                    remediation=f"Turn on HA admission control in {cluster.name} (reserve one "
                    "host's worth of capacity) once the failed host is back.",
                    prevention="Keep HA admission control on with at least one host of "
                    "failover capacity (CFG007, RES013).",
                )
            )
    if failed:
        reserve = vm.memory_reservation_mb // 1024
        out.append(
            Link(
                key="failover-failed",
                object_id=vm.id,
                family=Family.RESOURCES,
                statement=f"No surviving host could honour {vm.name}'s {reserve} GiB memory "
                "reservation: HA failover failed and the VM stayed off."
                if reserve
                else f"HA could not restart {vm.name} on a surviving host.",
                clause=f"no surviving host could take {vm.name}"
                + (f" and its {reserve} GiB reservation" if reserve else ""),
                evidence=(ctx.item(failed[0]),),
            )
        )
    return out


def _ha_text(cluster: Cluster) -> str:
    ha = cluster.ha
    if ha is None:
        return "HA configuration not collected"
    if not ha.enabled:
        return "vSphere HA disabled"
    return f"HA on, admission control {'on' if ha.admission_control_enabled else 'off'}"


def seed_hw_version(ctx: ChainContext, cause: Cause) -> Link | None:
    vm = ctx.get(ctx.symptom.target.id, VM)
    host = ctx.get(vm.host_id, Host) if vm else None
    if vm is None or host is None or not vm.hw_version:
        return None
    return Link(
        key="hw-too-new",
        object_id=vm.id,
        family=cause.family,
        statement=f"{host.name} runs ESXi {host.version or '?'}, which cannot run {vm.name}'s "
        f"virtual hardware {vm.hw_version}.",
        clause=f"{host.name} (ESXi {host.version or '?'}) could not run {vm.name}'s "
        f"{vm.hw_version}",
        evidence=tuple(e for e in cause.evidence if e.time and e.source != "task")[:2],
        about_id=host.id,
    )


def up_hw_upgrade(ctx: ChainContext, link: Link) -> Sequence[Link]:
    vm = ctx.get(link.object_id, VM)
    if vm is None:
        return []
    upgrades = [
        rec
        for rec in ctx.scope.all_records
        if rec.link.vm_id == vm.id
        and (rec.name == "UpgradeVM_Task" or _UPGRADE.search(rec.text))
        and rec.time is not None
        and rec.time <= ctx.scope.time
    ]
    out = list(_mixed_cluster(ctx, ctx.get(link.about_id, Host), vm, weight=0.5))
    if upgrades:
        rec = upgrades[-1]
        who = f" by {rec.user}" if rec.user else ""
        out.append(
            Link(
                key="vm-hw-upgraded",
                object_id=vm.id,
                family=Family.COMPATIBILITY,
                statement=f"{vm.name} was upgraded to virtual hardware {vm.hw_version}{who} on "
                f"{rec.time:%Y-%m-%d %H:%M}, a version its host cannot run.",
                clause=f"{vm.name} was upgraded to {vm.hw_version}",
                evidence=(ctx.item(rec),),
                weight=0.6,
                caused_by_previous=False,  # an upgrade, not a consequence of the cluster's state
                about_id=link.about_id,
            )
        )
    return out


def up_from_upgrade(ctx: ChainContext, link: Link) -> Sequence[Link]:
    return _mixed_cluster(ctx, ctx.get(link.about_id, Host), ctx.get(link.object_id, VM), 0.7)


def _mixed_cluster(
    ctx: ChainContext, host: Host | None, vm: VM | None, weight: float
) -> list[Link]:
    cluster = ctx.get(host.cluster_id, Cluster) if host else None
    if host is None or cluster is None or vm is None:
        return []
    peers = ctx.index.hosts_by_cluster.get(cluster.id, [])
    newest = max((p.version for p in peers if p.version), key=_version, default=None)
    if newest is None or _version(host.version) >= _version(newest):
        return []
    on_newest = sum(1 for p in peers if p.version and _version(p.version) == _version(newest))
    fact = ", ".join(f"{p.name} {p.version}" for p in peers if p.version)
    return [
        Link(
            key="cluster-mixed-versions",
            object_id=cluster.id,
            family=Family.COMPATIBILITY,
            statement=f"{cluster.name} was left half-upgraded: {host.name} still runs ESXi "
            f"{host.version} while {on_newest} host(s) run {newest}.",
            clause=f"{cluster.name} was left half-upgraded "
            f"({host.name} still on ESXi {host.version})",
            evidence=(
                ctx.fact(cluster.id, f"{cluster.name} ESXi versions: {fact}", "version"),
                *ctx.findings_on(cluster.id, ("CMP012",)),
                *ctx.findings_on(host.id, ("CMP008",)),
            ),
            weight=weight,
            remediation=f"Finish upgrading {cluster.name}: bring {host.name} to ESXi {newest}, "
            f"or run {vm.name} on a host that already has it.",
            prevention="Upgrade every host of a cluster in one change window, and raise VM "
            "hardware versions only once all hosts can run them (CMP012).",
        )
    ]


def seed_pool(ctx: ChainContext, cause: Cause) -> Link | None:
    vm = ctx.get(ctx.symptom.target.id, VM)
    pool = _limiting_pool(ctx, vm.resource_pool_id) if vm else None
    if vm is None or pool is None or not pool.memory_reservation_mb:
        return None
    held = _reserved_mb(ctx, pool, vm)
    left = max(0, pool.memory_reservation_mb - held) // 1024
    need = vm.memory_reservation_mb // 1024
    return Link(
        key="pool-admission-refused",
        object_id=vm.id,
        family=Family.RESOURCES,
        statement=f"{vm.name} reserves {need} GiB of memory, more than the {left} GiB left in "
        f"{pool.name}: power-on is refused.",
        clause=f"{vm.name}'s {need} GiB reservation did not fit in the {left} GiB left",
        evidence=tuple(e for e in cause.evidence if e.time)[:2],
        about_id=pool.id,
    )


def up_pool_usage(ctx: ChainContext, link: Link) -> Sequence[Link]:
    pool = ctx.get(link.about_id, ResourcePool)
    vm = ctx.get(link.object_id, VM)
    if pool is None or vm is None or not pool.memory_reservation_mb:
        return []
    holders = [v for v in _members(ctx, pool) if v.power_state == "poweredOn" and v.id != vm.id]
    held = sum(v.memory_reservation_mb for v in holders) // 1024
    names = ", ".join(v.name for v in holders if v.memory_reservation_mb)
    return [
        Link(
            key="pool-reservations-used",
            object_id=pool.id,
            family=Family.CONFIGURATION,
            statement=f"The running VMs of {pool.name} already reserve {held} GiB of its "
            f"{pool.memory_reservation_mb // 1024} GiB ({names or 'no single VM'}).",
            clause=f"its running VMs already held {held} GiB",
            evidence=(
                ctx.fact(
                    pool.id,
                    f"{pool.name}: running VMs reserve {held} GiB ({names})",
                    "memory_reservation_mb",
                    "config",
                ),
            ),
            weight=0.6,
            caused_by_previous=False,  # the pool's size does not make its VMs reserve memory
            about_id=pool.id,
        )
    ]


def up_pool_fixed(ctx: ChainContext, link: Link) -> Sequence[Link]:
    pool = ctx.get(link.about_id, ResourcePool)
    if pool is None or pool.expandable_reservation or not pool.memory_reservation_mb:
        return []
    gib = pool.memory_reservation_mb // 1024
    return [
        Link(
            key="pool-fixed-reservation",
            object_id=pool.id,
            family=Family.CONFIGURATION,
            statement=f"{pool.name} has a fixed {gib} GiB memory reservation and may not borrow "
            "from its parent (expandable reservation off).",
            clause=f"{pool.name} has a fixed {gib} GiB memory reservation it cannot grow",
            evidence=(
                ctx.fact(
                    pool.id,
                    f"{pool.name}: memory reservation {gib} GiB, expandable reservation off",
                    "expandable_reservation",
                    "config",
                ),
            ),
            weight=0.8,
            remediation=f"Raise {pool.name}'s memory reservation or make it expandable, or lower "
            "the reservations of the VMs in it.",
            prevention="Size a pool's reservation for every VM that must run in it, or keep it "
            "expandable; review it whenever VMs with reservations join the pool.",
        )
    ]


def _limiting_pool(ctx: ChainContext, pool_id: str | None) -> ResourcePool | None:
    """The first pool up the tree that cannot borrow from its parent."""
    pool = ctx.get(pool_id, ResourcePool)
    seen: set[str] = set()
    while pool is not None and pool.expandable_reservation and pool.parent_id not in seen:
        seen.add(pool.id)
        pool = ctx.get(pool.parent_id, ResourcePool)
    return pool


def _members(ctx: ChainContext, pool: ResourcePool) -> list[VM]:
    return ctx.index.memo(
        ("chain-pool-members", pool.id),
        lambda: [v for v in ctx.index.env.vms if v.resource_pool_id == pool.id],
    )


def _reserved_mb(ctx: ChainContext, pool: ResourcePool, vm: VM) -> int:
    return sum(
        v.memory_reservation_mb
        for v in _members(ctx, pool)
        if v.power_state == "poweredOn" and v.id != vm.id
    )


SEEDS: dict[str, Seed] = {
    "host-psod": seed_host_crash,
    "host-hardware-failure": seed_host_crash,
    "poweron-hardware-version-unsupported": seed_hw_version,
    "poweron-resource-pool-reservation": seed_pool,
}
UPSTREAM: dict[str, tuple[Expander, ...]] = {
    "hw-too-new": (up_hw_upgrade,),
    "vm-hw-upgraded": (up_from_upgrade,),
    "pool-admission-refused": (up_pool_usage,),
    "pool-reservations-used": (up_pool_fixed,),
}
DOWNSTREAM: dict[str, tuple[Expander, ...]] = {"host-crashed": (down_failover,)}
