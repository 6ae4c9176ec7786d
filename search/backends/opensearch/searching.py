"""Run a search on the cluster: one request for the page, the total, every facet's counts and the chart.

The matches are the query (:mod:`.selection`); the filters are a ``post_filter``, so the
hits and the total obey them while each facet is counted by an aggregation under every
filter but its own (exact counts: every shard returns every value it holds, see
:func:`.facets.counts_of`). The chart's days, the counts each filter hides when nothing is
left, and the undated bucket are aggregations of the same request. The page's snippets are
cut by :mod:`search.snippets` from the stored text; partial matches
(:mod:`search.partials`) one more request on a first page, and a spelling suggestion one
more when the list is short.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from opensearchpy import OpenSearch
from rapidfuzz.distance import OSA
from whoosh.query import NullQuery

from search.analyst.periods import coverage
from search.backends.opensearch.connection import multi_searched, part, request_timeout, searched, whole
from search.backends.opensearch.facets import counts_of, facet_aggregations, without_each_filter
from search.backends.opensearch.grouping import COLLAPSE, attach_similar, story_count, story_count_aggregation
from search.backends.opensearch.mapping import MAX_RESULT_WINDOW, hit_of
from search.backends.opensearch.selection import Selection, ranked, select
from search.backends.opensearch.statistics import Statistics, days_of
from search.budget import current_deadline
from search.domain.request import InvalidRequest, PageOutOfRange, SearchRequest
from search.domain.result import PARTIAL_NOTICE, SUGGEST_BELOW, Hit, SearchResult, page_count
from search.parsing import parse_words
from search.partials import PARTIAL_AMONG, best_first, each_left_out, missing_weight, one_per_story, placed, wanted
from search.querylang import KEYWORDS_MAX, plain_tokens
from search.ranking import COMBINED
from search.snippets import Marked, marked_words

SOURCE = ["article", "story", "grouped"]


def by_date_order(request: SearchRequest, words: str) -> bool:
    """Whether the request lists newest (or oldest) first rather than by relevance."""
    return request.sort in ("terbaru", "terlama") or not words


def sort_of(request: SearchRequest, words: str) -> list[Any]:
    """The cluster's sort for the request's order; undated articles last either way, ties by id."""
    if not by_date_order(request, words):
        return ["_score"]  # ties in index order: a field after the score would keep Lucene from skipping what cannot reach the page
    order = "asc" if request.sort == "terlama" else "desc"
    return [{"day": {"order": order, "missing": "_last"}}, {"id": "asc"}]


def search_type_of(request: SearchRequest, words: str, stats: Statistics) -> str | None:
    """Scores need the whole archive's term statistics, not each shard's own (``dfs_query_then_fetch``);
    a date order needs none, and neither does an index of one shard."""
    return "dfs_query_then_fetch" if not by_date_order(request, words) and stats.sharded() else None


def run_search(client: OpenSearch, alias: str, stats: Statistics, request: SearchRequest) -> SearchResult:
    """One page of hits with every facet counted (see the module docstring); :class:`PageOutOfRange` past the last page.

    Two searches in one request, run side by side by the cluster: the page, scored, which need
    not count every match (so Lucene skips what cannot reach it), and the count with the
    facets, unscored (no match is scored to be counted).
    """
    selection = select(stats, request)
    if isinstance(selection, str):
        return SearchResult(request=request, total=0, hits=[], counts={}, outlet_labels={}, notice=selection, newest=stats.newest())
    deep = request.page * request.size > MAX_RESULT_WINDOW
    counted, *paged = multi_searched(client, _searches(alias, stats, request, selection, deep))
    current_deadline().check()
    aggregations = counted["aggregations"]
    total = int(aggregations["chart"]["doc_count"])
    stories = story_count(total, aggregations["grouped"]) if request.grouping else None
    pages = page_count(total if stories is None else stories, request.size)
    if request.page > pages:
        raise PageOutOfRange(request.page, pages)
    if deep:
        raise InvalidRequest(f"halaman sedalam ini tidak bisa dibuka (lebih dari {MAX_RESULT_WINDOW:,} hasil); persempit pencarian atau unduh ekspornya")
    counts = counts_of(client, alias, selection, aggregations)
    marked = marked_words(selection.tree) if selection.words else Marked(frozenset(), frozenset())
    relevance = not by_date_order(request, selection.words)
    found = paged[0]["hits"]["hits"]
    hits = [hit_of(raw["_source"], marked, raw.get("_score") if relevance else None) for raw in found]
    if request.grouping:
        attach_similar(client, alias, selection.filtered_unscored, hits, [raw["_source"] for raw in found])
    partial = partial_hits(client, alias, stats, request, selection, hits, total)
    if partial and not hits:
        selection.notices.append(PARTIAL_NOTICE)
    return SearchResult(
        request=request, total=total, hits=hits, counts=counts,
        outlet_labels=stats.outlet_labels(set(counts["outlet"]) | set(request.outlets)),
        notice=" ".join(selection.notices) or None,
        suggestion=suggest(client, alias, stats, selection, total) if selection.words and total < SUGGEST_BELOW else None,
        coverage=coverage(stats.archive_days(), days_of(aggregations["chart"]["days"]["buckets"]), request.date_from, request.date_to, request.unit),
        stories=stories, partial=partial, newest=stats.newest(),
        without_filter=without_each_filter(selection, aggregations) if not total else {},
    )


def _searches(alias: str, stats: Statistics, request: SearchRequest, selection: Selection, deep: bool) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The count with the facets (and the stories, when grouping) and, unless past the window, the page (one hit per story)."""
    aggs = facet_aggregations(selection.filters)
    if request.grouping:
        aggs["grouped"] = story_count_aggregation(list(selection.filters.values()))
    searches = [({"index": alias}, {"size": 0, "track_total_hits": True, "query": selection.matching, "aggs": aggs})]
    if not deep:
        page = {"query": selection.filtered, "from": (request.page - 1) * request.size, "size": request.size, "_source": SOURCE,
                "track_total_hits": False, "sort": sort_of(request, selection.words), **({"collapse": COLLAPSE} if request.grouping else {})}
        search_type = search_type_of(request, selection.words, stats)
        searches.append(({"index": alias, **({"search_type": search_type} if search_type else {})}, page))
    return searches


def partial_hits(client: OpenSearch, alias: str, stats: Statistics, request: SearchRequest, selection: Selection,
                 hits: list[Hit], total: int) -> list[Hit]:
    """The first page's partial matches (:mod:`search.partials`), each with the word it lacks and its place among ``hits``."""
    room, among = wanted(request, selection.words, total=total, shown=len(hits), by_relevance=not by_date_order(request, selection.words))
    tokens = plain_tokens(selection.words)
    if tokens is None or not (room or among):
        return []
    limit = room + (PARTIAL_AMONG if among else 0)
    keep = [*selection.filters.values(), *([selection.outlets] if selection.outlets else [])]
    if len(tokens) > KEYWORDS_MAX:  # a sentence: any of its words, by the any-word score
        trees = [tree for tree in (parse_words(token, COMBINED.weights) for token in tokens) if tree is not NullQuery]
        searches = [("", {"bool": {"should": [ranked(stats, tree) for tree in trees], "minimum_should_match": 1}})] if trees else []
    else:  # each word left out in turn: the search of the others, weighed by what the missing word is worth
        searches = [(missing, {"bool": {"must": [ranked(stats, tree)]}})
                    for missing, others in each_left_out(tokens) if (tree := parse_words(others, COMBINED.weights)) is not NullQuery]
    header = {"index": alias, **({"search_type": kind} if (kind := search_type_of(request, selection.words, stats)) else {})}
    bodies = [(header, {"query": {"bool": {"must": [query], "must_not": [selection.matching], "filter": keep}}, "size": limit,
                        "_source": SOURCE, "track_total_hits": False}) for _, query in searches]
    marked = marked_words(selection.tree)
    scored: list[tuple[Hit, float]] = []
    for (missing, _), answer in zip(searches, multi_searched(client, bodies) if bodies else [], strict=True):
        weight = missing_weight(tokens, missing) if missing else 1.0
        scored += [(replace(hit_of(raw["_source"], marked, None), missing=missing), float(raw["_score"]) * weight) for raw in answer["hits"]["hits"]]
    found = best_first(scored, lambda hit: hit.id, limit)
    if request.grouping:
        found = one_per_story(found, lambda item: item[0].story, {hit.story for hit in hits})
    places = placed([hit.score if among else None for hit in hits], [score for _, score in found], room)
    return [replace(hit, before=place) for (hit, _), place in zip(found, places, strict=True) if place is not None]


SPELLING_FIELD = "body_exact"
MAX_EDITS = 2
SUGGEST_CANDIDATES = 25  # words the cluster offers per unknown word, before the ranking here


def suggest(client: OpenSearch, alias: str, stats: Statistics, selection: Selection, total: int) -> str | None:
    """A spelling correction from the archive's own words, offered when it finds more than the original."""
    words = selection.words.split()
    plain = [word.lower() for word in words]
    checkable = [word for word in plain if word not in ("and", "or", "not") and word.isalpha() and 4 <= len(word) <= 30]
    if not checkable:
        return None
    known, _count = stats.frequencies((SPELLING_FIELD, word) for word in checkable)
    unknown = [word for word in checkable if not known[SPELLING_FIELD, word]]
    if not unknown:
        return None
    # The cluster's words within two edits, any letter wrong (the first too: prefix_length 0), ranked here as on Whoosh.
    body = {"size": 0, "suggest": {word: {"text": word, "term": {"field": SPELLING_FIELD, "suggest_mode": "missing", "size": SUGGEST_CANDIDATES,
                                                                 "max_edits": MAX_EDITS, "prefix_length": 0, "min_word_length": 4}} for word in unknown}}
    options = searched(client, index=alias, body=body, request_timeout=request_timeout())["suggest"]
    corrections = {word: _closest(word, options[word][0]["options"]) for word in unknown if options.get(word)}
    if not any(corrections.values()):
        return None
    suggestion = " ".join(corrections.get(low) or word for word, low in zip(words, plain, strict=True))
    query = ranked(stats, parse_words(suggestion, COMBINED.weights))
    counted = client.count(index=alias, body={"query": {"bool": {"must": [query], "filter": list(selection.filters.values())}}},
                           request_timeout=request_timeout())
    whole(counted)
    found = part(counted, "count")
    return suggestion if int(found) > total else None


def _closest(word: str, options: list[dict[str, Any]]) -> str | None:
    """Fewest edits, then the most articles, then the alphabet."""
    scored = [(OSA.distance(word, str(o["text"])), -int(o["freq"]), str(o["text"])) for o in options]
    best = min((key for key in scored if key[0] <= MAX_EDITS), default=None)
    return best[2] if best else None
