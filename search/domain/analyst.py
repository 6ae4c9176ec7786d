"""What the analyst tools answer, as plain values: periods over time, comparisons, who covers a search, terms.

Every backend answers with these; :mod:`search.analyst` holds the computations they share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from search.domain.request import InvalidRequest, SearchRequest


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    end: dt.date  # inclusive
    count: int  # matching articles
    everything: int  # all articles in the archive in this period


@dataclass(frozen=True)
class Coverage:
    unit: str  # "hari", "minggu" or "bulan"
    buckets: list[Bucket]


@dataclass(frozen=True)
class Timeline:
    """Several series of counts over one axis of periods (a comparison, or outlets side by side)."""

    unit: str
    starts: tuple[dt.date, ...]
    ends: tuple[dt.date, ...]  # inclusive
    everything: tuple[int, ...]  # all articles in the archive in each period
    counts: tuple[tuple[int, ...], ...]  # per series, per period


MAX_COMPARED = 5


TOP_OUTLETS = 5


OTHERS = "lainnya"  # the series of every outlet after the top ones


@dataclass(frozen=True)
class Comparison:
    """Searches side by side: each one's total and its counts per period of the shared ``timeline``."""

    requests: tuple[SearchRequest, ...]
    totals: tuple[int, ...]
    timeline: Timeline


@dataclass(frozen=True)
class OutletRow:
    key: str  # the outlet facet value (UNKNOWN for articles without a known outlet)
    label: str
    count: int  # matches from this outlet
    output: int  # every article of this outlet in the archive
    first: dt.date | None  # its first and last dated match
    last: dt.date | None


@dataclass(frozen=True)
class Coverers:
    """Who covers a search: per-outlet totals, and the top outlets (then "lainnya") over time."""

    total: int
    rows: tuple[OutletRow, ...]  # by count, largest first
    series: tuple[str, ...]  # outlet keys of the timeline's series, then OTHERS when the rest is not empty
    timeline: Timeline


@dataclass(frozen=True)
class Term:
    text: str
    docs: int  # articles of the (sampled) result that have it
    score: float  # G² (0 for names: they are ranked by ``docs``)


@dataclass(frozen=True)
class Terms:
    total: int  # matches
    read: int  # matches whose words and phrases were counted (``total`` unless sampled)
    names_read: int
    words: tuple[Term, ...]
    phrases: tuple[Term, ...]
    names: tuple[Term, ...]


def check_compared(count: int) -> None:
    """Refuse a comparison of no search or of more than :data:`MAX_COMPARED` (the message is shown to the user)."""
    if count < 1:
        raise InvalidRequest("tulis sedikitnya satu pencarian untuk dibandingkan")
    if count > MAX_COMPARED:
        raise InvalidRequest(f"paling banyak {MAX_COMPARED} pencarian sekaligus, bukan {count}")
