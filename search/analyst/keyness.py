"""What a result set is about, computed the same on every backend: keyness (G²), the sampling rule, names.

**Words** are Sastrawi stems (every inflection counts once), **phrases** two adjacent words as
written; both are ranked by Dunning's log-likelihood ratio G² (the keyness statistic of corpus
linguistics): how surprising a term's document frequency in the result set is, against its
frequency in a reference. For words the reference is the whole archive (each stem's document
frequency is in the index); for phrases, which the index does not count, it is a fixed random
sample of :data:`BACKGROUND` archive articles. Only terms more frequent in the result than in
the reference are kept, with at least :data:`MIN_DOCS` result articles; Sastrawi's stop words,
numbers and words under three letters are left out.

**Names** are sequences of capitalised words (people, institutions, places) in the stored text,
counted by how many articles mention them; a single capitalised word counts only inside a
sentence (not as its first word); days, months and time zones are not names, and neither are
the dateline (found as extraction finds it: ``JAKARTA, KOMPAS.com -`` says where the story was
filed, not a place it mentions), a known place named with the day a statement was made
(``kata Febri di Gedung KPK, Jakarta, Rabu (15/3)``: the dateline's place again) and a closing
credit (the outlet's, not the story's).

**The query's own words** are in every match, so they are not news about it: no word, phrase or
name made of one (any inflection: ``pemberantasan`` for ``berantas``) is listed. A phrase with a
query word (``bicara kpk``, ``terendam banjir``, ``banjir bandang`` for ``banjir``) only narrows
the search to its other word, which the words list shows when it is distinctive.

Bounded in time: over more than :data:`SAMPLE` matches, words and phrases are counted on a
random sample of that many (the same sample for the same result), names on the first
:data:`NAME_SAMPLE` of it; :class:`Terms` says how many articles were read.

A backend supplies the counts (how many of the result's articles hold each term, and the
reference's) and the stored text of a sample; the ranking, the sample and the names are
decided here, so every backend answers alike.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
from whoosh.query import Phrase
from whoosh.query import Term as WordTerm

from search.analyzer import stem_word
from search.domain.analyst import Term
from search.extract.datelines import without_dateline
from search.extract.dates import MONTHS, WEEKDAYS
from search.extract.outlets import known_places
from search.parsing import parse_words
from search.querylang import QueryTooLarge, prepare
from search.snippets import stem_among

SAMPLE = 2000  # matches whose words and phrases are counted, at most (a seeded random sample past it)
NAME_SAMPLE = 200  # of those, articles whose names are read
BACKGROUND = 2000  # archive articles phrases are compared with
MIN_DOCS = 3  # result articles a term needs to be listed
TOP = 25  # terms listed per kind
_NAME = re.compile(r"(?<![\w.])(?:[A-Z][a-z]+|[A-Z]{2,})(?:[ -](?:[A-Z][a-z]+|[A-Z]{2,}))*")
# Capitalised but not names: days, months, time zones (a dateline's "Senin (15/9)", "10.00 WIB").
# and words that law and credit lines capitalise ("UU Nomor 11 Tahun 2008", "(ANTARA News)").
_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS) | {"wib", "wita", "wit", "jumat", "jum'at", "tahun", "nomor", "pasal", "news"}
# A closing credit is the outlet's, not the story's: names there are not counted (nor the dateline's).
CREDIT_CHARS = 40
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“”]\s*|\n)$")
# "kata Febri di Gedung KPK, Jakarta, Rabu (15/3)": a known place followed by the day says where a statement
# was made, the dateline's place again, not a place the story is about.
_DAY_AFTER = re.compile(r",\s*(?:" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Sastrawi's Indonesian stop words (yang, dan, di, dengan, …)."""
    return frozenset(StopWordRemoverFactory().get_stop_words())


def log_likelihood(a: float, n: float, b: float, m: float) -> float:
    """Dunning's G² for ``a`` of ``n`` documents against ``b`` of ``m`` (the full 2×2 table: with and without the term).

    0 when the rates agree, larger the less likely the difference is by chance.
    """
    return float(keyness(np.array([a]), n, np.array([b]), m, only_more=False)[0])


def sample(docs: np.ndarray, size: int) -> np.ndarray:
    """The same ``size`` documents of ``docs`` every time (seeded by the result), ascending."""
    if len(docs) <= size:
        return docs
    rng = np.random.default_rng(len(docs) * 7919 + int(docs[0]))
    return np.sort(rng.choice(docs, size=size, replace=False))


@lru_cache(maxsize=65536)
def useful(text: str) -> bool:
    return len(text) >= 3 and text not in stop_words() and not any(c.isdigit() for c in text)


def keyness(counts: np.ndarray, n: float, reference: np.ndarray, m: float, *, only_more: bool = True) -> np.ndarray:
    """G² over the 2×2 table of each term: ``a`` of ``n`` result documents have it, ``b`` of ``m`` reference documents.

    With ``only_more``, 0 where a term is not more frequent in the result than in the reference.
    """
    a = counts.astype(np.float64)
    b = np.clip(reference.astype(np.float64), 0.0, m)
    cells = ((a, n, a + b), (n - a, n, (n - a) + (m - b)), (b, m, a + b), (m - b, m, (n - a) + (m - b)))
    g = np.zeros(len(a))
    with np.errstate(divide="ignore", invalid="ignore"):
        for observed, row, column in cells:
            expected = row * column / (n + m)
            g += np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    g *= 2.0
    return np.where(a / n > b / m, g, 0.0) if only_more else g


def top_terms(counts: Counter[str], n: int, reference: np.ndarray, m: float, top: int) -> list[Term]:
    """The ``top`` terms by G² among those more frequent in the result than in the reference."""
    texts = list(counts)
    if not texts:
        return []
    scores = keyness(np.fromiter(counts.values(), dtype=np.int64, count=len(texts)), n, reference, m)
    best = [int(i) for i in np.argsort(-scores, kind="stable")[:top] if scores[i] > 0]
    return [Term(texts[i], counts[texts[i]], round(float(scores[i]), 2)) for i in best]


def top_names(found: Counter[str], top: int, query: frozenset[str] = frozenset()) -> list[Term]:
    """The names at least two articles mention, the most mentioned first, ties in alphabetical order (never by chance);
    none that is only the query's words (``KPK`` for ``kpk``)."""
    ranked = sorted((item for item in found.items() if item[1] >= 2 and not _only_query(item[0], query)), key=lambda item: (-item[1], item[0]))
    return [Term(name, count, 0.0) for name, count in ranked[:top]]


def query_stems(q: str) -> frozenset[str]:
    """The stems of the query's words, in any field (``judul:banjir``) and quoted phrase; a ``word*`` prefix is none.

    A word the query excludes (``-jakarta``) is among them: no match holds it, so it changes nothing.
    """
    try:
        text = prepare(q).text if q.strip() else ""
    except QueryTooLarge:
        return frozenset()
    stems: set[str] = set()
    for leaf in parse_words(text, {"body": 1.0}).leaves() if text else []:
        if isinstance(leaf, (WordTerm, Phrase)):
            words = leaf.words if isinstance(leaf, Phrase) else [leaf.text]
            stems.update(stem_word(str(word)) if leaf.fieldname.endswith("_exact") else str(word) for word in words)
    return frozenset(stems)


def without_query(counts: Counter[str], query: frozenset[str]) -> Counter[str]:
    """``counts`` of stems or phrases less those holding a word of the query (:func:`holds_query`)."""
    return Counter({term: count for term, count in counts.items() if not holds_query(term, query)}) if query else counts


def holds_query(term: str, query: frozenset[str]) -> bool:
    """Whether a stem or a phrase of lower-case forms holds one of the ``query`` stems (any inflection of it)."""
    return any(_of_query(word, query) for word in term.split(" "))


def _of_query(word: str, query: frozenset[str]) -> bool:
    return word in query or stem_among(word, query) is not None


def _only_query(name: str, query: frozenset[str]) -> bool:
    return bool(query) and all(_of_query(word.lower(), query) for word in re.split(r"[ -]", name))


def _statement_place(name: str, body: str, end: int) -> bool:
    return name.lower() in known_places() and _DAY_AFTER.match(body, end) is not None


def names_in(body: str, outlet: str) -> set[str]:
    """The names one article mentions (see the module docstring), its dateline and closing credit left out."""
    names = set()
    body = without_dateline(body)
    for match in _NAME.finditer(body, 0, max(0, len(body) - CREDIT_CHARS)):
        name = match.group(0)
        words = name.split(" ")
        if len(words) == 1 and (_SENTENCE_START.search(body[max(0, match.start() - 3):match.start()]) or name.lower() in stop_words()):
            continue
        if words[0].lower() in stop_words():  # "Namun Presiden Joko Widodo": the name starts after the sentence word
            name = " ".join(words[1:])
            if not name or (len(words) == 2 and not name[0].isupper()):
                continue
        if _statement_place(name, body, match.end()):
            continue
        if len(name) > 2 and name not in outlet and name.lower() not in _CALENDAR:
            names.add(name)
    return names
