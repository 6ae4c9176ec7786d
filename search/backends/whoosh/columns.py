"""Facet columns as arrays, so counting and filtering cost array operations, not Python loops.

Whoosh's ``groupedby`` facets read a column value per matching document in Python, and
every facet shown without its own selection needs another search; at 100,000 articles
that dominated a query. Here each segment's outlet, group, month and date columns are
read once into integer-coded numpy arrays and cached by segment id (a segment's column
values never change; deletions are applied through a separate live mask). A search then
collects its matching document numbers once and counts every facet with ``bincount``.
A whole commit's columns (its segments' end to end, with the live mask) are built once per
commit and kept on its :class:`~search.backends.whoosh.snapshot.Snapshot`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

import numpy as np
from whoosh.searching import Searcher

from search.analyst.periods import day_date, day_number
from search.domain.facets import FACETS

CODED = tuple(facet.column for facet in FACETS)  # every facet's column (search.domain.facets), integer-coded
CACHED_SEGMENTS = 256
T = TypeVar("T")


class _Vocabulary:
    """Column value <-> small integer code, shared by all segments (codes only grow)."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.values: list[str] = []
        self.lock = threading.Lock()

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            with self.lock:
                found = self.codes.setdefault(value, len(self.values))
                if found == len(self.values):
                    self.values.append(value)
        return found


VOCABULARIES = {name: _Vocabulary() for name in CODED}


K = TypeVar("K", bound=Hashable)


class ComputedOnce(Generic[K, T]):
    """Values by key, each computed once by the first thread that asks (the others wait for it); least recently used dropped past ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[K, T] = OrderedDict()
        self.computing: dict[K, threading.Lock] = {}
        self.lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], T]) -> T:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
            computing = self.computing.setdefault(key, threading.Lock())
        with computing:
            with self.lock:
                if key in self.entries:
                    return self.entries[key]
            value = compute()
            with self.lock:
                self.entries[key] = value
                self.computing.pop(key, None)
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
        return value


class SegmentCache(Generic[T]):
    """What was read from a segment, kept by segment id: a segment's columns never change.

    Segment ids are random and unique, so an entry is never stale; deletions live outside
    (a searcher's live mask). The least recently used segments are dropped past ``size``.
    Kept at module level, for the process, because nothing in it can go stale; what a whole
    commit derives lives on its :class:`~search.backends.whoosh.snapshot.Snapshot` instead.
    """

    def __init__(self, read: Callable[[Any], T], size: int = CACHED_SEGMENTS) -> None:
        self.read = read
        self.entries: ComputedOnce[str, T] = ComputedOnce(size)

    def get(self, reader) -> T:
        """The value for ``reader``'s segment, read on first use."""
        return self.entries.get(segment_id(reader), lambda: self.read(reader))

    def clear(self) -> None:
        """Forget every segment (what was read is read again on next use)."""
        with self.entries.lock:
            self.entries.entries.clear()


def segment_id(reader) -> str:
    """A segment reader's segment id ("" for a reader without a segment): what per-segment caches are kept by."""
    segment = reader.segment()
    return segment.segment_id() if segment is not None else ""


def column_text(value: object) -> str:
    """A value read from a Whoosh column, facet or term list (bytes for ID columns) as text; ``None`` is ""."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return "" if value is None else str(value)


def _day(value: str) -> int:
    """Days since 0001-01-01 plus one; 0 for an article without a date."""
    try:
        return day_number(dt.date.fromisoformat(value)) if value else 0
    except ValueError:
        return 0


def _read_segment(reader) -> dict[str, np.ndarray]:
    count = reader.doc_count_all()
    arrays: dict[str, np.ndarray] = {}
    for name in CODED:
        column = reader.column_reader(name)
        vocabulary = VOCABULARIES[name]
        arrays[name] = np.fromiter((vocabulary.code(column_text(column[n])) for n in range(count)), dtype=np.int32, count=count)
    dates = reader.column_reader("date")
    arrays["date"] = np.fromiter((_day(column_text(dates[n])) for n in range(count)), dtype=np.int32, count=count)
    return arrays


# Each segment's coded columns, read once per process (a segment never changes; ids are unique).
_segments = SegmentCache(_read_segment)


@dataclass(frozen=True)
class Columns:
    """Coded columns for every document number of one commit, and which documents are live."""

    arrays: dict[str, np.ndarray]
    live: np.ndarray

    def values(self, name: str) -> list[str]:
        return VOCABULARIES[name].values

    @cached_property
    def dated_days(self) -> np.ndarray:
        """The day numbers of every live dated article, sorted: any period's count is two binary searches."""
        days = self.arrays["date"][self.live]
        return np.sort(days[days > 0])

    def newest(self) -> dt.date | None:
        """The date of the archive's newest dated article (what "the last 7 days" count back from)."""
        days = self.dated_days
        return day_date(int(days[-1])) if len(days) else None

    def codes_of(self, name: str, values: tuple[str, ...] | list[str]) -> np.ndarray:
        known = VOCABULARIES[name].codes
        return np.array([known[v] for v in values if v in known], dtype=np.int32)


def live_mask(reader) -> np.ndarray:
    """For every document number of ``reader`` (a segment's or a whole index's), whether it is live."""
    leaves = reader.leaf_readers()
    live = np.ones(sum(leaf.doc_count_all() for leaf, _offset in leaves), dtype=bool)
    for leaf, offset in leaves:
        if leaf.has_deletions():
            live[offset + np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)] = False
    return live


def columns_of(searcher: Searcher) -> Columns:
    """The coded columns of every document number of ``searcher``: each segment's read once per process, then joined.

    Joined once per commit by its :class:`~search.backends.whoosh.snapshot.Snapshot` (``snapshot.columns``).
    """
    reader = searcher.reader()
    parts = [_segments.get(leaf) for leaf, _offset in reader.leaf_readers()]
    if parts:
        merged = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    else:
        merged = {name: np.zeros(0, dtype=np.int32) for name in (*CODED, "date")}
    return Columns(merged, live_mask(reader))
