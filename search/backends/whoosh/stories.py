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
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from whoosh.searching import Searcher

from search.backends.whoosh.columns import CACHED_SEGMENTS, ComputedOnce, SegmentCache, column_text, segment_id
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
    """One segment's story links, and its article ids as sorted hashes to resolve other segments' links with.

    Everything is numpy arrays, not a dict of a million strings: a dict's small objects cost
    about 230 MB at a million articles, and a forked worker copied them all (Python's
    reference counts and garbage collector write to every object they look at). An id is
    known by two independent hashes (Python's 64-bit one and CRC-32, :func:`_hashed`): two ids
    agreeing on both by chance is a 1 in 2**96 event, so no id is read back to rule it out
    (reading a segment's id column read the length of every id in it, at every commit).
    """

    hashes: np.ndarray  # hash of each article id, sorted
    checks: np.ndarray  # the same ids' CRC-32, in that order
    numbers: np.ndarray  # the local document number of each hash (an updated article may sit here twice)
    sources: np.ndarray  # each link's article (local document number) ...
    targets: np.ndarray  # ... and the hash of the id it links to
    target_checks: np.ndarray  # ... and that id's CRC-32


def _hashed(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's Python hash (64 bits) and CRC-32: together, an id's name for looking it up."""
    hashes = np.fromiter((hash(t) for t in texts), dtype=np.int64, count=len(texts))
    checks = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in texts), dtype=np.uint32, count=len(texts))
    return hashes, checks


def _read_links(reader) -> _Links:
    count = reader.doc_count_all()
    ids = reader.column_reader("id")
    hashes, checks = _hashed([column_text(ids[n]) for n in range(count)])
    order = np.argsort(hashes, kind="stable")
    links_column = reader.column_reader("story_links")
    sources: list[int] = []
    targets: list[str] = []
    for n in range(count):
        raw = links_column[n]
        if raw:
            linked = raw.decode("utf-8").split(LINK_SEPARATOR)
            sources += [n] * len(linked)
            targets += linked
    target_hashes, target_checks = _hashed(targets)
    return _Links(hashes[order], checks[order], order.astype(np.int32), np.array(sources, dtype=np.int32), target_hashes, target_checks)


# Each segment's links, read once per process (a segment never changes; ids are unique), like the facet columns.
_segment_links = SegmentCache(_read_links)


@dataclass
class _Resolution:
    """Where one segment's links lead: the segments looked at so far, and the pairs of local document numbers
    found in each (only those with any). Both segments never change, so a pair is worked out once."""

    done: set[str] = field(default_factory=set)
    found: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


# Each linking segment's resolution, by its id, for the process (kept like the segments' own reads).
_resolutions: ComputedOnce[str, _Resolution] = ComputedOnce(CACHED_SEGMENTS)


def story_keys_of(searcher: Searcher, live: np.ndarray) -> np.ndarray:
    """For every document number of ``searcher``, the smallest live document number of its story.

    An article with no links, and none to it, is a story of its own (its key is itself).
    Links to articles that are deleted (not ``live``) or not in the index are ignored.
    Computed once per commit by its :class:`~search.backends.whoosh.snapshot.Snapshot`
    (``snapshot.story_keys``). What a segment's links lead to in another segment is kept
    (:class:`_Resolution`), so a commit resolves only the links into and out of its new
    segments (a million articles are ~80 segments: 2 x 80 look-ups, not 80 x 80), and the
    groups are joined with array operations over the linked articles only (:func:`_joined`).
    """
    leaves = searcher.reader().leaf_readers()
    parts = [(segment_id(reader), offset, _segment_links.get(reader)) for reader, offset in leaves]
    offsets = {segment_id: offset for segment_id, offset, _ in parts}
    sources, targets = [], []
    for source_id, source_offset, source in parts:
        if not len(source.sources):
            continue
        resolution = _resolutions.get(source_id, _Resolution)
        with resolution.lock:
            for target_id, _, target in parts:
                if target_id not in resolution.done:
                    pair = _resolved(source, target)
                    if len(pair[0]):
                        resolution.found[target_id] = pair
                    resolution.done.add(target_id)
            if len(resolution.done) > 2 * len(parts) + 16:  # segments merged away since: forget them
                resolution.done &= set(offsets)
                resolution.found = {t: pair for t, pair in resolution.found.items() if t in offsets}
            found = [(offsets[t], pair) for t, pair in resolution.found.items() if t in offsets]
        for target_offset, (local_sources, local_targets) in found:
            sources.append(local_sources.astype(np.int64) + source_offset)
            targets.append(local_targets.astype(np.int64) + target_offset)
    total = len(live)
    if not sources:
        return np.arange(total, dtype=np.int64)
    a, b = np.concatenate(sources), np.concatenate(targets)
    keep = live[a] & live[b]
    return _joined(total, a[keep], b[keep])


def _resolved(source: _Links, target: _Links) -> tuple[np.ndarray, np.ndarray]:
    """The links of ``source``'s articles to ``target``'s: (source local number, target local number) pairs.

    An id that sits twice in ``target`` (an updated article before its old copy is merged
    away) yields a pair for each; the live mask decides later which count.
    """
    low = np.searchsorted(target.hashes, source.targets, side="left")
    high = np.searchsorted(target.hashes, source.targets, side="right")
    found = np.flatnonzero(high > low)
    if not len(found):
        return np.array([], dtype=np.int32), np.array([], dtype=np.int32)
    repeats = (high - low)[found]
    links = np.repeat(found, repeats)
    starts = np.repeat(low[found] - np.cumsum(repeats) + repeats, repeats) + np.arange(len(links))
    same = target.checks[starts] == source.target_checks[links]
    return source.sources[links[same]], target.numbers[starts[same]]


def _joined(total: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each of ``total`` document numbers, the smallest number joined to it through the pairs ``a[i]``-``b[i]``.

    Only the linked articles take part (numbered in order among themselves: the smallest
    stays the smallest). Each round hooks every pair's larger root under its smaller one (the
    smallest offered wins), then points every article straight at its root; rounds run until
    every pair shares a root. A root only ever moves to a smaller number, so a group's root
    is its smallest member.
    """
    keys = np.arange(total, dtype=np.int64)
    if not len(a):
        return keys
    nodes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    first, second = inverse[:len(a)], inverse[len(a):]
    parent = np.arange(len(nodes), dtype=np.int64)
    while True:
        ra, rb = parent[first], parent[second]
        apart = ra != rb
        if not apart.any():
            break
        low, high = np.minimum(ra[apart], rb[apart]), np.maximum(ra[apart], rb[apart])
        np.minimum.at(parent, high, low)
        while True:  # point every article straight at its root
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    keys[nodes] = nodes[parent]
    return keys
