"""The Indonesian analyzer: one pipeline for indexing and for queries.

Tokens keep reduplication and hyphenated names whole (``anak-anak``, ``e-KTP``,
``COVID-19``) and numbers with their separators (``8.000``); they are lower-cased and
reduced by the Sastrawi stemmer so ``menegaskan``, ``ditegaskan`` and ``ketegasan`` all
become ``tegas``. No stopwords are removed: news words like ``kasus`` or ``baru`` are
exactly what people search for.

The schema pickles this analyzer into the index, so every part is a module-level,
importable object, and :data:`ANALYZER_VERSION` changes whenever tokens would change.
"""

from __future__ import annotations

import re
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, StemFilter

ANALYZER_VERSION = "1"

# Numbers with thousands/decimal separators, else words joined by hyphens or apostrophes.
TOKEN_PATTERN = r"\d+(?:[.,]\d+)+|\w+(?:[-'’]\w+)*"
_STEMMABLE = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_APOSTROPHES = re.compile(r"['’]")
STEM_CACHE_SIZE = 200_000


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    """Sastrawi's stemmer with its dictionary, built once per process."""
    return StemmerFactory().create_stemmer()


def stem_word(word: str) -> str:
    """Sastrawi stem of one lower-case token; tokens with digits or foreign letters pass through."""
    if len(word) < 3 or not _STEMMABLE.match(word):
        return word
    return _stemmer().stem(word) or word


class ApostropheFilter(Filter):
    """``jum'at`` -> ``jumat``: Indonesian spells these words both ways."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            if "'" in token.text or "’" in token.text:
                token.text = _APOSTROPHES.sub("", token.text)
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
