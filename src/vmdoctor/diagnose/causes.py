"""The catalogue of cause rules, and which of them can explain each kind of symptom."""

from __future__ import annotations

from functools import cache

from vmdoctor.diagnose.poweron import POWER_ON_RULES
from vmdoctor.diagnose.rules.host import HOST_RULES
from vmdoctor.diagnose.rules.management import MANAGEMENT_RULES
from vmdoctor.diagnose.rules.network import NETWORK_RULES
from vmdoctor.diagnose.rules.storage import STORAGE_RULES
from vmdoctor.diagnose.rules.vm import VM_RULES
from vmdoctor.diagnose.signals import CauseRule

ALL_RULES: tuple[CauseRule, ...] = (
    *POWER_ON_RULES,
    *VM_RULES,
    *HOST_RULES,
    *STORAGE_RULES,
    *NETWORK_RULES,
    *MANAGEMENT_RULES,
)

RULES_BY_ID: dict[str, CauseRule] = {r.id: r for r in ALL_RULES}


@cache
def rules_for(kind: str) -> tuple[CauseRule, ...]:
    return tuple(r for r in ALL_RULES if kind in r.symptoms)
