"""``berita watch DIR``: index new, changed and removed article files as they appear.

watchdog delivers file-system events (inotify on Linux); they are gathered for a short
quiet period, so an editor's several writes become one batch, and the batch goes through
the engine's incremental writes like ``berita index`` (one commit, under the write lock). On
start the folder is indexed once, so files changed while nobody watched are caught up.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from search.domain.errors import IndexUnavailable
from search.domain.result import IndexReport
from search.engine import SearchEngine
from search.extract import (
    LINK_FOLDER,
    LINK_OUTSIDE,
    SINGLE_ARTICLE_SUFFIXES,
    SUPPORTED_SUFFIXES,
    Failed,
    Result,
    Skipped,
    discover,
    leaves_folder,
    read_discovered,
    read_file,
)
from search.extract.sidecar import article_beside, is_sidecar

QUIET_S = 0.4  # wait this long after the last event before indexing
MAX_DELAY_S = 2.0  # never hold a batch longer than this while events keep coming
_CHANGES = {"created", "modified", "moved", "deleted", "closed"}


class _Pending(FileSystemEventHandler):
    """Collects the paths that events touch, thread-safely."""

    def __init__(self) -> None:
        self.paths: set[Path] = set()
        self.first = 0.0
        self.last = 0.0
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type not in ("moved", "deleted")):
            return  # opening or reading a file (our own reads included) changes nothing
        touched = [event.src_path, getattr(event, "dest_path", "") or ""]
        with self.lock:
            now = time.monotonic()
            for raw in touched:
                if raw:
                    path = Path(raw.decode() if isinstance(raw, bytes) else raw)
                    if not path.name.startswith("."):
                        self.paths.add(path)
            if not self.first:
                self.first = now
            self.last = now

    def take_if_ready(self) -> set[Path]:
        with self.lock:
            now = time.monotonic()
            if not self.paths or (now - self.last < QUIET_S and now - self.first < MAX_DELAY_S):
                return set()
            paths, self.paths, self.first = self.paths, set(), 0.0
            return paths


def _articles_for(paths: set[Path], folder: Path) -> list[Path]:
    """The article files a batch of touched paths asks to (re)read; a sidecar re-reads its article.

    Links to files outside ``folder`` are left out (:func:`index_batch` reports them).
    """
    files: set[Path] = set()
    for path in paths:
        if leaves_folder(path, folder):
            continue
        if is_sidecar(path):
            files.update(p for suffix in SINGLE_ARTICLE_SUFFIXES if (p := article_beside(path, suffix)).is_file())
        elif path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
            files.add(path)
    return sorted(files)


def index_batch(folder: Path, engine: SearchEngine, paths: set[Path]) -> IndexReport:
    """Index the files a batch touched; articles whose file left ``folder`` are deleted."""

    def results() -> list[Result]:
        refused: list[Result] = [Failed(str(path), LINK_OUTSIDE) for path in sorted(paths) if leaves_folder(path, folder)]
        return refused + [result for path in _articles_for(paths, folder) for result in read_file(path)]

    return engine.index(results(), folders=[folder])


def watch(
    folder: Path,
    engine: SearchEngine,
    *,
    report: Callable[[str, IndexReport], None],
    stop: threading.Event | None = None,
) -> None:
    """Index ``folder`` once, then keep indexing its changes until ``stop`` is set (or Ctrl+C)."""
    stop = stop or threading.Event()
    files, problems = discover([folder])
    links = [Failed(p.source, p.reason) for p in problems if isinstance(p, Skipped) and p.reason in (LINK_OUTSIDE, LINK_FOLDER)]
    report("start", engine.index(itertools.chain(links, read_discovered(files, problems)), folders=[folder]))
    pending = _Pending()
    observer = Observer()
    observer.schedule(pending, str(folder), recursive=True)
    observer.start()
    try:
        while not stop.is_set():
            paths = pending.take_if_ready()
            if paths:
                try:
                    report("batch", index_batch(folder, engine, paths))
                except IndexUnavailable as error:  # busy or locked: keep the batch for the next round
                    with pending.lock:
                        pending.paths |= paths
                        pending.first = pending.first or time.monotonic()
                    report(f"retry ({error})", IndexReport())
            stop.wait(0.1)
    finally:
        observer.stop()
        observer.join(timeout=5)

