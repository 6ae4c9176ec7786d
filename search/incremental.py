"""Which articles a write run adds, replaces, skips and deletes: the same rule for every backend.

Every article has a stable id and a content hash. A run compares both with what is
indexed: an unchanged article is skipped, a changed one replaced, and an article whose file
disappeared from a scanned folder, or whose record is gone from a file that was read again,
is deleted. A file that failed to read keeps its articles; articles that came over the API
have no file and are never deleted by a scan. A backend supplies what it already holds
(:class:`Known`) and how it writes (:class:`Writes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from search.domain.article import API_ORIGIN, Article
from search.domain.result import IndexReport
from search.extract import Extracted, Failed, Result


@dataclass(frozen=True)
class Indexed:
    """What the index holds of one article: enough to tell whether it changed and where it came from."""

    content_hash: str
    origin: str


class Known(Protocol):
    """The index's articles as the writer sees them."""

    def get(self, article_id: str) -> Indexed | None:
        """The article with that id, or ``None``."""
        ...

    def from_origins(self, origins: Iterable[str], roots: list[str]) -> Iterator[tuple[str, Indexed]]:
        """Articles whose file is one of ``origins`` or lies under one of ``roots``."""
        ...


class Writes(Protocol):
    """How a backend writes: an article put (added, or replacing the one with its id) and an id deleted."""

    def put(self, article: Article, content_hash: str, origin: str, *, replacing: bool) -> None: ...

    def delete(self, article_id: str) -> None: ...


def apply_results(writes: Writes, known: Known, results: Iterable[Result], report: IndexReport, *,
                  folders: Iterable[Path], on_result: Callable[[Result], None] | None) -> None:
    """Add, update and delete so the index matches ``results`` (see the module docstring)."""
    seen: dict[str, str] = {}
    read_ok: set[str] = set()
    read_failed: set[str] = set()
    for result in results:
        if on_result:
            on_result(result)
        origin = result.origin
        if isinstance(result, Failed):
            report.failed.append(result)
            read_failed.add(origin)
            continue
        assert isinstance(result, Extracted)
        read_ok.add(origin)
        article = result.article
        where = article.source or article.id
        report.warnings.extend((where, warning) for warning in result.warnings)
        if article.id in seen:
            report.failed.append(Failed(where, f"duplicate id {article.id!r}, already read from {seen[article.id]}", origin=origin))
            continue
        previous = known.get(article.id)
        if previous and previous.origin not in ("", origin, API_ORIGIN) and Path(previous.origin).exists():
            if previous.origin not in read_ok | read_failed:
                report.failed.append(Failed(where, f"id {article.id!r} is already indexed from {previous.origin}", origin=origin))
                continue
        seen[article.id] = where
        report.ids.append(article.id)
        content_hash = article.content_hash()
        if previous is not None and previous.content_hash == content_hash and previous.origin == origin:
            report.unchanged += 1
            continue
        writes.put(article, content_hash, origin, replacing=previous is not None)
        if previous is None:
            report.added += 1
        else:
            report.updated += 1
    _delete_gone(writes, known, report, seen, read_ok, read_failed, folders)


def _delete_gone(writes: Writes, known: Known, report: IndexReport, seen: dict[str, str],
                 read_ok: set[str], read_failed: set[str], folders: Iterable[Path]) -> None:
    """Delete the articles that a re-read file no longer holds, and those whose file left a scanned folder.

    A file that failed to read keeps its articles; API articles have no file and are never
    deleted here (asking for their origin would also visit every one of them).
    """
    roots = [str(folder.resolve()) + "/" for folder in folders]
    for article_id, indexed in known.from_origins(read_ok - {API_ORIGIN, ""}, roots):
        if article_id in seen or not indexed.origin or indexed.origin == API_ORIGIN:
            continue
        reread = indexed.origin in read_ok and indexed.origin not in read_failed
        vanished = any(indexed.origin.startswith(root) for root in roots) and not Path(indexed.origin).exists()
        if reread or vanished:
            writes.delete(article_id)
            report.deleted += 1
