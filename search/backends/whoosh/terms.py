"""What a result set is about: its distinctive words and two-word phrases, and the names it mentions most.

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
the dateline and a closing credit (the outlet's, not the story's).

Bounded in time: over more than :data:`SAMPLE` matches, words and phrases are counted on a
random sample of that many (the same sample for the same result), names on the first
:data:`NAME_SAMPLE` of it; :class:`Terms` says how many articles were read.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
from whoosh.searching import Searcher

from search.backends.whoosh.evaluation import IndexArrays
from search.backends.whoosh.postings import SegmentArrays
from search.backends.whoosh.query import matching_docs
from search.domain.analyst import Term, Terms
from search.domain.request import SearchRequest
from search.extract.dates import MONTHS, WEEKDAYS

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot

SAMPLE = 2000
NAME_SAMPLE = 200
BACKGROUND = 2000
MIN_DOCS = 3
TOP = 25
_NAME = re.compile(r"(?<![\w.])(?:[A-Z][a-z]+|[A-Z]{2,})(?:[ -](?:[A-Z][a-z]+|[A-Z]{2,}))*")
# Capitalised but not names: days, months, time zones (a dateline's "Senin (15/9)", "10.00 WIB").
# and words that law and credit lines capitalise ("UU Nomor 11 Tahun 2008", "(ANTARA News)").
_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS) | {"wib", "wita", "wit", "jumat", "jum'at", "tahun", "nomor", "pasal", "news"}
# A dateline and a closing credit are the outlet's, not the story's: names there are not counted.
DATELINE_CHARS = 80
CREDIT_CHARS = 40
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“”]\s*|\n)$")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Sastrawi's Indonesian stop words (yang, dan, di, dengan, …)."""
    return frozenset(StopWordRemoverFactory().get_stop_words())


def log_likelihood(a: float, n: float, b: float, m: float) -> float:
    """Dunning's G² for ``a`` of ``n`` documents against ``b`` of ``m`` (the full 2×2 table: with and without the term).

    0 when the rates agree, larger the less likely the difference is by chance.
    """
    return float(_keyness(np.array([a]), n, np.array([b]), m, only_more=False)[0])


def _sample(docs: np.ndarray, size: int) -> np.ndarray:
    """The same ``size`` documents of ``docs`` every time (seeded by the result), ascending."""
    if len(docs) <= size:
        return docs
    rng = np.random.default_rng(len(docs) * 7919 + int(docs[0]))
    return np.sort(rng.choice(docs, size=size, replace=False))


def _by_segment(ix: IndexArrays, docs: np.ndarray) -> list[tuple[SegmentArrays, np.ndarray]]:
    """``docs`` grouped by the segment (or merged run) that holds them, as local numbers."""
    offsets = np.array([offset for offset, _ in ix.segments], dtype=np.int64)
    place = np.searchsorted(offsets, docs, side="right") - 1
    return [(ix.segments[p][1], docs[place == p] - offsets[p]) for p in np.unique(place)]


@lru_cache(maxsize=65536)
def _useful(text: str) -> bool:
    return len(text) >= 3 and text not in stop_words() and not any(c.isdigit() for c in text)


def _distinct_counts(keys: np.ndarray, width: np.int64) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` are ``document * width + value``: each value and in how many documents it occurs (sorting, not hashing: faster here)."""
    keys = np.sort(keys)
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    values = np.sort(keys % width)
    if not len(values):
        return values, values
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[starts], np.diff(np.append(starts, len(values)))


def _useful_terms(arrays: SegmentArrays, name: str) -> np.ndarray:
    """For each term of field ``name`` in a segment, whether it may be listed (not a stop word, no digit, three letters or more).

    Decided once per segment and kept with its arrays: after that, filtering a result's terms is
    an array look-up, and only the terms that can be listed are ever decoded.
    """
    key = f"terms.useful.{name}"
    found = arrays.derived.get(key)
    if found is None:
        terms = arrays.fields[name].terms
        found = np.fromiter((_useful(bytes(t).decode("utf-8", "replace")) for t in terms), dtype=bool, count=len(terms))
        arrays.derived[key] = found
    return found


def _doc_counts(segments: list[tuple[SegmentArrays, np.ndarray]], minimum: int) -> tuple[Counter[str], Counter[str]]:
    """Per listable stem and per adjacent pair of listable forms (``"harga minyak"``), how many of the documents have it.

    Only those in at least ``minimum`` documents of a segment are decoded and returned.
    """
    stems: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    # A segment's count is only part of a term's when the documents span segments: the minimum is
    # applied to the sums, and per segment only when there is one.
    floor = minimum if len(segments) == 1 else 1
    for arrays, local in segments:
        exact, stemmed = arrays.fields["body_exact"], arrays.fields["body"]
        assert exact.stems is not None
        tokens, bounds = exact.tokens_of(local)
        owner = np.repeat(np.arange(len(local), dtype=np.int64), np.diff(bounds))
        known = tokens >= 0
        stem_ids = np.where(known, exact.stems[np.maximum(tokens, 0)], -1).astype(np.int64)
        useful_stems = _useful_terms(arrays, "body")
        keep = stem_ids >= 0
        keep[keep] = useful_stems[stem_ids[keep]]
        width = np.int64(len(stemmed.terms) + 1)
        values, counts = _distinct_counts(owner[keep] * width + stem_ids[keep], width)
        for stem, count in zip(values[counts >= floor], counts[counts >= floor], strict=True):
            stems[bytes(stemmed.terms[int(stem)]).decode("utf-8")] += int(count)
        useful_forms = _useful_terms(arrays, "body_exact")
        listable = known.copy()
        listable[known] = useful_forms[tokens[known]]
        same_doc = (owner[1:] == owner[:-1]) & listable[1:] & listable[:-1]
        forms = np.int64(len(exact.terms) + 1)
        pair = tokens[:-1][same_doc].astype(np.int64) * forms + tokens[1:][same_doc]
        values, counts = _distinct_counts(owner[:-1][same_doc] * (forms * forms) + pair, forms * forms)
        for value, count in zip(values[counts >= floor], counts[counts >= floor], strict=True):
            a, b = divmod(int(value), int(forms))
            pairs[f"{bytes(exact.terms[a]).decode('utf-8')} {bytes(exact.terms[b]).decode('utf-8')}"] += int(count)
    if floor < minimum:
        stems = Counter({term: count for term, count in stems.items() if count >= minimum})
        pairs = Counter({term: count for term, count in pairs.items() if count >= minimum})
    return stems, pairs


def _keyness(counts: np.ndarray, n: float, reference: np.ndarray, m: float, *, only_more: bool = True) -> np.ndarray:
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


def _common_forms(segments: list[tuple[SegmentArrays, np.ndarray]], wanted: list[str]) -> dict[str, str]:
    """For each wanted stem, the form the documents write most often (``pemerintah`` rather than the stem ``perintah``)."""
    tallies: dict[str, Counter[str]] = {stem: Counter() for stem in wanted}
    for arrays, local in segments:
        exact, stemmed = arrays.fields["body_exact"], arrays.fields["body"]
        assert exact.stems is not None
        tokens, _bounds = exact.tokens_of(local)
        counts = np.bincount(tokens[tokens >= 0], minlength=len(exact.terms))
        for stem in wanted:
            index = stemmed.find(stem)
            if index < 0:
                continue
            forms = np.flatnonzero((exact.stems == index) & (counts > 0))
            for form in forms:
                tallies[stem][bytes(exact.terms[int(form)]).decode("utf-8")] += int(counts[form])
    return {stem: tally.most_common(1)[0][0] if tally else stem for stem, tally in tallies.items()}


def background_sample(ix: IndexArrays) -> tuple[int, Counter[str]]:
    """The phrase counts of :data:`BACKGROUND` random live articles of the archive, and how many were read.

    Computed once per commit, as ``snapshot.background`` (:mod:`search.backends.whoosh.snapshot`).
    """
    live = np.flatnonzero(ix.columns.live)
    chosen = np.sort(np.random.default_rng(20261201).choice(live, size=min(BACKGROUND, len(live)), replace=False))
    return len(chosen), _doc_counts(_by_segment(ix, chosen), 1)[1]


def _names(searcher: Searcher, docs: np.ndarray) -> Counter[str]:
    """How many of ``docs`` mention each capitalised name (see the module docstring)."""
    found: Counter[str] = Counter()
    for docnum in docs:
        stored = searcher.stored_fields(int(docnum))
        body, outlet = str(stored.get("body") or ""), str(stored.get("outlet") or "")
        names = set()
        for match in _NAME.finditer(body, DATELINE_CHARS, max(DATELINE_CHARS, len(body) - CREDIT_CHARS)):
            name = match.group(0)
            words = name.split(" ")
            if len(words) == 1 and (_SENTENCE_START.search(body[max(0, match.start() - 3):match.start()]) or name.lower() in stop_words()):
                continue
            if words[0].lower() in stop_words():  # "Namun Presiden Joko Widodo": the name starts after the sentence word
                name = " ".join(words[1:])
                if not name or (len(words) == 2 and not name[0].isupper()):
                    continue
            if len(name) > 2 and name not in outlet and name.lower() not in _CALENDAR:
                names.add(name)
        found.update(names)
    return found


def about(snapshot: Snapshot, request: SearchRequest, top: int = TOP) -> Terms:
    """The distinctive words and phrases and the most mentioned names of the request's matches."""
    ix = snapshot.arrays
    docs = matching_docs(snapshot, request)
    sample = _sample(docs, SAMPLE)
    if not len(sample):
        return Terms(0, 0, 0, (), (), ())
    segments = _by_segment(ix, sample)
    stems, pairs = _doc_counts(segments, MIN_DOCS)
    archive = int(ix.columns.live.sum())
    n = len(sample)
    # Against the rest of the archive: its documents with the stem are the archive's minus the result's
    # (estimated from the sample when the result was sampled).
    rest = max(archive - len(docs), 1)
    in_result = np.fromiter(stems.values(), dtype=np.float64, count=len(stems)) * (len(docs) / n)
    words = _top(stems, n, np.maximum(ix.doc_frequencies("body", list(stems)) - in_result, 0.0), rest, top)
    shown = _common_forms(segments, [term.text for term in words])
    words = [dataclasses.replace(term, text=shown[term.text]) for term in words]
    background_size, background = snapshot.background
    # A phrase the archive sample lacks counts as half an article there: rare, not impossible.
    reference = np.array([background.get(pair, 0) + 0.5 for pair in pairs], dtype=np.float64)
    phrases = _top(pairs, n, reference, background_size, top)
    names = _names(snapshot.searcher, _sample(sample, NAME_SAMPLE))  # a random part of the sample, not its lowest document numbers
    named = [Term(name, count, 0.0) for name, count in names.most_common() if count >= 2][:top]
    return Terms(len(docs), n, min(n, NAME_SAMPLE), tuple(words), tuple(phrases), tuple(named))


def _top(counts: Counter[str], n: int, reference: np.ndarray, m: float, top: int) -> list[Term]:
    """The ``top`` terms by G² among those more frequent in the result than in the reference."""
    texts = list(counts)
    if not texts:
        return []
    scores = _keyness(np.fromiter(counts.values(), dtype=np.int64, count=len(texts)), n, reference, m)
    best = [int(i) for i in np.argsort(-scores, kind="stable")[:top] if scores[i] > 0]
    return [Term(texts[i], counts[texts[i]], round(float(scores[i]), 2)) for i in best]
