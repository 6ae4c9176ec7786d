"""How a segment's posting arrays are derived: from its stored text, counted with numpy.

The stored title and body go through the exact analyzer's steps (its tokenizer, lower
case, apostrophes folded) and each form through the stemmer's cache: the same tokens
Whoosh indexed, so the postings counted from them are Whoosh's (a test compares them term
by term). Counting them with numpy is many times faster than unpickling Whoosh's posting
blocks, and it gives what the blocks do not hold in usable form: each document's tokens in
order (phrases, proximity, snippets) and each form's stem. Field lengths are read from
Whoosh, in its one-byte approximation. :mod:`search.postings` keeps the result.
"""

from __future__ import annotations

import re

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

from search.analysis import TOKEN_PATTERN, stem_word

# Exact-form fields whose token streams are kept: field -> (stored field it is read from, its stem field).
STREAM_FIELDS = {"title_exact": ("title", "title"), "body_exact": ("body", "body")}
# Forms longer than this are left out of the terms (their tokens keep their place as -1):
# queries refuse words of more than 40 letters, and a fixed width keeps the term table a
# plain sorted array.
MAX_TERM_WORD = 60
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_APOSTROPHES = re.compile(r"['’]")
_TOKEN = re.compile(TOKEN_PATTERN)
_EMPTY = np.zeros(0, dtype=np.int32)


def derive(reader) -> dict[str, dict[str, np.ndarray]]:
    """Every field's arrays for one segment, by kind (see ``search.postings.FieldArrays``)."""
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
    stream = np.concatenate(pieces) if pieces else _EMPTY
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
