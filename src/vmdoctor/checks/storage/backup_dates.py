"""Reading "last backup" times out of the free text backup tools write into vCenter.

Backup products record their last run in a VM custom attribute or in the VM's notes, each in
its own format, for example::

    Last Backup successfully completed at Thu May 29 22:43:27 UTC 2025      (Rubrik)
    Backup Server=bk01, Policy=P, ..., StartTime=2023-10-30T00:48:53Z, EndTime=... (vProxy)
    Last backup: 11/20/2026 10:00:00                                        (Veeam notes)
    Type [Full] Result [Success] Time [21/09/2013 15:02:11]                 (vRanger)
    1763632800                                                              (epoch seconds)

``latest_time`` finds every date in such a text and returns the latest one. Times without a
zone, and zone names other than UTC/GMT/Z, are taken as UTC: an error of a few hours at most,
which does not matter for a check counted in days.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = r"(?P<tz>z|utc|gmt|[+-]\d{2}:?\d{2}|[a-z]{3,4}\b)?"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[t ]" + _TIME + r"\s*" + _ZONE + r")?",
)
_YMD_SLASH = re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:[ ,t]+" + _TIME + r")?")
_NUMERIC = re.compile(
    r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"(?:[ ,t]+" + _TIME + r")?",
)
# "Thu May 29 22:43:27 UTC 2025" (ctime / date(1)) and "Nov 20, 2026 10:00 AM"
_MONTH_FIRST_TIME_YEAR = re.compile(
    _MONTH + r"\s+(?P<d>\d{1,2}),?\s+" + _TIME + r"\s+" + _ZONE + r"\s*(?P<y>\d{4})",
)
_MONTH_FIRST_YEAR_TIME = re.compile(
    _MONTH + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})(?:[ ,]+" + _TIME + r")?"
)
# "20 Nov 2026 10:00:00", "20-Nov-2026"
_DAY_FIRST = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})[ -]" + _MONTH + r"[ ,-]+(?P<y>\d{4})(?:[ ,]+" + _TIME + r")?",
)
_ANY_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")

_MIN_YEAR, _MAX_YEAR = 1990, 2200


def latest_time(text: str, date_order: str = "mdy") -> datetime | None:
    """The latest date and time written in ``text``, or None when none can be read.

    ``date_order`` ("mdy" or "dmy") settles numeric dates such as 03/04/2026; a date whose
    first or second number is above 12 is read the only way it can be.
    """
    # Lower-cased once so that every pattern can be case-sensitive (markedly faster in ``re``):
    # this runs once per VM of the estate.
    text = text.strip().lower()
    if text.isdigit():
        return _from_epoch(text)
    found: list[datetime] = []
    taken: list[tuple[int, int]] = []
    # Cheap character tests skip the patterns that cannot match.
    if "-" in text:
        _scan(_ISO, text, found, taken)
    if "/" in text:
        _scan(_YMD_SLASH, text, found, taken)
    if _ANY_MONTH.search(text) and not _scan(_MONTH_FIRST_TIME_YEAR, text, found, taken):
        _scan(_MONTH_FIRST_YEAR_TIME, text, found, taken) or _scan(_DAY_FIRST, text, found, taken)
    if "/" in text or "." in text or "-" in text:
        for match in _NUMERIC.finditer(text):
            if taken and _overlaps(match.span(), taken):
                continue
            first, second = int(match["a"]), int(match["b"])
            if first > 12 or (date_order == "dmy" and second <= 12):
                moment = _build(match.groupdict(), month=second, day=first)
            else:
                moment = _build(match.groupdict(), month=first, day=second)
            if moment is not None:
                found.append(moment)
    return max(found) if found else None


def _scan(
    pattern: re.Pattern[str], text: str, found: list[datetime], taken: list[tuple[int, int]]
) -> bool:
    hit = False
    for match in pattern.finditer(text):
        if taken and _overlaps(match.span(), taken):
            continue
        moment = _build(match.groupdict())
        if moment is not None:
            found.append(moment)
            taken.append(match.span())
            hit = True
    return hit


def _from_epoch(digits: str) -> datetime | None:
    if len(digits) == 13:  # milliseconds
        digits = digits[:10]
    if len(digits) != 10:
        return None
    return datetime.fromtimestamp(int(digits), UTC)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _build(
    groups: dict[str, str | None], month: int | None = None, day: int | None = None
) -> datetime | None:
    """A UTC datetime from a match's groups, or None when they do not form a real date."""
    if month is None:
        name = groups.get("mon")
        month = _MONTHS[name] if name else int(groups["m"] or 0)
    year = int(groups["y"] or 0)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    hour_text = groups.get("h")
    hour = int(hour_text) if hour_text else 0
    ampm = groups.get("ampm")
    if ampm:
        if ampm[0] == "p" and hour < 12:
            hour += 12
        elif ampm[0] == "a" and hour == 12:
            hour = 0
    try:
        moment = datetime(
            year,
            month,
            day if day is not None else int(groups["d"] or 0),
            hour,
            int(groups.get("mi") or 0),
            int(groups.get("s") or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    zone = groups.get("tz")
    if zone and zone[0] in "+-":
        return moment - _offset(zone)
    return moment  # Z, UTC, GMT, a zone name or nothing: taken as UTC


def _offset(zone: str) -> timedelta:
    digits = zone[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    return delta if zone[0] == "+" else -delta
