"""Real Whoosh indexes on disk for the unit tests, and the one place that turns an index folder into what the modules take.

Indexes are built the way users build them (``tests.conftest.build_index``: ``berita index``'s
path); article files are written as plain text with a dateline, or as JSONL records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.searching import Searcher

from search.backends.whoosh.evaluation import IndexArrays
from search.backends.whoosh.snapshot import Snapshot
from search.backends.whoosh.storage import open_index


@contextmanager
def searcher_on(index_dir: Path) -> Iterator[Searcher]:
    """A searcher over the index's newest commit, closed afterwards."""
    with open_index(index_dir).searcher() as searcher:
        yield searcher


@contextmanager
def snapshot_on(index_dir: Path) -> Iterator[Snapshot]:
    """The index's newest commit as the engine hands it to a call (its own parts, shared with nothing)."""
    with searcher_on(index_dir) as searcher:
        yield Snapshot(searcher)


def index_arrays(index_dir: Path) -> IndexArrays:
    """The posting arrays and facet columns of the index's newest commit, as a search sees them."""
    with searcher_on(index_dir) as searcher:
        return Snapshot(searcher).arrays


def write_article(folder: Path, name: str, body: str, *, dateline: str = "Jakarta, Kompas.com -") -> Path:
    """An article file as a scraper saves it: a dateline, then the body."""
    path = folder / name
    path.write_text(f"{dateline} {body}\n", encoding="utf-8")
    return path


def write_records(path: Path, records: list[dict[str, str]]) -> Path:
    """Articles as a JSONL file of records (``id``, ``title``, ``text``, ``outlet``, ``date``...)."""
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path
