"""Spelling suggestions from the index's own words: fewest edits first, then the most frequent.

Whoosh's corrector ranks every word within two edits by frequency alone (``minyk`` became
``milik``, two edits and 1,283 articles, instead of ``minyak``, one edit and 49), and it
compares the query word with the whole vocabulary in pure Python, so a long word took
tens of seconds. Here candidates come from a symmetric-delete index (SymSpell's idea): the
first :data:`PREFIX` letters of every word, with up to two letters deleted, are keys; a query
word's own deletions look them up. A lookup is a few dozen binary searches whatever the
vocabulary's size, and only the words found are compared with a true edit distance
(rapidfuzz's optimal string alignment: swapping two neighbouring letters is one edit).

The keys are 64-bit hashes in sorted numpy arrays (about 12 bytes a key, some 30 keys a
word; symspellpy's dictionaries took 94 MB for IndoSum's 48,000 words), built once per
set of posting arrays (a segment's, or a merged run's) and kept with it: they never change.
A commit's keys (one :class:`SegmentWords` per set of its arrays) are gathered once per commit
as ``snapshot.spelling_keys`` (:mod:`search.backends.whoosh.snapshot`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import OSA

from search.backends.whoosh.postings import SegmentArrays
from search.backends.whoosh.termscores import IndexArrays

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot

FIELD = "body_exact"
MAX_EDITS = 2
PREFIX = 7  # SymSpell's prefix length: typos past the seventh letter are still found by the full check
MIN_LETTERS = 4  # shorter words have too many neighbours to guess from
MAX_LETTERS = 30  # nothing longer is a word worth correcting; bounds the work for hostile input
MAX_CANDIDATES = 5_000  # per segment; the keys of one word rarely reach a few hundred


def correctable(word: str) -> bool:
    """Whether ``word`` is worth a suggestion: letters only, of an ordinary length."""
    return word.isalpha() and MIN_LETTERS <= len(word) <= MAX_LETTERS


def _deletions(word: str) -> set[str]:
    """``word``'s prefix and every string made from it by deleting up to :data:`MAX_EDITS` letters."""
    found = frontier = {word[:PREFIX]}
    for _ in range(MAX_EDITS):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found = found | frontier
    return found


def _hashes(strings: Iterable[str]) -> np.ndarray:
    return np.fromiter((hash(s) for s in strings), dtype=np.int64)


@dataclass(frozen=True)
class SegmentWords:
    """One segment's correctable words and their deletion keys (``keys`` sorted, ``ids`` into ``words``)."""

    words: list[str]
    keys: np.ndarray
    ids: np.ndarray

    def candidates(self, probes: np.ndarray) -> list[str]:
        """The words sharing a key with ``probes`` (at most :data:`MAX_CANDIDATES`)."""
        low = np.searchsorted(self.keys, probes, side="left")
        high = np.searchsorted(self.keys, probes, side="right")
        found = np.concatenate([self.ids[a:b] for a, b in zip(low, high, strict=True) if b > a] or [np.zeros(0, np.int32)])
        return [self.words[i] for i in np.unique(found)[:MAX_CANDIDATES]]


def _words_of(arrays: SegmentArrays) -> SegmentWords:
    """The deletion keys of ``arrays``' vocabulary, built on first use and kept with the arrays.

    Kept per set of arrays, not per Whoosh segment: a bulk build's merged set holds the
    vocabulary of dozens of segments once (a million articles: 80 segments' words, each
    keyed again, took 90 s and a gigabyte; their four merged sets take a few seconds).
    """
    found = arrays.derived.get(_DERIVED_NAME)
    if found is None:
        with _building:
            found = arrays.derived.get(_DERIVED_NAME)
            if found is None:
                found = arrays.derived[_DERIVED_NAME] = _read_words(arrays)
    return found


def _read_words(arrays: SegmentArrays) -> SegmentWords:
    words: list[str] = []
    keys: list[np.ndarray] = []
    for raw in arrays.fields[FIELD].terms:
        word = bytes(raw).decode("utf-8")
        if correctable(word):
            hashed = _hashes(_deletions(word))
            keys.append(hashed)
            words.append(word)
    if not words:
        return SegmentWords([], np.zeros(0, np.int64), np.zeros(0, np.int32))
    flat = np.concatenate(keys)
    ids = np.repeat(np.arange(len(words), dtype=np.int32), [len(k) for k in keys])
    order = np.argsort(flat, kind="stable")
    return SegmentWords(words, flat[order], ids[order])


_DERIVED_NAME = "spelling"
_building = threading.Lock()


def keys_of(ix: IndexArrays) -> tuple[SegmentWords, ...]:
    """The deletion keys of every set of ``ix``'s arrays, in order (each built on first use and kept with its arrays)."""
    return tuple(_words_of(arrays) for _offset, arrays in ix.segments)


def closest_word(snapshot: Snapshot, word: str) -> str | None:
    """The indexed word nearest to ``word`` (at most two edits; fewest edits, then most articles).

    ``None`` when ``word`` is itself indexed, is not :func:`correctable`, or has no neighbour.
    """
    word = word.lower()
    ix = snapshot.arrays
    if not correctable(word) or ix.doc_frequency(FIELD, word):
        return None
    probes = _hashes(_deletions(word))
    candidates: set[str] = set()
    for words in snapshot.spelling_keys:
        candidates.update(words.candidates(probes))
    best: tuple[int, int, str] | None = None
    for candidate in candidates:
        edits = OSA.distance(word, candidate, score_cutoff=MAX_EDITS)
        if edits > MAX_EDITS or candidate == word:
            continue
        if not _in_live_article(ix, candidate):  # every article with it was deleted: it would find nothing
            continue
        key = (edits, -ix.doc_frequency(FIELD, candidate), candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def _in_live_article(ix: IndexArrays, word: str) -> bool:
    """Whether a live article has ``word`` (``doc_frequency`` counts deleted ones too, as Whoosh does)."""
    for offset, arrays in ix.segments:
        field = arrays.fields[FIELD]
        docs, _tfs = field.postings(field.find(word))
        if len(docs) and ix.columns.live[docs.astype(np.int64) + offset].any():
            return True
    return False
