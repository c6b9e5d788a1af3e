"""Hardening baselines as scan profiles: control ids mapped to check ids (data, not code).

``profile_scg8.csv`` maps every vSphere 8 security configuration guide control (and its DISA
STIG ids) to the checks that verify it. Controls the vSphere API cannot show are listed with
status ``manual``: a report must show them as needing a manual review, never as passed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vmdoctor.knowledge.store import load_knowledge
from vmdoctor.knowledge.tables import ProfileControl

if TYPE_CHECKING:
    from vmdoctor.config import Profile

PROFILE_DESCRIPTIONS = {
    "scg-8": "vSphere 8 security configuration guide controls vmdoctor can verify through the API",
    "stig-8": "DISA STIG (ESXi / vCenter / VM 8.0) rules vmdoctor can verify through the API",
}


def is_baseline(profile: str) -> bool:
    """True for the hardening baselines, whose scans report compliance per control."""
    return profile in PROFILE_DESCRIPTIONS


def profile_controls(profile: str = "scg-8") -> list[ProfileControl]:
    """Every control of the baseline, with its status: automated, manual or not-covered."""
    base = "scg-8" if profile == "stig-8" else profile
    rows = [c for c in load_knowledge().profile_controls if c.profile == base]
    if profile == "stig-8":
        rows = [c for c in rows if c.disa_stig_ids]
    return rows


def builtin_profiles() -> dict[str, Profile]:
    """Scan profiles for ``vmdoctor scan --profile scg-8`` (and ``stig-8``)."""
    from vmdoctor.config import Profile

    out = {}
    for name, description in PROFILE_DESCRIPTIONS.items():
        checks = sorted({c for row in profile_controls(name) for c in row.check_ids})
        out[name] = Profile(description=description, checks=checks)
    return out


def manual_controls(profile: str = "scg-8") -> list[ProfileControl]:
    return [c for c in profile_controls(profile) if c.status == "manual"]
