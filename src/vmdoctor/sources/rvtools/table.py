"""RVTools tabs as tables, read from an .xlsx (calamine) or per-tab CSV exports.

Column names changed over RVTools versions: "Capacity MB" (3.x) became "Capacity MiB" (4.x)
with the same meaning (RVTools always counted 2^20 bytes), and custom attributes are inserted
as extra columns in the middle of several tabs. Columns are therefore looked up by a
normalised name, never by position.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

from vmdoctor.sources.errors import SourceError

#: an export of 100k VMs is ~150 MB of sheet XML; far beyond this, parsing would exhaust memory
MAX_XLSX_UNCOMPRESSED_BYTES = 2 << 30
MAX_XLSX_RATIO = 200.0
TABS = (
    "vInfo",
    "vCPU",
    "vMemory",
    "vDisk",
    "vNetwork",
    "vCD",
    "vSnapshot",
    "vTools",
    "vHost",
    "vDatastore",
    "vCluster",
    "vMultiPath",
    "vSwitch",
    "vPort",
    "vNIC",
    "dvSwitch",
    "dvPort",
    "vLicense",
    "vHealth",
    "vSource",
    "vMetaData",
)
_CSV_TAB = re.compile(r"(?:^|_)tab(v[A-Za-z]+|dv[A-Za-z]+)\.csv$", re.IGNORECASE)


def normalise(name: object) -> str:
    text = re.sub(r"\s+", " ", str(name or "").strip().lower())
    return re.sub(r"\bmib\b", "mb", text)


@dataclass(slots=True)
class Table:
    tab: str
    header: list[str]
    rows: Sequence[Sequence[Any]]
    origin: str
    _index: dict[str, int] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        for i, name in enumerate(self.header):
            self._index.setdefault(normalise(name), i)

    def col(self, *names: str) -> int | None:
        """Index of the first of ``names`` present (normalised), marking it as understood."""
        for name in names:
            idx = self._index.get(normalise(name))
            if idx is not None:
                self.used.add(idx)
                return idx
        return None

    def ignored(self) -> list[str]:
        return [h for i, h in enumerate(self.header) if i not in self.used and h and h != "None"]


def _cell(value: Any) -> Any:
    return None if value == "" else value


def read_xlsx(path: Path | str, stream: BinaryIO | None = None) -> dict[str, Table]:
    """The known tabs of an RVTools workbook; refuses absurd sizes before parsing."""
    from python_calamine import CalamineError, CalamineWorkbook

    source: Any = stream if stream is not None else Path(path)
    check_xlsx_size(path, source)
    if stream is not None:
        stream.seek(0)
    try:
        wb = (
            CalamineWorkbook.from_filelike(source)
            if stream is not None
            else CalamineWorkbook.from_path(str(path))
        )
    except (CalamineError, OSError, ValueError) as exc:
        raise SourceError(path, f"not a readable xlsx workbook ({exc})") from None
    tables: dict[str, Table] = {}
    for name in wb.sheet_names:
        tab = _known_tab(name)
        if tab is None:
            continue
        try:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=True)
        except (CalamineError, ValueError) as exc:
            raise SourceError(path, f"sheet {name!r} cannot be read ({exc})") from None
        if not rows:
            continue
        header = [str(h) if h is not None else "" for h in rows[0]]
        body = [r for r in rows[1:] if any(c not in ("", None) for c in r)]
        tables[tab] = Table(tab, header, body, f"{path}!{name}")
    return tables


def check_xlsx_size(path: Path | str, source: Any) -> None:
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # NotImplementedError: a zip feature Python does not read (a mangled version field)
        raise SourceError(path, f"not a readable xlsx workbook ({exc})") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise SourceError(
            path,
            f"workbook unpacks to {total} bytes, "
            f"over the {MAX_XLSX_UNCOMPRESSED_BYTES} byte cap: refused",
        )
    if total > (16 << 20) and total > MAX_XLSX_RATIO * max(packed, 1):
        raise SourceError(
            path,
            f"workbook compression ratio {total / max(packed, 1):.0f}:1 is not plausible: refused",
        )


def _known_tab(name: str) -> str | None:
    for tab in TABS:
        if name.strip().lower() == tab.lower():
            return tab
    return None


def csv_tab_name(file_name: str) -> str | None:
    """The tab an RVTools CSV export file holds ("RVTools_tabvInfo.csv" -> "vInfo")."""
    m = _CSV_TAB.search(file_name.replace("\\", "/").rsplit("/", 1)[-1])
    return _known_tab(m.group(1)) if m else None


def read_csv(name: str, data: bytes) -> Table | None:
    tab = csv_tab_name(name)
    if tab is None:
        return None
    text = _decode(data)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SourceError(name, f"invalid CSV ({exc})") from None
    if not rows:
        raise SourceError(name, "empty CSV export")
    body = [[_cell(c) for c in r] for r in rows[1:] if any(r)]
    return Table(tab, rows[0], body, name)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- cell conversion: calamine gives str/float/int/bool/datetime, CSV gives str ----------------


def as_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def as_float(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def as_int(value: Any) -> int | None:
    number = as_float(value)
    return None if number is None or number != number else int(number)


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("true", "yes", "1", "enabled", "on"):
        return True
    if text in ("false", "no", "0", "disabled", "off"):
        return False
    return None


def as_datetime(value: Any) -> datetime | None:
    from datetime import UTC

    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    text = as_str(value)
    if not text:
        return None
    try:  # the common "2024-05-02 12:00:00" is ISO: the fast C parser first
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except ValueError:
        pass
    for fmt in (
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M:%S",
        "%m/%d/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M:%S",
        "%m/%d/%Y %I:%M:%S %p",
        "%d-%m-%Y %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d",
    ):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
