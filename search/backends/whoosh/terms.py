"""What a result set is about, over the Whoosh backend's posting arrays: the counts that
:mod:`search.analyst.keyness` ranks.

Stems and two-word phrases are counted per document from each segment's token streams (the
stems' archive frequencies are in the index; phrases are compared with a fixed random sample
of the archive, computed once per commit); names are read from the stored text of a sample.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
from whoosh.searching import Searcher

from search.analyst import keyness
from search.backends.whoosh.postings import SegmentArrays
from search.backends.whoosh.query import matching_docs
from search.backends.whoosh.termscores import IndexArrays
from search.domain.analyst import Terms
from search.domain.request import SearchRequest

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot


def _by_segment(ix: IndexArrays, docs: np.ndarray) -> list[tuple[SegmentArrays, np.ndarray]]:
    """``docs`` grouped by the segment (or merged run) that holds them, as local numbers."""
    offsets = np.array([offset for offset, _ in ix.segments], dtype=np.int64)
    place = np.searchsorted(offsets, docs, side="right") - 1
    return [(ix.segments[p][1], docs[place == p] - offsets[p]) for p in np.unique(place)]


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
        found = np.fromiter((keyness.useful(bytes(t).decode("utf-8", "replace")) for t in terms), dtype=bool, count=len(terms))
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
    """The phrase counts of :data:`search.analyst.keyness.BACKGROUND` random live articles of the archive, and how many were read.

    Computed once per commit, as ``snapshot.background`` (:mod:`search.backends.whoosh.snapshot`).
    """
    live = np.flatnonzero(ix.columns.live)
    chosen = np.sort(np.random.default_rng(20261201).choice(live, size=min(keyness.BACKGROUND, len(live)), replace=False))
    return len(chosen), _doc_counts(_by_segment(ix, chosen), 1)[1]


def about(snapshot: Snapshot, request: SearchRequest, top: int = keyness.TOP) -> Terms:
    """The distinctive words and phrases and the most mentioned names of the request's matches."""
    ix = snapshot.arrays
    docs = matching_docs(snapshot, request)
    sample = keyness.sample(docs, keyness.SAMPLE)
    if not len(sample):
        return Terms(0, 0, 0, (), (), ())
    segments = _by_segment(ix, sample)
    own = keyness.query_stems(request.q)
    stems, pairs = (keyness.without_query(counts, own) for counts in _doc_counts(segments, keyness.MIN_DOCS))
    archive = int(ix.columns.live.sum())
    n = len(sample)
    # Against the rest of the archive: its documents with the stem are the archive's minus the result's
    # (estimated from the sample when the result was sampled).
    rest = max(archive - len(docs), 1)
    in_result = np.fromiter(stems.values(), dtype=np.float64, count=len(stems)) * (len(docs) / n)
    words = keyness.top_terms(stems, n, np.maximum(ix.doc_frequencies("body", list(stems)) - in_result, 0.0), rest, top)
    shown = _common_forms(segments, [term.text for term in words])
    words = [dataclasses.replace(term, text=shown[term.text]) for term in words]
    background_size, background = snapshot.background
    # A phrase the archive sample lacks counts as half an article there: rare, not impossible.
    reference = np.array([background.get(pair, 0) + 0.5 for pair in pairs], dtype=np.float64)
    phrases = keyness.top_terms(pairs, n, reference, background_size, top)
    names = _names(snapshot.searcher, keyness.sample(sample, keyness.NAME_SAMPLE))  # a random part of the sample, not its lowest document numbers
    named = keyness.top_names(names, top, own)
    return Terms(len(docs), n, min(n, keyness.NAME_SAMPLE), tuple(words), tuple(phrases), tuple(named))


def _names(searcher: Searcher, docs: np.ndarray) -> Counter[str]:
    """How many of ``docs`` mention each capitalised name (:func:`search.analyst.keyness.names_in`)."""
    found: Counter[str] = Counter()
    for docnum in docs:
        stored = searcher.stored_fields(int(docnum))
        found.update(keyness.names_in(str(stored.get("body") or ""), str(stored.get("outlet") or "")))
    return found
