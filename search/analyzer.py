"""The Indonesian analyzer: one pipeline for indexing and for queries.

Tokens keep reduplication and hyphenated names whole (``anak-anak``, ``COVID-19``), join
an ``e-`` prefix however it is written (``e-KTP``, ``e - KTP``, ``e KTP`` and ``eKTP`` are all
``ektp``) and keep numbers with their separators (``8.000``); they are lower-cased and
reduced by the Sastrawi stemmer so ``menegaskan``, ``ditegaskan`` and ``ketegasan`` all
become ``tegas``. No stopwords are removed: news words like ``kasus`` or ``baru`` are
exactly what people search for.

The schema pickles this analyzer into the index, so every part is a module-level,
importable object, and :data:`ANALYZER_VERSION` changes whenever tokens would change
(including edits to the protected-words and stem-override files).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, StemFilter

ANALYZER_CODE_VERSION = "3"  # 3: the e- prefix joined (e-KTP, e KTP, e - KTP and eKTP are one term)

# An "e-" prefix written joined, hyphenated or spaced before an acronym (eKTP, e-KTP, e - KTP, e KTP, E-Money):
# one token, folded to the joined form (:func:`fold`), so the four spellings are one term.
_E_PREFIXED = r"(?<![\w-])(?:e(?:\s*-\s*|[ \t]+)(?=[A-Z]{2})\w+|[eE]-\w+(?:[-'’]\w+)*)"
# Numbers with thousands/decimal separators, else words joined by hyphens or apostrophes.
TOKEN_PATTERN = _E_PREFIXED + r"|\d+(?:[.,]\d+)+|\w+(?:[-'’]\w+)*"
E_PREFIX_JOINS = re.compile(r"[eE][\s-]")  # a text holding one of those (the fast paths check for it)
_E_JOINERS = re.compile(r"[\s-]+")
_STEMMABLE = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_APOSTROPHES = re.compile(r"['’]")
STEM_CACHE_SIZE = 200_000


@lru_cache(maxsize=1)
def _stemmer():
    """Sastrawi's stemmer with its dictionary, built once per process."""
    return StemmerFactory().create_stemmer()


@dataclass(frozen=True)
class Lexicon:
    """Words never stemmed, and stems fixed by hand, with a digest for the index version."""

    protected: frozenset[str]
    overrides: dict[str, str]
    digest: str


def _read_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon plus the user's (``$BERITA_LEXICON_DIR``), and single-word places.

    Its digest is part of :data:`ANALYZER_VERSION`, so editing either file makes existing
    indexes ask for ``berita index --rebuild`` instead of being misread.
    """
    data = resources.files("search").joinpath("data")
    sources = [data.joinpath("lexicon/protected.txt").read_text(encoding="utf-8")]
    overrides_text = [data.joinpath("lexicon/stem_overrides.tsv").read_text(encoding="utf-8")]
    user_dir = os.environ.get("BERITA_LEXICON_DIR")
    if user_dir:
        for name, bucket in (("protected.txt", sources), ("stem_overrides.tsv", overrides_text)):
            path = Path(user_dir) / name
            if path.is_file():
                bucket.append(path.read_text(encoding="utf-8"))
    places = data.joinpath("places.txt").read_text(encoding="utf-8")
    protected = {w.lower() for text in sources for w in _read_lines(text)}
    protected |= {p.lower() for p in _read_lines(places) if " " not in p}
    overrides = {}
    for text in overrides_text:
        for line in _read_lines(text):
            word, _, stem = line.partition("\t")
            if stem.strip():
                overrides[word.strip().lower()] = stem.strip().lower()
    payload = "\n".join(sorted(protected)) + "\n--\n" + "\n".join(f"{k}\t{v}" for k, v in sorted(overrides.items()))
    return Lexicon(frozenset(protected), overrides, hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8])


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem_word(word: str) -> str:
    """Sastrawi stem of one lower-case token, unless the lexicon protects or overrides it.

    Tokens with digits or foreign letters pass through unchanged. Cached for the whole
    process: Whoosh's own cache lives in each analyzer, and every searcher unpickles a new
    schema with new analyzers, so each searcher (one per thread, renewed after each commit)
    stemmed every word of every highlighted article again from cold.
    """
    if len(word) < 3 or not _STEMMABLE.match(word):
        return word
    words = lexicon()
    if word in words.overrides:
        return words.overrides[word]
    if word in words.protected:
        return word
    for source in _known_stems:
        known = source(word)
        if known is not None:
            return known
    return _stemmer().stem(word) or word


# Where stems already computed can be looked up (an index's own forms and stems), tried
# before Sastrawi: see known_stems.
_known_stems: list[Callable[[str], str | None]] = []


@contextlib.contextmanager
def known_stems(source: Callable[[str], str | None]) -> Iterator[None]:
    """Within the block, look a form's stem up in ``source`` before running Sastrawi.

    Sastrawi takes about half a millisecond a word, so a new process indexing a hundred
    articles spent most of its time stemming words the index had stemmed long before. An
    index of the same analyzer version holds each form it has seen with its stem
    (:func:`search.backends.whoosh.postings.stem_lookup`), which is the stem Sastrawi would give.
    """
    _known_stems.append(source)
    try:
        yield
    finally:
        _known_stems.remove(source)


def fold(token: str) -> str:
    """A token as every index and query holds it: lower-cased, apostrophes dropped (``jum'at`` is ``jumat``), and an
    ``e-`` prefix joined (``e - KTP`` is ``ektp``). Every reader of :data:`TOKEN_PATTERN` folds with this."""
    word = token.lower()
    if "'" in word or "’" in word:
        word = _APOSTROPHES.sub("", word)
    if _e_prefixed(word):
        word = _E_JOINERS.sub("", word)
    return word


def _e_prefixed(word: str) -> bool:
    """Whether a lower-cased token is an ``e-`` prefix written apart (``e-ktp``, ``e - ktp``), to be joined."""
    return len(word) > 2 and word[0] == "e" and word[1] in "- \t\n"


class ApostropheFilter(Filter):
    """The rest of :func:`fold` after Whoosh's LowercaseFilter: apostrophes dropped, an ``e-`` prefix joined.

    (The name is kept: indexes pickle their analyzer, and a rebuild reads an old index's schema.)
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if "'" in text or "’" in text or _e_prefixed(text):
                token.text = fold(text)
            yield token


def indonesian_analyzer() -> Analyzer:
    """Tokenize, lower-case, fold apostrophes, Sastrawi-stem (cached)."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | ApostropheFilter()
        | StemFilter(stemfn=stem_word, cachesize=STEM_CACHE_SIZE)
    )


def exact_analyzer() -> Analyzer:
    """The same tokens lower-cased but not stemmed: the words as the article writes them."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | ApostropheFilter()


def analyze(text: str) -> list[str]:
    """The index terms for ``text``, in order: the same terms queries are reduced to."""
    return [token.text for token in _shared_analyzer()(text)]


@lru_cache(maxsize=1)
def _shared_analyzer() -> Analyzer:
    return indonesian_analyzer()


def analyze_exact(text: str) -> list[str]:
    """The exact-form terms for ``text`` (lower-cased, not stemmed)."""
    return [token.text for token in _shared_exact()(text)]


@lru_cache(maxsize=1)
def _shared_exact() -> Analyzer:
    return exact_analyzer()


# Changes whenever tokens would change: the code's own version and the lexicon's digest.
ANALYZER_VERSION = f"{ANALYZER_CODE_VERSION}.{lexicon().digest}"
