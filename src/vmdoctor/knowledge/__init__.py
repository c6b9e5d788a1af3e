"""Knowledge base: versioned data tables (builds, lifecycle, advisories, hardware, Tools, guest
OS, hardening, performance thresholds) with their sources and dates, and typed lookups.

The tables live in ``knowledge/data`` (CSV + ``TABLES.toml``); ``vmdoctor kb update`` installs a
newer validated bundle under the user data directory, which :func:`load_knowledge` prefers.
"""

from __future__ import annotations

from vmdoctor.knowledge.advisories import AdvisoryVerdict, BuildAssessment, Verdict
from vmdoctor.knowledge.builds import ReleaseInfo
from vmdoctor.knowledge.bundle import KnowledgeError
from vmdoctor.knowledge.core import Knowledge, SupportStatus
from vmdoctor.knowledge.store import load_knowledge

__all__ = [
    "AdvisoryVerdict",
    "BuildAssessment",
    "Knowledge",
    "KnowledgeError",
    "ReleaseInfo",
    "SupportStatus",
    "Verdict",
    "load_knowledge",
]
