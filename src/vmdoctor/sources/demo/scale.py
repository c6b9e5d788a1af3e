"""Parse the size of a demo lab from the command line (``demo:10k``)."""

from __future__ import annotations

import re

#: Largest lab we agree to build: beyond this the demo stops being a demo.
MAX_VMS = 1_000_000
MIN_VMS = 100

_SCALE = re.compile(r"(\d+(?:\.\d+)?)([km]?)")
_MULTIPLIER = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_scale(text: str) -> int:
    """``"10k"`` -> 10000. Accepts plain integers and the suffixes k and m (case-insensitive)."""
    spec = text.strip().lower().replace("_", "")
    match = _SCALE.fullmatch(spec)
    if match is None:
        raise ValueError(
            f"invalid demo scale {text!r}: use a VM count such as 1000, 1k, 10k, 100k or 1m"
        )
    count = round(float(match.group(1)) * _MULTIPLIER[match.group(2)])
    if not MIN_VMS <= count <= MAX_VMS:
        raise ValueError(
            f"invalid demo scale {text!r}: the VM count must be between {MIN_VMS} and "
            f"{MAX_VMS:,} (got {count:,})"
        )
    return count
