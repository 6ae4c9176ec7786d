"""The OpenSearch backend of :class:`search.engine.SearchEngine`: an index on a cluster, for archives past one machine.

A :class:`OpenSearchEngine` serves one alias on one cluster; it holds a client (a pool of
connections, safe to share between threads) and the archive statistics it keeps a little
while (:mod:`.statistics`). Every call runs inside :func:`.connection.cluster_errors`, so a
cluster that is down, red or refuses the credentials is one clear
:class:`~search.domain.errors.IndexUnavailable`, never a stack trace. What comes back is
the same plain data the Whoosh backend returns.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from opensearchpy import OpenSearch

from search.ahead import sketched_ahead
from search.backends.opensearch.attention import compare, coverers
from search.backends.opensearch.connection import cluster_errors, connect, part, public_url, request_timeout, whole
from search.backends.opensearch.health import cluster_status
from search.backends.opensearch.locking import write_lock
from search.backends.opensearch.reading import export, read_article
from search.backends.opensearch.searching import run_search
from search.backends.opensearch.statistics import Statistics
from search.backends.opensearch.terms import about
from search.backends.opensearch.writing import BulkWrites, Known, concrete_index, create_index, open_for_writing, stored_articles
from search.domain.analyst import Comparison, Coverers, Terms
from search.domain.errors import IndexUnavailable
from search.domain.request import SearchRequest
from search.domain.result import ArticleView, Export, IndexReport, IndexStatus, SearchResult
from search.engine import DEFAULT_LOCK_TIMEOUT_S, EngineConfig
from search.extract import Extracted, Result
from search.incremental import Indexed, apply_results

T = TypeVar("T")
STORY_LOCK = ":stories"  # the lock, beside the alias's, that story keys are settled under


class OpenSearchEngine:
    """Searches, articles, exports and writes over the alias ``config.index_name`` on the cluster ``config.url``."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.alias = config.index_name
        self._client: OpenSearch | None = None
        self._stats: Statistics | None = None
        self._checked = False

    @property
    def client(self) -> OpenSearch:
        if self._client is None:
            self._client = connect(self.config)
        return self._client

    @property
    def stats(self) -> Statistics:
        if self._stats is None:
            self._stats = Statistics(self.client, self.alias)
        return self._stats

    def _read(self, call: Callable[[], T]) -> T:
        """``call`` with the cluster's failures as the engine's errors, after checking once that the index is of this version."""
        with cluster_errors(self.config):
            if not self._checked:
                if concrete_index(self.client, self.alias) is None:
                    raise IndexUnavailable(f"no index {self.alias!r} on the OpenSearch cluster at {public_url(self.config.url)}; run `berita index` first")
                self._checked = True
            return call()

    def search(self, request: SearchRequest) -> SearchResult:
        return self._read(lambda: run_search(self.client, self.alias, self.stats, request))

    def article(self, article_id: str, q: str = "") -> ArticleView | None:
        return self._read(lambda: read_article(self.client, self.alias, article_id, q))

    def export(self, request: SearchRequest) -> Export:
        return self._read(lambda: export(self.client, self.alias, self.stats, request))

    def compare(self, requests: list[SearchRequest]) -> Comparison:
        """Several searches' matches per period on one axis (:func:`.attention.compare`)."""
        return self._read(lambda: compare(self.client, self.alias, self.stats, requests))

    def coverers(self, request: SearchRequest) -> Coverers:
        """Which outlets cover a search, and the top ones over time (:func:`.attention.coverers`)."""
        return self._read(lambda: coverers(self.client, self.alias, self.stats, request))

    def about(self, request: SearchRequest) -> Terms:
        """The distinctive words and phrases and the most mentioned names of a search's matches (:mod:`.terms`)."""
        return self._read(lambda: about(self.client, self.alias, self.stats, request))

    def count(self) -> int:
        with cluster_errors(self.config):
            if not self.client.indices.exists_alias(name=self.alias):
                return 0
            counted = self.client.count(index=self.alias, request_timeout=request_timeout())
            whole(counted)
            return int(part(counted, "count"))

    def exists(self) -> bool:
        with cluster_errors(self.config):
            return bool(self.client.indices.exists_alias(name=self.alias))

    def describe(self) -> str:
        return f"{public_url(self.config.url)} (index {self.alias})"

    def status(self) -> IndexStatus:
        """The cluster's health, the index's figures and each node's shards and disk (:mod:`.health`)."""
        with cluster_errors(self.config):
            return cluster_status(self.client, self.alias, public_url(self.config.url))

    def index(
        self,
        results: Iterable[Result],
        *,
        folders: Iterable[Path] = (),
        on_result: Callable[[Result], None] | None = None,
        on_commit: Callable[[int], None] | None = None,
        commit_every: int | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
    ) -> IndexReport:
        """Incremental writes (:mod:`.writing`); searchable when this returns.

        Beside other incremental writers, never beside a rebuild (:mod:`.locking`); the first
        writer of an archive creates the index, alone.
        """
        report = IndexReport()
        with cluster_errors(self.config):
            creating = not self.client.indices.exists_alias(name=self.alias)
        with cluster_errors(self.config), write_lock(self.client, self.alias, lock_timeout, exclusive=creating):
            name, empty = open_for_writing(self.client, self.alias)
            self._checked = True
            known = Known(self.client, name, empty=empty)
            writes = BulkWrites(self.client, name, report, on_commit, empty=empty)
            try:
                read = sketched_ahead(results, writes.stories.linker) if empty else results  # a first build: sketches ahead
                apply_results(writes, known, known.prefetching(read), report, folders=folders, on_result=on_result)
                writes.finish()
                # Incremental writers settle story keys one at a time, each reading the groups as the last one left them.
                writes.stories.keys.settle(lambda: write_lock(self.client, f"{self.alias}{STORY_LOCK}", lock_timeout))
            finally:
                writes.close()
                self.stats.forget()
        return report

    def rebuild(
        self,
        results: Iterable[Result],
        *,
        folders: Iterable[Path] = (),
        on_result: Callable[[Result], None] | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
    ) -> tuple[IndexReport, int]:
        """A new index from the stored articles plus ``results``, then the alias moved to it at once and the old one deleted."""
        report = IndexReport()
        with cluster_errors(self.config), write_lock(self.client, self.alias, lock_timeout):
            client = self.client
            old = _readable_index(client, self.alias)
            new = create_index(client, self.alias, int(part(client.count(index=old), "count")) if old else 0)
            try:
                known = Known(client, new, empty=True)
                writes = BulkWrites(client, new, report, empty=True)
                if old:
                    for article, origin in stored_articles(client, old):
                        content_hash = article.content_hash()
                        writes.put(article, content_hash, origin, replacing=False)
                        known.extra[article.id] = Indexed(content_hash, origin)
                carried = len(known.extra)
                apply_results(writes, known, sketched_ahead(results, writes.stories.linker), report, folders=folders,
                              on_result=on_result)
                writes.finish()
                writes.stories.keys.settle(contextlib.nullcontext)  # nothing else writes to the new index
            except BaseException:
                writes.close()
                client.indices.delete(index=new, ignore=404)  # never aliased: nothing reads it
                raise
            writes.close()
            actions = [{"remove": {"index": old, "alias": self.alias}}] if old else []
            client.indices.update_aliases(body={"actions": [*actions, {"add": {"index": new, "alias": self.alias}}]})
            if old:
                client.indices.delete(index=old, ignore=404)
            self._checked = True
            self.stats.forget()
        return report, carried

    def stored(self) -> Iterator[Extracted]:
        """Every article the index stores with the file it came from, a page at a time (:func:`.writing.stored_articles`)."""
        with cluster_errors(self.config):
            name = concrete_index(self.client, self.alias)
            if name is None:
                return
            for article, origin in stored_articles(self.client, name):
                yield Extracted(article, origin=origin)

    def warm(self) -> None:
        """Nothing to read ahead: the cluster keeps its own caches (a first call checks the index's version)."""


def _readable_index(client: OpenSearch, alias: str) -> str | None:
    """The index a rebuild copies from: the alias's, whatever version wrote it."""
    if not client.indices.exists_alias(name=alias):
        return None
    return sorted(client.indices.get_alias(name=alias))[-1]

