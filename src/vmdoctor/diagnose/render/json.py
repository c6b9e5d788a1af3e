"""The JSON document of ``vmdoctor why --format json`` (schema: docs/why.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from vmdoctor.model import Environment
from vmdoctor.model.diagnosis import DIAGNOSIS_SCHEMA_VERSION, Diagnosis


def diagnosis_document(d: Diagnosis) -> dict[str, Any]:
    """One diagnosis as the documented JSON object (docs/why.md)."""
    out: dict[str, Any] = msgspec.to_builtins(d)
    out.setdefault("missing_data", [])
    out["window"] = {"start": out.pop("window_start", None), "end": out.pop("window_end", None)}
    return out


def to_document(
    env: Environment, diagnoses: Sequence[Diagnosis], *, target: str | None
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": DIAGNOSIS_SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(),
        "source": env.source.name,
        "collected_at": env.collected_at.isoformat(),
    }
    if target is not None and diagnoses:
        doc["target"] = msgspec.to_builtins(diagnoses[0].symptom.target)
        doc.update(diagnosis_document(diagnoses[0]))
    else:
        doc["diagnoses"] = [diagnosis_document(d) for d in diagnoses]
    return doc


def render_json(env: Environment, diagnoses: Sequence[Diagnosis], *, target: str | None) -> bytes:
    return msgspec.json.format(msgspec.json.encode(to_document(env, diagnoses, target=target)))
