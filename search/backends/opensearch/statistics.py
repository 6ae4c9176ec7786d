"""What the cluster knows of the whole archive, asked once and kept a little while: term frequencies, the archive's days, outlet names.

Each search needs the document frequency of its words (for the Whoosh backend's ranking:
the exact forms' excess idf, and BM25 with Whoosh's idf) and each chart needs how many
articles the archive holds per day (for shares). Asking the cluster for these on every
search would double its work, so they are kept a little while
(a minute and half a minute, :data:`FREQUENCIES_FOR_S` and :data:`DAYS_FOR_S`) and forgotten at once after a write through
this engine; an outlet's display name never changes and is kept for the life of the process.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

import numpy as np
from opensearchpy import OpenSearch

from search.analyst.periods import day_date
from search.backends.opensearch.connection import multi_searched, request_timeout, searched
from search.backends.opensearch.dsl import MATCH_ALL
from search.domain.facets import UNKNOWN

FREQUENCIES_FOR_S = 60.0
DAYS_FOR_S = 30.0
T = TypeVar("T")
_PAGE = 10_000  # values a composite aggregation reads at a time
# Matches per day number: exact, and only the days that hold one (an undated article has no ``day``).
DAY_HISTOGRAM = {"histogram": {"field": "day", "interval": 1, "min_doc_count": 1}}


class Statistics:
    """The caches of one engine (one alias on one cluster); safe to share between threads."""

    def __init__(self, client: OpenSearch, alias: str) -> None:
        self.client = client
        self.alias = alias
        self._lock = threading.Lock()
        self._frequencies: dict[tuple[str, str], tuple[float, int]] = {}
        self._count: tuple[float, int] | None = None
        self._kept: dict[str, tuple[float, Any]] = {}  # archive-wide values, each with when it was computed
        self._labels: dict[str, str] = {}
        self._shards: int | None = None

    def forget(self) -> None:
        """Drop what a write may have changed."""
        with self._lock:
            self._frequencies.clear()
            self._count = None
            self._kept.clear()
            self._shards = None

    def frequencies(self, terms: Iterable[tuple[str, str]]) -> tuple[dict[tuple[str, str], int], int]:
        """The document frequency of each (field, word), and how many articles the archive holds."""
        now = time.monotonic()
        wanted = set(terms)
        with self._lock:
            known = {term: hit[1] for term in wanted if (hit := self._frequencies.get(term)) and now - hit[0] < FREQUENCIES_FOR_S}
            count = self._count[1] if self._count and now - self._count[0] < FREQUENCIES_FOR_S else None
        missing = sorted(wanted - set(known))
        if missing or count is None:
            # One search: the archive's count, and each term's as a filter of one ``filters`` aggregation (a search per
            # term cost twice as much, five times on three shards: every one is a request to every shard).
            filters = {f"t{i}": {"term": {field: word}} for i, (field, word) in enumerate(missing)}
            body: dict[str, Any] = {"size": 0, "track_total_hits": True, "query": MATCH_ALL}
            if filters:
                body["aggs"] = {"df": {"filters": {"filters": filters}}}
            [answer] = multi_searched(self.client, [({"index": self.alias}, body)])
            buckets = answer.get("aggregations", {}).get("df", {}).get("buckets", {})
            totals = [int(buckets[f"t{i}"]["doc_count"]) for i in range(len(missing))]
            known.update(zip(missing, totals, strict=True))
            count = int(answer["hits"]["total"]["value"])
            with self._lock:
                self._frequencies.update({term: (now, n) for term, n in zip(missing, totals, strict=True)})
                self._count = (now, count)
        return known, count

    def sharded(self) -> bool:
        """Whether the index has more than one primary shard (then scores need the whole archive's statistics)."""
        with self._lock:
            if self._shards is not None:
                return self._shards > 1
        settings = self.client.indices.get_settings(index=self.alias, name="index.number_of_shards")
        shards = max(int(one["settings"]["index"]["number_of_shards"]) for one in settings.values())
        with self._lock:
            self._shards = shards
        return shards > 1

    def keep(self, name: str, compute: Callable[[], T]) -> T:
        """An archive-wide value (the archive's days, each outlet's output, :mod:`.terms`' background sample), computed
        again when older than :data:`DAYS_FOR_S` or after a write of this engine."""
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(name)
            if kept and now - kept[0] < DAYS_FOR_S:
                return cast(T, kept[1])
        value = compute()
        with self._lock:
            self._kept[name] = (now, value)
        return value

    def archive_days(self) -> np.ndarray:
        """The day number of every dated article, sorted (the chart's shares; :func:`search.analyst.periods.timeline`)."""
        return self.keep("days", lambda: day_counts(self.client, self.alias, MATCH_ALL))

    def outlet_output(self) -> dict[str, int]:
        """How many articles of the archive each outlet published (outlet facet value -> count), exact."""
        return self.keep("output", lambda: {str(key): n for key, n in composite_counts(self.client, self.alias, MATCH_ALL, "outlet_facet").items()})

    def newest(self) -> dt.date | None:
        """The archive's newest article date."""
        days = self.archive_days()
        return day_date(int(days[-1])) if len(days) else None

    def outlet_labels(self, keys: set[str]) -> dict[str, str]:
        """Display names for outlet keys, as stored with the articles themselves (the key when none is left)."""
        wanted = sorted(key for key in keys if key != UNKNOWN and key not in self._labels)
        if wanted:
            body = {"size": 0, "query": {"terms": {"outlet_facet": wanted}},
                    "aggs": {"outlets": {"terms": {"field": "outlet_facet", "size": len(wanted)},
                                         "aggs": {"one": {"top_hits": {"size": 1, "_source": ["article.outlet"]}}}}}}
            buckets = searched(self.client, index=self.alias, body=body, request_timeout=request_timeout())["aggregations"]["outlets"]["buckets"]
            for bucket in buckets:
                hit = bucket["one"]["hits"]["hits"][0]["_source"]
                self._labels[bucket["key"]] = str(hit.get("article", {}).get("outlet") or bucket["key"])
        return {key: self._labels.get(key, key) for key in keys if key != UNKNOWN}


def day_counts(client: OpenSearch, index: str, query: dict[str, Any]) -> np.ndarray:
    """The day number of every dated match of ``query``, sorted, counted by the cluster (a histogram by day: exact)."""
    body = {"size": 0, "query": query, "aggs": {"days": DAY_HISTOGRAM}}
    return days_of(searched(client, index=index, body=body, request_timeout=request_timeout())["aggregations"]["days"]["buckets"])


def days_of(buckets: list[dict[str, Any]]) -> np.ndarray:
    """A day histogram's buckets as the sorted day number of every article they count."""
    days = np.array([int(b["key"]) for b in buckets], dtype=np.int64)
    return np.repeat(days, np.array([int(b["doc_count"]) for b in buckets], dtype=np.int64))


def composite_counts(client: OpenSearch, index: str, query: dict[str, Any], field: str) -> dict[Any, int]:
    """How many matches of ``query`` hold each value of ``field`` (none for those without), exact however many values:
    a composite aggregation read page by page."""
    counts: dict[Any, int] = {}
    after: dict[str, Any] | None = None
    while True:
        source: dict[str, Any] = {"size": _PAGE, "sources": [{"value": {"terms": {"field": field}}}]}
        if after:
            source["after"] = after
        answer = searched(client, index=index, body={"size": 0, "query": query, "aggs": {"values": {"composite": source}}},
                               request_timeout=request_timeout())
        result = answer["aggregations"]["values"]
        counts.update({b["key"]["value"]: int(b["doc_count"]) for b in result["buckets"]})
        after = result.get("after_key")
        if not after or len(result["buckets"]) < _PAGE:
            return counts
