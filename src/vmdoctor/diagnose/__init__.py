"""``vmdoctor why``: from a symptom to ranked root causes with evidence.

find_incidents(env)                     -> list[Symptom], newest first
diagnose(env, target=None, at=None, window=timedelta(hours=2), findings=None)
                                        -> list[Diagnosis]
"""

from vmdoctor.diagnose.engine import DEFAULT_WINDOW, diagnose
from vmdoctor.diagnose.symptoms import find_incidents
from vmdoctor.diagnose.targets import UnknownTargetError, resolve_target

__all__ = ["DEFAULT_WINDOW", "UnknownTargetError", "diagnose", "find_incidents", "resolve_target"]
