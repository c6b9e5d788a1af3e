"""Reading and validating a knowledge bundle: ``TABLES.toml`` plus one CSV per table.

Every error is a :class:`KnowledgeError` whose message names the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from vmdoctor.knowledge.tables import LIST_SEPARATOR, TABLE_SPECS, Row, TableSpec

MANIFEST = "TABLES.toml"
SCHEMA_VERSION = 1


class KnowledgeError(ValueError):
    """A knowledge bundle is unreadable or invalid. ``str()`` is one line naming file and place."""


class TableInfo(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    file: str
    date: date
    source: str
    about: str = ""


class Manifest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    schema: int
    bundle_date: date
    description: str = ""
    tables: dict[str, TableInfo]


@dataclass(frozen=True, slots=True)
class Bundle:
    path: Path
    manifest: Manifest
    rows: dict[str, tuple[Row, ...]]

    def table(self, name: str) -> tuple[Row, ...]:
        return self.rows[name]


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        manifest = msgspec.toml.decode(raw, type=Manifest)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from None
    if manifest.schema != SCHEMA_VERSION:
        raise KnowledgeError(
            f"{path}: schema {manifest.schema} is not supported (expected {SCHEMA_VERSION})"
        )
    missing = [spec.name for spec in TABLE_SPECS if spec.name not in manifest.tables]
    if missing:
        raise KnowledgeError(f"{path}: tables missing from the manifest: {', '.join(missing)}")
    unknown = sorted(set(manifest.tables) - {spec.name for spec in TABLE_SPECS})
    if unknown:
        raise KnowledgeError(f"{path}: unknown tables: {', '.join(unknown)}")
    return manifest


def read_bundle(directory: Path) -> Bundle:
    """Parse and type every table of the bundle in ``directory`` (no cross-table checks)."""
    manifest = read_manifest(directory)
    rows = {
        spec.name: read_table(directory / manifest.tables[spec.name].file, spec)
        for spec in TABLE_SPECS
    }
    return Bundle(path=directory, manifest=manifest, rows=rows)


def read_table(path: Path, spec: TableSpec) -> tuple[Row, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise KnowledgeError(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = _fields(spec.row_type)
    header = reader.fieldnames or []
    required = {name for name, (_, has_default) in fields.items() if not has_default}
    missing = sorted(required - set(header))
    if missing:
        raise KnowledgeError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    unknown = sorted(set(header) - set(fields))
    if unknown:
        raise KnowledgeError(f"{path}: line 1: unknown column(s) {', '.join(unknown)}")
    out: list[Row] = []
    seen: dict[object, int] = {}
    for record in reader:
        line = reader.line_num
        if None in record:
            raise KnowledgeError(f"{path}: line {line}: more cells than columns")
        values: dict[str, Any] = {}
        for name, cell in record.items():
            if cell is None or cell.strip() == "":
                continue  # empty = unknown: the field's default (None / "" / ()) applies
            is_list = fields[name][0]
            values[name] = (
                [v.strip() for v in cell.split(LIST_SEPARATOR) if v.strip()] if is_list else cell
            )
        try:
            row = msgspec.convert(values, type=spec.row_type, strict=False)
        except msgspec.ValidationError as exc:
            raise KnowledgeError(f"{path}: line {line}: {_where(str(exc))}") from None
        key = spec.key(row)
        if key in seen:
            raise KnowledgeError(
                f"{path}: line {line}: duplicate key {key!r} (first on line {seen[key]})"
            )
        seen[key] = line
        out.append(row)
    if not out:
        raise KnowledgeError(f"{path}: table has no rows")
    return tuple(out)


def _fields(row_type: type[Row]) -> dict[str, tuple[bool, bool]]:
    """field name -> (is a list column, has a default)."""
    hints = typing.get_type_hints(row_type)
    info = msgspec.structs.fields(row_type)
    out = {}
    for f in info:
        hint = hints[f.name]
        is_list = typing.get_origin(hint) in (tuple, list)
        has_default = (
            f.default is not msgspec.NODEFAULT or f.default_factory is not msgspec.NODEFAULT
        )
        out[f.name] = (is_list, has_default)
    return out


def _where(message: str) -> str:
    # "Expected `int`, got `str` - at `$.build`" -> "column build: expected `int`, got `str`"
    if " - at `$." in message:
        problem, _, where = message.partition(" - at `$.")
        column = where.rstrip("`").split("[")[0]
        return f"column {column}: {problem[0].lower()}{problem[1:]}"
    return message
