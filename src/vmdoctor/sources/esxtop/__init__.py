"""esxtop batch-mode captures (``esxtop -b``, PDH-CSV) as a source.

Columns are ``\\\\host\\Object(instance)\\Counter``. The per-VM and per-device counters the
resource and storage checks use become MetricSeries under the vSphere counter names those
checks read, converted to vCenter's units (see ``counters.py``). A VM or host of the capture is
named, not identified: its entity ID is a name reference (:mod:`vmdoctor.sources.names`) that a
merge with an inventory source resolves. Alone, a capture yields minimal host and VM entities
(name, vCPU count, memory size) so the metric checks can still run on it.
"""

from __future__ import annotations

from pathlib import Path

from vmdoctor.model import Environment
from vmdoctor.sources import bundle
from vmdoctor.sources.bundle import Member
from vmdoctor.sources.errors import SourceError
from vmdoctor.sources.esxtop.parser import MAGIC, parse_capture

__all__ = ["MAGIC", "detect", "load", "parse_capture"]


def detect(path: Path) -> bool:
    if not path.is_file() or bundle.is_archive_name(path.name):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return MAGIC in head.lstrip(b'\xef\xbb\xbf"')[:32]


def load(path: Path) -> Environment:
    for item in bundle.iter_path(path):
        if isinstance(item, Member):
            return parse_capture(item.stream, item.name, item.mtime)
    raise SourceError(path, "cannot read the capture")
