"""Live collection from vCenter Server and ESXi (pyVmomi session, lxml bulk parsing).

Public entry points::

    env = collect_environment(["vc01.corp.local"], CollectOptions(timeout_s=30))
    outcome = collect(targets, options)   # env + per-server stats and errors

Read-only by construction (see :mod:`.readonly`); every hole becomes a Gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from vmdoctor.model import Environment, Gap, SourceInfo
from vmdoctor.sources.vsphere.collector import CollectStats, collect_server
from vmdoctor.sources.vsphere.errors import CredentialsError, VimFault, VSphereError
from vmdoctor.sources.vsphere.session import Session
from vmdoctor.sources.vsphere.target import (
    CollectOptions,
    Credentials,
    ServerTarget,
    parse_server,
    resolve_credentials,
)

__all__ = [
    "CollectOptions",
    "CollectOutcome",
    "Credentials",
    "CredentialsError",
    "ServerTarget",
    "VSphereError",
    "VimFault",
    "collect",
    "collect_environment",
    "parse_server",
    "resolve_credentials",
]


@dataclass
class CollectOutcome:
    environment: Environment
    stats: dict[str, CollectStats] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # server -> one-line error

    @property
    def useful(self) -> bool:
        """False when no server answered: the CLI then exits 3."""
        return bool(self.stats)


def _target(server: ServerTarget | str) -> ServerTarget:
    return server if isinstance(server, ServerTarget) else resolve_credentials(parse_server(server))


def collect(
    servers: Sequence[ServerTarget | str], options: CollectOptions | None = None
) -> CollectOutcome:
    """Collect every server (one session each, always logged out) into one Environment."""
    options = options or CollectOptions()
    envs: list[Environment] = []
    outcome = CollectOutcome(
        environment=Environment(
            collected_at=datetime.now(UTC), source=SourceInfo(kind="vsphere", name="")
        )
    )
    failed: list[Gap] = []
    for server in servers:
        target = _target(server)
        try:
            with Session(target, options.timeout_s) as session:
                env, stats = collect_server(session, options)
        except VSphereError as exc:
            outcome.errors[target.name] = str(exc)
            failed.append(
                Gap(
                    what="vcenter",
                    reason=exc.problem,
                    object_type="vcenter",
                    object_name=target.name,
                    source=target.name,
                )
            )
            continue
        envs.append(env)
        outcome.stats[target.name] = stats
    outcome.environment = merge(envs, failed)
    return outcome


def collect_environment(
    servers: Sequence[ServerTarget | str], options: CollectOptions | None = None
) -> Environment:
    """One Environment for all servers; raises VSphereError when none could be collected."""
    outcome = collect(servers, options)
    if not outcome.useful:
        raise VSphereError(
            ", ".join(outcome.errors) or "vsphere",
            "; ".join(outcome.errors.values()) or "no server given",
        )
    return outcome.environment


def merge(envs: Sequence[Environment], extra_gaps: Sequence[Gap] = ()) -> Environment:
    """IDs are prefixed with the server name, so merging several servers is concatenation."""
    if len(envs) == 1 and not extra_gaps:
        return envs[0]
    names = [e.source.name for e in envs] + [g.object_name or "" for g in extra_gaps]
    base = Environment(
        collected_at=min((e.collected_at for e in envs), default=datetime.now(UTC)),
        source=SourceInfo(kind="vsphere", name=", ".join(n for n in names if n)),
    )
    from vmdoctor.model import Timeline

    return Environment(
        collected_at=base.collected_at,
        source=base.source,
        vcenters=[x for e in envs for x in e.vcenters],
        datacenters=[x for e in envs for x in e.datacenters],
        clusters=[x for e in envs for x in e.clusters],
        hosts=[x for e in envs for x in e.hosts],
        vms=[x for e in envs for x in e.vms],
        datastores=[x for e in envs for x in e.datastores],
        networks=[x for e in envs for x in e.networks],
        resource_pools=[x for e in envs for x in e.resource_pools],
        timeline=Timeline(
            events=[x for e in envs for x in e.timeline.events],
            tasks=[x for e in envs for x in e.timeline.tasks],
            logs=[x for e in envs for x in e.timeline.logs],
            metrics=[x for e in envs for x in e.timeline.metrics],
        ),
        gaps=[*(g for e in envs for g in e.gaps), *extra_gaps],
    )
