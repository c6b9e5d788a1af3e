"""Build a cause's chain: seed it from the cause, follow the graph upstream to the root, add
what happened between the cause and the symptom, and end with the symptom itself."""

from __future__ import annotations

from vmdoctor.diagnose.chain import compute, paths, sessions, space
from vmdoctor.diagnose.chain.context import ChainContext
from vmdoctor.diagnose.chain.link import Expander, Link, Seed
from vmdoctor.model.diagnosis import Cause, ChainStep

SEEDS: dict[str, Seed] = {**space.SEEDS, **paths.SEEDS, **compute.SEEDS, **sessions.SEEDS}
UPSTREAM: dict[str, tuple[Expander, ...]] = {
    **space.UPSTREAM,
    **paths.UPSTREAM,
    **compute.UPSTREAM,
    **sessions.UPSTREAM,
}
DOWNSTREAM: dict[str, tuple[Expander, ...]] = {**paths.DOWNSTREAM, **compute.DOWNSTREAM}
MAX_UPSTREAM = 4
MAX_EVIDENCE = 4


def build_chain(ctx: ChainContext, cause: Cause) -> list[ChainStep]:
    """Root first, symptom last; the cause's own step sits where the graph puts it."""
    seed = SEEDS.get(cause.cause_id)
    link = (seed(ctx, cause) if seed else None) or _plain(cause)
    links = [*_upstream(ctx, link), link, *_downstream(ctx, link)]
    return [*(_step(ctx, lk) for lk in links), _symptom_step(ctx, cause)]


def _upstream(ctx: ChainContext, start: Link) -> list[Link]:
    path: list[Link] = []
    seen = {(start.key, start.object_id)}
    current = start
    for _ in range(MAX_UPSTREAM):
        found = [
            c
            for rule in UPSTREAM.get(current.key, ())
            for c in rule(ctx, current)
            if (c.key, c.object_id) not in seen
        ]
        if not found:
            break
        current = max(found, key=lambda c: c.weight)
        seen.add((current.key, current.object_id))
        path.append(current)
    return path[::-1]


def _downstream(ctx: ChainContext, link: Link) -> list[Link]:
    return [step for rule in DOWNSTREAM.get(link.key, ()) for step in rule(ctx, link)]


def _plain(cause: Cause) -> Link:
    """A cause no rule knows more about: its own title on its own object."""
    where = f" ({cause.object.name})" if cause.object else ""
    return Link(
        key=cause.cause_id,
        object_id=cause.object.id if cause.object else None,
        family=cause.family,
        statement=f"{cause.title}{where}.",
        clause=lower_first(cause.title) + (f" on {cause.object.name}" if cause.object else ""),
        evidence=tuple(e for e in cause.evidence if e.time)[:2],
    )


def _step(ctx: ChainContext, link: Link) -> ChainStep:
    return ChainStep(
        statement=link.statement,
        family=link.family,
        object=ctx.ref(link.object_id) if link.object_id else None,
        evidence=list(link.evidence[:MAX_EVIDENCE]),
        clause=link.clause,
        caused_by_previous=link.caused_by_previous,
        remediation=link.remediation,
        prevention=link.prevention,
    )


def _symptom_step(ctx: ChainContext, cause: Cause) -> ChainStep:
    s = ctx.symptom
    return ChainStep(
        statement=f"{s.title}.",
        family=cause.family,
        object=s.target,
        evidence=list(s.evidence[:1]),
        clause=s.title,
    )


#: words that start a clause in lower case inside a sentence and in upper case at its start
_ARTICLES = ("A ", "An ", "The ", "Every ", "No ", "Its ", "Some ", "HA ")


def lower_first(text: str) -> str:
    for word in _ARTICLES:
        if text.startswith(word) and word != "HA ":
            return word.lower() + text[len(word) :]
    return text


def upper_first(text: str) -> str:
    for word in _ARTICLES:
        if text.lower().startswith(word.lower()):
            return word + text[len(word) :]
    return text
