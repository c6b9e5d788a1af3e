"""Cause chains: from the root cause, step by step, to the symptom (see docs/why.md)."""

from vmdoctor.diagnose.chain.builder import build_chain
from vmdoctor.diagnose.chain.context import ChainContext, failed_findings_by_object
from vmdoctor.diagnose.chain.wording import chain_sentence, remedies, tells_more

__all__ = [
    "ChainContext",
    "build_chain",
    "chain_sentence",
    "failed_findings_by_object",
    "remedies",
    "tells_more",
]
