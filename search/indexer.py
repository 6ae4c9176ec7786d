"""Create, open and update the on-disk Whoosh index.

Updates are incremental: each article's content hash is compared with the one already
indexed under its id, so a rerun over unchanged inputs opens no writer and writes
nothing. All changes of one run land in a single commit, so a crash mid-run leaves the
previous index intact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex, LockError
from whoosh.writing import SegmentWriter

from search.articles import Article
from search.extract import Extracted, Failed, Result
from search.schema import INDEX_VERSION, UNKNOWN, build_schema

VERSION_FILE = "berita.json"
WRITER_MEMORY_MB = 256
LOCK_TIMEOUT_S = 30.0


class IndexUnavailable(RuntimeError):
    """The index cannot be used as asked (missing, built by another version, locked)."""


@dataclass
class IndexReport:
    """What one indexing run did, for the summary line and the exit status."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failed] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {len(self.failed)} failed"


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` holds a Whoosh index (it may still be empty)."""
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path, *, create: bool = False) -> FileIndex:
    """Open the index; with ``create``, make it (and the folder) when missing.

    Raises :class:`IndexUnavailable` when there is no index and ``create`` is false, or when the
    index was written by another schema or analyzer version and would be misread.
    """
    if not index_exists(index_dir):
        if not create:
            raise IndexUnavailable(f"no index in {index_dir}; run `berita index` first")
        index_dir.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(index_dir), build_schema())
        (index_dir / VERSION_FILE).write_text(json.dumps({"version": INDEX_VERSION}) + "\n", encoding="utf-8")
        return ix
    found = _stored_version(index_dir)
    if found != INDEX_VERSION:
        raise IndexUnavailable(
            f"the index in {index_dir} was built by version {found or 'unknown'}, this program "
            f"needs {INDEX_VERSION}; delete the folder's contents and run `berita index` again"
        )
    return whoosh_index.open_dir(str(index_dir))


def _stored_version(index_dir: Path) -> str | None:
    try:
        return str(json.loads((index_dir / VERSION_FILE).read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def indexed_hashes(ix: FileIndex) -> dict[str, str]:
    """``id -> content hash`` for every live document, read from columns (no stored bodies)."""
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return {}
        ids = reader.column_reader("id")
        hashes = reader.column_reader("content_hash")
        return {
            _text(ids[docnum]): _text(hashes[docnum])
            for docnum in range(reader.doc_count_all())
            if not reader.is_deleted(docnum)
        }


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def document_fields(article: Article, content_hash: str) -> dict[str, object]:
    """The Whoosh document for an article (facet columns filled with UNKNOWN where unknown)."""
    date = article.date.isoformat() if article.date else ""
    return {
        "id": article.id,
        "title": article.title or "",
        "body": article.body,
        "outlet": article.outlet,
        "outlet_key": article.outlet_key,
        "outlet_facet": article.outlet_key or UNKNOWN,
        "outlet_group": article.outlet_group,
        "group_facet": article.outlet_group or UNKNOWN,
        "city": article.city,
        "date": date,
        "month": date[:7] or UNKNOWN,
        "author": article.author,
        "editor": article.editor,
        "url": article.url,
        "source": article.source,
        "content_hash": content_hash,
    }


def index_results(
    ix: FileIndex,
    results: Iterable[Result],
    *,
    on_result: Callable[[Result], None] | None = None,
) -> IndexReport:
    """Add or update every extracted article; record every failure. One commit at the end.

    An article whose id was already seen in this run is reported as a failure (two inputs
    claim the same id) rather than silently overwriting the first.
    """
    report = IndexReport()
    known = indexed_hashes(ix)
    seen: dict[str, str] = {}
    writer: SegmentWriter | None = None
    try:
        for result in results:
            if on_result:
                on_result(result)
            if isinstance(result, Failed):
                report.failed.append(result)
                continue
            assert isinstance(result, Extracted)
            article = result.article
            for warning in result.warnings:
                report.warnings.append((article.source or article.id, warning))
            if article.id in seen:
                report.failed.append(Failed(article.source or article.id, f"duplicate id {article.id!r}, already read from {seen[article.id]}"))
                continue
            seen[article.id] = article.source or article.id
            content_hash = article.content_hash()
            previous = known.get(article.id)
            if previous == content_hash:
                report.unchanged += 1
                continue
            if writer is None:
                writer = _writer(ix)
            writer.update_document(**document_fields(article, content_hash))
            if previous is None:
                report.added += 1
            else:
                report.updated += 1
    except BaseException:
        if writer is not None:
            writer.cancel()
        raise
    if writer is not None:
        writer.commit()
    return report


def _writer(ix: FileIndex) -> SegmentWriter:
    try:
        return ix.writer(limitmb=WRITER_MEMORY_MB, timeout=LOCK_TIMEOUT_S, delay=0.25)
    except LockError as error:
        raise IndexUnavailable(
            f"another process is writing the index (waited {LOCK_TIMEOUT_S:.0f} s); try again when it finishes"
        ) from error
