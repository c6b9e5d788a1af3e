"""A link of a cause chain while it is being built, and the three kinds of chain rules.

A *seed* turns a ranked cause into the link the cause itself stands for (``key`` names what is
wrong: "datastore-full", "paths-dead", ...). *Upstream* rules, keyed by a link's ``key``, find
what led to it by following the dependency graph from its object (a full datastore -> the
snapshots and thin disks on it); the strongest candidate is kept and followed again, so the
chain grows towards the root. *Downstream* rules add what happened between the cause and the
symptom (a host crash -> no HA failover capacity -> the VM could not restart).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vmdoctor.model import Family
from vmdoctor.model.diagnosis import Cause, EvidenceItem

if TYPE_CHECKING:
    from vmdoctor.diagnose.chain.context import ChainContext


@dataclass(frozen=True, slots=True)
class Link:
    key: str  # what is wrong, in kebab-case: the upstream rules are keyed by it
    object_id: str | None
    family: Family
    statement: str  # a full sentence with the facts
    clause: str  # the same, short, to sit inside the verdict sentence
    evidence: tuple[EvidenceItem, ...] = ()
    #: how strongly this candidate explains the link it was found for (0..1); the strongest
    #: upstream candidate is followed
    weight: float = 0.5
    #: False: a standing condition that let the previous link do harm, not its consequence
    caused_by_previous: bool = True
    remediation: str = ""
    prevention: str = ""
    #: another object the next rule should look at (the datastore a VM had no room on)
    about_id: str | None = None


Seed = Callable[["ChainContext", Cause], Link | None]
Expander = Callable[["ChainContext", Link], Sequence[Link]]
