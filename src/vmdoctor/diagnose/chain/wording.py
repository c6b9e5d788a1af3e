"""A chain in words: one sentence for the verdict, and the fixes root first."""

from __future__ import annotations

import re

from vmdoctor.diagnose.chain.builder import upper_first
from vmdoctor.model.diagnosis import Cause, ChainStep


def tells_more(cause: Cause) -> bool:
    """True when the chain says more than the cause's title: a root elsewhere or steps between."""
    chain = cause.chain
    if len(chain) >= 3:
        return True
    if len(chain) == 2 and chain[0].object and cause.object:
        return chain[0].object.id != cause.object.id
    return False


def chain_sentence(cause: Cause) -> str | None:
    """'ds-04 filled up because a 97-day-old snapshot of web-02 grew to 900 GiB, so vda-01 had
    no room for its swap file' — the root and the consequence in one sentence."""
    if not tells_more(cause):
        return None
    steps = cause.chain[:-1]
    first = steps[0]
    if len(steps) == 1:
        # the root restates the symptom at its true place (the NFS server, not one host)
        return upper_first(first.clause)
    second = steps[1]
    root = _it(first, second)
    if second.caused_by_previous:
        body = f"{second.clause} because {root}"
    else:
        body = f"{first.clause} and {second.clause}"
    for step in steps[2:]:
        body += f", so {step.clause}" if step.caused_by_previous else f", and {step.clause}"
    return upper_first(body)


def _it(root: ChainStep, next_step: ChainStep) -> str:
    """'X filled up because X was thin-provisioned' reads better as '... because it was'."""
    name = root.object.name if root.object else ""
    same = root.object and next_step.object and root.object.id == next_step.object.id
    if same and name and root.clause.startswith(name + " ") and next_step.clause.startswith(name):
        return "it" + root.clause[len(name) :]
    return root.clause


def remedies(cause: Cause) -> tuple[list[str], list[str]]:
    """What to do now and what prevents it, the root's first, then the cause's own."""
    now = [s.remediation for s in cause.chain if s.remediation]
    prevent = [s.prevention for s in cause.chain if s.prevention]
    now.append(cause.remediation)
    prevent.append(cause.prevention)
    return _unique(now), _unique(prevent)


def _unique(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        key = re.sub(r"\W+", " ", text).strip().lower()
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out
