"""Attention over time on the cluster: several searches on one axis, and who covers a search.

The same answers as the Whoosh backend's (:mod:`search.backends.whoosh.attention`), counted
by the cluster instead of in Python, so an archive of tens of millions of articles is never
pulled out of it: each search's matches per day number (a histogram by day, exact), each
outlet's matches with their first and last day (a composite aggregation read page by page,
exact however many outlets there are), and the top outlets' days in one request. The days
are then laid on one shared axis by :func:`search.analyst.periods.timeline`, as on Whoosh.
Matches are the search page's (words, ``outlet:`` and filters) over the whole archive.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search.analyst.periods import day_date, timeline
from search.backends.opensearch.connection import multi_searched, request_timeout, searched
from search.backends.opensearch.selection import select
from search.backends.opensearch.statistics import DAY_HISTOGRAM, Statistics, days_of
from search.domain.analyst import OTHERS, TOP_OUTLETS, Comparison, Coverers, OutletRow, check_compared
from search.domain.facets import UNKNOWN
from search.domain.request import SearchRequest

MATCH_NONE: dict[str, Any] = {"match_none": {}}
_OUTLETS_PAGE = 1_000


def matches_of(stats: Statistics, request: SearchRequest) -> dict[str, Any]:
    """The request's matches under its filters, unscored (none when nothing searchable is left of its words)."""
    selection = select(stats, request)
    return MATCH_NONE if isinstance(selection, str) else selection.filtered_unscored


def compare(client: OpenSearch, alias: str, stats: Statistics, requests: list[SearchRequest]) -> Comparison:
    """Each request's total and matches per period on one axis, from one multi-search (one search per request)."""
    check_compared(len(requests))
    searches = [({"index": alias}, {"size": 0, "track_total_hits": True, "query": matches_of(stats, request), "aggs": {"days": DAY_HISTOGRAM}})
                for request in requests]
    answers = multi_searched(client, searches)
    shared = requests[0]
    line = timeline(stats.archive_days(), [days_of(answer["aggregations"]["days"]["buckets"]) for answer in answers],
                    shared.date_from, shared.date_to, shared.unit)
    return Comparison(tuple(requests), tuple(int(answer["hits"]["total"]["value"]) for answer in answers), line)


def coverers(client: OpenSearch, alias: str, stats: Statistics, request: SearchRequest, top: int = TOP_OUTLETS) -> Coverers:
    """The outlets of a search's matches: counts, share of each outlet's own output, first and last date; the top ones over time."""
    query = matches_of(stats, request)
    table = _outlet_table(client, alias, query)
    order = sorted(table, key=lambda key: (-table[key][0], key))
    output = stats.outlet_output()
    labels = stats.outlet_labels(set(order))
    rows = tuple(
        OutletRow(key, labels.get(key, key), table[key][0], output.get(key, 0),
                  day_date(table[key][1]) if table[key][2] else None, day_date(table[key][2]) if table[key][2] else None)
        for key in order
    )
    total = sum(count for count, _, _ in table.values())
    leaders = [key for key in order if key != UNKNOWN][:top]
    rest = total - sum(table[key][0] for key in leaders)
    groups: dict[str, Any] = {key: {"term": {"outlet_facet": key}} for key in leaders}
    if rest:
        groups[OTHERS] = {"bool": {"must_not": [{"terms": {"outlet_facet": leaders}}]}}
    days = _days_by_group(client, alias, query, groups)
    line = timeline(stats.archive_days(), [days[key] for key in groups], request.date_from, request.date_to, request.unit)
    return Coverers(total, rows, tuple(groups), line)


def _outlet_table(client: OpenSearch, alias: str, query: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    """Each outlet's matches of ``query``: (count, first day number, last day number; 0 and 0 when none is dated)."""
    table: dict[str, tuple[int, int, int]] = {}
    after: dict[str, Any] | None = None
    while True:
        source: dict[str, Any] = {"size": _OUTLETS_PAGE, "sources": [{"outlet": {"terms": {"field": "outlet_facet"}}}]}
        if after:
            source["after"] = after
        body = {"size": 0, "query": query,
                "aggs": {"outlets": {"composite": source, "aggs": {"first": {"min": {"field": "day"}}, "last": {"max": {"field": "day"}}}}}}
        result = searched(client, index=alias, body=body, request_timeout=request_timeout())["aggregations"]["outlets"]
        for bucket in result["buckets"]:
            first, last = bucket["first"]["value"], bucket["last"]["value"]
            table[str(bucket["key"]["outlet"])] = (int(bucket["doc_count"]), int(first or 0), int(last or 0))
        after = result.get("after_key")
        if not after or len(result["buckets"]) < _OUTLETS_PAGE:
            return table


def _days_by_group(client: OpenSearch, alias: str, query: dict[str, Any], groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The day numbers of the matches of ``query`` in each group (a name and the filter that makes it), in one request."""
    if not groups:
        return {}
    body = {"size": 0, "query": query, "aggs": {"groups": {"filters": {"filters": groups}, "aggs": {"days": DAY_HISTOGRAM}}}}
    buckets = searched(client, index=alias, body=body, request_timeout=request_timeout())["aggregations"]["groups"]["buckets"]
    return {key: days_of(buckets[key]["days"]["buckets"]) for key in groups}
