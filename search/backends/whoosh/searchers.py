"""Searchers kept open between searches, refreshed only when the index changed.

Opening a Whoosh searcher reads the table of contents and opens every segment; at
100,000 articles that is a noticeable share of a query. A :class:`SearcherCache` keeps one
searcher per thread (Whoosh searchers are not shared between threads) and, before each
use, checks whether a commit or a rebuild happened since. If so it opens a new one, so a
new article is searchable on the very next request, and an unchanged index costs a read of
the generation pointer and two file look-ups per search (:func:`_up_to_date`).

A new searcher keeps the previous one's readers of the segments a commit left as they were
(same segment, same deletions), so reopening after a commit costs only the new segments:
pinning every segment's files again (:func:`search.backends.whoosh.storage.pin_segment_files`) took tens of
milliseconds per thread per commit at 100,000 articles. (Whoosh's own ``Searcher.refresh``
reuses segment readers by segment id alone, so it kept showing articles deleted since, and
it keeps segments a merge removed; we do not use it.)
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import TOC
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from search.backends.whoosh.storage import current_generation, open_index, pin_segment_files

OPEN_ATTEMPTS = 5


@dataclass
class _Entry:
    generation: Path | None
    searcher: Searcher


class SearcherCache:
    """The newest searcher of ``index_dir``'s live generation, one per thread."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._local = threading.local()

    def get(self) -> Searcher:
        """A searcher that sees every commit made before this call.

        Raises ``IndexUnavailable`` when there is no usable index.
        """
        live = current_generation(self.index_dir)
        entry: _Entry | None = getattr(self._local, "entry", None)
        if entry is not None and entry.generation == live:
            try:
                if _up_to_date(entry.searcher):
                    return entry.searcher
            except OSError:  # the folder went away with its generation
                pass
        return self._open(live)

    def discard(self) -> None:
        """Close this thread's searcher (after an error that may have come from a stale one)."""
        entry: _Entry | None = getattr(self._local, "entry", None)
        self._local.entry = None
        if entry is not None:
            entry.searcher.close()

    def hand_over(self, searcher: Searcher) -> None:
        """Let this thread's ``searcher`` go to a caller that keeps it open for a while and closes it (an export).

        Neither this cache nor a newer searcher of this thread reuses or closes its readers
        afterwards, so it keeps reading its commit however many commits and merges follow;
        this thread's next call opens a searcher of its own.
        """
        entry: _Entry | None = getattr(self._local, "entry", None)
        if entry is not None and entry.searcher is searcher:
            self._local.entry = None

    def _open(self, live: Path | None) -> Searcher:
        entry: _Entry | None = getattr(self._local, "entry", None)
        if entry is not None and entry.generation == live and live is not None:
            try:
                return self._reopen(entry, live)
            except OSError:  # a segment went away again: open from scratch
                pass
        self.discard()
        for attempt in range(OPEN_ATTEMPTS):
            try:
                searcher = open_index(self.index_dir).searcher()
                try:
                    pin_segment_files(searcher.reader())
                except OSError:
                    searcher.close()
                    raise
                break
            except OSError:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        self._local.entry = _Entry(live, searcher)
        return searcher

    def _reopen(self, entry: _Entry, live: Path) -> Searcher:
        """The latest commit's searcher, reusing ``entry``'s readers of unchanged segments (see the module docstring)."""
        ix = open_index(self.index_dir)
        toc = ix._read_toc()  # the commit's schema and segments (what FileIndex.reader reads)
        old = {_unchanged_key(leaf.segment()): leaf for leaf, _ in entry.searcher.reader().leaf_readers() if leaf.segment() is not None}
        fresh: list[SegmentReader] = []
        readers = []
        for segment in toc.segments:
            leaf = old.pop(_unchanged_key(segment), None)
            if leaf is None:
                leaf = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
                fresh.append(leaf)
            readers.append(leaf)
        if not readers:
            reader = EmptyReader(toc.schema)
        elif len(readers) == 1 and fresh:
            reader = readers[0]
        else:  # a reused reader carries its old commit's generation: the wrapper carries this one's
            reader = MultiReader(readers, generation=toc.generation)
        try:
            pin_segment_files(reader)  # the reused readers hold their files already
        except OSError:
            for leaf in fresh:
                leaf.close()
            raise
        for leaf in old.values():  # segments merged away or with new deletions
            leaf.close()
        searcher = Searcher(reader, fromindex=ix)
        self._local.entry = _Entry(live, searcher)  # the old searcher is dropped, not closed: its readers live on here
        return searcher


def _up_to_date(searcher: Searcher) -> bool:
    """Whether no commit followed the one ``searcher`` reads: its table of contents is still there and the next one is not.

    Whoosh's own check lists the folder (150 files at 100,000 articles: 0.15 ms a search). A
    commit writes the next generation's table of contents (a rename: there when complete) and
    then deletes every other (``whoosh.index.clean_files``), so either test alone tells;
    together they also tell a commit whose clean-up failed.
    """
    index = getattr(searcher, "_ix", None)  # the FileIndex it was opened from
    generation = searcher.reader().generation()
    storage, name = getattr(index, "storage", None), getattr(index, "indexname", None)
    if storage is None or name is None or not isinstance(generation, int) or generation < 0:
        return bool(searcher.up_to_date())
    return bool(storage.file_exists(TOC._filename(name, generation))) and not storage.file_exists(TOC._filename(name, generation + 1))


def _unchanged_key(segment) -> tuple[str, int]:
    """A segment as a reader sees it: deletions only ever grow, so the same count means the same deletions."""
    return segment.segment_id(), segment.deleted_count()
