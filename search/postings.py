"""Posting arrays: each Whoosh segment's postings read once into flat numpy arrays, kept beside it.

Whoosh answers a query by walking its posting lists posting by posting in Python; at
100,000 articles that was most of a search's time. A segment never changes once written
(deletions live in a separate mask), so what queries need from it is derived once and
kept: for each searchable field, its terms (sorted, for binary search) and per term the
document numbers and term frequencies; each document's field lengths as Whoosh's BM25F
sees them (its one-byte approximation); and for the exact-form fields, every document's
tokens in order as term indexes (a token's place is its Whoosh position: phrases,
proximity and snippets read them) with each form's stem. They are ``.npy`` files in a
folder named after the segment and :data:`ARRAYS_VERSION`, inside the generation, and are
memory-mapped: every process and thread shares one copy through the page cache.

A folder is written under a temporary name and renamed, so a reader never sees half of
one; writers remove the folders of segments merged away (:func:`remove_unused`).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

from search.analysis import TOKEN_PATTERN, stem_word
from search.columns import SegmentCache
from search.schema import EXACT_FIELDS, STEM_FIELDS

# Bumped whenever what is written here changes; part of the folder name, so old arrays are
# never misread (they are derived again, and the old folders removed as unused).
ARRAYS_VERSION = "1"
FOLDER = "arrays"
FIELDS = (*STEM_FIELDS, *EXACT_FIELDS)
# Exact-form fields whose token streams are kept: field -> (stored field it is read from, its stem field).
STREAM_FIELDS = {"title_exact": ("title", "title"), "body_exact": ("body", "body")}
# Forms longer than this are left out of the terms (their tokens keep their place as -1):
# queries refuse words of more than 40 letters, and a fixed width keeps the term table a
# plain sorted array.
MAX_TERM_WORD = 60
MAX_TERM_BYTES = 4 * MAX_TERM_WORD
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_APOSTROPHES = re.compile(r"['’]")
_TOKEN = re.compile(TOKEN_PATTERN)
_EMPTY_DOCS = np.zeros(0, dtype=np.int32)
_EMPTY_TFS = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class FieldArrays:
    """One field of one segment.

    ``docs[starts[t]:starts[t+1]]`` are term ``t``'s document numbers (ascending, local to
    the segment, deleted documents included) and ``tfs`` the same slice's frequencies.
    ``lengths`` is every document's field length. Exact-form fields also have
    ``stream[stream_starts[d]:stream_starts[d+1]]``, document ``d``'s tokens as term indexes
    (-1 for a term too long to keep), and ``stems[t]``, the index of term ``t``'s stem in
    the stem field (-1 when absent).
    """

    terms: np.ndarray
    starts: np.ndarray
    docs: np.ndarray
    tfs: np.ndarray
    lengths: np.ndarray
    stream: np.ndarray | None = None
    stream_starts: np.ndarray | None = None
    stems: np.ndarray | None = None

    def find(self, text: str) -> int:
        """The index of ``text`` among the terms, or -1."""
        key = text.encode("utf-8")
        if len(key) > MAX_TERM_BYTES or not len(self.terms):
            return -1
        i = int(np.searchsorted(self.terms, key))
        return i if i < len(self.terms) and self.terms[i] == key else -1

    def postings(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and term frequencies of term ``index`` (empty for -1)."""
        if index < 0:
            return _EMPTY_DOCS, _EMPTY_TFS
        start, end = int(self.starts[index]), int(self.starts[index + 1])
        return self.docs[start:end], self.tfs[start:end]

    def tokens_of(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The token streams of ``docs`` (local numbers) end to end: (index into ``docs``, position, term index)."""
        assert self.stream is not None and self.stream_starts is not None
        firsts = np.asarray(self.stream_starts[docs], dtype=np.int64)
        sizes = np.asarray(self.stream_starts[docs + 1], dtype=np.int64) - firsts
        owner = np.repeat(np.arange(len(docs), dtype=np.int64), sizes)
        position = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return owner, position, np.asarray(self.stream[np.repeat(firsts, sizes) + position])


@dataclass(frozen=True)
class SegmentArrays:
    """Every searchable field of one segment."""

    doc_count: int
    fields: dict[str, FieldArrays]


def folder_name(segment_id: str) -> str:
    return f"{segment_id}.v{ARRAYS_VERSION}"


def generation_of(reader) -> Path:
    """The generation folder a segment reader reads from."""
    return Path(reader._storage.folder)


def load_or_build(reader) -> SegmentArrays:
    """The arrays of ``reader``'s segment: read from beside it, or derived and written there first.

    When they cannot be written (a full disk, a read-only folder, a writer sweeping at the
    same moment) they are used from memory this time and derived again by the next process.
    """
    folder = generation_of(reader) / FOLDER / folder_name(reader.segment().segment_id())
    if not (folder / "done").exists():
        derived = derive(reader)
        try:
            _publish(folder, derived)
        except OSError:
            return SegmentArrays(reader.doc_count_all(), {name: _field(derived[name].__getitem__, name) for name in FIELDS})
    return _load(folder, reader.doc_count_all())


def _field(part, name: str) -> FieldArrays:
    streamed = name in STREAM_FIELDS
    return FieldArrays(
        terms=part("terms"), starts=part("starts"), docs=part("docs"), tfs=part("tfs"), lengths=part("lengths"),
        stream=part("stream") if streamed else None, stream_starts=part("stream_starts") if streamed else None,
        stems=part("stems") if streamed else None,
    )


def _load(folder: Path, doc_count: int) -> SegmentArrays:
    def reader_of(name: str):  # plain arrays over the mapping: numpy's memmap subclass slows every slice
        return lambda kind: np.asarray(np.load(folder / f"{name}.{kind}.npy", mmap_mode="r"))

    return SegmentArrays(doc_count, {name: _field(reader_of(name), name) for name in FIELDS})


def derive(reader) -> dict[str, dict[str, np.ndarray]]:
    """Every field's arrays for one segment (see :class:`FieldArrays`), from its stored text.

    The stored title and body go through the exact analyzer's steps (its tokenizer, lower
    case, apostrophes folded) and each form through the stemmer's cache: the same tokens
    Whoosh indexed, so the postings counted from them are Whoosh's (a test compares them
    term by term). Counting them with numpy is many times faster than unpickling Whoosh's
    posting blocks. Field lengths are read from Whoosh, in its one-byte approximation.
    """
    count = reader.doc_count_all()
    derived: dict[str, dict[str, np.ndarray]] = {}
    for name, (stored, stem_field) in STREAM_FIELDS.items():
        words, stream, stream_starts = _token_stream(reader, stored, count)
        terms, order = _sorted_terms(words)
        stream = np.where(stream >= 0, order[np.maximum(stream, 0)], -1).astype(np.int32) if len(stream) else stream
        lengths = _lengths(reader, name, count)
        derived[name] = {**_count_postings(stream, stream_starts, len(terms), count), "terms": terms, "lengths": lengths}
        stem_words = sorted({stem_word(word) for word in words}, key=lambda w: w.encode("utf-8"))
        stem_index = {word: i for i, word in enumerate(stem_words)}
        stems = np.full(len(terms), -1, dtype=np.int32)
        stems[order] = np.fromiter((stem_index[stem_word(word)] for word in words), dtype=np.int32, count=len(words))
        stem_terms, _ = _sorted_terms(stem_words)
        stem_stream = np.where(stream >= 0, stems[np.maximum(stream, 0)], -1).astype(np.int32) if len(stream) else stream
        derived[stem_field] = {
            **_count_postings(stem_stream, stream_starts, len(stem_terms), count),
            "terms": stem_terms, "lengths": _lengths(reader, stem_field, count),
        }
        derived[name].update(stream=stream, stream_starts=stream_starts, stems=stems)
    return derived


class _Numbering(dict):
    """Word -> number in order of first use; a lookup of a new word numbers it (the loop stays in C)."""

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        return number


def _token_stream(reader, stored: str, count: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Distinct forms in order of first use, every document's tokens as indexes into them, and where each document starts.

    Forms longer than :data:`MAX_TERM_WORD` are left out (their tokens become -1).
    """
    numbering = _Numbering()
    sizes = np.zeros(count + 1, dtype=np.int64)
    pieces: list[np.ndarray] = []
    for docnum in range(count):
        words = exact_words(str(reader.stored_fields(docnum).get(stored) or ""))
        pieces.append(np.fromiter(map(numbering.__getitem__, words), dtype=np.int32, count=len(words)))
        sizes[docnum + 1] = len(words)
    stream = np.concatenate(pieces) if pieces else _EMPTY_DOCS
    words = list(numbering)
    long_words = np.array([len(w) > MAX_TERM_WORD for w in words], dtype=bool)
    if long_words.any():
        kept = np.flatnonzero(~long_words)
        renumber = np.full(len(words), -1, dtype=np.int32)
        renumber[kept] = np.arange(len(kept), dtype=np.int32)
        stream = renumber[stream]
        words = [words[i] for i in kept]
    return words, stream, np.cumsum(sizes)


def _sorted_terms(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The words as a sorted byte-string array (Whoosh's term order) and each word's place in it."""
    encoded = [w.encode("utf-8") for w in words]
    table = np.array(encoded, dtype=f"S{max((len(e) for e in encoded), default=1)}")
    order = np.argsort(table, kind="stable")
    place = np.empty(len(words), dtype=np.int32)
    place[order] = np.arange(len(words), dtype=np.int32)
    return table[order], place


def _count_postings(stream: np.ndarray, stream_starts: np.ndarray, term_count: int, doc_count: int) -> dict[str, np.ndarray]:
    """Postings counted from token streams: per term, the documents using it (ascending) and how often."""
    owner = np.repeat(np.arange(doc_count, dtype=np.int64), np.diff(stream_starts))
    kept = stream >= 0
    keys, counts = np.unique(stream[kept].astype(np.int64) * max(doc_count, 1) + owner[kept], return_counts=True)
    terms = keys // max(doc_count, 1)
    starts = np.zeros(term_count + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=term_count), out=starts[1:])
    return {"starts": starts, "docs": (keys % max(doc_count, 1)).astype(np.int32), "tfs": counts.astype(np.float32)}


def _publish(folder: Path, derived: dict[str, dict[str, np.ndarray]]) -> None:
    """Write the arrays under a temporary name and rename it into place (a process racing us publishes the same)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.parent / f".tmp-{uuid.uuid4().hex}"
    temporary.mkdir()
    try:
        for name, arrays in derived.items():
            for kind, array in arrays.items():
                np.save(temporary / f"{name}.{kind}.npy", array, allow_pickle=False)
        (temporary / "done").write_text("", encoding="utf-8")
        try:
            os.rename(temporary, folder)
        except OSError:
            if not (folder / "done").exists():
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def exact_words(text: str) -> list[str]:
    """``text``'s tokens as the exact-form analyzer makes them (the fast path of :func:`exact_tokens`)."""
    words = [word.lower() for word in _TOKEN.findall(text)]  # per token, as Whoosh's LowercaseFilter does
    if "'" in text or "’" in text:
        words = [_APOSTROPHES.sub("", word) for word in words]
    return words


def exact_tokens(text: str) -> list[tuple[str, int, int]]:
    """``text``'s tokens as the exact-form analyzer makes them, with their character spans."""
    found = []
    for match in _TOKEN.finditer(text):
        word = match.group().lower()  # per token, as Whoosh's LowercaseFilter does
        if "'" in word or "’" in word:
            word = _APOSTROPHES.sub("", word)
        found.append((word, match.start(), match.end()))
    return found


def _lengths(reader, name: str, count: int) -> np.ndarray:
    """Every document's length of field ``name`` as Whoosh decodes it (0 when empty)."""
    perdoc = getattr(reader, "_perdoc", None)
    column = perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN) if perdoc is not None else None
    if column is not None:
        return _LENGTHS[np.fromiter((column[n] for n in range(count)), dtype=np.uint8, count=count)]
    return np.array([reader.doc_field_length(n, name, 0) or 0 for n in range(count)], dtype=np.float32)


def prepare(ix) -> None:
    """Derive the arrays of every segment of index ``ix`` that has none, and remove unused ones.

    Writers call it after each commit (holding the write lock), so searchers find the arrays
    ready. Best effort: what cannot be written now (a full disk) is derived by the searcher
    that needs it, so this never fails a commit that succeeded.
    """
    try:
        with ix.reader() as reader:
            arrays_of(reader)
            segments = {leaf.segment().segment_id() for leaf, _offset in reader.leaf_readers() if leaf.segment() is not None}
            remove_unused(Path(ix.storage.folder), segments)
    except OSError:
        pass


def arrays_of(reader) -> list[tuple[int, SegmentArrays]]:
    """Every segment's arrays with its first document number (an empty index has none)."""
    return [(offset, segment_arrays.get(leaf)) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None]


def stem_lookup(reader) -> Callable[[str], str | None]:
    """A form's stem as the index already holds it (``None`` for a form it has not seen): see ``analysis.known_stems``."""
    segments = [arrays for _offset, arrays in arrays_of(reader)]

    def lookup(form: str) -> str | None:
        for arrays in segments:
            for exact_name, (_stored, stem_name) in STREAM_FIELDS.items():
                exact = arrays.fields[exact_name]
                index = exact.find(form)
                if index >= 0 and exact.stems is not None and exact.stems[index] >= 0:
                    return bytes(arrays.fields[stem_name].terms[exact.stems[index]]).decode("utf-8")
        return None

    return lookup


def remove_unused(generation: Path, segment_ids: set[str]) -> None:
    """Remove the arrays of segments no longer in the index, of old versions, and unfinished writes.

    Open searchers keep reading their memory-mapped files after removal (POSIX), so this is
    safe while searches run; call it under the write lock, where no other writer publishes.
    """
    folder = generation / FOLDER
    if not folder.is_dir():
        return
    keep = {folder_name(s) for s in segment_ids}
    for entry in folder.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


# Each segment's arrays, opened once per process (a segment never changes; ids are unique).
segment_arrays: SegmentCache[SegmentArrays] = SegmentCache(load_or_build)
