"""Stories in a search's results: one hit per story by field collapsing, its other matches listed under it.

The story key and ``grouped`` flag each document carries are kept by :mod:`.stories`. A page
collapses on the key, so each story shows once, in the place of its best match (the first in
the page's order), as on the Whoosh backend. The number of stories among the matches (what
the pages are counted in) is exact: the articles alone, plus the distinct keys of the
grouped ones, which are few (a cardinality count, exact below its precision threshold of
40,000 grouped stories in one result). The other matches of the page's grouped stories come
in one more request, only when the page has such a story.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search.backends.opensearch.connection import request_timeout, searched
from search.backends.opensearch.dsl import all_of
from search.backends.opensearch.mapping import OLDEST_FIRST, listing_of
from search.domain.result import MAX_SIMILAR_LISTED, Hit

GROUPED = {"term": {"grouped": True}}
COLLAPSE = {"field": "story"}
PRECISION = 40_000  # the cardinality aggregation's most: exact below it
STORY_MAX = 10_000  # articles an article page lists of its story


def story_count_aggregation(filters: list[dict[str, Any]]) -> dict[str, Any]:
    """The grouped matches under every filter, and their distinct stories."""
    return {"filter": all_of([*filters, GROUPED]), "aggs": {"keys": {"cardinality": {"field": "story", "precision_threshold": PRECISION}}}}


def story_count(total: int, aggregation: dict[str, Any]) -> int:
    """Stories among ``total`` matches: each article alone is one, the grouped ones count once per key."""
    return total - int(aggregation["doc_count"]) + int(aggregation["keys"]["value"])


def attach_similar(client: OpenSearch, alias: str, matches: dict[str, Any], hits: list[Hit], sources: list[dict[str, Any]]) -> None:
    """Give each grouped hit the other articles of its story among ``matches``, oldest first (undated last)."""
    keys = sorted({str(source["story"]) for source in sources if source.get("grouped")})
    if not keys:
        return
    body = {"size": 0, "query": {"bool": {"filter": [matches, {"terms": {"story": keys}}]}},
            "aggs": {"stories": {"terms": {"field": "story", "size": len(keys)},
                                 "aggs": {"members": {"top_hits": {"size": MAX_SIMILAR_LISTED + 1, "sort": OLDEST_FIRST, "_source": ["article", "story"]}}}}}}
    buckets = searched(client, index=alias, body=body, request_timeout=request_timeout())["aggregations"]["stories"]["buckets"]
    members = {str(b["key"]): (int(b["doc_count"]), [m["_source"] for m in b["members"]["hits"]["hits"]]) for b in buckets}
    for hit in hits:
        count, found = members.get(hit.story, (1, []))
        others = [source for source in found if source["article"]["id"] != hit.id]
        hit.similar_count = count - 1
        hit.similar = [listing_of(source) for source in others[:MAX_SIMILAR_LISTED]]


def story_of(client: OpenSearch, alias: str, source: dict[str, Any]) -> list[Hit]:
    """Every other article of the story of the document ``source`` in the whole index, oldest first (the article page)."""
    if not source.get("grouped"):
        return []
    query = {"bool": {"filter": [{"term": {"story": source["story"]}}], "must_not": [{"term": {"id": source["article"]["id"]}}]}}
    answer = searched(client, index=alias, body={"query": query, "size": STORY_MAX, "sort": OLDEST_FIRST, "_source": ["article", "story"]},
                      request_timeout=request_timeout())
    return [listing_of(hit["_source"]) for hit in answer["hits"]["hits"]]
