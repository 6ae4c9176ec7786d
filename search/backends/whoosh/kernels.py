"""The loops a search runs over every posting, compiled: a list decoded and scored in one pass, sorted lists merged.

numpy runs each step of these as its own pass over memory with a temporary array the
length of the list: unpacking the bits, the running sum of the gaps, the frequencies as
floats, the documents' lengths gathered, then the BM25 arithmetic step by step, then the
segments joined. A common word is tens of thousands of postings at 100,000 articles and
hundreds of thousands at a million, and a search reads a dozen such lists, so those passes
were a third of a search's time. Compiled by numba, each posting is read once and each
result written once: scoring a query's lists took 0.63 ms in numpy and 0.24 ms here at
100,000 articles. Merging two sorted lists walks both once, where numpy either sorted the
pair or marked every document of the archive (an array as long as the archive for every
union and intersection: the part of a search that grew with the archive).

Every result is bit-identical to the numpy code it replaced: the same floating-point
operations in the same order (no ``fastmath``), a sum of two scores being the same either
way round. The functions are compiled on first use and the machine code cached beside this
file (``cache=True``), so a process pays the compilation once per installation and a
fraction of a second to load it; ``nogil`` lets a worker's threads run them at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
import numpy as np


def _compiled(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """numba's ``njit`` with the machine code cached on disk and the GIL released; compiled in each process instead
    when there is nowhere to cache it (a read-only installation and no writable home: numba refuses ``cache=True`` then)."""
    def decorate(function: Callable[..., Any]) -> Any:
        try:
            return numba.njit(cache=True, nogil=True, **options)(function)
        except RuntimeError:
            return numba.njit(nogil=True, **options)(function)

    return decorate


@_compiled(inline="always")
def _unpacked(words: np.ndarray, first: int, width: int, per_word: int, mask: np.uint64, k: int) -> np.int64:
    """Value ``k`` of a list packed by :mod:`search.backends.whoosh.packing` starting at word ``first``.

    A list of width 0 (only zeros, no word) is the caller's to test, beside each call: moving that
    test in here, and the per-word count and mask into a shared helper, made searches a third slower
    (paired, 100,000 articles)."""
    return np.int64((words[first + k // per_word] >> np.uint64((k % per_word) * width)) & mask)


@_compiled()
def score_list(gaps: np.ndarray, gaps_first: int, gaps_width: int, counts: np.ndarray, counts_first: int, counts_width: int,
               count: int, first_doc: int, lengths: np.ndarray, weight: float, per_length: float, constant: float, offset: int,
               docs_out: np.ndarray, scores_out: np.ndarray, at: int) -> None:
    """Decode one posting list of ``count`` postings (gaps and frequencies, packed) and write its documents plus
    ``offset`` and their BM25F scores into ``docs_out``/``scores_out`` from ``at`` on.

    The score is :meth:`search.backends.whoosh.termscores.IndexArrays.term`'s formula, operation for operation:
    ``tf * weight / (length * per_length + constant + tf)``, the frequency a float32 widened.
    """
    gaps_per = 64 // max(gaps_width, 1)
    counts_per = 64 // max(counts_width, 1)
    gaps_mask = np.uint64((1 << gaps_width) - 1)
    counts_mask = np.uint64((1 << counts_width) - 1)
    doc = np.int64(first_doc) - 1
    for k in range(count):
        gap = _unpacked(gaps, gaps_first, gaps_width, gaps_per, gaps_mask, k) if gaps_width else np.int64(0)
        doc += gap + 1
        extra = _unpacked(counts, counts_first, counts_width, counts_per, counts_mask, k) if counts_width else np.int64(0)
        tf = np.float64(np.float32(extra + 1))
        denominator = np.float64(lengths[doc]) * per_length
        denominator += constant
        denominator += tf
        docs_out[at + k] = doc + offset
        scores_out[at + k] = tf * weight / denominator


@_compiled()
def union_of_two(a_docs: np.ndarray, a_scores: np.ndarray, b_docs: np.ndarray, b_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The documents of either sorted list, ascending, a document in both scoring ``a``'s plus ``b``'s."""
    docs = np.empty(len(a_docs) + len(b_docs), np.int64)
    scores = np.empty(len(a_docs) + len(b_docs), np.float64)
    i = j = n = 0
    while i < len(a_docs) and j < len(b_docs):
        a, b = a_docs[i], b_docs[j]
        if a < b:
            docs[n], scores[n] = a, a_scores[i]
            i += 1
        elif b < a:
            docs[n], scores[n] = b, b_scores[j]
            j += 1
        else:
            docs[n], scores[n] = a, a_scores[i] + b_scores[j]
            i += 1
            j += 1
        n += 1
    while i < len(a_docs):
        docs[n], scores[n] = a_docs[i], a_scores[i]
        i += 1
        n += 1
    while j < len(b_docs):
        docs[n], scores[n] = b_docs[j], b_scores[j]
        j += 1
        n += 1
    return docs[:n].copy(), scores[:n].copy()


@_compiled()
def located(values: np.ndarray, sorted_set: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``values`` stands in ``sorted_set`` (ascending, unique), and whether it is there.

    Each value is searched from where the one before was found, galloping (1, 2, 4… places
    ahead, then halving back): ascending values walk the set once, about a step per value
    when both are alike in length and a few per value when the set is far longer; a value
    below the one before is searched in the whole set. The place is that of the first
    member not below the value (clipped to the last), meaningless where it is absent.
    """
    n = len(sorted_set)
    places = np.zeros(len(values), np.int64)
    found = np.zeros(len(values), np.bool_)
    if n == 0:
        return places, found
    low = 0
    previous = np.int64(-1) << 62
    for k in range(len(values)):
        value = values[k]
        if value < previous:
            low = 0
        previous = value
        # gallop: the first place at or after ``low`` whose member is not below the value lies in (low + step/2, low + step]
        step = 1
        high = low
        while high < n and sorted_set[high] < value:
            low = high + 1
            high = low + step
            step *= 2
        if high > n:
            high = n
        while low < high:  # then halve between them
            middle = (low + high) // 2
            if sorted_set[middle] < value:
                low = middle + 1
            else:
                high = middle
        place = low if low < n else n - 1
        places[k] = place
        found[k] = sorted_set[place] == value
    return places, found


@_compiled()
def gaps_to_docs(words: np.ndarray, first: int, width: int, count: int, first_doc: int) -> np.ndarray:
    """A posting list's document numbers from its packed gaps (each document minus the one before, minus one)."""
    docs = np.empty(count, np.int64)
    per_word = 64 // max(width, 1)
    mask = np.uint64((1 << width) - 1)
    doc = np.int64(first_doc) - 1
    for k in range(count):
        doc += (_unpacked(words, first, width, per_word, mask, k) if width else np.int64(0)) + 1
        docs[k] = doc
    return docs


@_compiled()
def counts_to_frequencies(words: np.ndarray, first: int, width: int, count: int) -> np.ndarray:
    """A posting list's term frequencies (float32) from its packed counts (each frequency minus one)."""
    frequencies = np.empty(count, np.float32)
    per_word = 64 // max(width, 1)
    mask = np.uint64((1 << width) - 1)
    for k in range(count):
        frequencies[k] = np.float32((_unpacked(words, first, width, per_word, mask, k) if width else np.int64(0)) + 1)
    return frequencies


@_compiled()
def best_places(scores: np.ndarray, count: int) -> np.ndarray:
    """The places of the ``count`` highest of ``scores``, highest first, a tie to the earlier place.

    One pass keeping the best so far in order: each score is compared with the lowest kept
    and most go no further, so a page of ten from tens of thousands of matches is one
    comparison a match (numpy partitioned, then sorted what passed, in a dozen calls).
    Inserting costs up to ``count`` moves: meant for a few pages' worth, not for ordering
    everything.
    """
    count = min(count, len(scores))
    places = np.empty(count, np.int64)
    if count <= 0:
        return places
    filled = 0
    for place in range(len(scores)):
        score = scores[place]
        if filled == count:
            if not score > scores[places[count - 1]]:  # not above the lowest kept (a tie keeps the earlier one)
                continue
            at = count - 1
        else:
            at = filled
            filled += 1
        while at > 0 and score > scores[places[at - 1]]:
            places[at] = places[at - 1]
            at -= 1
        places[at] = place
    return places


@_compiled()
def positions_in(held: np.ndarray, frequencies: np.ndarray, firsts: np.ndarray, words: np.ndarray, first: int, width: int,
                 docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where a term stands in each of ``docs`` (ascending): for every occurrence, the place in ``docs`` of its
    document and its position there.

    ``held``/``frequencies`` are the term's postings, ``firsts`` where each posting's positions
    start in its packed list (``words`` from word ``first``, ``width`` bits a value): the
    positions of a posting are gaps from the one before, the first absolute.
    """
    places, found = located(docs, held)
    total = np.int64(0)
    for k in range(len(docs)):
        if found[k]:
            total += np.int64(frequencies[places[k]])
    owners = np.empty(total, np.int64)
    positions = np.empty(total, np.int64)
    per_word = 64 // max(width, 1)
    mask = np.uint64((1 << width) - 1)
    n = 0
    for k in range(len(docs)):
        if not found[k]:
            continue
        start = firsts[places[k]]
        position = np.int64(0)
        for element in range(start, start + np.int64(frequencies[places[k]])):
            position += _unpacked(words, first, width, per_word, mask, element) if width else np.int64(0)
            owners[n] = k
            positions[n] = position
            n += 1
    return owners, positions
