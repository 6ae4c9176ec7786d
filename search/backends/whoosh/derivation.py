"""How a segment's posting arrays are derived: from its stored text, counted with numpy.

The stored title and body go through the exact analyzer's steps (its tokenizer, lower
case, apostrophes folded) and each form through the stemmer's cache: the same tokens
Whoosh indexed, so the postings counted from them are Whoosh's (a test compares them term
by term). Counting them with numpy is many times faster than unpickling Whoosh's posting
blocks, and it gives what the blocks do not hold in usable form: each document's tokens in
order (phrases, proximity, snippets) and each form's stem. :mod:`search.backends.whoosh.layout`
packs the result and :mod:`search.backends.whoosh.postings` keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from search.analyzer import E_PREFIX_JOINS, TOKEN_PATTERN, fold, stem_word
from search.sketches import MIN_WORDS

# Exact-form fields whose token streams are kept: field -> (stored field it is read from, its stem field).
STREAM_FIELDS = {"title_exact": ("title", "title"), "body_exact": ("body", "body")}
# The words a new article's earlier story copies are looked up by (search.backends.whoosh.stories), read from the stored sketch.
STORY_FIELD = "story_terms"
# Forms longer than this are left out of the terms (their tokens keep their place as -1):
# queries refuse words of more than 40 letters, and a fixed width keeps the term table a
# plain sorted array.
MAX_TERM_WORD = 60
_TOKEN = re.compile(TOKEN_PATTERN)
_EMPTY = np.zeros(0, dtype=np.int32)


def derive(reader) -> dict[str, dict[str, np.ndarray]]:
    """Every field's arrays for one segment, by kind (see ``search.backends.whoosh.layout.FieldArrays``), from its stored text."""
    tokens = Tokens()
    for docnum in range(reader.doc_count_all()):
        tokens.add(reader.stored_fields(docnum))
    return derive_from(tokens)


def derive_from(tokens: Tokens) -> dict[str, dict[str, np.ndarray]]:
    """Every field's arrays for the documents ``tokens`` was fed."""
    count = tokens.count
    streams = tokens.finish()
    derived: dict[str, dict[str, np.ndarray]] = {}
    for name, (_stored, stem_field) in STREAM_FIELDS.items():
        words, stream, stream_starts = streams[name]
        terms, order = _sorted_terms(words)
        stream = _renumbered(stream, order)
        derived[name] = {**_count_postings(stream, stream_starts, len(terms), count), "terms": terms}
        stem_words = sorted({stem_word(word) for word in words}, key=lambda w: w.encode("utf-8"))
        stem_index = {word: i for i, word in enumerate(stem_words)}
        stems = np.full(len(terms), -1, dtype=np.int32)
        stems[order] = np.fromiter((stem_index[stem_word(word)] for word in words), dtype=np.int32, count=len(words))
        stem_terms, _ = _sorted_terms(stem_words)
        derived[stem_field] = {
            **_count_postings(_renumbered(stream, stems), stream_starts, len(stem_terms), count),
            "terms": stem_terms,
        }
        derived[name].update(stream=stream, stream_starts=stream_starts, stems=stems)
    words, stream, starts = streams[STORY_FIELD]
    terms, order = _sorted_terms(words)
    derived[STORY_FIELD] = {**_count_postings(_renumbered(stream, order), starts, len(terms), count, positions=False), "terms": terms}
    return derived


def _renumbered(stream: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """``stream``'s tokens through ``numbers`` (-1 stays -1)."""
    return np.where(stream >= 0, numbers[np.maximum(stream, 0)], -1).astype(np.int32) if len(stream) else stream


class _Numbering(dict):
    """Word -> number in order of first use; a lookup of a new word numbers it (the loop stays in C) and is stemmed."""

    def __init__(self, stemmed: bool) -> None:
        super().__init__()
        self.stemmed = stemmed

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        if self.stemmed:  # now, while the writer waits for the next article, rather than all at once when it commits
            stem_word(word)
        return number


class _Stream:
    """One field's tokens for every document, as numbers of distinct words, collected document by document."""

    def __init__(self, stemmed: bool = False) -> None:
        self.numbering = _Numbering(stemmed)
        self.sizes: list[int] = [0]
        self.pieces: list[np.ndarray] = []

    def add(self, words: list[str]) -> None:
        self.pieces.append(np.fromiter(map(self.numbering.__getitem__, words), dtype=np.int32, count=len(words)))
        self.sizes.append(len(words))

    def finish(self, max_word: int | None) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Distinct words in order of first use, the tokens as indexes into them, where each document starts.

        Words longer than ``max_word`` are left out (their tokens become -1).
        """
        stream = np.concatenate(self.pieces) if self.pieces else _EMPTY
        words = list(self.numbering)
        long_words = np.array([max_word is not None and len(w) > max_word for w in words], dtype=bool)
        if long_words.any():
            kept = np.flatnonzero(~long_words)
            renumber = np.full(len(words), -1, dtype=np.int32)
            renumber[kept] = np.arange(len(kept), dtype=np.int32)
            stream = renumber[stream]
            words = [words[i] for i in kept]
        return words, stream, np.cumsum(np.array(self.sizes, dtype=np.int64))


class Tokens:
    """Each exact-form field's and the story field's tokens, document after document.

    Fed the stored fields of a segment's documents in order (:func:`derive`), or the
    documents as a writer adds them to a new segment (a bulk worker: its segment's arrays are
    then ready when the segment is, with no stored text read back). Exact forms longer than
    :data:`MAX_TERM_WORD` are left out; story words are kept whole, as Whoosh's keyword
    field keeps them.
    """

    def __init__(self) -> None:
        self.streams = {name: _Stream(stemmed=name in STREAM_FIELDS) for name in (*STREAM_FIELDS, STORY_FIELD)}
        self.count = 0

    def add(self, fields: Mapping[str, object]) -> None:
        """The next document, by its stored fields (title, body and sketch are read)."""
        for name, (source, _stem) in STREAM_FIELDS.items():
            self.streams[name].add(exact_words(str(fields.get(source) or "")))
        sketch = fields.get("sketch") or {}
        assert isinstance(sketch, dict)
        self.streams[STORY_FIELD].add(list(sketch) if len(sketch) >= MIN_WORDS else [])
        self.count += 1

    def finish(self) -> dict[str, tuple[list[str], np.ndarray, np.ndarray]]:
        return {name: stream.finish(None if name == STORY_FIELD else MAX_TERM_WORD) for name, stream in self.streams.items()}


def _sorted_terms(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The words as a sorted byte-string array (Whoosh's term order) and each word's place in it."""
    encoded = [w.encode("utf-8") for w in words]
    table = np.array(encoded, dtype=f"S{max((len(e) for e in encoded), default=1)}")
    order = np.argsort(table, kind="stable")
    place = np.empty(len(words), dtype=np.int32)
    place[order] = np.arange(len(words), dtype=np.int32)
    return table[order], place


def _count_postings(stream: np.ndarray, stream_starts: np.ndarray, term_count: int, doc_count: int,
                    *, positions: bool = True) -> dict[str, np.ndarray]:
    """Postings counted from token streams: per term, the documents using it (ascending) and how often.

    With ``positions``, also where: ``positions`` holds, posting after posting, each
    posting's token positions in its document (ascending), the first as it is and each next
    one as its distance from the one before; ``position_starts[t]`` is where term ``t``'s
    start (a phrase reads only its words' positions in the documents it could be in).
    """
    owner = np.repeat(np.arange(doc_count, dtype=np.int64), np.diff(stream_starts))
    kept = np.flatnonzero(stream >= 0)
    keys = stream[kept].astype(np.int64) * max(doc_count, 1) + owner[kept]
    order = np.argsort(keys, kind="stable")  # by term, then document, then position (stable: tokens come in order)
    keys = keys[order]
    heads = np.flatnonzero(np.diff(keys, prepend=-1)) if len(keys) else np.zeros(0, dtype=np.int64)
    counts = np.diff(np.append(heads, len(keys)))
    terms = keys[heads] // max(doc_count, 1)
    starts = np.zeros(term_count + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=term_count), out=starts[1:])
    found: dict[str, np.ndarray] = {"starts": starts, "docs": (keys[heads] % max(doc_count, 1)).astype(np.int32), "tfs": counts.astype(np.float32)}
    if positions:
        place = (kept - stream_starts[owner[kept]])[order]
        steps = np.diff(place, prepend=0)
        steps[heads] = place[heads]
        token_count = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=token_count[1:])
        found.update(positions=steps, position_starts=token_count[starts])
    return found


def exact_words(text: str) -> list[str]:
    """``text``'s tokens as the exact-form analyzer makes them (the fast path of :func:`exact_tokens`)."""
    if "'" in text or "’" in text or E_PREFIX_JOINS.search(text):
        return [fold(word) for word in _TOKEN.findall(text)]
    return [word.lower() for word in _TOKEN.findall(text)]  # per token, as Whoosh's LowercaseFilter does


def exact_tokens(text: str) -> list[tuple[str, int, int]]:
    """``text``'s tokens as the exact-form analyzer makes them, with their character spans."""
    found = []
    for match in _TOKEN.finditer(text):
        word = fold(match.group())  # per token, as Whoosh's filters do
        found.append((word, match.start(), match.end()))
    return found
