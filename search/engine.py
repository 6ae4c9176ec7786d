"""The engine's narrow API: what the pages, the JSON API and the CLI ask of an index, as plain values.

An :class:`Engine` serves one index folder in one process. Each call runs on this
thread's searcher at the newest commit (:mod:`search.searchers`, whose searchers hold
every file of their commit open) and is run again on a fresh searcher when a concurrent
merge took a file away before the searcher opened it. What comes back is plain data
(:class:`~search.requests.SearchResult`, :class:`~search.requests.Hit`,
:class:`~search.articles.Article`): no Whoosh object and no document number leaves here,
so the layers above never depend on how the index is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh.searching import Searcher

from search.articles import Article
from search.attention import Comparison, Coverers, compare, coverers
from search.evaluation import arrays_for
from search.hits import get_article, stored_article, story_of
from search.pages import release_over_budget
from search.query import all_matches, run_search, words_to_mark
from search.requests import Hit, SearchRequest, SearchResult
from search.schema import article_from_stored
from search.searchers import SearcherCache
from search.snippets import marked_line, marked_paragraphs, marked_positions
from search.terms import Terms, about

ATTEMPTS = 3
T = TypeVar("T")


@dataclass(frozen=True)
class ArticleView:
    """One article as its page shows it, with the other articles of its story (oldest first)."""

    article: Article
    similar: list[Hit]
    marked: list[str] | None = None  # the body's paragraphs as HTML with the search's words marked, when asked with a query
    marked_headline: str | None = None  # the headline (title, else first sentence) likewise


@dataclass(frozen=True)
class Export:
    """Every match of a search: how many, and the rows, read one at a time as they are consumed."""

    total: int
    rows: Iterator[Hit]


class Engine:
    """Searches, articles and exports over the index in ``index_dir`` (one per process)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._searchers = SearcherCache(index_dir)

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with facets, chart and notices (see :func:`search.query.run_search`)."""
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
        """Several searches' matches per period on one axis (:func:`search.attention.compare`)."""
        return self._run(lambda searcher: compare(searcher, requests))

    def coverers(self, request: SearchRequest) -> Coverers:
        """Which outlets cover a search, and the top ones over time (:func:`search.attention.coverers`)."""
        return self._run(lambda searcher: coverers(searcher, request))

    def about(self, request: SearchRequest) -> Terms:
        """The distinctive words and phrases and the most mentioned names of a search's matches (:mod:`search.terms`)."""
        return self._run(lambda searcher: about(searcher, request))

    def count(self) -> int:
        """How many articles the index holds now."""
        return self._run(lambda searcher: int(searcher.doc_count()))

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
