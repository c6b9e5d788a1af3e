"""What a labelled scenario is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vmdoctor.model import Environment


@dataclass(frozen=True)
class Scenario:
    name: str
    env: Environment
    target: str | None  # what the admin asks about; None = "explain the newest incident"
    true_cause: str  # cause id of the diagnosis catalogue
    symptom_kind: str
    at: datetime | None = None
    family: str = ""  # family of the true cause (filled by the test from the catalogue)
    origin: str = "written"  # "written" | "demo-lab" | "log-parser"
