"""Facet counts, the chart's days and the zero-result hints as aggregations of the search's own request.

Each facet is counted under every filter but its own, so the count beside a value is the
number of hits choosing it leads to (as on the Whoosh backend, :mod:`search.backends.whoosh.filtering`).
The counts are exact, not a ``terms`` aggregation's shard estimates: every shard is asked
for up to :data:`FACET_BUCKETS` values, which is every value it holds unless the cluster says
it left some out (``sum_other_doc_count``); then that facet is counted again with a
composite aggregation, page by page, which is exact however many values there are.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search.backends.opensearch.dsl import all_of
from search.backends.opensearch.selection import Selection
from search.backends.opensearch.statistics import DAY_HISTOGRAM, composite_counts
from search.domain.facets import FACETS, UNKNOWN

FACET_BUCKETS = 5_000
_UNDATED = {"bool": {"must_not": [{"exists": {"field": "day"}}]}}


def _but(filters: dict[str, dict[str, Any]], *left_out: str) -> dict[str, Any]:
    return all_of([clause for name, clause in filters.items() if name not in left_out])


def facet_aggregations(filters: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every facet's values (each under the other filters), the chart's days and the counts each filter hides."""
    aggs: dict[str, Any] = {
        f"facet_{facet.name}": {"filter": _but(filters, facet.name),
                                "aggs": {"values": {"terms": {"field": facet.column, "size": FACET_BUCKETS, "shard_size": FACET_BUCKETS}}}}
        for facet in FACETS
    }
    aggs["chart"] = {"filter": all_of(list(filters.values())), "aggs": {"days": DAY_HISTOGRAM}}
    if "range" in filters:  # a range leaves undated articles out; their bucket still says how many there are
        aggs["undated"] = {"filter": {"bool": {"filter": [_but(filters, "date", "range"), _UNDATED]}}}
    for name in filters:
        aggs[f"without_{name}"] = {"filter": _but(filters, name)}
    if len(filters) > 1:
        aggs["without_all"] = {"filter": all_of([])}
    return aggs


def counts_of(client: OpenSearch, alias: str, selection: Selection, aggregations: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Every facet's counts (``facet -> value -> count``), exact; recounted page by page when a shard left values out."""
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        values = aggregations[f"facet_{facet.name}"]["values"]
        if values.get("sum_other_doc_count", 0) or values.get("doc_count_error_upper_bound", 0):
            query = {"bool": {"filter": [selection.matching, _but(selection.filters, facet.name)]}}
            counts[facet.name] = {str(value): n for value, n in composite_counts(client, alias, query, facet.column).items()}
        else:
            counts[facet.name] = {str(b["key"]): int(b["doc_count"]) for b in values["buckets"]}
    undated = int(aggregations.get("undated", {}).get("doc_count", 0))
    if undated:
        counts["date"][UNKNOWN] = undated
    return counts


def without_each_filter(selection: Selection, aggregations: dict[str, Any]) -> dict[str, int]:
    """How many matches each filter hides: the count with that one filter dropped, and with all of them ("all")."""
    if not selection.filters:
        return {}
    counts = {name: int(aggregations[f"without_{name}"]["doc_count"]) for name in selection.filters}
    if len(selection.filters) > 1:
        counts["all"] = int(aggregations["without_all"]["doc_count"])
    return counts
