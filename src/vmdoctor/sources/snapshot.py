"""Save and load an Environment as a versioned, gzip-compressed JSON snapshot (``env.json.gz``)."""

from __future__ import annotations

import gzip
import os
import tempfile
import zlib
from pathlib import Path

import msgspec

from vmdoctor.model import Environment
from vmdoctor.sources.errors import SourceError

FORMAT = "vmdoctor-environment"
SCHEMA_VERSION = 1
GZIP_MAGIC = b"\x1f\x8b"


class Snapshot(msgspec.Struct, kw_only=True, frozen=True):
    format: str
    schema_version: int
    vmdoctor_version: str
    environment: Environment


class _Header(msgspec.Struct):
    format: str | None = None
    schema_version: int | None = None


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Snapshot)
_header_decoder = msgspec.json.Decoder(_Header)


def save(env: Environment, path: Path, *, compresslevel: int = 3) -> None:
    """Write atomically: a crash mid-write never leaves a truncated snapshot behind."""
    from vmdoctor import __version__

    body = _encoder.encode(
        Snapshot(
            format=FORMAT,
            schema_version=SCHEMA_VERSION,
            vmdoctor_version=__version__,
            environment=env,
        )
    )
    path = Path(path)
    compress = path.suffix == ".gz"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as raw:
            if compress:
                with gzip.GzipFile(
                    fileobj=raw, mode="wb", compresslevel=compresslevel, mtime=0
                ) as gz:
                    gz.write(body)
            else:
                raw.write(body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_snapshot(path: Path) -> bool:
    """Cheap detection: a .json/.json.gz file whose first bytes look like a vmdoctor snapshot."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == GZIP_MAGIC:
                with gzip.GzipFile(fileobj=fh) as gz:
                    start = gz.read(256)
            else:
                start = fh.read(256)
    except (OSError, EOFError, zlib.error):
        return path.name.endswith((".json", ".json.gz"))
    return FORMAT.encode() in start or path.name.endswith((".json", ".json.gz"))


def load(path: Path) -> Environment:
    """Load and validate a snapshot; any problem is a SourceError naming the file and the cause."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceError(path, f"corrupt or truncated gzip data ({exc})") from None
    try:
        header = _header_decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise SourceError(
            path, f"not a vmdoctor snapshot: invalid or truncated JSON ({exc})"
        ) from None
    except msgspec.ValidationError:
        raise SourceError(
            path, "not a vmdoctor snapshot: the top level is not a JSON object"
        ) from None
    if header.format != FORMAT:
        raise SourceError(
            path, f"not a vmdoctor snapshot (format is {header.format!r}, expected {FORMAT!r})"
        )
    if header.schema_version is None:
        raise SourceError(path, "snapshot has no schema_version")
    if header.schema_version > SCHEMA_VERSION:
        raise SourceError(
            path,
            f"snapshot schema version {header.schema_version} is newer than this vmdoctor "
            f"understands ({SCHEMA_VERSION}): upgrade vmdoctor",
        )
    if header.schema_version < 1:
        raise SourceError(path, f"invalid snapshot schema version {header.schema_version}")
    try:
        return _decoder.decode(raw).environment
    except msgspec.ValidationError as exc:
        raise SourceError(path, f"invalid snapshot: {exc}") from None
    except msgspec.DecodeError as exc:
        raise SourceError(path, f"invalid snapshot JSON: {exc}") from None
