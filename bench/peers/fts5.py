"""Peer (2): SQLite FTS5 over the same Sastrawi-stemmed text, facets by GROUP BY.

The text is stemmed in Python with our analyzer and stored as space-separated stems, so
FTS5 matches the same terms we do; its snippets therefore show stems, not the words as
written (a real product on FTS5 would need a second, unstemmed copy for that).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from bench.peers.base import Answer, BenchQuery
from search.analyzer import analyze
from search.domain.article import Article
from search.domain.facets import UNKNOWN


def _row(article: Article) -> tuple[str, str, str, str, str]:
    month = article.date.isoformat()[:7] if article.date else UNKNOWN
    return (article.id, " ".join(analyze(article.title or "")), " ".join(analyze(article.body)), article.outlet_key or UNKNOWN, month)


def _quote(stem: str) -> str:
    return '"' + stem.replace('"', "") + '"'


class Fts5:
    name = "SQLite FTS5"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "fts.sqlite"
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(self.path)
        return self._db

    def build(self, articles: Iterable[Article]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        db = self._connect()
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, outlet UNINDEXED, month UNINDEXED)")
        batch = []
        for article in articles:
            batch.append(_row(article))
            if len(batch) >= 1000:
                db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", batch)
                batch.clear()
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", batch)
        db.commit()

    def add(self, articles: list[Article]) -> None:
        db = self._connect()
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", [_row(a) for a in articles])
        db.commit()

    def search(self, query: BenchQuery) -> Answer:
        db = self._connect()
        stems = [s for w in query.words for s in analyze(w)]
        match = _quote(" ".join(stems)) if query.phrase else " AND ".join(_quote(s) for s in stems)
        where, args = "docs MATCH ?", [match]
        if query.outlet:
            where += " AND outlet = ?"
            args.append(query.outlet)
        if query.year:
            where += " AND month LIKE ?"
            args.append(query.year + "-%")
        rows = db.execute(
            f"SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs WHERE {where} ORDER BY bm25(docs, 0, 2, 1) LIMIT 10",
            args,
        ).fetchall()
        outlets = dict(db.execute(f"SELECT outlet, count(*) FROM docs WHERE {where} GROUP BY outlet", args).fetchall())
        months = dict(db.execute(f"SELECT month, count(*) FROM docs WHERE {where} GROUP BY month", args).fetchall())
        return Answer(sum(outlets.values()), [r[0] for r in rows], [r[1] for r in rows], outlets, months)

    def size_bytes(self) -> int:
        return self.path.stat().st_size
