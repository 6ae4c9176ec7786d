"""Numeric dates as spreadsheets and scrapers write them: ``10/21/2025 20:43`` month first, ``21/10/2025`` day first.

A date field written all in numbers does not say which number is the month. When one of the
two is above 12 the date says it itself; when both are 12 or less (``03/04/2025``) it is read
the way the same file's unambiguous dates are written (a file with ``10/21/2025`` is
month-first: a spreadsheet exported in a US locale writes every row so), and with no such
evidence day-first, the Indonesian habit. The reader says once per file which it chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A whole date field of numbers: day and month in either order, a four-digit year, maybe a time (12- or 24-hour) and a zone.
NUMERIC_DATE = re.compile(
    r"^\s*(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"(?:[\sT,]+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?(?:\s*(?:WIB|WITA|WIT|UTC|GMT|Z))?\s*$",
    re.IGNORECASE,
)
# The same inside a JSON line, for a look over a whole file before its records are read (a slash may be escaped).
_IN_JSON = re.compile(r'"(?:date|published|published_at|tanggal|datetime)"\s*:\s*"(\d{1,2})(?:\\?/|[.-])(\d{1,2})(?:\\?/|[.-])\d{4}')


@dataclass
class DateOrder:
    """How a file's ambiguous numeric dates are read, and why; :meth:`note` tells it once."""

    month_first: bool = False
    evidence: str | None = None  # one of the file's dates that decided it, None when none did
    _told: bool = False

    def day_and_month(self, a: int, b: int) -> tuple[int, int, bool]:
        """(day, month, whether the order had to be assumed) for the numbers ``a`` and ``b`` as written."""
        if a > 12 >= b:
            return a, b, False
        if b > 12 >= a:
            return b, a, False
        return (b, a, a != b) if self.month_first else (a, b, a != b)

    def note(self) -> str | None:
        """The first time an ambiguous date was read: which order, and why."""
        if self._told:
            return None
        self._told = True
        if self.month_first:
            return f"numeric dates such as 03/04/2025 read month first (4 March), as the file writes {self.evidence}"
        why = f"as the file writes {self.evidence}" if self.evidence else "the Indonesian habit; no date in the file tells"
        return f"numeric dates such as 03/04/2025 read day first (3 April), {why}"


def order_of(pairs: Iterable[tuple[int, int, str]]) -> DateOrder:
    """The order a file's unambiguous numeric dates show, from (first number, second number, as written); day-first on a tie."""
    month_first: list[str] = []
    day_first: list[str] = []
    for a, b, written in pairs:
        if a > 12 >= b:
            day_first.append(written)
        elif b > 12 >= a:
            month_first.append(written)
    if len(month_first) > len(day_first):
        return DateOrder(True, month_first[0])
    return DateOrder(False, day_first[0] if day_first else None)


def order_of_values(values: Iterable[object]) -> DateOrder:
    """:func:`order_of` over a file's date fields as decoded."""
    return order_of((int(m["a"]), int(m["b"]), value.strip()) for value in values
                    if isinstance(value, str) and (m := NUMERIC_DATE.match(value)))


def order_of_json_text(lines: Iterable[str]) -> DateOrder:
    """:func:`order_of` over the date fields of JSON text, read without decoding it (a file's look ahead)."""
    return order_of((int(m[1]), int(m[2]), m[0].rsplit('"', 1)[-1].replace("\\/", "/")) for line in lines for m in _IN_JSON.finditer(line))
