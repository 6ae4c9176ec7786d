"""Indonesian news dates: ``Senin (15/9)``, ``Rabu (17/1/2024)``, ``Senin, 15 September 2025``.

Articles rarely carry a machine date; the date sits in the lead as the day of the event,
often without a year. A year-less date is resolved against the day of indexing: the
latest year, not after that day, in which the day and month fall on the named weekday
(or, with no weekday, the latest such date not after that day). Anything that does not
resolve cleanly gives ``None`` rather than a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from search.extract.date_order import NUMERIC_DATE, DateOrder

WEEKDAYS: dict[str, int] = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "jum’at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

_WEEKDAY_RE = r"(?P<weekday>senin|selasa|rabu|kamis|jum['’]?at|sabtu|minggu|ahad)"
_MONTH_RE = "(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

# "Senin (15/9)", "Senin (15/9/25)", "Rabu (17/1/2024)", "Kamis (18 / 8 / 2016)", "(17/1/2024)".
_NUMERIC = re.compile(
    r"(?:\b" + _WEEKDAY_RE + r"\s*,?\s*)?"
    r"\(\s*(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*(?:[/.-]\s*(?P<year>\d{4}|\d{2}))?\s*\)",
    re.IGNORECASE,
)
# "05/03/2025, 14:20 WIB", "Senin, 15/09/2025": no brackets, so a four-digit year is required.
_NUMERIC_BARE = re.compile(
    r"(?:\b" + _WEEKDAY_RE + r"\s*,?\s*)?(?<![\d/.])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})(?![\d/])",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])")
# "Senin, 15 September 2025", "15 Sep 2025", "Rabu, 5 Maret 2025 14:20 WIB", "Senin, 15 September".
_WORDED = re.compile(
    r"(?:\b" + _WEEKDAY_RE + r"\s*,?\s*(?:tanggal\s+)?)?"
    r"\b(?P<day>\d{1,2})\s+" + _MONTH_RE + r"(?:\s+(?P<year>\d{4}))?(?!\w)",
    re.IGNORECASE,
)

# A date stamp as pages print it above or beside the headline: "Rabu, 5 Maret 2025 14:20 WIB",
# "Senin, 15/09/2025 | 10:12 WIB", "05/03/2025, 14:20 WIB". A year is required.
_PLAIN_WEEKDAY = r"(?:senin|selasa|rabu|kamis|jum['’]?at|sabtu|minggu|ahad)\s*,?\s*"
_PLAIN_DATE = r"(?:\d{1,2}\s+(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})(?!\w)"
_TIME = r"\s*[,|-]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*(?:WIB|WITA|WIT)\b)?"
# Glued to a headline (before or after it), only with a weekday or a time: "17 Agustus 2017" may be the headline's own.
_STAMP = re.compile(
    r"^\s*(?:" + _PLAIN_WEEKDAY + _PLAIN_DATE + "(?:" + _TIME + ")?|" + _PLAIN_DATE + _TIME + "|" + _PLAIN_DATE + r"(?=\s*[|,]?\s*$))\s*[|,]?\s*",
    re.IGNORECASE,
)
_STAMP_AT_END = re.compile(
    r"(?<!\S)(?:" + _PLAIN_WEEKDAY + _PLAIN_DATE + "(?:" + _TIME + ")?|" + _PLAIN_DATE + _TIME + r")\s*[|,]?\s*$", re.IGNORECASE
)

EARLIEST_YEAR = 1990
# How far back a year-less date may be placed: a weekday repeats on a date every few years.
_YEARS_BACK = 12


def resolve_partial(day: int, month: int, weekday: int | None, today: dt.date) -> dt.date | None:
    """Place a year-less day and month in time, as described in the module docstring."""
    for year in range(today.year, today.year - _YEARS_BACK - 1, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # 29 February in a non-leap year, or an impossible day
        if candidate > today:
            continue
        if weekday is None or candidate.weekday() == weekday:
            return candidate
    return None


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _build(day: int, month: int, year_text: str | None, weekday_text: str | None, today: dt.date) -> dt.date | None:
    weekday = WEEKDAYS.get(weekday_text.lower()) if weekday_text else None
    if year_text is None:
        return resolve_partial(day, month, weekday, today)
    year = _full_year(year_text)
    if not EARLIEST_YEAR <= year <= today.year:
        return None
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return None
    return found if found <= today else None


def iter_dates(text: str, today: dt.date, *, require_year: bool = False) -> Iterator[tuple[int, dt.date]]:
    """Every well-formed date in ``text`` with its offset, in reading order.

    A bare ``(15/9)`` without weekday or year is too often a score or a ratio, so the
    numeric form needs a weekday or a year; the worded form (``15 September``) needs a
    weekday or a year for the same reason. With ``require_year`` only dates that write
    their year count.
    """
    found: list[tuple[int, dt.date]] = []
    for pattern in (_NUMERIC, _NUMERIC_BARE, _ISO, _WORDED):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            year, weekday = groups.get("year"), groups.get("weekday")
            if not year and (require_year or not weekday):
                continue
            month = MONTHS[groups["month_name"].lower()] if groups.get("month_name") else int(groups["month"])
            date = _build(int(groups["day"]), month, year, weekday, today)
            if date:
                found.append((match.start(), date))
    yield from sorted(found, key=lambda pair: pair[0])


def date_stamp_length(text: str) -> int:
    """How many leading characters of ``text`` are a printed date stamp (0 when it does not start with one)."""
    match = _STAMP.match(text)
    return match.end() if match else 0


def date_stamp_at_end(text: str) -> int:
    """Where a printed date stamp that ends ``text`` begins (``len(text)`` when none does)."""
    match = _STAMP_AT_END.search(text)
    return match.start() if match else len(text)


def find_date(text: str, today: dt.date, *, require_year: bool = False) -> dt.date | None:
    """The first date written in ``text``, or ``None``."""
    for _, date in iter_dates(text, today, require_year=require_year):
        return date
    return None


# Dates an article may carry: a 9999-12-31 is a typo or an attack, and would push every date
# computation (charts, ranges) to the calendar's end.
ACCEPTED_FROM = dt.date(1900, 1, 1)


def accepted_until(today: dt.date) -> dt.date:
    """The latest date an article may carry: a year after ``today`` (embargoed or mis-set clocks)."""
    return today + dt.timedelta(days=366)


class DateOutOfRange(ValueError):
    """A date that reads well but lies outside :data:`ACCEPTED_FROM` .. :func:`accepted_until`."""


def parse_record_date(value: object, today: dt.date, order: DateOrder | None = None) -> dt.date | None:
    """A record's date field (see :func:`read_record_date`)."""
    return read_record_date(value, today, order)[0]


def read_record_date(value: object, today: dt.date, order: DateOrder | None = None) -> tuple[dt.date | None, bool]:
    """A record's date field, and whether its order of day and month had to be assumed (:mod:`.date_order`).

    ISO date or datetime text (any offset), Indonesian text (``Selasa, 21 Okt 2025 20:43 WIB``),
    numbers as spreadsheets write them (``10/21/2025 20:43``, ``21/10/2025``: ``order`` reads
    the ambiguous ones, day first without it), or a Unix time in seconds or milliseconds
    (a number, or digits as text).

    Raises ``ValueError`` for a value that is there but cannot be read, so the record is
    reported instead of being filed under a wrong date, and :class:`DateOutOfRange` for a
    date before 1900 or more than a year after ``today``.
    """
    assumed = False
    if isinstance(value, str) and (numeric := NUMERIC_DATE.match(value)):
        day, month, assumed = (order or DateOrder()).day_and_month(int(numeric["a"]), int(numeric["b"]))
        try:
            date: dt.date | None = dt.date(int(numeric["year"]), month, day)
        except ValueError:
            raise ValueError(f"unreadable date {value.strip()!r}") from None
    elif isinstance(value, str) and _UNIX_DIGITS.match(value):
        date = _unix_date(int(value))
    else:
        date = _record_date(value, today)
    if date is not None and not ACCEPTED_FROM <= date <= accepted_until(today):
        raise DateOutOfRange(f"date {date.isoformat()} is outside {ACCEPTED_FROM.isoformat()} .. {accepted_until(today).isoformat()}")
    return date, assumed


_UNIX_DIGITS = re.compile(r"^\s*\d{9,13}\s*$")  # a Unix time written as text: seconds (9-10 digits) or milliseconds (12-13)


# A number is a Unix time: seconds, or milliseconds past this (seconds this large are past the year 5000).
UNIX_MILLISECONDS_FROM = 100_000_000_000
# ... of an online article: a number that reads as a day before this is no timestamp (20240101 seconds is 1970-08-23).
UNIX_PLAUSIBLE_FROM = dt.date(1990, 1, 1)


def _unix_date(value: float) -> dt.date:
    """The day of a Unix time in seconds or milliseconds; ``ValueError`` for a number that is no timestamp of an article."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"date {value!r} is not a number of seconds")
    seconds = value / 1000 if abs(value) >= UNIX_MILLISECONDS_FROM else value
    try:
        date = dt.datetime.fromtimestamp(float(seconds), tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        raise DateOutOfRange(f"Unix time {value!r} is outside the calendar") from None
    if date < UNIX_PLAUSIBLE_FROM:
        raise ValueError(f"date {value!r} read as Unix time is {date.isoformat()}, before {UNIX_PLAUSIBLE_FROM.year}: "
                         "write the date as text (TTTT-BB-HH)")
    return date


def _record_date(value: object, today: dt.date) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _unix_date(value)
    if not isinstance(value, str):
        raise ValueError(f"date must be text or a number, not {type(value).__name__}")
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    date = find_date(text, today)
    if date is None:
        raise ValueError(f"unreadable date {text!r}")
    return date

