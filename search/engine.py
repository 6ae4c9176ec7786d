"""The engine's interface: everything the web app, the CLI, the watcher and the ingest API ask of an index.

:class:`SearchEngine` is the seam between the layers above and a backend. It takes and
returns only the plain values of :mod:`search.domain` (requests, results, articles, the
analyst values, reports), so the pages never depend on how an index is stored, and a
second backend plugs in beside the embedded Whoosh one (:mod:`search.backends.whoosh`)
without a change above this line. :func:`open_engine` opens the backend that the
configuration names (``--engine``/``BERITA_ENGINE``; ``whoosh`` on ``index/`` by default).
:func:`answer` is how the pages, the API and the CLI search: a backend's search with a
misspelt query corrected and the archive's facts when nothing matches (:mod:`search.answering`).

A backend raises only the errors of :mod:`search.domain.errors` (an unusable index, a busy
writer, a full disk, a search past its time budget) and
:class:`~search.domain.request.InvalidRequest` for a request it cannot answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from search.answering import answer
from search.budget import time_budget
from search.domain.analyst import Comparison, Coverers, Terms
from search.domain.request import SearchRequest
from search.domain.result import ArticleView, Export, IndexReport, IndexStatus, SearchResult
from search.extract import Extracted, Result
from search.machine import usable_cores
from search.querylang import query_cost

__all__ = [
    "BULK_COMMIT_EVERY",
    "COMMIT_EVERY",
    "DEFAULT_INDEX_DIR",
    "DEFAULT_INDEX_NAME",
    "ENGINES",
    "EngineConfig",
    "SearchEngine",
    "answer",
    "open_engine",
    "query_cost",
    "time_budget",
    "usable_cores",
]

ENGINES = ("whoosh", "opensearch")
DEFAULT_ENGINE = "whoosh"
DEFAULT_INDEX_DIR = "index"
DEFAULT_INDEX_NAME = "berita"  # the alias an OpenSearch backend searches
# A write run commits after this many changes, so a crash loses at most one batch; filling an
# empty index is a bulk load, whose larger batches make fewer, larger segments.
COMMIT_EVERY = 2000
BULK_COMMIT_EVERY = 25_000
DEFAULT_LOCK_TIMEOUT_S = 60.0


class SearchEngine(Protocol):
    """What any backend answers: reads as plain values, writes as reports.

    Reads see every write acknowledged before they began. Writes are incremental: an
    unchanged article is skipped, a changed one replaced, and an article whose file left a
    scanned folder is deleted.
    """

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with the total, facet counts, chart, suggestion and partial matches."""
        ...

    def article(self, article_id: str, q: str = "") -> ArticleView | None:
        """The article with that id and its story (``q`` marks the search's words), or ``None``."""
        ...

    def export(self, request: SearchRequest) -> Export:
        """Every match in the request's order, no page and no cap, read as it is consumed."""
        ...

    def compare(self, requests: list[SearchRequest]) -> Comparison:
        """Several searches' matches per period on one shared axis."""
        ...

    def coverers(self, request: SearchRequest) -> Coverers:
        """Which outlets cover a search: counts, shares of their own output, the top ones over time."""
        ...

    def about(self, request: SearchRequest) -> Terms:
        """What a search's matches are about: distinctive words and phrases, most mentioned names."""
        ...

    def count(self) -> int:
        """How many articles the index holds now (0 when there is no index yet)."""
        ...

    def exists(self) -> bool:
        """Whether an index is there to search (it may be empty)."""
        ...

    def describe(self) -> str:
        """Where the index lives, for messages (``index``, or a cluster's URL without credentials)."""
        ...

    def status(self) -> IndexStatus:
        """The index's health and figures: articles, disk, and on a cluster its nodes and shards (``berita status``)."""
        ...

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
        """Bring the index in step with ``results``; articles whose file left one of ``folders`` are deleted."""
        ...

    def rebuild(
        self,
        results: Iterable[Result],
        *,
        folders: Iterable[Path] = (),
        on_result: Callable[[Result], None] | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
    ) -> tuple[IndexReport, int]:
        """Build a new index from the stored articles plus ``results`` and switch to it at once; how many were carried over."""
        ...

    def stored(self) -> Iterator[Extracted]:
        """Every article the index stores, with the file it came from, in no particular order (what a migration copies)."""
        ...

    def warm(self) -> None:
        """Read what searches need before serving (before a server forks its workers)."""
        ...


@dataclass(frozen=True)
class EngineConfig:
    """Which backend, and where its index is: a folder (Whoosh) or a cluster and an index name (OpenSearch)."""

    name: str = DEFAULT_ENGINE
    index_dir: Path = Path(DEFAULT_INDEX_DIR)
    # OpenSearch: the cluster's URL (several, comma-separated, to reach it through any node;
    # ``https://user:password@host:9200`` for basic auth), the alias searches read, and TLS.
    url: str = ""
    index_name: str = DEFAULT_INDEX_NAME
    ca_certs: str = ""  # a CA bundle to verify the cluster's certificate with
    verify_certs: bool = True


def open_engine(config: EngineConfig) -> SearchEngine:
    """The backend ``config`` names, opened on its index (nothing is read until the first call)."""
    if config.name == "whoosh":
        from search.backends.whoosh.engine import WhooshEngine

        return WhooshEngine(config.index_dir)
    if config.name == "opensearch":
        from search.backends.opensearch.engine import OpenSearchEngine

        return OpenSearchEngine(config)
    raise ValueError(f"unknown engine {config.name!r} (choose {', '.join(ENGINES)})")
