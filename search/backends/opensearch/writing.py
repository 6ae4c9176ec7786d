"""Keep the cluster's index in step with the articles: incremental writes in bulk, and a rebuild behind an alias.

Searches read an alias (``berita``) that points at one concrete index (``berita-<time>``).
A write run follows the rule every backend shares (:mod:`search.incremental`): it asks what
the index holds a chunk of articles at a time (:class:`Known`), sends the changes in bulk
requests of :data:`BULK_ARTICLES`, reports every article the cluster refused as failed, and
refreshes at the end, so what it wrote is searchable when it returns; the story keys of the
groups it touched are settled after that (:mod:`.stories`). A rebuild fills a new
concrete index from the articles the old one stores plus the given ones, then moves the
alias in one atomic request and deletes the old index: searches see the old index or the
new one, never a half-built one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from opensearchpy import OpenSearch

from search.backends.opensearch.connection import part, scan
from search.backends.opensearch.mapping import INDEX_VERSION, OLDEST_FIRST, article_from_source, document, document_id, index_body, shards_for
from search.backends.opensearch.stories import StoryWrites, story_source
from search.domain.article import Article
from search.domain.errors import IndexUnavailable
from search.domain.result import IndexReport
from search.extract import Extracted, Failed, Result
from search.incremental import Indexed

BULK_ARTICLES = 500  # articles a bulk request carries
BULK_TIMEOUT_S = 120.0
_LOOKUP = ["content_hash", "origin", "article.source"]


def concrete_index(client: OpenSearch, alias: str) -> str | None:
    """The index the alias points at, ``None`` when there is none; refuses an index written by another version."""
    if not client.indices.exists_alias(name=alias):
        return None
    name = sorted(client.indices.get_alias(name=alias))[-1]
    found = client.indices.get_mapping(index=name)[name]["mappings"].get("_meta", {}).get("version")
    if found != INDEX_VERSION:
        raise IndexUnavailable(f"the index {alias!r} was built by version {found or 'unknown'}, this program needs {INDEX_VERSION}: "
                               "run `berita index --rebuild` with your article folders")
    return name


def create_index(client: OpenSearch, alias: str, expected_articles: int) -> str:
    """A new, empty concrete index for ``alias`` (not yet pointed at), sized by :func:`.mapping.shards_for`."""
    data_nodes = sum("d" in str(node.get("node.role", "")) for node in client.cat.nodes(format="json", h="node.role"))
    shards, replicas = shards_for(expected_articles, data_nodes)
    name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
    client.indices.create(index=name, body=index_body(shards, replicas), wait_for_active_shards="all" if replicas else "1")
    return name


def open_for_writing(client: OpenSearch, alias: str) -> tuple[str, bool]:
    """The concrete index to write to (created and aliased when there is none) and whether it was empty."""
    name = concrete_index(client, alias)
    if name is not None:
        return name, int(part(client.count(index=name), "count")) == 0
    name = create_index(client, alias, 0)
    client.indices.update_aliases(body={"actions": [{"add": {"index": name, "alias": alias}}]})
    return name, True


class Known:
    """What the index holds, asked a chunk of articles at a time (see :meth:`prefetching`); ``extra`` holds what a rebuild copied."""

    def __init__(self, client: OpenSearch, index: str, *, empty: bool) -> None:
        self.client, self.index, self.empty = client, index, empty
        self.cache: dict[str, Indexed | None] = {}
        self.extra: dict[str, Indexed] = {}

    def prefetching(self, results: Iterable[Result]) -> Iterator[Result]:
        """``results`` as they come, the index's copies of each chunk's articles looked up in one request first."""
        chunk: list[Result] = []
        for result in results:
            chunk.append(result)
            if len(chunk) >= BULK_ARTICLES:
                self._look_up(chunk)
                yield from chunk
                chunk = []
        self._look_up(chunk)
        yield from chunk

    def _look_up(self, chunk: list[Result]) -> None:
        ids = [r.article.id for r in chunk if isinstance(r, Extracted) and r.article.id not in self.cache]
        if self.empty or not ids:
            return
        answer = self.client.mget(index=self.index, body={"ids": [document_id(i) for i in ids]}, _source_includes=_LOOKUP)
        for article_id, doc in zip(ids, answer["docs"], strict=True):
            self.cache[article_id] = _indexed(doc["_source"]) if doc.get("found") else None

    def get(self, article_id: str) -> Indexed | None:
        if article_id in self.extra:
            return self.extra[article_id]
        if self.empty:
            return None
        if article_id not in self.cache:
            doc = self.client.get(index=self.index, id=document_id(article_id), _source_includes=_LOOKUP, ignore=404)
            self.cache[article_id] = _indexed(doc["_source"]) if doc.get("found") else None
        return self.cache[article_id]

    def from_origins(self, origins: Iterable[str], roots: list[str]) -> Iterator[tuple[str, Indexed]]:
        """Articles whose file is one of ``origins`` or lies under one of ``roots``."""
        wanted = sorted(set(origins))
        if not self.empty and (wanted or roots):
            clauses: list[dict[str, Any]] = [{"terms": {"origin": wanted[i:i + 10_000]}} for i in range(0, len(wanted), 10_000)]
            clauses += [{"prefix": {"origin": root}} for root in roots]
            for source in scan(self.client, self.index, {"bool": {"should": clauses, "minimum_should_match": 1}}, ["id", *_LOOKUP]):
                yield str(source["id"]), _indexed(source)
        for article_id, indexed in self.extra.items():
            if indexed.origin in wanted or any(indexed.origin.startswith(root) for root in roots):
                yield article_id, indexed


def _indexed(source: dict[str, Any]) -> Indexed:
    return Indexed(str(source.get("content_hash") or ""), str(source.get("origin") or ""))


class BulkWrites:
    """The changes of one run, sent :data:`BULK_ARTICLES` at a time; what the cluster refused is reported as failed.

    A chunk's articles are linked to their stories (:mod:`.stories`) and analysed into
    documents here while the request before it is indexed by the cluster, from a thread of
    its own (at most one request in flight: a failure surfaces at the next chunk, never
    later). :meth:`close` waits for it; :meth:`finish` sends the rest and refreshes, and the
    run's story keys are settled after that (``stories.keys.settle``).
    """

    def __init__(self, client: OpenSearch, index: str, report: IndexReport, on_commit: Callable[[int], None] | None = None,
                 *, empty: bool) -> None:
        self.client, self.index, self.report, self.on_commit = client, index, report, on_commit
        self.stories = StoryWrites(client, index, empty=empty)
        self.pending: list[tuple[str, str, str, bool | None]] = []  # (article id, where read, its file, replacing; None: a delete)
        self.written: list[tuple[Article, str, str] | None] = []  # beside ``pending``: what is written, None for a delete
        self.committed = 0
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk")
        self._sending: tuple[Future[Any], list[tuple[str, str, str, bool | None]]] | None = None

    def put(self, article: Article, content_hash: str, origin: str, *, replacing: bool) -> None:
        self.pending.append((article.id, article.source or article.id, origin, replacing))
        self.written.append((article, content_hash, origin))
        self._maybe_flush()

    def delete(self, article_id: str) -> None:
        self.pending.append((article_id, article_id, "", None))
        self.written.append(None)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.pending) >= BULK_ARTICLES:
            self.flush()

    def flush(self) -> None:
        """Link and analyse what is pending, and send it once the request before it is answered."""
        if not self.pending:
            return
        articles = [entry[0] for entry in self.written if entry is not None]
        stories = iter(self.stories.link(articles))
        actions: list[dict[str, Any]] = []
        for (article_id, *_), entry in zip(self.pending, self.written, strict=True):
            if entry is None:
                actions.append({"delete": {"_index": self.index, "_id": document_id(article_id)}})
            else:
                article, content_hash, origin = entry
                actions += [{"index": {"_index": self.index, "_id": document_id(article.id)}},
                            document(article, content_hash, origin, story_source(article, next(stories)))]
        self._settle()
        removing = [article_id for article_id, _, _, replacing in self.pending if replacing is not False]
        if removing:  # read before they change: the articles they linked to may now stand apart
            self.stories.keys.removing(removing)
        request = self._sender.submit(self.client.bulk, body=actions, request_timeout=BULK_TIMEOUT_S)
        self._sending = (request, self.pending)
        self.pending, self.written = [], []

    def _settle(self) -> None:
        """Wait for the request in flight; each article the cluster refused becomes a failure of the report."""
        if self._sending is None:
            return
        request, sent = self._sending
        self._sending = None
        answer = request.result()
        for (article_id, where, origin, replacing), item in zip(sent, answer["items"], strict=True):
            outcome = next(iter(item.values()))
            if outcome.get("error") and not (replacing is None and outcome.get("status") == 404):
                self._refused(article_id, where, origin, replacing, outcome["error"])
        self.committed += len(sent)
        if self.on_commit:
            self.on_commit(self.committed)

    def _refused(self, article_id: str, where: str, origin: str, replacing: bool | None, error: dict[str, Any]) -> None:
        reason = str(error.get("reason") or error.get("type") or error)[:200]
        self.report.failed.append(Failed(where, f"the OpenSearch cluster refused article {article_id!r}: {reason}", origin=origin))
        if replacing is None:
            self.report.deleted -= 1
        elif replacing:
            self.report.updated -= 1
        else:
            self.report.added -= 1

    def finish(self) -> None:
        """Send the rest and refresh: what was written is searchable when this returns."""
        self.flush()
        self._settle()
        self.client.indices.refresh(index=self.index)

    def close(self) -> None:
        """Wait for a request still in flight (a run that stopped half-way leaves no thread writing behind it)."""
        self._sender.shutdown(wait=True)


def stored_articles(client: OpenSearch, index: str) -> Iterator[tuple[Article, str]]:
    """Every article the index stores, with the file it came from (what a rebuild carries over), oldest first.

    In date order, copies of one story (at most a day apart) come close together, within
    the stretch of recent articles a run's story linker keeps in memory
    (:data:`search.linking.RECENT_ARTICLES`); in id order, one outlet's ids would lie far from another's.
    """
    for source in scan(client, index, {"match_all": {}}, ["article", "origin"], OLDEST_FIRST):
        yield article_from_source(source), str(source.get("origin") or "")
