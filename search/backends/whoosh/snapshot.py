"""One commit of the index as a call sees it: this thread's searcher and what the commit derives.

Each thread reads through its own Whoosh searcher (searchers are not shared between
threads), but what one commit derives is the same for every thread that sees it: the facet
columns, the posting arrays, the story keys, the spelling keys and the archive sample the
terms view compares with. Computing them costs up to seconds at 100,000 articles, so they
are computed once per commit, by the first thread that needs each, while the others wait for
it rather than compute it again.

They are kept on a :class:`Snapshots` registry that the engine owns (by :func:`snapshot_key`,
the last :data:`SNAPSHOTS_KEPT` commits), not in module globals, and the engine hands every
call a :class:`Snapshot`: the thread's searcher with its commit's parts. The functions below
the engine take the snapshot, and use ``snapshot.searcher`` only for what Whoosh itself reads
(stored fields, the schema). Warming up before a server forks is touching one snapshot's
parts (:meth:`Snapshot.warm`).

What is read from one segment stays in module-level caches by segment id
(:class:`~search.backends.whoosh.columns.SegmentCache`, the arrays in
:mod:`search.backends.whoosh.postings`): a segment never changes and its id is random and
unique, so nothing there can go stale, and consecutive commits share those reads.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from whoosh.searching import Searcher

from search.backends.whoosh.columns import Columns, ComputedOnce, columns_of, segment_id
from search.backends.whoosh.spelling import SegmentWords, keys_of
from search.backends.whoosh.stories import story_keys_of
from search.backends.whoosh.terms import background_sample
from search.backends.whoosh.termscores import IndexArrays

SNAPSHOTS_KEPT = 4
Key = tuple[object, ...]
T = TypeVar("T")
_PARTS = ("columns", "arrays", "story_keys", "spelling_keys", "background")


def snapshot_key(searcher: Searcher) -> Key:
    """What a searcher sees, as a key: its folder, and each segment's id and how many of its documents are live.

    A segment never changes and its deletions only grow, so two searchers with the same key
    (two threads, or one reopened after a commit that changed nothing they read) see the
    same articles, and everything derived from one serves the other.
    """
    parts: list[object] = []
    for reader, _offset in searcher.reader().leaf_readers():
        if not parts:
            parts.append(str(getattr(getattr(reader, "_storage", None), "folder", "")))
        parts.append((segment_id(reader), int(reader.doc_count())))
    return tuple(parts)


def _parts() -> ComputedOnce[str, Any]:
    """An empty holder of one commit's parts: each computed by the first thread that asks, the others wait."""
    return ComputedOnce(len(_PARTS))


class Snapshot:
    """One commit of the index: the calling thread's ``searcher``, and the parts the commit derives, each computed on first use.

    The parts are shared with every snapshot of the same commit from the same
    :class:`Snapshots` registry. A part never keeps the searcher it was computed from (the
    thread that computes it may close its searcher while others still use the part).
    ``Snapshot(searcher)`` on its own shares nothing: for code without an engine (tests that
    open a reference index, one-off tools).
    """

    def __init__(self, searcher: Searcher, key: Key | None = None, parts: ComputedOnce[str, Any] | None = None) -> None:
        self.searcher = searcher
        self.key = snapshot_key(searcher) if key is None else key
        self._parts = _parts() if parts is None else parts

    @property
    def commit(self) -> str:
        """The commit's name for results read from it (:attr:`~search.domain.result.SearchResult.commit`): its key, hashed."""
        return hashlib.blake2b(repr(self.key).encode("utf-8"), digest_size=12).hexdigest()

    def _part(self, name: str, compute: Callable[[], T]) -> T:
        value: T = self._parts.get(name, compute)
        return value

    @property
    def columns(self) -> Columns:
        """Facet columns and the live mask of every document number (:mod:`search.backends.whoosh.columns`)."""
        return self._part("columns", lambda: columns_of(self.searcher))

    @property
    def arrays(self) -> IndexArrays:
        """The posting arrays with the statistics BM25F needs (:class:`~search.backends.whoosh.evaluation.IndexArrays`)."""
        return self._part("arrays", lambda: IndexArrays(self.searcher, self.columns))

    @property
    def story_keys(self) -> np.ndarray:
        """For every document number, the smallest live document number of its story (:mod:`search.backends.whoosh.stories`)."""
        return self._part("story_keys", lambda: story_keys_of(self.searcher, self.columns.live))

    @property
    def spelling_keys(self) -> tuple[SegmentWords, ...]:
        """The spelling index of each set of posting arrays, in their order (:mod:`search.backends.whoosh.spelling`)."""
        return self._part("spelling_keys", lambda: keys_of(self.arrays))

    @property
    def background(self) -> tuple[int, Counter[str]]:
        """How many archive articles the terms view's phrase sample read, and their phrase counts (:mod:`search.backends.whoosh.terms`)."""
        return self._part("background", lambda: background_sample(self.arrays))

    def warm(self) -> None:
        """Compute now what every search reads: the columns, posting arrays, story keys and spelling keys.

        The terms view's archive sample is left to its first use: only that view reads it.
        """
        for name in ("columns", "arrays", "story_keys", "spelling_keys"):
            getattr(self, name)


class Snapshots:
    """The parts of the last :data:`SNAPSHOTS_KEPT` commits, by :func:`snapshot_key`: one registry per engine, shared by its threads."""

    def __init__(self, kept: int = SNAPSHOTS_KEPT) -> None:
        self._parts: ComputedOnce[Key, ComputedOnce[str, Any]] = ComputedOnce(kept)
        # Each searcher's key, worked out once (a searcher sees one commit for as long as it lives).
        self._keys: weakref.WeakKeyDictionary[Searcher, Key] = weakref.WeakKeyDictionary()

    def of(self, searcher: Searcher) -> Snapshot:
        """``searcher`` with the parts of its commit, shared with every other searcher of that commit."""
        key = self._keys.get(searcher)
        if key is None:
            key = self._keys[searcher] = snapshot_key(searcher)
        return Snapshot(searcher, key, self._parts.get(key, _parts))
