"""Matches as sorted arrays of document numbers with their scores, and the set operations a query tree needs.

:class:`Scored` is what every node of a query evaluates to (:mod:`search.backends.whoosh.evaluation`):
``Or`` is :func:`union` (scores added), ``And`` is :func:`intersect` (scores added),
``AndMaybe`` is :func:`add_where`. A proximity bonus not yet checked rides along as a
:class:`Bonus`, filtered with the documents it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh.query import Phrase

from search.backends.whoosh.kernels import located as _located
from search.backends.whoosh.kernels import union_of_two

_EMPTY = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)
# Above this share of the index, unions add scores into one dense array instead of sorting.
_DENSE_SHARE = 1 / 16
# Unions of at most this many parts are merged pairwise (compiled); more (a prefix's words) add into one array.
_MERGED_PARTS = 4


@dataclass(frozen=True)
class Bonus:
    """A phrase's score that ``docs`` earn if its words stand close enough: not yet checked."""

    phrase: Phrase
    docs: np.ndarray
    amounts: np.ndarray


@dataclass(frozen=True)
class Scored:
    """Matching documents (global numbers, ascending), their scores, and pending bonuses."""

    docs: np.ndarray
    scores: np.ndarray
    bonuses: tuple[Bonus, ...] = field(default=())

    @classmethod
    def empty(cls) -> Scored:
        return cls(_EMPTY, _NO_SCORES)

    def keep(self, mask: np.ndarray) -> Scored:
        """Only the documents where ``mask`` (over ``docs``) is true, bonuses included."""
        docs = self.docs[mask]
        return Scored(docs, self.scores[mask], tuple(_bonus_within(b, docs) for b in self.bonuses))


def _bonus_within(bonus: Bonus, docs: np.ndarray) -> Bonus:
    inside = member(bonus.docs, docs)
    return Bonus(bonus.phrase, bonus.docs[inside], bonus.amounts[inside])


def among(values: np.ndarray, ids: list[int]) -> np.ndarray:
    """Which of ``values`` are one of ``ids`` (a few term numbers): a comparison each, cheaper than ``np.isin`` for so few."""
    found = np.zeros(len(values), dtype=bool)
    for value in set(ids):
        found |= values == value
    return found


def member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``sorted_set`` (ascending, unique); see :func:`located`."""
    return located(values, sorted_set)[1]


def located(values: np.ndarray, sorted_set: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``values`` (document numbers, ascending for speed) stands in ``sorted_set`` (ascending, unique), and
    whether it is there at all (its place is meaningless where it is not).

    Compiled (:func:`search.backends.whoosh.kernels.located`): ascending values walk the set
    once, skipping ahead by galloping, so two common words' lists are looked up in each other
    in a step per document and a page's few documents in a few steps each, with no array as
    long as the archive marked (which made every intersection grow with the archive).
    """
    return _located(np.ascontiguousarray(values), np.ascontiguousarray(sorted_set))


def distinct_count(values: np.ndarray, size: int) -> int:
    """How many different numbers ``values`` holds, each below ``size``: a mark each (``np.unique`` sorts or hashes them,
    4.5 ms for the stories of 60,000 matches)."""
    seen = np.zeros(size, dtype=bool)
    seen[values] = True
    return int(np.count_nonzero(seen))


def boosted(scored: Scored, boost: float) -> Scored:
    if boost == 1.0:
        return scored
    bonuses = tuple(Bonus(b.phrase, b.docs, b.amounts * boost) for b in scored.bonuses)
    return Scored(scored.docs, scored.scores * boost, bonuses)


def union(parts: list[Scored], size: int) -> Scored:
    """Documents in any part; a document's score is the sum of the parts it is in."""
    parts = [p for p in parts if len(p.docs)]
    if not parts:
        return Scored.empty()
    if len(parts) == 1:
        return parts[0]
    bonuses = tuple(b for p in parts for b in p.bonuses)
    if len(parts) <= _MERGED_PARTS:  # a word's fields, a few words: merged in turn (scores added in the parts' order, as below)
        docs, scores = parts[0].docs, parts[0].scores
        for part in parts[1:]:
            docs, scores = union_of_two(docs, scores, part.docs, part.scores)
        return Scored(docs, scores, bonuses)
    docs = np.concatenate([p.docs for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    if len(docs) > size * _DENSE_SHARE:
        totals = np.bincount(docs, weights=scores, minlength=size)
        if scores.min() > 0:  # BM25 scores: a document is in the union where its sum is above 0
            present = totals > 0  # finding the true ones of booleans takes half the time of the non-zero ones of floats
        else:
            present = np.zeros(size, dtype=bool)
            present[docs] = True
        united = np.flatnonzero(present)
        return Scored(united, totals[united], bonuses)
    order = np.argsort(docs, kind="stable")
    docs, scores = docs[order], scores[order]
    first = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    return Scored(docs[first], np.add.reduceat(scores, first), bonuses)


def intersect(a: Scored, b: Scored) -> Scored:
    """Documents in both; scores added."""
    if len(a.docs) > len(b.docs):
        a, b = b, a
    if not len(a.docs):
        return Scored.empty()
    at, both = located(a.docs, b.docs)
    docs = a.docs[both]
    bonuses = tuple(_bonus_within(bonus, docs) for bonus in (*a.bonuses, *b.bonuses))
    return Scored(docs, a.scores[both] + b.scores[at[both]], bonuses)


def add_where(required: Scored, optional: Scored) -> Scored:
    """``required``'s documents, plus ``optional``'s score where it matches too."""
    if not len(optional.docs) or not len(required.docs):
        return required
    at, hit = located(required.docs, optional.docs)
    scores = required.scores.copy()
    scores[hit] += optional.scores[at[hit]]
    return Scored(required.docs, scores, required.bonuses)
