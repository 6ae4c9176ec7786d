"""Attention over time for analysts: several searches on one axis, and who covers a search.

Both count matches per period with :func:`search.coverage.timeline`, so the series share
their periods and each period also says how many articles the whole archive holds in it
(for shares). Matches are the same as the search page's (words and filters), over the
whole archive: no page, no cap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from whoosh.searching import Searcher

from search.columns import columns_for, day_date
from search.coverage import Timeline, timeline
from search.hits import outlet_labels
from search.query import matching_docs
from search.requests import InvalidRequest, SearchRequest
from search.schema import UNKNOWN

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


def compare(searcher: Searcher, requests: list[SearchRequest]) -> Comparison:
    """Each request's matches per period on one axis; at most :data:`MAX_COMPARED` requests."""
    if not requests:
        raise InvalidRequest("tulis sedikitnya satu pencarian untuk dibandingkan")
    if len(requests) > MAX_COMPARED:
        raise InvalidRequest(f"paling banyak {MAX_COMPARED} pencarian sekaligus, bukan {len(requests)}")
    columns = columns_for(searcher)
    matches = [matching_docs(searcher, request) for request in requests]
    shared = requests[0]
    line = timeline(columns, matches, shared.date_from, shared.date_to)
    return Comparison(tuple(requests), tuple(len(m) for m in matches), line)


def coverers(searcher: Searcher, request: SearchRequest, top: int = TOP_OUTLETS) -> Coverers:
    """The outlets of a search's matches: counts, share of each outlet's own output, first and last date; the top ones over time."""
    columns = columns_for(searcher)
    docs = matching_docs(searcher, request)
    codes = columns.arrays["outlet_facet"][docs]
    days = columns.arrays["date"][docs]
    values = columns.values("outlet_facet")
    size = len(values)
    counts = np.bincount(codes, minlength=size)
    output = np.bincount(columns.arrays["outlet_facet"][columns.live], minlength=size)
    dated = days > 0
    first = np.full(size, np.iinfo(np.int32).max, dtype=np.int64)
    last = np.zeros(size, dtype=np.int64)
    np.minimum.at(first, codes[dated], days[dated])
    np.maximum.at(last, codes[dated], days[dated])
    order = sorted((int(c) for c in np.flatnonzero(counts)), key=lambda c: (-int(counts[c]), values[c]))
    labels = outlet_labels(searcher, {values[c] for c in order} - {UNKNOWN})
    rows = tuple(
        OutletRow(values[c], labels.get(values[c], values[c]), int(counts[c]), int(output[c]),
                  day_date(int(first[c])) if last[c] else None, day_date(int(last[c])) if last[c] else None)
        for c in order
    )
    leaders = [c for c in order if values[c] != UNKNOWN][:top]
    series = [docs[codes == c] for c in leaders]
    rest = docs[~np.isin(codes, leaders)]
    keys = [values[c] for c in leaders] + ([OTHERS] if len(rest) else [])
    line = timeline(columns, [*series, rest] if len(rest) else series, request.date_from, request.date_to)
    return Coverers(len(docs), rows, tuple(keys), line)

