"""The Whoosh backend of :class:`search.engine.SearchEngine`: an index folder on disk, the embedded default.

A :class:`WhooshEngine` serves one index folder in one process. Each call runs on this
thread's searcher at the newest commit (:mod:`search.backends.whoosh.searchers`, whose searchers hold
every file of their commit open) and is run again on a fresh searcher when a concurrent
merge took a file away before the searcher opened it. What comes back is plain data
(:class:`~search.domain.request.SearchResult`, :class:`~search.domain.request.Hit`,
:class:`~search.domain.article.Article`): no Whoosh object and no document number leaves here,
so the layers above never depend on how the index is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh.searching import Searcher

from search.backends.whoosh.attention import compare, coverers
from search.backends.whoosh.evaluation import arrays_for
from search.backends.whoosh.hits import get_article, stored_article, story_of
from search.backends.whoosh.indexer import index_results, rebuild
from search.backends.whoosh.mapped import release_over_budget
from search.backends.whoosh.query import all_matches, run_search, words_to_mark
from search.backends.whoosh.schema import article_from_stored
from search.backends.whoosh.searchers import SearcherCache, warm
from search.backends.whoosh.snippets import marked_line, marked_paragraphs, marked_positions
from search.backends.whoosh.storage import index_exists
from search.backends.whoosh.terms import about
from search.domain.analyst import Comparison, Coverers, Terms
from search.domain.request import SearchRequest
from search.domain.result import ArticleView, Export, IndexReport, SearchResult
from search.engine import DEFAULT_LOCK_TIMEOUT_S
from search.extract import Result

ATTEMPTS = 3
T = TypeVar("T")


class WhooshEngine:
    """Searches, articles and exports over the index in ``index_dir`` (one per process)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._searchers = SearcherCache(index_dir)

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with facets, chart and notices (see :func:`search.backends.whoosh.query.run_search`)."""
        return self._run(lambda searcher: run_search(searcher, request))

    def article(self, article_id: str, q: str = "") -> ArticleView | None:
        """The article with that id and its story, or ``None`` when there is none.

        With ``q`` (the search the reader came from) the body comes back marked too: every
        place a word of the search stands, in any inflection the search finds.
        """

        def read(searcher: Searcher) -> ArticleView | None:
            found = get_article(searcher, article_id)
            if found is None:
                return None
            docnum, stored = found
            article = article_from_stored(stored)
            if not q.strip():
                return ArticleView(article, story_of(searcher, docnum))
            words = words_to_mark(searcher, q)
            positions = marked_positions(arrays_for(searcher), docnum, words) if words else np.array([], dtype=np.int64)
            return ArticleView(article, story_of(searcher, docnum), marked_paragraphs(article.body, positions),
                               marked_line(article.headline, words))

        return self._run(read)

    def export(self, request: SearchRequest) -> Export:
        """Every match in the request's order, no page and no cap.

        The matches are found now (bad parameters and the time budget raise here, before a
        byte is sent); the rows are read from the same searcher as they are consumed, so
        memory stays flat however many articles match.
        """
        searcher, docnums = self._run(lambda searcher: (searcher, all_matches(searcher, request)))
        return Export(len(docnums), (stored_article(searcher, docnum) for docnum in docnums))

    def compare(self, requests: list[SearchRequest]) -> Comparison:
        """Several searches' matches per period on one axis (:func:`search.backends.whoosh.attention.compare`)."""
        return self._run(lambda searcher: compare(searcher, requests))

    def coverers(self, request: SearchRequest) -> Coverers:
        """Which outlets cover a search, and the top ones over time (:func:`search.backends.whoosh.attention.coverers`)."""
        return self._run(lambda searcher: coverers(searcher, request))

    def about(self, request: SearchRequest) -> Terms:
        """The distinctive words and phrases and the most mentioned names of a search's matches (:mod:`search.backends.whoosh.terms`)."""
        return self._run(lambda searcher: about(searcher, request))

    def count(self) -> int:
        """How many articles the index holds now."""
        return self._run(lambda searcher: int(searcher.doc_count()))

    def exists(self) -> bool:
        """Whether the folder holds an index."""
        return index_exists(self.index_dir)

    def describe(self) -> str:
        return str(self.index_dir)

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
        """Incremental writes under the folder's write lock (:func:`search.backends.whoosh.indexer.index_results`)."""
        return index_results(self.index_dir, results, folders=folders, on_result=on_result, on_commit=on_commit,
                             commit_every=commit_every, lock_timeout=lock_timeout)

    def rebuild(
        self,
        results: Iterable[Result],
        *,
        folders: Iterable[Path] = (),
        on_result: Callable[[Result], None] | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
    ) -> tuple[IndexReport, int]:
        """A new generation beside the live one, swapped in atomically (:func:`search.backends.whoosh.indexer.rebuild`)."""
        return rebuild(self.index_dir, results, folders=folders, on_result=on_result, lock_timeout=lock_timeout)

    def warm(self) -> None:
        warm(self.index_dir)

    def _run(self, call: Callable[[Searcher], T]) -> T:
        try:
            for attempt in range(ATTEMPTS):
                try:
                    return call(self._searchers.get())
                except OSError:
                    if attempt == ATTEMPTS - 1:
                        raise
                    self._searchers.discard()
            raise AssertionError("unreachable")
        finally:
            release_over_budget()  # a long-running server must not come to hold the whole index as its own memory
