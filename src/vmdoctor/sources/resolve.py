"""Turn what the user names on the command line into one Environment.

A source spec is ``demo`` / ``demo:SCALE`` (the built-in lab) or a path. Each file source
registers a detector and a loader in ``FILE_SOURCES``; the first whose detector accepts a path
loads it. Several specs are merged into one Environment by :func:`merge`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vmdoctor.model import Environment
from vmdoctor.sources import bundle_source, esxtop, logs, rvtools, snapshot
from vmdoctor.sources.errors import SourceError


@dataclass(frozen=True, slots=True)
class FileSource:
    kind: str
    detect: Callable[[Path], bool]
    load: Callable[[Path], Environment]


#: Ordered: the most specific detectors first. Offline sources add themselves here.
FILE_SOURCES: list[FileSource] = [
    FileSource("snapshot", snapshot.is_snapshot, snapshot.load),
    FileSource("rvtools", rvtools.detect, rvtools.load),
    FileSource("esxtop", esxtop.detect, esxtop.load),
    FileSource("log", logs.detect, logs.load),
    FileSource("bundle", bundle_source.detect, bundle_source.load),
]


def load_demo(spec: str) -> Environment:
    from vmdoctor.sources.demo import build_lab, parse_scale

    _, _, scale = spec.partition(":")
    return build_lab(parse_scale(scale) if scale else None).environment


def load_spec(spec: str) -> Environment:
    if spec == "demo" or spec.startswith("demo:"):
        return load_demo(spec)
    path = Path(spec)
    if not path.exists():
        raise SourceError(path, "no such file or directory")
    for source in FILE_SOURCES:
        if source.detect(path):
            return source.load(path)
    kinds = ", ".join(s.kind for s in FILE_SOURCES)
    raise SourceError(path, f"not a source vmdoctor can read (known kinds: {kinds})")


def load_specs(specs: Sequence[str]) -> Environment:
    envs = [load_spec(spec) for spec in specs]
    return envs[0] if len(envs) == 1 else merge(envs)


def merge(envs: Sequence[Environment]) -> Environment:
    from vmdoctor.sources.merge import merge_environments

    return merge_environments(envs)
