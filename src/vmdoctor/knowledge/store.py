"""Where knowledge bundles live: the one shipped in the package and a user override.

``vmdoctor kb update`` validates a newer bundle and installs it under the user data directory
(``$VMDOCTOR_DATA_DIR/knowledge``, else ``$XDG_DATA_HOME/vmdoctor/knowledge``, else
``~/.local/share/vmdoctor/knowledge``). :func:`load_knowledge` prefers that override when it is
valid and not older than the packaged bundle; otherwise it logs why and uses the packaged one.
"""

from __future__ import annotations

import logging
import os
import shutil
import tarfile
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from vmdoctor.knowledge.bundle import MANIFEST, Bundle, KnowledgeError, read_bundle
from vmdoctor.knowledge.core import Knowledge
from vmdoctor.knowledge.validate import validate

log = logging.getLogger(__name__)

PACKAGED_DIR = Path(__file__).parent / "data"
DATA_DIR_ENV = "VMDOCTOR_DATA_DIR"


def user_knowledge_dir() -> Path:
    root = os.environ.get(DATA_DIR_ENV)
    if root:
        return Path(root) / "knowledge"
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "vmdoctor" / "knowledge"


def load_bundle(directory: Path) -> Bundle:
    """Read and validate a bundle; KnowledgeError names the first problem."""
    bundle = read_bundle(directory)
    validate(bundle)
    return bundle


def active_bundle() -> Bundle:
    packaged = load_bundle(PACKAGED_DIR)
    override_dir = user_knowledge_dir()
    if not (override_dir / MANIFEST).is_file():
        return packaged
    try:
        override = load_bundle(override_dir)
    except KnowledgeError as exc:
        log.warning("ignoring knowledge override: %s", exc)
        return packaged
    if override.manifest.bundle_date < packaged.manifest.bundle_date:
        log.info(
            "knowledge override %s is older than the packaged data; using the packaged data",
            override_dir,
        )
        return packaged
    return override


@cache
def load_knowledge() -> Knowledge:
    """The knowledge base in use, loaded and indexed once per process."""
    return Knowledge(active_bundle())


def install_bundle(source: Path, target: Path | None = None) -> Bundle:
    """Validate the bundle in ``source`` (directory, .zip or .tar[.gz]) and install it.

    The current override is replaced only after the new bundle passed every check; on any
    failure it is left untouched and KnowledgeError says why.
    """
    target = target or user_knowledge_dir()
    with tempfile.TemporaryDirectory(prefix="vmdoctor-kb-") as tmp:
        staged = _unpack(source, Path(tmp))
        bundle = load_bundle(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        incoming = Path(tempfile.mkdtemp(prefix=".knowledge-new-", dir=target.parent))
        try:
            for info in bundle.manifest.tables.values():
                shutil.copy2(staged / info.file, incoming / info.file)
            shutil.copy2(staged / MANIFEST, incoming / MANIFEST)
            load_bundle(incoming)  # the copy is what will be used: check it too
            backup = target.with_name(target.name + ".previous")
            if backup.exists():
                shutil.rmtree(backup)
            if target.exists():
                target.rename(backup)
            incoming.rename(target)
            if backup.exists():
                shutil.rmtree(backup)
        except OSError as exc:
            shutil.rmtree(incoming, ignore_errors=True)
            raise KnowledgeError(f"{target}: cannot install: {exc.strerror or exc}") from None
    load_knowledge.cache_clear()
    return Bundle(path=target, manifest=bundle.manifest, rows=bundle.rows)


def remove_override(target: Path | None = None) -> bool:
    target = target or user_knowledge_dir()
    if not target.exists():
        return False
    shutil.rmtree(target)
    load_knowledge.cache_clear()
    return True


def _unpack(source: Path, tmp: Path) -> Path:
    if source.is_dir():
        return source
    if not source.is_file():
        raise KnowledgeError(f"{source}: no such file or directory")
    out = tmp / "bundle"
    try:
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as archive:
                for member in archive.namelist():
                    _safe_member(source, member)
                archive.extractall(out)
        elif tarfile.is_tarfile(source):
            with tarfile.open(source) as archive:
                archive.extractall(out, filter="data")
        else:
            raise KnowledgeError(
                f"{source}: not a knowledge bundle "
                f"(give a directory with {MANIFEST}, a .zip or a .tar.gz)"
            )
    except (OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        raise KnowledgeError(f"{source}: cannot unpack: {exc}") from None
    manifests = sorted(out.rglob(MANIFEST), key=lambda p: len(p.parts))
    if not manifests:
        raise KnowledgeError(f"{source}: the archive holds no {MANIFEST}")
    return manifests[0].parent


def _safe_member(source: Path, member: str) -> None:
    if member.startswith(("/", "\\")) or ".." in Path(member).parts:
        raise KnowledgeError(f"{source}: archive member {member!r} points outside the bundle")
