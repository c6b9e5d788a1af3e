"""The built-in demo lab: a realistic vSphere estate with planted problems and known answers.

``build_lab()`` returns a :class:`DemoLab`: the ``environment`` every part of vmdoctor reads,
and beside it (never inside it) the ground truth: ``planted`` problems and ``incidents`` with
their true cause chains, for tests, benchmarks and demos.
"""

from vmdoctor.sources.demo.lab import build_lab
from vmdoctor.sources.demo.scale import parse_scale
from vmdoctor.sources.demo.truth import CauseStep, DemoLab, EvidenceRef, Incident, PlantedProblem

__all__ = [
    "CauseStep",
    "DemoLab",
    "EvidenceRef",
    "Incident",
    "PlantedProblem",
    "build_lab",
    "parse_scale",
]
