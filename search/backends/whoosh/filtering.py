"""Filters and facet counts as array operations over the matching documents.

Facet counts are computed without the facet's own selection, so the count shown next to a
value is the number of hits choosing it leads to (for outlets, which add up, the number it
adds). Filters are boolean masks over the matches (:mod:`search.backends.whoosh.columns`).
"""

from __future__ import annotations

import numpy as np

from search.analyst.periods import day_number
from search.backends.whoosh.columns import Columns
from search.domain.facets import FACETS, PARAMETER_ORDER, UNKNOWN, Facet
from search.domain.request import SearchRequest

# Facet name (the query parameter) -> the sortable column it counts, as the definitions say.
FACET_COLUMNS = {facet.name: facet.column for facet in FACETS}


def facet_masks(request: SearchRequest, columns: Columns, docs: np.ndarray) -> dict[str, np.ndarray]:
    """For each active selection, which of ``docs`` it keeps (facet name, or "range" for from/to).

    A facet's mask holds both its chosen values (any of them) and its excluded ones (none of them).
    """
    masks: dict[str, np.ndarray] = {}
    arrays = columns.arrays
    for facet in PARAMETER_ORDER:  # the order the zero-result hints list the filters in
        chosen, left_out = request.chosen(facet.name), request.left_out(facet.name)
        if not (chosen or left_out):
            continue
        codes = arrays[facet.column][docs]
        keep = _marked(columns, facet, chosen)[codes] if chosen else np.ones(len(docs), dtype=bool)
        if left_out:
            keep &= ~_marked(columns, facet, left_out)[codes]
        masks[facet.name] = keep
    if request.date_from or request.date_to:
        days = arrays["date"][docs]
        low = day_number(request.date_from) if request.date_from else 1  # undated articles (0) never match a range
        high = day_number(request.date_to) if request.date_to else np.iinfo(np.int32).max
        masks["range"] = (days >= low) & (days <= high)
    return masks


def _marked(columns: Columns, facet: Facet, values: tuple[str, ...]) -> np.ndarray:
    """A mark per code of the facet's column, set for the codes of ``values``: each match is then one look-up
    (``np.isin`` sorted the matches' codes, 1.7 ms for an outlet among 60,000 matches)."""
    marks = np.zeros(len(columns.values(facet.column)) + 1, dtype=bool)
    marks[_codes(columns, facet, values)] = True
    return marks


def _codes(columns: Columns, facet: Facet, values: tuple[str, ...]) -> np.ndarray:
    """The column codes of ``values``; in a facet of periods a year stands for each of its months."""
    if facet.periods:
        values = tuple(month for value in values for month in _months(columns, facet.column, value))
    return columns.codes_of(facet.column, values)


def _months(columns: Columns, column: str, value: str) -> list[str]:
    """The month values a date value covers: a year's months, or the month (or the undated bucket) itself."""
    return [m for m in columns.values(column) if m.startswith(value + "-")] if len(value) == 4 else [value]


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
        others = [mask for name, mask in masks.items() if name != facet]
        tally = np.bincount(columns.arrays[column][docs[all_of(others, len(docs))] if others else docs])
        values = columns.values(column)
        held = np.flatnonzero(tally)  # a facet of thousands of places: only the ones counted are named
        counts[facet] = dict(zip([values[code] for code in held.tolist()], tally[held].tolist(), strict=True))
    if "range" in masks:  # a range leaves undated articles out; their bucket still says how many there are
        keep = all_of([mask for name, mask in masks.items() if name not in ("date", "range")], len(docs))
        undated = int((columns.arrays["date"][docs[keep]] == 0).sum())
        if undated:
            counts["date"][UNKNOWN] = undated
    return counts
