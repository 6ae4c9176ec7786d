"""What a result set is about, counted by the cluster: the counts that :mod:`search.analyst.keyness` ranks, as on Whoosh.

The sample is the matches with the highest ``sample`` numbers (a random order drawn from each
article's id, :func:`.mapping.sample_key`): all of them up to :data:`keyness.SAMPLE`, else
exactly that many, found as the matches at or above the SAMPLE-th highest number (one sorted
look-up), so the sample is a filter the cluster counts under, the same for the same result.

* **Words**: a ``significant_terms`` aggregation over the ``stems`` field (each article's
  distinct listable stems) gives each stem's articles in the sample and in the whole archive;
  the strongest :data:`CANDIDATES` by the cluster's chi-square are re-ranked in Python by the
  same G² over the full 2×2 table as on Whoosh (the rest of the archive as the reference).
* **Phrases**: a ``terms`` aggregation over ``pairs`` (adjacent listable forms, doc values
  only) in the sample, against the same pairs in a fixed background sample of
  :data:`keyness.BACKGROUND` articles of the archive (the highest ``sample`` numbers of all).
* **Names**: read from the stored text of the first :data:`keyness.NAME_SAMPLE` of the sample;
  each listed stem is shown in the form those articles write most often.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

import numpy as np
from opensearchpy import OpenSearch

from search.analyst import keyness
from search.analyzer import TOKEN_PATTERN, fold
from search.backends.opensearch.attention import matches_of
from search.backends.opensearch.connection import multi_searched, request_timeout, searched
from search.backends.opensearch.dsl import MATCH_ALL
from search.backends.opensearch.statistics import Statistics
from search.domain.analyst import Term, Terms
from search.domain.request import SearchRequest
from search.snippets import stem_among

CANDIDATES = 1_000  # stems the cluster proposes (by chi-square) for G² to rank
# A term's counts are summed over the shards that return it: each shard returns every stem its part
# of the sample holds (a few thousand), so every count is exact; pairs are far more numerous, and a
# shard returns its most frequent ones: the counts of the frequent pairs, which lead the list, are exact.
STEMS_PER_SHARD = 50_000
PAIRS_PER_SHARD = 20_000
EXACT_BATCH = 50  # stems whose archive counts are asked at once, on an index of several shards
# Phrases counted in the sample, the most frequent first (a result of 1,549 articles holds 2,752 pairs
# in three or more; the top phrases by G² are among the frequent ones). Counted by value, not by the
# field's global ordinals, which a shard would rebuild for millions of pairs after every refresh.
PAIRS = 2_000
_TOKEN = re.compile(TOKEN_PATTERN)
_BY_SAMPLE = [{"sample": {"order": "desc"}}, {"id": "asc"}]


def _threshold(query: dict[str, Any], size: int) -> dict[str, Any]:
    """A search whose one hit, if any, is the ``size``-th match of ``query`` in sample order; it also counts the matches."""
    return {"query": query, "size": 1, "from": size - 1, "sort": _BY_SAMPLE, "_source": False, "track_total_hits": True}


def _at_or_above(query: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """``query``'s matches from the first in sample order down to the hit of :func:`_threshold`'s answer (all when it has none)."""
    hits = answer["hits"]["hits"]
    if not hits:
        return query
    return {"bool": {"filter": [query, {"range": {"sample": {"gte": hits[0]["sort"][0]}}}]}}


def about(client: OpenSearch, alias: str, stats: Statistics, request: SearchRequest, top: int = keyness.TOP) -> Terms:
    """The distinctive words and phrases and the most mentioned names of the request's matches."""
    query = matches_of(stats, request)
    counted = searched(client, index=alias, body=_threshold(query, keyness.SAMPLE), request_timeout=request_timeout())
    background = stats.keep("background", lambda: searched(client, index=alias, body=_threshold(MATCH_ALL, keyness.BACKGROUND),
                                                           request_timeout=request_timeout()))
    total = int(counted["hits"]["total"]["value"])
    if not total:
        return Terms(0, 0, 0, (), (), ())
    sample = _at_or_above(query, counted)
    # Two searches of the sample, run side by side by the cluster: the stems (with the name sample's texts) and the pairs
    # (each aggregation is one thread's work on a shard; apart they take the longer one's time, not the sum).
    body = {"query": sample, "size": keyness.NAME_SAMPLE, "sort": _BY_SAMPLE, "_source": ["article.body", "article.outlet"],
            "track_total_hits": True,
            "aggs": {"stems": {"significant_terms": {"field": "stems", "size": CANDIDATES, "shard_size": STEMS_PER_SHARD,
                                                     "min_doc_count": keyness.MIN_DOCS, "shard_min_doc_count": 1,
                                                     "chi_square": {"background_is_superset": True, "include_negatives": False}}}}}
    paired = {"query": sample, "size": 0, "track_total_hits": False,
              "aggs": {"pairs": {"terms": {"field": "pairs", "size": PAIRS, "shard_size": PAIRS_PER_SHARD, "min_doc_count": keyness.MIN_DOCS,
                                           "execution_hint": "map"}}}}
    answer, pairs_answer = multi_searched(client, [({"index": alias}, body), ({"index": alias}, paired)])
    n = int(answer["hits"]["total"]["value"])
    own = keyness.query_stems(request.q)
    found = [bucket for bucket in answer["aggregations"]["stems"]["buckets"] if not keyness.holds_query(str(bucket["key"]), own)]
    words = _words(stats, found, n, total, top)
    texts = [hit["_source"].get("article", {}) for hit in answer["hits"]["hits"]]
    shown = _common_forms([str(text.get("body") or "") for text in texts], [term.text for term in words])
    words = [dataclasses.replace(term, text=shown[term.text]) for term in words]
    pairs = keyness.without_query(Counter({str(b["key"]): int(b["doc_count"]) for b in pairs_answer["aggregations"]["pairs"]["buckets"]}), own)
    phrases = _phrases(client, alias, pairs, n, _at_or_above(MATCH_ALL, background), top)
    names: Counter[str] = Counter()
    for text in texts:
        names.update(keyness.names_in(str(text.get("body") or ""), str(text.get("outlet") or "")))
    return Terms(total, n, len(texts), tuple(words), tuple(phrases), tuple(keyness.top_names(names, top, own)))


def _words(stats: Statistics, found: list[dict[str, Any]], n: int, total: int, top: int) -> list[Term]:
    """The sample's stems ranked by G² against the rest of the archive (its articles with the stem: the archive's less
    the result's, estimated from the sample when the result was sampled), as on Whoosh.

    The aggregation's archive counts are exact on an index of one shard. On several, a shard
    whose part of the result lacks a stem adds nothing to the stem's archive count, so the count
    can only be too low and its G² too high: the candidates are taken in that G²'s order, a batch
    at a time, their archive counts asked exactly (and kept a minute, :mod:`.statistics`), until
    the top ones by exact G² outscore every candidate not yet checked. The result is Whoosh's.
    """
    buckets = sorted(found, key=lambda bucket: str(bucket["key"]))  # ties in the alphabet's order, as on Whoosh
    texts = [str(bucket["key"]) for bucket in buckets]
    if not texts:
        return []
    counts = np.array([int(bucket["doc_count"]) for bucket in buckets], dtype=np.float64)
    everywhere = np.array([int(bucket["bg_count"]) for bucket in buckets], dtype=np.float64)
    archive = stats.frequencies([])[1]
    rest = max(archive - total, 1)

    def reference(found: np.ndarray, held: np.ndarray) -> np.ndarray:
        return np.maximum(found - held * (total / n), 0.0)

    if stats.sharded():
        bound = keyness.keyness(counts, n, reference(everywhere, counts), rest)
        order = [int(i) for i in np.argsort(-bound, kind="stable")]
        checked = 0
        while checked < len(order):
            batch = order[checked:checked + EXACT_BATCH]
            known, _ = stats.frequencies(("stems", texts[i]) for i in batch)
            for i in batch:
                everywhere[i] = known["stems", texts[i]]
            checked += len(batch)
            seen = order[:checked]
            exact = np.sort(keyness.keyness(counts[seen], n, reference(everywhere[seen], counts[seen]), rest))[::-1]
            if checked < len(order) and len(exact) >= top and exact[top - 1] >= bound[order[checked]]:
                break
        keep = sorted(order[:checked])
        texts, counts, everywhere = [texts[i] for i in keep], counts[keep], everywhere[keep]
    return keyness.top_terms(Counter(dict(zip(texts, (int(c) for c in counts), strict=True))), n, reference(everywhere, counts), rest, top)


def _phrases(client: OpenSearch, alias: str, pairs: Counter[str], n: int, background: dict[str, Any], top: int) -> list[Term]:
    """The sample's pairs ranked by G² against the background sample (a pair it lacks counts as half an article there)."""
    if not pairs:
        return []
    body = {"query": background, "size": 0, "track_total_hits": True,
            "aggs": {"pairs": {"terms": {"field": "pairs", "include": sorted(pairs), "size": len(pairs), "shard_size": len(pairs),
                                         "execution_hint": "map"}}}}
    answer = searched(client, index=alias, body=body, request_timeout=request_timeout())
    seen = {str(b["key"]): int(b["doc_count"]) for b in answer["aggregations"]["pairs"]["buckets"]}
    reference = np.array([seen.get(pair, 0) + 0.5 for pair in pairs], dtype=np.float64)
    return keyness.top_terms(pairs, n, reference, int(answer["hits"]["total"]["value"]), top)


def _common_forms(bodies: list[str], stems: list[str]) -> dict[str, str]:
    """For each stem, the form ``bodies`` write most often (``pemerintah`` rather than the stem ``perintah``); the stem when none.

    A form is stemmed only when it could have one of the stems (:func:`search.snippets.stem_among`).
    """
    tallies: dict[str, Counter[str]] = {stem: Counter() for stem in stems}
    if not stems:
        return {}
    forms: Counter[str] = Counter()
    for body in bodies:  # the analyzer's tokens, lower-cased: only the forms are wanted, not the analyzer's other repairs
        forms.update(fold(token) for token in _TOKEN.findall(body))
    wanted = frozenset(stems)
    for form, count in forms.items():
        if (stem := stem_among(form, wanted)) is not None:
            tallies[stem][form] += count
    return {stem: tally.most_common(1)[0][0] if tally else stem for stem, tally in tallies.items()}
