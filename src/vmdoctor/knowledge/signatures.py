"""The log signature catalog: which log lines matter, what they mean, and their cause family.

The catalog is data (``data/log_signatures.csv``): one row per signature with an id, the log it
usually appears in, a Python regular expression, a family, a severity, a meaning worded for an
administrator and a sample line that the expression must match (tests enforce it).

Family is one of the five check families, or ``availability`` for crashes, restarts and lost
hosts, which are symptoms rather than causes of one family.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

SEVERITIES = ("info", "low", "medium", "high", "critical")
FAMILIES = ("resources", "compatibility", "configuration", "storage", "security", "availability")
CATALOG_FILE = "log_signatures.csv"


@dataclass(frozen=True, slots=True)
class Signature:
    id: str
    log: str  # the log it usually appears in: "vmware.log", "vmkernel.log", ...
    family: str
    severity: str
    pattern: re.Pattern[bytes]
    meaning: str
    sample: str
    kb: str = ""
    event_type_id: str = ""

    @property
    def regex(self) -> str:
        return self.pattern.pattern.decode()


def parse_catalog(text: str, origin: str = CATALOG_FILE) -> tuple[Signature, ...]:
    """Parse catalog CSV text; a bad row raises ValueError naming the row and the field."""
    out: list[Signature] = []
    seen: set[str] = set()
    for lineno, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"{origin} line {lineno}"
        sig_id = (row.get("id") or "").strip()
        if not sig_id or sig_id in seen:
            raise ValueError(f"{where}: missing or duplicate id {sig_id!r}")
        seen.add(sig_id)
        if row.get("family") not in FAMILIES:
            raise ValueError(f"{where}: unknown family {row.get('family')!r}")
        if row.get("severity") not in SEVERITIES:
            raise ValueError(f"{where}: unknown severity {row.get('severity')!r}")
        try:
            pattern = re.compile((row.get("regex") or "").encode())
        except re.error as exc:
            raise ValueError(f"{where}: invalid regex ({exc})") from None
        if not pattern.pattern:
            raise ValueError(f"{where}: empty regex")
        out.append(
            Signature(
                id=sig_id,
                log=row.get("log") or "",
                family=row["family"],
                severity=row["severity"],
                pattern=pattern,
                meaning=row.get("meaning") or "",
                sample=row.get("sample") or "",
                kb=row.get("kb") or "",
                event_type_id=row.get("event_type_id") or "",
            )
        )
    return tuple(out)


@cache
def load_signatures() -> tuple[Signature, ...]:
    """The catalog shipped with vmdoctor, parsed once."""
    text = resources.files("vmdoctor.knowledge").joinpath("data", CATALOG_FILE).read_text("utf-8")
    return parse_catalog(text)
