"""Story grouping: copies and rewrites of one story across outlets, linked as they are indexed.

A press release goes out and five outlets publish it, each with its own dateline, lead and
cuts (three of the seed articles are one such release). To a reader of the results these
are one story told five times, so the search groups them under one hit.

How two articles are judged to tell one story is :mod:`search.sketches` (shared by every
backend): a sketch of each article's most distinctive words, compared by cosine, within a
day of each other, with a higher bar for one outlet's two articles (only its republication).

Why links, found at index time: comparing every new article with the whole index would
cost a search per article. Instead the index keeps each sketch's words in a keyword field
(and in the posting arrays, where they are looked up), so a new article's candidates are
the few articles sharing its most distinctive words; the article stores the ids of the
earlier ones it matches (``story_links``; the linking itself is :mod:`search.linking`, shared
by every backend). Stories are the connected groups of those links,
computed once per commit (:func:`story_keys_of`, kept as ``snapshot.story_keys``): whatever
order articles arrive in, a later article that matches two earlier ones joins their groups,
and deleting an article that was the only bridge splits its group again.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from search.backends.whoosh.columns import SegmentCache, column_text
from search.linking import CANDIDATES, LOOKUP_BUDGET, Seen, StoryFields, StoryLinker
from search.sketches import MIN_WORDS, Sketch

LINK_SEPARATOR = "\x1f"  # ids may hold any printable character


def story_document(story: StoryFields) -> dict[str, object]:
    """The Whoosh fields of an article's story (see :mod:`search.backends.whoosh.schema`); a too short text is never a candidate."""
    return {
        "sketch": story.sketch,
        "story_terms": " ".join(story.words),
        "story_links": LINK_SEPARATOR.join(story.links).encode("utf-8"),
    }


class IndexedCandidates:
    """The index's earlier articles sharing a new one's best words, through the run's reader.

    ``docs_of`` gives a story word's live articles (the posting arrays); each word's
    articles are taken whole, rarest word first, until :data:`~search.linking.LOOKUP_BUDGET`
    articles are visited, and the :data:`~search.linking.CANDIDATES` sharing the most
    weight are read from the stored fields.
    """

    def __init__(self, reader, docs_of: Callable[[str], np.ndarray]) -> None:
        self.reader, self.docs_of = reader, docs_of

    def __call__(self, article_id: str, lookup: list[str], own: Sketch, date: dt.date | None) -> Iterable[Seen]:
        reader, docs_of = self.reader, self.docs_of
        shared: dict[int, float] = {}
        budget = LOOKUP_BUDGET
        holders = {word: docs_of(word) for word in lookup}
        for word in sorted(lookup, key=lambda w: len(holders[w])):  # rarest first, each word's articles whole
            if not 0 < len(holders[word]) <= budget:
                continue
            budget -= len(holders[word])
            weight = own[word]
            for docnum in holders[word].tolist():
                shared[docnum] = shared.get(docnum, 0.0) + weight
        for docnum in heapq.nlargest(CANDIDATES, shared, key=shared.__getitem__):
            stored = reader.stored_fields(docnum)
            day = str(stored.get("date") or "")
            other = dict(stored.get("sketch") or {})
            if len(other) >= MIN_WORDS:
                yield Seen(str(stored["id"]), other, dt.date.fromisoformat(day) if day else None, stored.get("outlet_key"))


def linker_for(reader, docs_of: Callable[[str], np.ndarray]) -> StoryLinker:
    """The run's linker: earlier articles from memory and, when the index holds any, through ``reader``."""
    return StoryLinker(IndexedCandidates(reader, docs_of) if reader is not None and reader.doc_count() else None)


# ---------------------------------------------------------------- stories of a searcher

@dataclass(frozen=True)
class _Links:
    """One segment's story links, and its article ids as sorted hashes to resolve them with.

    The ids are numpy arrays, not a dict of a million strings: a dict's small objects cost
    about 230 MB at a million articles, and a forked worker copied them all (Python's
    reference counts and garbage collector write to every object they look at).
    """

    hashes: np.ndarray  # hash of each article id, sorted
    numbers: np.ndarray  # the local document number of each hash (an updated article may sit here twice)
    links: list[tuple[int, tuple[str, ...]]]


def _read_links(reader) -> _Links:
    count = reader.doc_count_all()
    ids = reader.column_reader("id")
    hashes = np.fromiter((hash(column_text(ids[n])) for n in range(count)), dtype=np.int64, count=count)
    order = np.argsort(hashes, kind="stable")
    links_column = reader.column_reader("story_links")
    links = []
    for n in range(count):
        raw = links_column[n]
        if raw:
            links.append((n, tuple(raw.decode("utf-8").split(LINK_SEPARATOR))))
    return _Links(hashes[order], order.astype(np.int32), links)


# Each segment's links, read once per process (a segment never changes; ids are unique), like the facet columns.
_segment_links = SegmentCache(_read_links)


def story_keys_of(searcher: Searcher, live: np.ndarray) -> np.ndarray:
    """For every document number of ``searcher``, the smallest live document number of its story.

    An article with no links, and none to it, is a story of its own (its key is itself).
    Links to articles that are deleted (not ``live``) or not in the index are ignored.
    Computed once per commit by its :class:`~search.backends.whoosh.snapshot.Snapshot`
    (``snapshot.story_keys``); the per-segment reading is cached by segment id.
    """
    leaves = searcher.reader().leaf_readers()
    parts = [(offset, _segment_links.get(reader)) for reader, offset in leaves]
    where = _located({target for _, segment in parts for _, targets in segment.links for target in targets}, leaves, parts)
    total = len(live)
    parent = np.arange(total, dtype=np.int64)

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = int(parent[n])
        return n

    for offset, segment in parts:
        for local, targets in segment.links:
            source = offset + local
            if not live[source]:
                continue
            for target in targets:
                for number in where.get(target, ()):
                    if live[number]:
                        a, b = root(source), root(number)
                        if a != b:
                            parent[max(a, b)] = min(a, b)
    while True:  # point every document straight at its root
        jumped = parent[parent]
        if np.array_equal(jumped, parent):
            break
        parent = jumped
    return parent


def _located(targets: set[str], leaves: list[tuple[Any, int]], parts: list[tuple[int, _Links]]) -> dict[str, list[int]]:
    """The document numbers of each article id in ``targets``, every segment searched for all of them at once.

    A segment's id column is opened only when one of its hashes matches (to rule out a
    collision): opening it reads the length of every id in the segment.
    """
    where: dict[str, list[int]] = {}
    if not targets:
        return where
    ordered = sorted(targets)
    keys = np.fromiter((hash(t) for t in ordered), dtype=np.int64, count=len(ordered))
    for (reader, _offset), (offset, segment) in zip(leaves, parts, strict=True):
        low = np.searchsorted(segment.hashes, keys, side="left")
        high = np.searchsorted(segment.hashes, keys, side="right")
        found = np.flatnonzero(high > low)
        if not len(found):
            continue
        ids = reader.column_reader("id")
        for t in found.tolist():
            for n in segment.numbers[low[t]:high[t]].tolist():
                if column_text(ids[n]) == ordered[t]:
                    where.setdefault(ordered[t], []).append(offset + n)
    return where
