"""The posting arrays of one segment: their shape in memory and the files they are kept in.

:mod:`search.backends.whoosh.derivation` counts a segment's postings and token streams as
plain arrays; :func:`compact` turns them into what is written (the lists packed by
:mod:`search.backends.whoosh.packing`: gaps, frequencies and token streams), and
:func:`field_of` reads a field back from those files, memory-mapped, as a
:class:`FieldArrays` whose lists are decoded only when a query asks for them. Field lengths
are not written: they are the token counts of the exact-form streams, worked out on load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.util.numeric import byte_to_length

from search.backends.whoosh.derivation import MAX_TERM_WORD, STORY_FIELD, STREAM_FIELDS
from search.backends.whoosh.kernels import counts_to_frequencies, gaps_to_docs, positions_in
from search.backends.whoosh.packing import PackedLists, pack
from search.parsing import EXACT_FIELDS, STEM_FIELDS

FIELDS = (*STEM_FIELDS, *EXACT_FIELDS)
# Every field kept: the searchable ones and the story words (looked up when indexing, never searched).
ARRAY_FIELDS = (*FIELDS, STORY_FIELD)
# Each field's exact-form field, the one whose token streams are kept.
EXACT_OF = {**{name: name for name in STREAM_FIELDS}, **{stem: name for name, (_stored, stem) in STREAM_FIELDS.items()}}
MAX_TERM_BYTES = 4 * MAX_TERM_WORD
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY_DOCS = np.zeros(0, dtype=np.int64)
_EMPTY_TFS = np.zeros(0, dtype=np.float32)
_LISTS = ("words", "word_at", "widths")


FOUND_KEPT = 50_000  # words whose place in a field is kept (a few MB per field at most)


@dataclass(frozen=True)
class FieldArrays:
    """One field of one segment, its lists packed (:mod:`search.backends.whoosh.packing`).

    Term ``t`` is in ``starts[t+1] - starts[t]`` documents: :meth:`postings` gives their
    numbers (ascending, local to the segment, deleted documents included) and frequencies,
    decoded from ``gaps`` (each document minus the one before, minus one; the first is
    ``firsts[t]``) and ``counts`` (each frequency minus one). ``lengths`` is every document's
    field length. Exact-form fields also have a token stream per document (``stream``: each
    token's term index plus one, 0 for a term too long to keep; ``stream_starts[d]`` is
    where document ``d``'s tokens start, counted over the segment's tokens) and ``stems[t]``,
    the index of term ``t``'s stem in the stem field (-1 when absent).
    """

    terms: np.ndarray
    starts: np.ndarray
    firsts: np.ndarray
    gaps: PackedLists
    counts: PackedLists
    lengths: np.ndarray
    stream: PackedLists | None = None
    stream_starts: np.ndarray | None = None
    stems: np.ndarray | None = None
    positions: PackedLists | None = None
    found: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # find's answers, kept

    def find(self, text: str) -> int:
        """The index of ``text`` among the terms, or -1.

        Answers are kept (up to :data:`FOUND_KEPT` words): a search looks each of its words up
        in several fields, for its scores, idf, snippets and suggestions, and a binary search of
        a byte-string array costs microseconds each time.
        """
        known = self.found.get(text)
        if known is not None:
            return known
        key = text.encode("utf-8")
        if len(key) > MAX_TERM_BYTES or not len(self.terms):
            return -1
        i = int(np.searchsorted(self.terms, key))
        index = i if i < len(self.terms) and self.terms[i] == key else -1
        if len(self.found) >= FOUND_KEPT:
            self.found.clear()
        self.found[text] = index
        return index

    def postings(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (int64) and term frequencies (float32) of term ``index`` (empty for -1).

        Within :func:`decoding_once` a list is decoded once: one search reads a word's list
        for its score, its phrase, its partial matches and its proximity bonus. Callers must
        not change the arrays they get.
        """
        return self.docs(index), self.frequencies(index)

    def docs(self, index: int) -> np.ndarray:
        """Term ``index``'s document numbers (int64), decoded once per engine call (see :meth:`postings`)."""
        if index < 0:
            return _EMPTY_DOCS
        return _once(("docs", id(self), index), lambda: self._docs(index))

    def frequencies(self, index: int) -> np.ndarray:
        """Term ``index``'s frequencies (float32), decoded once per engine call (see :meth:`postings`)."""
        if index < 0:
            return _EMPTY_TFS
        return _once(("frequencies", id(self), index), lambda: self._frequencies(index))

    def _docs(self, index: int) -> np.ndarray:
        gaps = self.gaps
        return gaps_to_docs(gaps.words, int(gaps.word_at[index]), int(gaps.widths[index]), int(self.starts[index + 1] - self.starts[index]),
                            int(self.firsts[index]))

    def _frequencies(self, index: int) -> np.ndarray:
        counts = self.counts
        return counts_to_frequencies(counts.words, int(counts.word_at[index]), int(counts.widths[index]), int(self.starts[index + 1] - self.starts[index]))

    def all_postings(self) -> tuple[np.ndarray, np.ndarray]:
        """Every term's documents and frequencies end to end, in term order (for a merge)."""
        gaps, bounds = self.gaps.ranges(np.arange(len(self.terms), dtype=np.int64))
        counts = np.diff(bounds)
        gaps += 1
        running = np.cumsum(gaps)
        filled = counts > 0
        before = np.zeros(len(counts), dtype=np.int64)  # the running sum before each term's first document
        before[filled] = running[bounds[:-1][filled]] - gaps[bounds[:-1][filled]]
        docs = running + np.repeat(np.asarray(self.firsts, dtype=np.int64) - 1 - before, counts)
        return docs, self.counts.all().astype(np.float32) + 1

    def positions_in(self, index: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where term ``index`` stands in each of ``docs`` (local numbers, ascending): for every
        occurrence, the place in ``docs`` of its document and its position there (both int64).
        """
        assert self.positions is not None
        held, tfs = self.postings(index)
        positions = self.positions
        return positions_in(held, tfs, self._position_firsts(index, tfs), positions.words, int(positions.word_at[index]),
                            int(positions.widths[index]), np.ascontiguousarray(docs, dtype=np.int64))

    def _position_firsts(self, index: int, tfs: np.ndarray) -> np.ndarray:
        """Where each posting's positions start in term ``index``'s list; once per engine call (a proximity bonus is
        checked in rounds, a few dozen documents each)."""
        def firsts() -> np.ndarray:
            counts = tfs.astype(np.int64)
            return np.cumsum(counts) - counts

        return _once(("position firsts", id(self), index), firsts)

    def tokens(self, doc: int) -> np.ndarray:
        """Document ``doc``'s tokens as term indexes (-1 for a term too long to keep)."""
        assert self.stream is not None
        tokens = self.stream.list(doc)
        tokens -= 1
        return tokens

    def tokens_of(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The token streams of ``docs`` (local numbers) end to end, and where each one starts in them (plus the end).

        A token's position in its document is its place in that document's stream, as Whoosh counts positions.
        """
        assert self.stream is not None
        tokens, bounds = self.stream.ranges(np.asarray(docs, dtype=np.int64))
        tokens -= 1
        return tokens, bounds


@dataclass(frozen=True)
class SegmentArrays:
    """Every searchable field of one segment (or of a merged run of segments)."""

    doc_count: int
    fields: dict[str, FieldArrays]
    # What other modules compute from these arrays once and keep as long as they are used
    # (the spelling keys of their vocabulary), by name.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def total_length(self, name: str) -> int:
        """Field ``name``'s tokens over every document, deleted ones included (Whoosh's field length total).

        A stem field has one stem per token of its exact-form field, so both count the same.
        """
        starts = self.fields[EXACT_OF[name]].stream_starts
        return int(starts[-1]) if starts is not None and len(starts) else 0


# What one call of the engine decoded and scored, by what it was computed from (FieldArrays.postings, IndexArrays.term).
_decoded: ContextVar[dict[tuple[object, ...], Any] | None] = ContextVar("decoded", default=None)


@contextmanager
def decoding_once() -> Iterator[None]:
    """Within the block, each posting list is decoded once and each term scored once.

    The block must keep alive the arrays it reads (keys hold their ids), and what it is
    handed must not be changed in place.
    """
    token = _decoded.set({})
    try:
        yield
    finally:
        _decoded.reset(token)


def _once(key: tuple[object, ...], compute: Callable[[], np.ndarray]) -> np.ndarray:
    """``compute()``, kept for the rest of the current :func:`decoding_once` block under ``key``."""
    memo = _decoded.get()
    if memo is None:
        return compute()
    found: np.ndarray | None = memo.get(key)
    if found is None:
        found = memo[key] = compute()
    return found


def call_memo() -> dict[tuple[object, ...], Any] | None:
    """The current :func:`decoding_once` block's memo, or ``None`` outside one."""
    return _decoded.get()


def lengths_of(stream_starts: np.ndarray) -> np.ndarray:
    """Every document's token count as Whoosh stores and decodes a field length: the nearest of 256 lengths at or above it."""
    codes = np.minimum(np.searchsorted(_LENGTHS, np.diff(np.asarray(stream_starts)), side="left"), 255)
    return _LENGTHS[codes]


def compact(derived: dict[str, dict[str, np.ndarray]]) -> dict[str, dict[str, np.ndarray]]:
    """Plain arrays by field and kind (terms, starts, docs, tfs, and stream, stream_starts, stems) as they are written."""
    written: dict[str, dict[str, np.ndarray]] = {}
    for name, plain in derived.items():
        starts = np.asarray(plain["starts"], dtype=np.int64)
        docs = np.asarray(plain["docs"], dtype=np.int64)
        heads = starts[:-1][np.diff(starts) > 0]
        firsts = np.zeros(len(starts) - 1, dtype=np.int32)
        firsts[np.diff(starts) > 0] = docs[heads]
        gaps = np.diff(docs, prepend=0) - 1
        gaps[heads] = 0
        out = {"terms": plain["terms"], "starts": starts, "firsts": firsts,
               **_lists("gaps", gaps, starts), **_lists("counts", np.asarray(plain["tfs"]).astype(np.int64) - 1, starts)}
        if "positions" in plain:
            out.update(_lists("positions", np.asarray(plain["positions"], dtype=np.int64), plain["position_starts"]),
                       position_starts=np.asarray(plain["position_starts"], dtype=np.int64))
        if "stream" in plain:
            stream_starts = np.asarray(plain["stream_starts"], dtype=np.int64)
            out.update(_lists("stream", np.asarray(plain["stream"], dtype=np.int64) + 1, stream_starts),
                       stream_starts=stream_starts, stems=plain["stems"])
        written[name] = out
    return written


def _lists(name: str, values: np.ndarray, bounds: np.ndarray) -> dict[str, np.ndarray]:
    return {f"{name}.{part}": array for part, array in pack(values, bounds).items()}


def _packed(part: Callable[[str], np.ndarray], name: str, bounds: np.ndarray) -> PackedLists:
    words, word_at, widths = (part(f"{name}.{kind}") for kind in _LISTS)
    return PackedLists(words, word_at, widths, bounds)


def field_of(part: Callable[[str], np.ndarray], name: str, lengths: np.ndarray) -> FieldArrays:
    """Field ``name`` from its written arrays (``part(kind)``), with the documents' ``lengths``."""
    starts = part("starts")
    streamed = name in STREAM_FIELDS
    stream_starts = part("stream_starts") if streamed else None
    return FieldArrays(
        terms=part("terms"), starts=starts, firsts=part("firsts"),
        gaps=_packed(part, "gaps", starts), counts=_packed(part, "counts", starts), lengths=lengths,
        stream=_packed(part, "stream", stream_starts) if stream_starts is not None else None,
        stream_starts=stream_starts, stems=part("stems") if streamed else None,
        positions=_packed(part, "positions", part("position_starts")) if name in FIELDS else None,
    )


def segment_of(part: Callable[[str, str], np.ndarray], doc_count: int) -> SegmentArrays:
    """Every field of a segment from its written arrays (``part(field, kind)``)."""
    lengths = {name: lengths_of(part(name, "stream_starts")) for name in STREAM_FIELDS}
    no_lengths = np.zeros(doc_count, dtype=np.float32)

    def reader(name: str) -> Callable[[str], np.ndarray]:
        return lambda kind: part(name, kind)

    return SegmentArrays(doc_count, {
        name: field_of(reader(name), name, lengths.get(EXACT_OF.get(name, ""), no_lengths)) for name in ARRAY_FIELDS
    })
