"""Read files, directories and archives (tar, tar.gz, tgz, zip, gz; nested) safely, as streams.

Nothing is ever extracted to disk. Links, devices and names that escape the bundle are skipped;
member count, per-file and total bytes and nesting depth are capped; a zip member whose declared
compression ratio is absurd (a zip bomb) is refused before it is inflated, and every stream
counts what it really yields, so a lying header cannot get past the caps either. Each skipped or
refused item is reported as a :class:`Refusal` so the caller can turn it into a gap while the
rest still loads.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import posixpath
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vmdoctor.sources.errors import SourceError

ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")
_DECOMPRESS_ERRORS = (
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    tarfile.TarError,
    zipfile.BadZipFile,
    ValueError,
    NotImplementedError,  # zipfile: a compression method or version it cannot read
)


@dataclass(frozen=True, slots=True)
class Limits:
    max_members: int = 200_000
    max_member_bytes: int = 16 << 30
    max_total_bytes: int = 64 << 30
    max_depth: int = 4
    max_zip_ratio: float = 1000.0  # uncompressed / compressed, declared by a zip member
    max_spool_bytes: int = 2 << 30  # a nested zip must be spooled to seek in it


DEFAULT_LIMITS = Limits()


class LimitExceeded(SourceError):
    """A cap was hit: the message names the file and the cap."""


@dataclass(frozen=True, slots=True)
class Member:
    """One regular file of a bundle; ``stream`` is valid only until the iterator moves on."""

    name: str  # display path: "bundle.tgz!var/log/vmkernel.log"
    inner_path: str  # path inside the outermost bundle ("var/log/vmkernel.log")
    stream: BinaryIO
    mtime: float | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    name: str
    reason: str


class _Budget:
    def __init__(self, limits: Limits, root: str) -> None:
        self.limits = limits
        self.root = root
        self.members = 0
        self.total = 0

    def count_member(self, name: str) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise LimitExceeded(
                self.root, f"more than {self.limits.max_members} files (stopped at {name})"
            )


class _CountingReader(io.RawIOBase):
    """Passes bytes through and stops at the per-file and total caps, whatever headers claim."""

    def __init__(self, inner: BinaryIO, name: str, budget: _Budget) -> None:
        self._inner = inner
        self._name = name
        self._budget = budget
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except _DECOMPRESS_ERRORS as exc:
            raise SourceError(self._name, f"corrupt or truncated data ({exc})") from None
        n = len(data)
        self._read += n
        self._budget.total += n
        limits = self._budget.limits
        if self._read > limits.max_member_bytes:
            raise LimitExceeded(
                self._name, f"file larger than the {limits.max_member_bytes} byte cap"
            )
        if self._budget.total > limits.max_total_bytes:
            raise LimitExceeded(
                self._budget.root, f"bundle content exceeds the {limits.max_total_bytes} byte cap"
            )
        buffer[:n] = data
        return n


def _guard(stream: BinaryIO, name: str, budget: _Budget) -> BinaryIO:
    return io.BufferedReader(_CountingReader(stream, name, budget), buffer_size=1 << 20)


def peek(stream: BinaryIO, size: int) -> bytes:
    """The first bytes of a member stream without consuming them (members are buffered)."""
    try:
        return stream.peek(size)[:size]  # type: ignore[attr-defined,no-any-return]
    except _DECOMPRESS_ERRORS as exc:
        raise SourceError(
            getattr(stream, "name", None), f"corrupt or truncated data ({exc})"
        ) from None


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _safe_inner(name: str) -> str | None:
    """The normalised member path, or None when it is absolute or climbs out of the bundle."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    norm = posixpath.normpath(name)
    if norm == ".." or norm.startswith("../"):
        return None
    return norm


def iter_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Member | Refusal]:
    """Every regular file under a file, directory or archive, archives opened recursively."""
    path = Path(path)
    budget = _Budget(limits, str(path))
    if path.is_dir():
        yield from _iter_dir(path, budget)
    else:
        yield from _iter_file(path, budget)


def _iter_dir(root: Path, budget: _Budget) -> Iterator[Member | Refusal]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for fname in sorted(filenames):
            full = Path(dirpath) / fname
            rel = full.relative_to(root).as_posix()
            try:
                st = full.lstat()
            except OSError as exc:
                yield Refusal(str(full), f"cannot read: {exc.strerror or exc}")
                continue
            if not stat.S_ISREG(st.st_mode):
                yield Refusal(str(full), "not a regular file (link or device): skipped")
                continue
            budget.count_member(str(full))
            yield from _iter_file(full, budget, inner_path=rel)


def _iter_file(
    path: Path, budget: _Budget, inner_path: str | None = None
) -> Iterator[Member | Refusal]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in finally below
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        yield from _iter_stream(
            fh, str(path), inner_path or path.name, budget, depth=0, mtime=_mtime(path)
        )
    finally:
        fh.close()


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _iter_stream(
    raw: BinaryIO, name: str, inner: str, budget: _Budget, depth: int, mtime: float | None
) -> Iterator[Member | Refusal]:
    lower = inner.lower()
    if depth > budget.limits.max_depth:
        yield Refusal(name, f"archive nested deeper than {budget.limits.max_depth} levels: skipped")
        return
    if lower.endswith(".zip"):
        yield from _iter_zip(raw, name, inner, budget, depth)
    elif is_archive_name(lower):
        yield from _iter_tar(raw, name, inner, budget, depth)
    elif lower.endswith(COMPRESSED_SUFFIXES):
        opener = {".gz": gzip.GzipFile, ".bz2": bz2.BZ2File, ".xz": lzma.LZMAFile}[
            posixpath.splitext(lower)[1]
        ]
        stream = _guard(opener(fileobj=raw), name, budget)
        stripped = inner[: inner.rfind(".")]
        if is_archive_name(stripped) or stripped.lower().endswith(COMPRESSED_SUFFIXES):
            yield from _iter_stream(stream, name, stripped, budget, depth + 1, mtime)
        else:
            yield Member(name, stripped, stream, mtime)
    else:
        yield Member(name, inner, _guard(raw, name, budget), mtime)


def _iter_tar(
    raw: BinaryIO, name: str, inner: str, budget: _Budget, depth: int
) -> Iterator[Member | Refusal]:
    try:
        # streamed: never seeks, never extracts; closed by the ``with`` below
        tar = tarfile.open(fileobj=raw, mode="r|*")  # noqa: SIM115
    except (*_DECOMPRESS_ERRORS, TypeError) as exc:
        # TypeError: tarfile's stream reader chokes on a gzip header cut short (ord(b""))
        raise SourceError(name, f"not a readable tar archive ({exc})") from None
    with tar:
        try:
            for info in tar:
                member_name = f"{name}!{info.name}"
                safe = _safe_inner(info.name)
                if safe is None:
                    yield Refusal(member_name, "path escapes the bundle: skipped")
                    continue
                if not info.isreg():
                    if not info.isdir():
                        yield Refusal(member_name, "not a regular file (link or device): skipped")
                    continue
                budget.count_member(member_name)
                if info.size > budget.limits.max_member_bytes:
                    yield Refusal(
                        member_name,
                        f"{info.size} bytes exceeds the "
                        f"{budget.limits.max_member_bytes} byte cap: skipped",
                    )
                    continue
                fobj = tar.extractfile(info)
                if fobj is None:
                    continue
                yield from _iter_stream(
                    fobj,  # type: ignore[arg-type]
                    member_name,
                    safe,
                    budget,
                    depth + 1,
                    float(info.mtime),
                )
        except _DECOMPRESS_ERRORS as exc:
            raise SourceError(name, f"corrupt or truncated archive ({exc})") from None


def _iter_zip(
    raw: BinaryIO, name: str, inner: str, budget: _Budget, depth: int
) -> Iterator[Member | Refusal]:
    spool: BinaryIO | None = None
    if depth > 0:  # a nested zip: copy it (capped) to a temporary file to seek in it cheaply
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        copied = 0
        while chunk := raw.read(1 << 20):
            copied += len(chunk)
            if copied > budget.limits.max_spool_bytes:
                spool.close()
                yield Refusal(
                    name, f"nested zip larger than {budget.limits.max_spool_bytes} bytes: skipped"
                )
                return
            spool.write(chunk)
        spool.seek(0)
        raw = spool
    try:
        try:
            zf = zipfile.ZipFile(raw)
        except _DECOMPRESS_ERRORS as exc:
            raise SourceError(name, f"not a readable zip archive ({exc})") from None
        with zf:
            infos = zf.infolist()
            for info in infos:
                member_name = f"{name}!{info.filename}"
                if not info.filename:  # a NUL in the stored name leaves nothing
                    yield Refusal(member_name, "member without a name: skipped")
                    continue
                safe = _safe_inner(info.filename)
                if safe is None:
                    yield Refusal(member_name, "path escapes the bundle: skipped")
                    continue
                if info.is_dir():
                    continue
                if stat.S_ISLNK(info.external_attr >> 16):
                    yield Refusal(member_name, "symbolic link: skipped")
                    continue
                budget.count_member(member_name)
                refusal = zip_member_refusal(info, budget.limits)
                if refusal:
                    yield Refusal(member_name, refusal)
                    continue
                try:
                    fobj = zf.open(info)
                except (*_DECOMPRESS_ERRORS, NotImplementedError, RuntimeError) as exc:
                    yield Refusal(member_name, f"cannot open ({exc}): skipped")
                    continue
                with fobj:
                    mtime = None
                    yield from _iter_stream(fobj, member_name, safe, budget, depth + 1, mtime)  # type: ignore[arg-type]
    finally:
        if spool is not None:
            spool.close()


def zip_member_refusal(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    """Why a zip member must not be inflated (declared size or ratio), or None."""
    if info.file_size > limits.max_member_bytes:
        return (
            f"declares {info.file_size} bytes, over the {limits.max_member_bytes} byte cap: refused"
        )
    if info.file_size > (1 << 20) and info.file_size > limits.max_zip_ratio * max(
        info.compress_size, 1
    ):
        ratio = info.file_size / max(info.compress_size, 1)
        return f"compression ratio {ratio:.0f}:1 looks like a zip bomb: refused"
    return None
