"""Filters and facet counts as array operations over the matching documents.

Facet counts are computed without the facet's own selection, so the count shown next to a
value is the number of hits choosing it leads to (for outlets, which add up, the number it
adds). Filters are boolean masks over the matches (:mod:`search.backends.whoosh.columns`).
"""

from __future__ import annotations

import numpy as np

from search.analyst.periods import day_number
from search.backends.whoosh.columns import Columns
from search.domain.facets import UNKNOWN
from search.domain.request import LIST_FACETS, SearchRequest

# Facet name (the query parameter) -> the sortable column it counts.
FACET_COLUMNS = {"outlet": "outlet_facet", "group": "group_facet", "date": "month", "city": "city_facet",
                 "category": "category_facet", "author": "author_facet"}


def facet_masks(request: SearchRequest, columns: Columns, docs: np.ndarray) -> dict[str, np.ndarray]:
    """For each active selection, which of ``docs`` it keeps (facet name, or "range" for from/to).

    A facet's mask holds both its chosen values (any of them) and its excluded ones (none of them).
    """
    masks: dict[str, np.ndarray] = {}
    arrays = columns.arrays
    for facet in LIST_FACETS:
        chosen, left_out = request.chosen(facet), request.left_out(facet)
        if not (chosen or left_out):
            continue
        codes = arrays[FACET_COLUMNS[facet]][docs]
        keep = np.isin(codes, columns.codes_of(FACET_COLUMNS[facet], chosen)) if chosen else np.ones(len(docs), dtype=bool)
        if left_out:
            keep &= ~np.isin(codes, columns.codes_of(FACET_COLUMNS[facet], left_out))
        masks[facet] = keep
    dates_left_out = request.left_out("date")
    if request.date or dates_left_out:
        codes = arrays["month"][docs]
        keep = np.isin(codes, columns.codes_of("month", _months(columns, request.date))) if request.date else np.ones(len(docs), dtype=bool)
        for value in dates_left_out:
            keep &= ~np.isin(codes, columns.codes_of("month", _months(columns, value)))
        masks["date"] = keep
    if request.date_from or request.date_to:
        days = arrays["date"][docs]
        low = day_number(request.date_from) if request.date_from else 1  # undated articles (0) never match a range
        high = day_number(request.date_to) if request.date_to else np.iinfo(np.int32).max
        masks["range"] = (days >= low) & (days <= high)
    return masks


def _months(columns: Columns, value: str) -> list[str]:
    """The month values a date value covers: a year's months, or the month (or the undated bucket) itself."""
    return [m for m in columns.values("month") if m.startswith(value + "-")] if len(value) == 4 else [value]


def all_of(masks: list[np.ndarray], size: int) -> np.ndarray:
    keep = np.ones(size, dtype=bool)
    for mask in masks:
        keep &= mask
    return keep


def count_facets(columns: Columns, docs: np.ndarray, masks: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    """Every facet's counts over ``docs``, each ignoring its own selection (see the module docstring).

    The undated bucket also ignores a from/to range, which can never hold an undated article:
    "Tanpa tanggal" stays in view, and its link drops the range (see web.facets).
    """
    counts: dict[str, dict[str, int]] = {}
    for facet, column in FACET_COLUMNS.items():
        keep = all_of([mask for name, mask in masks.items() if name != facet], len(docs))
        tally = np.bincount(columns.arrays[column][docs[keep]])
        values = columns.values(column)
        counts[facet] = {values[code]: int(n) for code, n in enumerate(tally) if n}
    if "range" in masks:  # a range leaves undated articles out; their bucket still says how many there are
        keep = all_of([mask for name, mask in masks.items() if name not in ("date", "range")], len(docs))
        undated = int((columns.arrays["date"][docs[keep]] == 0).sum())
        if undated:
            counts["date"][UNKNOWN] = undated
    return counts
