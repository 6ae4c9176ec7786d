"""A commit's posting arrays with the statistics BM25F needs: a term's documents and scores.

:mod:`search.backends.whoosh.evaluation` combines these per query node. A term is scored
as Whoosh scores it (its idf over every segment, deleted documents included; the field's
average length; one-byte lengths), each list decoded once per engine call
(:func:`search.backends.whoosh.layout.decoding_once`).
"""

from __future__ import annotations

import bisect
import math

import numpy as np
from whoosh.searching import Searcher

from search.backends.whoosh.columns import Columns
from search.backends.whoosh.kernels import score_list
from search.backends.whoosh.layout import call_memo
from search.backends.whoosh.postings import FIELDS, SegmentArrays, arrays_of
from search.backends.whoosh.scored import Scored

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, which the index is searched with


class IndexArrays:
    """The posting arrays of one commit's segments, with the global statistics BM25F needs.

    Built once per commit by its :class:`~search.backends.whoosh.snapshot.Snapshot` (``snapshot.arrays``)
    from a searcher of that commit and its ``columns``; it keeps no searcher.
    """

    def __init__(self, searcher: Searcher, columns: Columns) -> None:
        self.columns = columns
        self.segments: list[tuple[int, SegmentArrays]] = arrays_of(searcher.reader())
        self.doc_count_all = int(searcher.doc_count_all())
        totals = {name: sum(arrays.total_length(name) for _, arrays in self.segments) for name in FIELDS}
        self._average = {name: (totals[name] / self.doc_count_all if self.doc_count_all else 0.0) or 1.0 for name in FIELDS}

    def segment_of(self, docnum: int) -> tuple[int, SegmentArrays]:
        """The segment holding global document ``docnum``, with its first document number."""
        place = bisect.bisect_right([offset for offset, _ in self.segments], docnum) - 1
        return self.segments[place]

    def average_length(self, name: str) -> float:
        return self._average[name]

    def locate(self, name: str, text: str) -> list[int]:
        """The term's index in each segment's field (-1 where absent)."""
        return [arrays.fields[name].find(text) for _, arrays in self.segments]

    def _frequency(self, name: str, where: list[int]) -> int:
        return sum(int(a.fields[name].starts[i + 1] - a.fields[name].starts[i]) for (_, a), i in zip(self.segments, where, strict=True) if i >= 0)

    def idf(self, name: str, where: list[int]) -> float:
        """Whoosh's idf: ``log(N / (df + 1)) + 1`` over every segment, deleted documents included."""
        return math.log(self.doc_count_all / (self._frequency(name, where) + 1)) + 1

    def doc_frequency(self, name: str, text: str) -> int:
        """How many documents have ``text`` in field ``name``, deleted ones included (as Whoosh counts)."""
        return self._frequency(name, self.locate(name, text))

    def doc_frequencies(self, name: str, texts: list[str]) -> np.ndarray:
        """:meth:`doc_frequency` of many terms at once: one vectorised look-up per segment, not one per term and segment."""
        keys = np.array([text.encode("utf-8") for text in texts])
        found = np.zeros(len(texts), dtype=np.int64)
        for _, arrays in self.segments:
            field = arrays.fields[name]
            if not len(field.terms) or not len(keys):
                continue
            at = np.minimum(np.searchsorted(field.terms, keys), len(field.terms) - 1)
            hit = field.terms[at] == keys
            found[hit] += (field.starts[at + 1] - field.starts[at])[hit]
        return found

    def idf_of(self, name: str, text: str) -> float:
        """Whoosh's idf of ``text`` in field ``name`` (see :meth:`idf`)."""
        return self.idf(name, self.locate(name, text))

    def prefixed(self, name: str, prefix: str, limit: int) -> list[tuple[int, str]]:
        """The first ``limit`` words of field ``name`` that start with ``prefix`` (in Whoosh's term order), with their document frequencies."""
        key = prefix.encode("utf-8")
        found, counts = [], []
        for _, arrays in self.segments:
            field_arrays = arrays.fields[name]
            low = int(np.searchsorted(field_arrays.terms, key, side="left"))
            high = int(np.searchsorted(field_arrays.terms, key + b"\xff", side="left"))  # UTF-8 never has the byte 0xff
            found.append(field_arrays.terms[low:high][:limit])
            counts.append(np.diff(field_arrays.starts[low:high + 1])[:limit])
        if not found or not sum(len(f) for f in found):
            return []
        width = max(f.dtype.itemsize for f in found)
        terms, inverse = np.unique(np.concatenate([f.astype(f"S{width}") for f in found]), return_inverse=True)
        frequencies = np.bincount(inverse.ravel(), weights=np.concatenate(counts), minlength=len(terms))
        return [(int(f), bytes(t).decode("utf-8")) for t, f in zip(terms[:limit], frequencies[:limit], strict=True)]

    def term(self, name: str, text: str, boost: float) -> Scored:
        """A term's documents and BM25F scores (times ``boost``), deleted documents included; once per engine call."""
        memo = call_memo()
        if memo is None:
            return self._term(name, text, boost)
        key = ("term", id(self), name, text, boost)
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._term(name, text, boost)
        return found

    def _term(self, name: str, text: str, boost: float) -> Scored:
        where = self.locate(name, text)
        if all(i < 0 for i in where):
            return Scored.empty()
        # BM25F, idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average)), with the constants folded: each
        # list decoded and scored in one compiled pass (search.backends.whoosh.kernels), written straight into the result.
        weight = boost * self.idf(name, where) * (K1 + 1)
        per_length, constant = K1 * B / self.average_length(name), K1 * (1 - B)
        found = [(offset, arrays.fields[name], i) for (offset, arrays), i in zip(self.segments, where, strict=True) if i >= 0]
        sizes = [int(field.starts[i + 1] - field.starts[i]) for _, field, i in found]
        docs, scores = np.empty(sum(sizes), dtype=np.int64), np.empty(sum(sizes), dtype=np.float64)
        at = 0
        for (offset, field, i), size in zip(found, sizes, strict=True):
            gaps, counts = field.gaps, field.counts
            score_list(gaps.words, int(gaps.word_at[i]), int(gaps.widths[i]), counts.words, int(counts.word_at[i]), int(counts.widths[i]),
                       size, int(field.firsts[i]), field.lengths, weight, per_length, constant, offset, docs, scores, at)
            at += size
        return Scored(docs, scores)
