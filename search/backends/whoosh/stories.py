"""Story grouping: copies and rewrites of one story across outlets, linked as they are indexed.

A press release goes out and five outlets publish it, each with its own dateline, lead and
cuts (three of the seed articles are one such release). To a reader of the results these
are one story told five times, so the search groups them under one hit.

How two articles are judged to tell one story is :mod:`search.sketches` (shared by every
backend): a sketch of each article's most distinctive words, compared by cosine, within a
few days of each other.

Why links, found at index time: comparing every new article with the whole index would
cost a search per article. Instead the index keeps each sketch's words in a keyword field
(and in the posting arrays, where they are looked up), so a new article's candidates are
the few articles sharing its most distinctive words; the article stores the ids of the
earlier ones it matches (``story_links``). Stories are the connected groups of those links,
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
from search.sketches import MIN_WORDS, SAME_STORY, Sketch, close_in_time, similarity, sketch

LOOKUP_TERMS = 12  # a new article looks for earlier ones sharing one of its best words
CANDIDATES = 20  # earlier articles compared in full, the ones sharing the most weight
LOOKUP_BUDGET = 600  # earlier articles visited per new article, through its rarest words first
RECENT_PER_WORD = 500  # in one indexing run: the latest articles kept per sketch word
RECENT_ARTICLES = 20_000  # in one indexing run: how many of the latest articles are kept to compare with
MAX_LINKS = 5
LINK_SEPARATOR = "\x1f"  # ids may hold any printable character


@dataclass(frozen=True)
class StoryFields:
    """What the index keeps of an article's story: its sketch and the earlier articles it matches."""

    sketch: Sketch
    links: tuple[str, ...]

    def document(self) -> dict[str, object]:
        """The Whoosh fields (see :mod:`search.backends.whoosh.schema`); a too short text is never a candidate."""
        return {
            "sketch": self.sketch,
            "story_terms": " ".join(self.sketch) if len(self.sketch) >= MIN_WORDS else "",
            "story_links": LINK_SEPARATOR.join(self.links).encode("utf-8"),
        }


@dataclass(frozen=True)
class _Seen:
    id: str
    sketch: Sketch
    date: dt.date | None


class StoryLinker:
    """Finds, for each article of an indexing run, the earlier articles telling its story.

    Earlier articles are those already in the index (through ``reader``, the run's snapshot)
    and those this run wrote before (kept in memory, since a bulk build commits rarely).
    """

    def __init__(self, reader=None, docs_of: Callable[[str], np.ndarray] | None = None) -> None:
        self.reader = reader if reader is not None and reader.doc_count() else None
        self.docs_of = docs_of  # a story word -> the live articles of ``reader`` holding it
        # Memory stays bounded in a bulk build of any size: only the latest RECENT_ARTICLES
        # sketches are kept, and per word only the latest RECENT_PER_WORD articles.
        self.seen: dict[int, _Seen] = {}
        self.count = 0
        self.latest: dict[str, int] = {}  # article id -> its newest entry in ``seen``
        self.by_word: dict[str, list[int]] = {}

    def fields(self, article_id: str, title: str | None, body: str, date: dt.date | None) -> StoryFields:
        """Sketch the article, link it to the earlier articles of its story, remember it."""
        own = sketch(title, body)
        if len(own) < MIN_WORDS:
            return StoryFields(own, ())
        links = self._links(article_id, own, date)
        self._remember(article_id, own, date)
        return StoryFields(own, links)

    def _remember(self, article_id: str, own: Sketch, date: dt.date | None) -> None:
        index = self.count
        self.count += 1
        self.seen[index] = _Seen(article_id, own, date)
        self.seen.pop(index - RECENT_ARTICLES, None)
        self.latest[article_id] = index
        for word in own:
            recent = self.by_word.setdefault(word, [])
            recent.append(index)
            if len(recent) >= 2 * RECENT_PER_WORD:
                del recent[:-RECENT_PER_WORD]

    def _links(self, article_id: str, own: Sketch, date: dt.date | None) -> tuple[str, ...]:
        lookup = list(own)[:LOOKUP_TERMS]
        shared: dict[int, float] = {}
        budget = LOOKUP_BUDGET
        for word in sorted(lookup, key=lambda w: len(self.by_word.get(w, ()))):  # rarest first: names, places
            recent = self.by_word.get(word, [])[-min(RECENT_PER_WORD, budget):] if budget > 0 else []
            budget -= len(recent)
            weight = own[word]
            for index in recent:
                shared[index] = shared.get(index, 0.0) + weight
        found: dict[str, float] = {}
        for index in heapq.nlargest(CANDIDATES, shared, key=shared.__getitem__):
            other = self.seen.get(index)
            if other is not None and other.id != article_id and self.latest.get(other.id) == index:
                self._judge(found, other, own, date)
        for other in self._indexed_candidates(lookup, own):
            if other.id != article_id and other.id not in self.latest:  # re-written in this run: judged above
                self._judge(found, other, own, date)
        best = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:MAX_LINKS]
        return tuple(other_id for other_id, _ in best)

    @staticmethod
    def _judge(found: dict[str, float], other: _Seen, own: Sketch, date: dt.date | None) -> None:
        if close_in_time(date, other.date):
            score = similarity(own, other.sketch)
            if score >= SAME_STORY:
                found[other.id] = max(score, found.get(other.id, 0.0))

    def _indexed_candidates(self, lookup: list[str], own: Sketch) -> Iterable[_Seen]:
        reader, docs_of = self.reader, self.docs_of
        if reader is None or docs_of is None:
            return
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
            date = str(stored.get("date") or "")
            other = dict(stored.get("sketch") or {})
            if len(other) >= MIN_WORDS:
                yield _Seen(str(stored["id"]), other, dt.date.fromisoformat(date) if date else None)


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
