"""Coverage over time: how many matching articles fall in each day, week or month.

The bucket size is chosen to fit the range (up to about two months: days; up to two
years: weeks starting on Monday; longer: months), so the chart has tens of bars, not
thousands. Each bucket also carries how many articles of the whole archive fall in it,
so the page can show coverage as a share of everything published in that period.
Undated articles are not in the chart (the date facet counts them).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

from search.domain.analyst import Bucket, Coverage, Timeline
from search.extract.dates import ACCEPTED_FROM, accepted_until

# A chart over the matches' own span with fewer matches than bars / SPARSE uses the next larger unit:
# five articles over twenty months are three wide monthly bars, not three slivers among 88 weeks.
SPARSE = 2
_COARSER = {"hari": "minggu", "minggu": "bulan"}
# A unit the reader asks for is kept up to this many bars (two years of days); past it the next larger one is used.
MAX_BARS = 732


def _unit(first: dt.date, last: dt.date, matches: int | None = None) -> str:
    """Days up to two months, weeks up to two years, months beyond; coarser for few ``matches`` (when given)."""
    span = (last - first).days
    unit = "hari" if span <= 62 else "minggu" if span <= 731 else "bulan"
    while matches is not None and unit in _COARSER and matches * SPARSE < _bars(span, unit):
        unit = _COARSER[unit]
    return unit


def _bars(span: int, unit: str) -> int:
    return span + 1 if unit == "hari" else span // 7 + 1 if unit == "minggu" else span // 28 + 1


def _asked_unit(first: dt.date, last: dt.date, asked: str) -> str:
    """The unit the reader asked for, or the next larger one while it would draw more than :data:`MAX_BARS` bars."""
    unit = asked
    while unit in _COARSER and _bars((last - first).days, unit) > MAX_BARS:
        unit = _COARSER[unit]
    return unit


def _bucket_start(day: dt.date, unit: str) -> dt.date:
    if unit == "minggu":
        return day - dt.timedelta(days=day.weekday())
    if unit == "bulan":
        return day.replace(day=1)
    return day


def _next(start: dt.date, unit: str) -> dt.date:
    if unit == "hari":
        return start + dt.timedelta(days=1)
    if unit == "minggu":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


_EPOCH = dt.date(1, 1, 1).toordinal()


def day_date(number: int) -> dt.date:
    """The date of a day number (:func:`day_number`'s inverse; 0, no date, is not one)."""
    return dt.date.fromordinal(number + _EPOCH - 1)


def day_number(date: dt.date) -> int:
    """Days since 0001-01-01 plus one: how every backend's columns hold a date (0 is "no date")."""
    return date.toordinal() - _EPOCH + 1


def _dated(days: np.ndarray) -> np.ndarray:
    """The day numbers among ``days`` that fall within the dates an article may carry."""
    floor, ceiling = ACCEPTED_FROM, accepted_until(dt.date.today())
    return days[(days >= day_number(floor)) & (days <= day_number(ceiling))]


def timeline(archive_days: np.ndarray, series: list[np.ndarray], date_from: dt.date | None, date_to: dt.date | None,
             unit: str = "") -> Timeline:
    """Each series' matches (their day numbers, 0 for undated) counted per period of one shared axis.

    ``archive_days`` are the sorted day numbers of every dated article of the archive (for shares).

    The axis runs over the request's range, else from the first to the last match of any series;
    its unit fits the span and, over the matches' own range, the largest series (:data:`SPARSE`),
    unless the reader asked for a ``unit`` (kept up to :data:`MAX_BARS` bars).
    """
    floor, ceiling = ACCEPTED_FROM, accepted_until(dt.date.today())
    days = [_dated(selected) for selected in series]
    found = [d for d in days if len(d)]
    if not found and not (date_from and date_to):
        return Timeline("hari", (), (), (), tuple(() for _ in series))
    first = max(date_from or day_date(min(int(d.min()) for d in found)), floor)
    last = min(date_to or day_date(max(int(d.max()) for d in found)), ceiling)
    if first > last:
        return Timeline("hari", (), (), (), tuple(() for _ in series))
    matches = None if date_from and date_to else max(len(d) for d in days)  # a range the reader chose keeps its unit
    unit = _asked_unit(first, last, unit) if unit else _unit(first, last, matches)
    starts, ends, edges = _layout(first, last, unit)
    everything = np.diff(np.searchsorted(archive_days, edges))
    counts = tuple(tuple(_per_period(d, edges).tolist()) for d in days)
    return Timeline(unit, starts, ends, tuple(int(n) for n in everything), counts)


def _per_period(days: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """How many of ``days`` (unsorted) fall in each period from ``edges[i]`` up to ``edges[i + 1]``: counted per day
    and summed per period, without sorting the matches (a common word's are tens of thousands)."""
    low, high = int(edges[0]), int(edges[-1])
    inside = days[(days >= low) & (days < high)] - low
    per_day = np.bincount(inside, minlength=high - low)
    return np.add.reduceat(per_day, np.asarray(edges[:-1], dtype=np.int64) - low)


def coverage(archive_days: np.ndarray, selected: np.ndarray, date_from: dt.date | None, date_to: dt.date | None,
             unit: str = "") -> Coverage:
    """One search's matches per period (see :func:`timeline`).

    The range never reaches past the dates an article may carry (1900 to a year from
    today), so ``to=9999-12-31`` or an old article dated at the calendar's end can neither
    make the chart run to tens of thousands of bars nor step past the calendar's end.
    """
    line = timeline(archive_days, [selected], date_from, date_to, unit)
    return Coverage(line.unit, [Bucket(s, e, c, a) for s, e, c, a in zip(line.starts, line.ends, line.counts[0], line.everything, strict=True)])


@lru_cache(maxsize=256)
def _layout(first: dt.date, last: dt.date, unit: str) -> tuple[tuple[dt.date, ...], tuple[dt.date, ...], np.ndarray]:
    """Bucket starts, (inclusive) ends and edges as day numbers: the same for every search over the same range."""
    starts = []
    start = _bucket_start(first, unit)
    while start <= last:
        starts.append(start)
        start = _next(start, unit)
    ends = tuple(_next(s, unit) - dt.timedelta(days=1) for s in starts)
    edges = np.array([day_number(s) for s in starts] + [day_number(_next(starts[-1], unit))], dtype=np.int64)
    edges.flags.writeable = False
    return tuple(starts), ends, edges

