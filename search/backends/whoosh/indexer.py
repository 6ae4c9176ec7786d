"""Keep the index in step with the articles: incremental updates, deletions, rebuild-and-swap.

Every article has a stable id and a content hash. A run compares both with what is
indexed: unchanged articles are skipped (a run over unchanged inputs opens no writer and
writes nothing), changed ones are replaced, and articles whose file disappeared from an
indexed folder, or whose record is gone from a file that was read again, are deleted.
Large runs commit every ``commit_every`` changes (2,000; 25,000 when filling an empty
index, which runs a worker process per core), so a crash loses at most the last
uncommitted batch and the next run simply carries on. Whoosh commits are atomic (a new
table of contents is renamed into place), so a crash never leaves a half-written index.

A rebuild fills a new generation (see :mod:`search.backends.whoosh.storage`) from the live index's stored
articles and the given paths, then swaps it in; searches are answered from the old
generation until that moment.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from search.ahead import sketched_ahead
from search.analyzer import known_stems
from search.backends.whoosh import postings
from search.backends.whoosh.bulk import BulkWriter
from search.backends.whoosh.known import KnownArticles
from search.backends.whoosh.merging import merge_segments, merge_small_segments
from search.backends.whoosh.schema import article_from_stored, document_fields, whoosh_complete
from search.backends.whoosh.storage import (
    DEFAULT_LOCK_TIMEOUT_S,
    create_generation,
    current_generation,
    disk_errors,
    open_index,
    pin_segment_files,
    publish,
    remove_orphans,
    remove_stale_generations,
    write_lock,
)
from search.domain.article import Article
from search.domain.errors import IndexUnavailable
from search.domain.result import IndexReport
from search.engine import BULK_COMMIT_EVERY, COMMIT_EVERY
from search.extract import Result
from search.incremental import Indexed, apply_results
from search.machine import physical_memory_mb, usable_cores

WRITER_MEMORY_MB = 256


# Filling an empty index (a first build or a rebuild) is a bulk load: worker processes
# analyze and write segments in parallel (one per core), each with its share of memory.
BULK_PROCS = min(4, usable_cores())
# Each worker sorts its segment's postings in this much memory. Past it Whoosh spills them
# to disk, and then every posting is pickled and read back: a worker's share of a bulk batch
# (12,500 articles) fits in 512 MB, which cut the workers' CPU by a fifth (25,000 synthetic
# articles: 130 -> 104 s; each worker peaked at 800 MB instead of 414). Machines with less
# than 8 GB keep the old 128 MB.
BULK_MEMORY_MB = 512 if physical_memory_mb() >= 8 * 1024 else 128

__all__ = ["index_results", "rebuild"]


class _Batch:
    """One writing session: a writer opened on first change, committed every ``commit_every`` changes."""

    def __init__(self, ix: FileIndex, commit_every: int, on_commit: Callable[[int], None] | None, *, bulk: bool = False) -> None:
        self.ix = ix
        self.bulk = bulk and BULK_PROCS > 1
        self.commit_every = commit_every
        self.on_commit = on_commit
        self.writer: SegmentWriter | None = None
        self.complete = whoosh_complete(ix.schema)  # documents carry what this index's schema indexes
        self.pending = 0
        self.committed = 0
        self.known: KnownArticles | None = None  # whose story linker the documents are made with

    def write(self) -> SegmentWriter:
        # Segments stay as separate files (compound=False): Whoosh reads a sub-file of a compound
        # segment by copying it into memory, so every searcher of a 100k index held ~0.5 GB of
        # postings of its own; separate files are memory-mapped and shared by every searcher.
        if self.writer is None:
            if self.bulk:  # each commit adds one segment per worker
                self.writer = BulkWriter(self.ix, procs=BULK_PROCS, limitmb=BULK_MEMORY_MB, multisegment=True, compound=False)
            else:
                self.writer = postings.ArraysFirstWriter(self.ix, limitmb=WRITER_MEMORY_MB, compound=False)
        return self.writer

    def put(self, article: Article, content_hash: str, origin: str, *, replacing: bool) -> None:
        """Add ``article``, or replace the one with its id (adding skips Whoosh's look for an old copy in every segment)."""
        assert self.known is not None
        document = document_fields(article, content_hash, origin, self.known.stories, complete=self.complete)
        if replacing:
            self.write().update_document(**document)
        else:
            self.write().add_document(**document)
        self.changed()

    def delete(self, article_id: str) -> None:
        self.write().delete_by_term("id", article_id)
        self.changed()

    def changed(self) -> None:
        self.pending += 1
        if self.pending >= self.commit_every:
            self.commit()

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.commit(mergetype=merge_small_segments)
            postings.prepare(self.ix)  # the new segments' posting arrays, before any searcher needs them
            self.committed += self.pending
            self.writer, self.pending = None, 0
            if self.on_commit:
                self.on_commit(self.committed)

    def cancel(self) -> None:
        """Drop what was not committed, leaving no Whoosh lock and no orphaned file behind.

        Cancelling closes the half-written segment, which itself fails on a full disk; the
        writer's lock is then released by hand (a server process lives on and writes again)
        and the files it left are deleted, so the space is free for the next write.
        """
        writer, self.writer = self.writer, None
        if writer is None:
            return
        if isinstance(writer, BulkWriter):
            writer.stop_workers()
        try:
            writer.cancel()
        except OSError:
            if writer.writelock:
                writer.writelock.release()
            writer.is_closed = True
        finally:
            remove_orphans(Path(self.ix.storage.folder))


def index_results(
    index_dir: Path,
    results: Iterable[Result],
    *,
    folders: Iterable[Path] = (),
    on_result: Callable[[Result], None] | None = None,
    on_commit: Callable[[int], None] | None = None,
    commit_every: int | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
) -> IndexReport:
    """Bring the live index in step with ``results`` under the write lock.

    ``folders`` are the folders that were scanned whole: an indexed article whose file
    under one of them no longer exists is deleted. Raises :class:`IndexBusy` when another
    writer holds the lock past ``lock_timeout``.
    """
    report = IndexReport()
    with write_lock(index_dir, lock_timeout), disk_errors(index_dir):
        ix = open_index(index_dir, create=True)
        remove_orphans(Path(ix.storage.folder))  # what a killed writer left
        remove_stale_generations(index_dir)  # ... or a killed rebuild, and long-retired generations
        with ix.reader() as reader:
            pin_segment_files(reader)  # our own intermediate commits merge its segments away
            known = KnownArticles(reader)
            bulk = known.empty
            every = commit_every or (BULK_COMMIT_EVERY if bulk else COMMIT_EVERY)
            batch = _Batch(ix, every, on_commit, bulk=bulk)
            try:
                with known_stems(postings.stem_lookup(reader)):  # words the index has seen need no Sastrawi
                    batch.known = known
                    apply_results(batch, known, sketched_ahead(results, known.stories) if batch.bulk else results, report,
                                  folders=folders, on_result=on_result)
                    batch.commit()
                if bulk and (problem := merge_segments(ix)):  # one set of arrays for the segments the workers wrote
                    report.warnings.append((str(index_dir), problem))
            except BaseException:
                batch.cancel()
                raise
    return report


def rebuild(
    index_dir: Path,
    results: Iterable[Result],
    *,
    folders: Iterable[Path] = (),
    on_result: Callable[[Result], None] | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT_S,
) -> tuple[IndexReport, int]:
    """Build a complete new generation and swap it in; returns the report and how many articles were carried over.

    The new generation starts from every article stored in the live index (even one built
    by another version, if it can be read), so articles that came over the API survive;
    then ``results`` are applied as in :func:`index_results`. Writers wait while it runs.
    """
    report = IndexReport()
    with write_lock(index_dir, lock_timeout), disk_errors(index_dir):
        remove_stale_generations(index_dir)
        generation = create_generation(index_dir)
        batch = _Batch(whoosh_index.open_dir(str(generation)), BULK_COMMIT_EVERY, None, bulk=True)
        try:
            with batch.ix.reader() as empty:
                known = KnownArticles(empty)
                for stored in every_stored(index_dir):
                    article = article_from_stored(stored)
                    origin = str(stored.get("origin") or "")
                    content_hash = article.content_hash()
                    batch.write().add_document(**document_fields(article, content_hash, origin, known.stories, complete=batch.complete))
                    known.extra[article.id] = Indexed(content_hash, origin)
                carried = len(known.extra)
                batch.commit()
                batch.known = known
                apply_results(batch, known, results, report, folders=folders, on_result=on_result)
                batch.commit()
                if problem := merge_segments(batch.ix):
                    report.warnings.append((str(index_dir), problem))
        except BaseException:
            with contextlib.suppress(Exception):
                batch.cancel()
            shutil.rmtree(generation, ignore_errors=True)  # never published: nothing reads it
            raise
        publish(index_dir, generation)
        remove_stale_generations(index_dir)
    return report, carried


def every_stored(index_dir: Path) -> Iterator[dict[str, object]]:
    """Stored fields of every live article of the current index, whatever version built it."""
    folder = current_generation(index_dir) or (index_dir if whoosh_index.exists_in(str(index_dir)) else None)
    if folder is None:
        return
    try:
        old = whoosh_index.open_dir(str(folder))
    except Exception as error:  # noqa: BLE001 - an unreadable old index is reported, not fatal
        raise IndexUnavailable(f"cannot read the old index in {folder} ({error}); move it away and index the articles again") from error
    with old.reader() as reader:
        for _, fields in reader.iter_docs():
            yield dict(fields)
