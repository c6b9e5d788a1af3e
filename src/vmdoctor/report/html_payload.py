"""The findings data embedded in the HTML report, compact enough for 200k findings.

Rows are arrays of small integers pointing into ``checks`` and ``objects`` tables instead of
repeated objects: the check title and remediation appear once, not once per finding, which
keeps a 200k-finding report in the tens of megabytes and quick for ``JSON.parse``.

Row layout (see report.js): [check, status, severity, object, message, evidence].
"""

from __future__ import annotations

import msgspec
from markupsafe import Markup

from vmdoctor.model import Family, Severity, Status
from vmdoctor.report.model import JOINER, Report, evidence_text

STATUSES = tuple(Status)
SEVERITIES = tuple(Severity)
FAMILIES = tuple(Family)

_STATUS_INDEX = {s: i for i, s in enumerate(STATUSES)}
_SEVERITY_INDEX = {s: i for i, s in enumerate(SEVERITIES)}
_FAMILY_INDEX = {f: i for i, f in enumerate(FAMILIES)}

Row = tuple[int, int, int, int, str, str]


class Payload(msgspec.Struct, frozen=True):
    statuses: list[str]
    severities: list[str]
    families: list[str]
    # [id, name, title, family index, remediation, references]
    checks: list[tuple[str, str, str, int, str, str]]
    # [type, id, name, cluster]
    objects: list[tuple[str, str, str, str]]
    findings: list[Row]


def build_payload(report: Report) -> Payload:
    check_index: dict[str, int] = {}
    checks: list[tuple[str, str, str, int, str, str]] = []
    object_index: dict[tuple[str, str], int] = {}
    objects: list[tuple[str, str, str, str]] = []
    rows: list[Row] = []
    for f in report.findings:
        ci = check_index.get(f.check_id)
        if ci is None:
            ci = check_index[f.check_id] = len(checks)
            checks.append(
                (
                    f.check_id,
                    f.name,
                    f.title,
                    _FAMILY_INDEX[f.family],
                    f.remediation,
                    JOINER.join(f.references),
                )
            )
        o = f.object
        key = (o.type, o.id)
        oi = object_index.get(key)
        if oi is None:
            oi = object_index[key] = len(objects)
            objects.append((o.type, o.id, o.name, o.cluster or ""))
        evidence = evidence_text(f.evidence) if f.evidence else ""
        rows.append(
            (ci, _STATUS_INDEX[f.status], _SEVERITY_INDEX[f.severity], oi, f.message, evidence)
        )
    return Payload(
        statuses=[s.value for s in STATUSES],
        severities=[s.value for s in SEVERITIES],
        families=[f.value for f in FAMILIES],
        checks=checks,
        objects=objects,
        findings=rows,
    )


_ENCODER = msgspec.json.Encoder()


def json_for_script(value: object) -> Markup:
    """JSON safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only ever occur inside JSON strings, where ``\\u003c`` etc. decode to
    the same text, so ``</script>`` or ``<!--`` in an object name cannot end the element.
    """
    encoded = _ENCODER.encode(value)
    encoded = encoded.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
    return Markup(encoded.decode("utf-8"))  # escaped above for this exact context
