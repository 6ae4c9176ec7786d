"""Cari Berita itself, driven the way the server drives it (its engine: searchers reused per commit, mapped pages kept within budget)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bench.peers.base import Answer, BenchQuery, folder_size
from search.backends.whoosh.engine import WhooshEngine as Engine
from search.backends.whoosh.indexer import index_results
from search.domain.article import Article
from search.domain.request import SearchRequest
from search.engine import SearchEngine
from search.extract import Extracted


def answer_of(engine: SearchEngine, query: BenchQuery) -> Answer:
    """The benchmark query as the search page asks it of an engine (our backends alike)."""
    request = SearchRequest(q=query.text, outlets=(query.outlet,) if query.outlet else (), date=query.year)
    result = engine.search(request)
    return Answer(result.total, [h.id for h in result.hits], [h.snippet for h in result.hits],
                  result.counts.get("outlet", {}), result.counts.get("date", {}))


class Ours:
    name = "Cari Berita"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.engine = Engine(folder)

    def build(self, articles: Iterable[Article]) -> None:
        index_results(self.folder, (Extracted(article) for article in articles))

    def add(self, articles: list[Article]) -> None:
        index_results(self.folder, [Extracted(article) for article in articles])

    def search(self, query: BenchQuery) -> Answer:
        return answer_of(self.engine, query)

    def size_bytes(self) -> int:
        return folder_size(self.folder)
