"""Attention over time for analysts: several searches on one axis, and who covers a search.

Both count matches per period with :func:`search.analyst.periods.timeline`, so the series share
their periods and each period also says how many articles the whole archive holds in it
(for shares). Matches are the same as the search page's (words and filters), over the
whole archive: no page, no cap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from search.analyst.periods import day_date, timeline
from search.backends.whoosh.hits import outlet_labels
from search.backends.whoosh.query import matching_docs
from search.domain.analyst import OTHERS, TOP_OUTLETS, Comparison, Coverers, OutletRow, check_compared
from search.domain.facets import UNKNOWN
from search.domain.request import SearchRequest

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot


def compare(snapshot: Snapshot, requests: list[SearchRequest]) -> Comparison:
    """Each request's matches per period on one axis; at most :data:`MAX_COMPARED` requests."""
    check_compared(len(requests))
    columns = snapshot.columns
    matches = [matching_docs(snapshot, request) for request in requests]
    shared = requests[0]
    line = timeline(columns.dated_days, [columns.arrays["date"][m] for m in matches], shared.date_from, shared.date_to, shared.unit)
    return Comparison(tuple(requests), tuple(len(m) for m in matches), line)


def coverers(snapshot: Snapshot, request: SearchRequest, top: int = TOP_OUTLETS) -> Coverers:
    """The outlets of a search's matches: counts, share of each outlet's own output, first and last date; the top ones over time."""
    columns = snapshot.columns
    docs = matching_docs(snapshot, request)
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
    labels = outlet_labels(snapshot.searcher, {values[c] for c in order} - {UNKNOWN})
    rows = tuple(
        OutletRow(values[c], labels.get(values[c], values[c]), int(counts[c]), int(output[c]),
                  day_date(int(first[c])) if last[c] else None, day_date(int(last[c])) if last[c] else None)
        for c in order
    )
    leaders = [c for c in order if values[c] != UNKNOWN][:top]
    series = [docs[codes == c] for c in leaders]
    rest = docs[~np.isin(codes, leaders)]
    keys = [values[c] for c in leaders] + ([OTHERS] if len(rest) else [])
    dates = columns.arrays["date"]
    line = timeline(columns.dated_days, [dates[s] for s in ([*series, rest] if len(rest) else series)], request.date_from, request.date_to, request.unit)
    return Coverers(len(docs), rows, tuple(keys), line)

