"""Save and load an Environment as a versioned, gzip-compressed JSON snapshot (``env.json.gz``).

The file is JSON Lines (one JSON document per line), so a 100k-VM estate is written and read
in chunks, never as one 700 MB string beside the objects it decodes to:

- line 1, the header: ``{"format": "vmdoctor-environment", "schema_version": 1,
  "vmdoctor_version": ..., "environment": {...}}`` — the Environment with its large lists empty;
- then chunks: ``{"vms": [...]}``, ``{"metrics": [...]}``, ... of at most ``CHUNK`` items;
- last, the trailer: ``{"end": {"vms": 100000, ...}}`` with the item count of every list, so a
  file cut at a line boundary is detected as truncated.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import msgspec

from vmdoctor.model import (
    VM,
    Cluster,
    Datacenter,
    Datastore,
    Environment,
    Event,
    Gap,
    Host,
    LogRecord,
    MetricSeries,
    Network,
    ResourcePool,
    Task,
    Timeline,
    VCenter,
)
from vmdoctor.sources.errors import SourceError

FORMAT = "vmdoctor-environment"
SCHEMA_VERSION = 1
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 5000

#: Environment lists written in chunks; the timeline's lists are prefixed with ``timeline.``.
INVENTORY_LISTS = (
    "vcenters",
    "datacenters",
    "clusters",
    "hosts",
    "vms",
    "datastores",
    "networks",
    "resource_pools",
    "gaps",
)
TIMELINE_LISTS = ("events", "tasks", "logs", "metrics")


class Header(msgspec.Struct, kw_only=True, frozen=True):
    format: str
    schema_version: int
    vmdoctor_version: str
    environment: Environment


class Chunk(
    msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True, forbid_unknown_fields=True
):
    vcenters: list[VCenter] | None = None
    datacenters: list[Datacenter] | None = None
    clusters: list[Cluster] | None = None
    hosts: list[Host] | None = None
    vms: list[VM] | None = None
    datastores: list[Datastore] | None = None
    networks: list[Network] | None = None
    resource_pools: list[ResourcePool] | None = None
    gaps: list[Gap] | None = None
    events: list[Event] | None = None
    tasks: list[Task] | None = None
    logs: list[LogRecord] | None = None
    metrics: list[MetricSeries] | None = None
    end: dict[str, int] | None = None


class _Probe(msgspec.Struct):
    format: str | None = None
    schema_version: int | None = None


_encoder = msgspec.json.Encoder()
_header_decoder = msgspec.json.Decoder(Header)
_chunk_decoder = msgspec.json.Decoder(Chunk)
_probe_decoder = msgspec.json.Decoder(_Probe)


def _lines(env: Environment) -> Iterator[bytes]:
    from vmdoctor import __version__

    empty: dict[str, list[Any]] = {name: [] for name in INVENTORY_LISTS}
    head = msgspec.structs.replace(env, timeline=Timeline(), **empty)
    yield _encoder.encode(
        Header(
            format=FORMAT,
            schema_version=SCHEMA_VERSION,
            vmdoctor_version=__version__,
            environment=head,
        )
    )
    counts: dict[str, int] = {}
    sections = [(name, getattr(env, name)) for name in INVENTORY_LISTS]
    sections += [(name, getattr(env.timeline, name)) for name in TIMELINE_LISTS]
    for name, items in sections:
        counts[name] = len(items)
        for start in range(0, len(items), CHUNK):
            yield _encoder.encode(Chunk(**{name: items[start : start + CHUNK]}))
    yield _encoder.encode(Chunk(end=counts))


def save(env: Environment, path: Path, *, compresslevel: int = 3) -> None:
    """Write atomically: a crash mid-write never leaves a truncated snapshot behind."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as raw:
            out: IO[bytes] = raw
            if path.suffix == ".gz":
                out = gzip.GzipFile(  # type: ignore[assignment]
                    fileobj=raw, mode="wb", compresslevel=compresslevel, mtime=0
                )
            try:
                for line in _lines(env):
                    out.write(line)
                    out.write(b"\n")
            finally:
                if out is not raw:
                    out.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_snapshot(path: Path) -> bool:
    """Cheap detection: a file whose first bytes name the snapshot format."""
    try:
        with _open(path) as fh:
            start = fh.read(256)
    except (OSError, EOFError, zlib.error):
        return path.name.endswith((".json", ".json.gz"))
    return FORMAT.encode() in start or path.name.endswith((".json", ".json.gz"))


def _open(path: Path) -> IO[bytes]:
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller's with-block
    if fh.read(2) == GZIP_MAGIC:
        fh.seek(0)
        return gzip.GzipFile(fileobj=fh)  # type: ignore[return-value]
    fh.seek(0)
    return fh


def load(path: Path) -> Environment:
    """Load and validate a snapshot; any problem is a SourceError naming the file and the cause."""
    path = Path(path)
    try:
        with _open(path) as fh:
            return _read(path, fh)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise SourceError(path, f"corrupt or truncated gzip data ({exc})") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None


def _read(path: Path, fh: IO[bytes]) -> Environment:
    first = fh.readline()
    _check_header(path, first)
    try:
        head = _header_decoder.decode(first).environment
    except msgspec.ValidationError as exc:
        raise SourceError(path, f"line 1: invalid snapshot: {exc}") from None
    except msgspec.DecodeError as exc:
        raise SourceError(path, f"line 1: invalid snapshot JSON: {exc}") from None
    lists: dict[str, list[Any]] = {name: [] for name in (*INVENTORY_LISTS, *TIMELINE_LISTS)}
    end: dict[str, int] | None = None
    for number, line in enumerate(fh, start=2):
        if end is not None:
            raise SourceError(path, f"line {number}: data after the end of the snapshot")
        try:
            chunk = _chunk_decoder.decode(line)
        except msgspec.ValidationError as exc:
            raise SourceError(path, f"line {number}: invalid snapshot: {exc}") from None
        except msgspec.DecodeError as exc:
            raise SourceError(path, f"line {number}: invalid snapshot JSON: {exc}") from None
        for name, items in lists.items():
            part = getattr(chunk, name)
            if part:
                items.extend(part)
        end = chunk.end
    if end is None:
        raise SourceError(path, "truncated snapshot: the end marker is missing")
    for name, items in lists.items():
        if end.get(name, 0) != len(items):
            raise SourceError(
                path, f"truncated snapshot: {name} has {len(items)} of {end.get(name, 0)} items"
            )
    timeline = Timeline(**{name: lists[name] for name in TIMELINE_LISTS})
    return msgspec.structs.replace(
        head, timeline=timeline, **{name: lists[name] for name in INVENTORY_LISTS}
    )


def _check_header(path: Path, first: bytes) -> None:
    try:
        probe = _probe_decoder.decode(first)
    except msgspec.DecodeError as exc:
        raise SourceError(
            path, f"not a vmdoctor snapshot: invalid or truncated JSON ({exc})"
        ) from None
    except msgspec.ValidationError:
        raise SourceError(
            path, "not a vmdoctor snapshot: the first line is not a JSON object"
        ) from None
    if probe.format != FORMAT:
        raise SourceError(
            path, f"not a vmdoctor snapshot (format is {probe.format!r}, expected {FORMAT!r})"
        )
    if probe.schema_version is None:
        raise SourceError(path, "snapshot has no schema_version")
    if probe.schema_version > SCHEMA_VERSION:
        raise SourceError(
            path,
            f"snapshot schema version {probe.schema_version} is newer than this vmdoctor "
            f"understands ({SCHEMA_VERSION}): upgrade vmdoctor",
        )
    if probe.schema_version < 1:
        raise SourceError(path, f"invalid snapshot schema version {probe.schema_version}")
