"""The Whoosh backend of :class:`search.engine.SearchEngine`: an index folder on disk, the embedded default.

A :class:`WhooshEngine` serves one index folder in one process. Each call runs on a
:class:`~search.backends.whoosh.snapshot.Snapshot` of the newest commit: this thread's searcher
(:mod:`search.backends.whoosh.searchers`, whose searchers hold every file of their commit open)
with what the commit derives, computed once and shared by the engine's threads through its
:class:`~search.backends.whoosh.snapshot.Snapshots`. A call is run again on a fresh searcher
when a concurrent merge took a file away before the searcher opened it. What comes back is plain data
(:class:`~search.domain.request.SearchResult`, :class:`~search.domain.request.Hit`,
:class:`~search.domain.article.Article`): no Whoosh object and no document number leaves here,
so the layers above never depend on how the index is stored.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh.searching import Searcher

from search.backends.whoosh.attention import compare, coverers
from search.backends.whoosh.hits import get_article, stored_articles, story_of
from search.backends.whoosh.indexer import every_stored, index_results, rebuild
from search.backends.whoosh.layout import decoding_once
from search.backends.whoosh.mapped import release_over_budget
from search.backends.whoosh.query import all_matches, run_search, words_to_mark
from search.backends.whoosh.schema import article_from_stored
from search.backends.whoosh.searchers import SearcherCache
from search.backends.whoosh.snapshot import Snapshot, Snapshots
from search.backends.whoosh.snippets import marked_positions
from search.backends.whoosh.storage import current_generation, disk_errors, index_exists, open_index
from search.backends.whoosh.terms import about
from search.domain.analyst import Comparison, Coverers, Terms
from search.domain.request import SearchRequest
from search.domain.result import ArticleView, Export, Hit, IndexReport, IndexStatus, SearchResult
from search.engine import DEFAULT_LOCK_TIMEOUT_S
from search.extract import Extracted, Result
from search.snippets import marked_line, marked_paragraphs

ATTEMPTS = 3
EXPORT_CHUNK = 256  # an export's rows read at a time
T = TypeVar("T")


class WhooshEngine:
    """Searches, articles and exports over the index in ``index_dir`` (one per process)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._searchers = SearcherCache(index_dir)
        self._snapshots = Snapshots()

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with facets, chart and notices (see :func:`search.backends.whoosh.query.run_search`)."""
        return self._run(lambda snapshot: run_search(snapshot, request))

    def article(self, article_id: str, q: str = "") -> ArticleView | None:
        """The article with that id and its story, or ``None`` when there is none.

        With ``q`` (the search the reader came from) the body comes back marked too: every
        place a word of the search stands, in any inflection the search finds.
        """

        def read(snapshot: Snapshot) -> ArticleView | None:
            found = get_article(snapshot.searcher, article_id)
            if found is None:
                return None
            docnum, stored = found
            article = article_from_stored(stored)
            if not q.strip():
                return ArticleView(article, story_of(snapshot, docnum))
            words = words_to_mark(snapshot, q)
            positions = marked_positions(snapshot.arrays, docnum, words) if words else np.array([], dtype=np.int64)
            return ArticleView(article, story_of(snapshot, docnum), marked_paragraphs(article.body, positions),
                               marked_line(article.headline, words))

        return self._run(read)

    def export(self, request: SearchRequest) -> Export:
        """Every match in the request's order, no page and no cap, its rows read as they are consumed.

        What is guaranteed:

        - The matches are found and the first :data:`EXPORT_CHUNK` rows read in one call of
          :meth:`_run`: bad parameters and the time budget raise here, before a byte is sent,
          and a file that a concurrent merge took away before the first row is read is retried
          on a fresh searcher like any read (the matches are then found again on it).
        - The total and every row are of that one commit. The export takes over the searcher
          they were read with (this thread's cache lets it go: :meth:`SearcherCache.hand_over`);
          it holds every file of its commit open, so no later commit or merge changes or takes
          away what the rest of the rows read. It is closed after the last row, when the rows
          are closed, or when they are dropped unread.
        - The later rows are read :data:`EXPORT_CHUNK` at a time through :meth:`_rows_of`, which
          lets mapped index pages go over budget like every call. They are not retried: a
          row already sent cannot be read again from another commit without changing what
          was counted, and with its files held open there is nothing left to vanish.
        - Memory stays flat however many articles match: their document numbers and one chunk of rows.
        """

        def find(snapshot: Snapshot) -> tuple[Snapshot, list[int], list[Hit]]:
            docnums = all_matches(snapshot, request)
            return snapshot, docnums, stored_articles(snapshot, docnums[:EXPORT_CHUNK])

        snapshot, docnums, first = self._run(find)
        self._searchers.hand_over(snapshot.searcher)
        rows = self._rows(snapshot, docnums, first)
        weakref.finalize(rows, _close, snapshot.searcher)  # rows dropped before their first: the searcher is closed all the same
        return Export(len(docnums), rows)

    def _rows(self, snapshot: Snapshot, docnums: list[int], first: list[Hit]) -> Iterator[Hit]:
        """An export's rows: ``first``, then the rest chunk by chunk from its own searcher, closed after the last."""
        try:
            yield from first
            for start in range(len(first), len(docnums), EXPORT_CHUNK):
                yield from self._rows_of(snapshot, docnums[start:start + EXPORT_CHUNK])
        finally:
            _close(snapshot.searcher)

    def _rows_of(self, snapshot: Snapshot, docnums: list[int]) -> list[Hit]:
        """One chunk of an export's rows (see :meth:`export` for why it is not retried)."""
        try:
            return stored_articles(snapshot, docnums)
        finally:
            release_over_budget()

    def compare(self, requests: list[SearchRequest]) -> Comparison:
        """Several searches' matches per period on one axis (:func:`search.backends.whoosh.attention.compare`)."""
        return self._run(lambda snapshot: compare(snapshot, requests))

    def coverers(self, request: SearchRequest) -> Coverers:
        """Which outlets cover a search, and the top ones over time (:func:`search.backends.whoosh.attention.coverers`)."""
        return self._run(lambda snapshot: coverers(snapshot, request))

    def about(self, request: SearchRequest) -> Terms:
        """The distinctive words and phrases and the most mentioned names of a search's matches (:mod:`search.backends.whoosh.terms`)."""
        return self._run(lambda snapshot: about(snapshot, request))

    def count(self) -> int:
        """How many articles the index holds now."""
        return self._run(lambda snapshot: int(snapshot.searcher.doc_count()))

    def exists(self) -> bool:
        """Whether the folder holds an index."""
        return index_exists(self.index_dir)

    def describe(self) -> str:
        return str(self.index_dir)

    def status(self) -> IndexStatus:
        """The folder, its articles, the segments of the newest commit and the disk it takes."""
        if not index_exists(self.index_dir):
            return IndexStatus(False, (("index", str(self.index_dir)), ("articles", "none yet: run `berita index`")))
        generation = current_generation(self.index_dir)
        files = [f for f in self.index_dir.rglob("*") if f.is_file()]
        return IndexStatus(True, (
            ("index", f"{self.index_dir} (Whoosh, commit {generation.name if generation else '-'})"),
            ("articles", f"{self.count():,}"),
            ("segments", str(self._run(lambda snapshot: len(snapshot.searcher.reader().leaf_readers())))),
            ("disk", f"{sum(f.stat().st_size for f in files) / 1e6:,.1f} MB in {len(files)} files"),
        ))

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

    def stored(self) -> Iterator[Extracted]:
        """Every live article of the current generation with the file it came from (:func:`search.backends.whoosh.indexer.every_stored`)."""
        with disk_errors(self.index_dir):
            for stored in every_stored(self.index_dir):
                yield Extracted(article_from_stored(stored), origin=str(stored.get("origin") or ""))

    def warm(self) -> None:
        """Compute what searches need from the newest commit now: the parts of its snapshot (:meth:`Snapshot.warm`).

        ``berita serve`` calls this on the app's engine before gunicorn forks its workers, so
        they share what was read and the first searches after a start are as fast as the
        rest (under load they took over a second). It reads through a searcher of its own,
        closed afterwards: the workers must not inherit an open searcher.
        """
        with open_index(self.index_dir).searcher() as searcher:
            self._snapshots.of(searcher).warm()

    def _run(self, call: Callable[[Snapshot], T]) -> T:
        """``call`` on a snapshot of the newest commit, again on a fresh searcher after an ``OSError`` (a file a merge took away)."""
        try:
            for attempt in range(ATTEMPTS):
                try:
                    with decoding_once():
                        return call(self._snapshots.of(self._searchers.get()))
                except OSError:
                    if attempt == ATTEMPTS - 1:
                        raise
                    self._searchers.discard()
            raise AssertionError("unreachable")
        finally:
            release_over_budget()  # a long-running server must not come to hold the whole index as its own memory


def _close(searcher: Searcher) -> None:
    """Close ``searcher`` unless it is closed already (Whoosh refuses to close a reader twice)."""
    if not searcher.is_closed:
        searcher.close()
