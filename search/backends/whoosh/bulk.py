"""The bulk writer: Whoosh's multiprocessing writer, made to fail loudly and quietly at once.

Filling an empty index (a first build or a rebuild) runs a worker process per core that
analyzes articles and writes its own segment. Whoosh's ``MpWriter`` has three gaps that
matter to us, closed here:

- A worker that dies (a full disk, say) is skipped: the parent commits the segments it got
  and the dead worker's articles are silently missing. Here the table of contents is only
  written when every worker exited cleanly; otherwise the commit raises, and nothing of the
  batch is committed.
- A worker's failure prints a traceback of its own. A worker that runs out of disk space
  exits with ``ENOSPC`` as its exit code instead, and the parent raises the ``OSError`` the
  user is told about in one line.
- ``cancel()`` only flags the workers in the parent's memory, so they wait on their queue
  forever. Here they are terminated, and they also exit by themselves when the parent dies
  (a killed parent must not leave workers holding files in the index folder).

And one addition: each worker derives its own segment's posting arrays
(:mod:`search.backends.whoosh.postings`) before it hands the segment over, in parallel, from
the words it read as it added each document (while the parent was still reading and
sketching the next articles); the parent would otherwise derive them alone, reading every
stored text back and running Sastrawi over the whole vocabulary once more.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from pathlib import Path
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader

from search.backends.whoosh import postings
from search.backends.whoosh.derivation import Tokens, derive_from
from search.backends.whoosh.storage import NO_SPACE

_PARENT: int | None = None


class _ArraysFirst:
    """The worker's result queue: a finished segment's posting arrays are written before it is handed over."""

    def __init__(self, queue: Any, worker: _Worker) -> None:
        self.queue = queue
        self.worker = worker

    def put(self, item: tuple[Any, Any, Any], timeout: float | None = None) -> None:
        segment = item[2]
        if segment is not None and segment.doc_count_all():
            with contextlib.suppress(OSError):  # best effort: the parent derives what is missing
                tokens = self.worker.tokens
                if tokens.count == segment.doc_count_all():  # every document went through add_document, in order
                    postings.publish_segment(Path(self.worker.storage.folder), segment.segment_id(), derive_from(tokens))
                else:
                    postings.load_or_build(SegmentReader(self.worker.storage, self.worker.writer.schema, segment))
        self.queue.put(item, timeout=timeout)


class _Worker(SubWriterTask):
    """Whoosh's worker, reading each document's words as it adds it, so its segment's arrays need no stored text read back."""

    resultqueue: Any  # set by Whoosh's constructor
    writer: Any

    def run(self) -> None:
        self.resultqueue = _ArraysFirst(self.resultqueue, self)
        self.tokens = Tokens()
        try:
            super().run()
        except OSError as error:
            if error.errno not in NO_SPACE:
                raise
            os._exit(error.errno)  # the parent reports it; no traceback of our own

    def _process_file(self, filename: str, doc_count: int) -> None:
        writer = self.writer
        if not getattr(writer, "reads_tokens", False):
            add = writer.add_document

            def add_document(**fields: Any) -> None:
                add(**fields)
                self.tokens.add(fields)

            writer.add_document, writer.reads_tokens = add_document, True
        super()._process_file(filename, doc_count)


class BulkWriter(MpWriter):
    """``MpWriter`` that commits only when every worker succeeded (see the module docstring)."""

    def _new_task(self) -> _Worker:
        global _PARENT
        task = _Worker(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        _PARENT = os.getpid()  # read by the fork hook in this worker alone: a process forked later (a server's) is not one
        try:
            task.start()
        finally:
            _PARENT = None
        return task

    def _commit_toc(self, segments: list[object]) -> None:
        codes = [task.exitcode for task in self.tasks]
        if any(code in NO_SPACE for code in codes):
            raise OSError(errno.ENOSPC, "an indexing worker ran out of disk space")
        if any(code != 0 for code in codes):
            raise RuntimeError(f"an indexing worker failed (exit codes {codes}); nothing of this batch was committed")
        postings.publish_before_commit(self.storage, self.schema, segments)  # what a worker could not derive
        super()._commit_toc(segments)

    def stop_workers(self) -> None:
        """End every worker now (before the parent removes the files they read)."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(5)


def _exit_with_parent() -> None:
    """In a bulk worker: exit when the parent that forked it dies (it alone feeds our queue)."""
    parent = _PARENT
    if parent is None or os.getpid() == parent:
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


os.register_at_fork(after_in_child=_exit_with_parent)
