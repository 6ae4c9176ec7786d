"""Peer (1): the straightforward Whoosh implementation.

Same fields and analyzer as ours, with Whoosh indexing the exact forms and positions itself
(``build_schema(whoosh_complete=True)``: it answers phrases from them), written as the
Whoosh documentation writes it: one default
writer committed at the end, a new searcher per query, stock ``groupedby`` facets,
stock highlighting, no caches.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser, sorting
from whoosh.query import And, Prefix, Term

from bench.peers.base import Answer, BenchQuery, folder_size
from search.backends.whoosh.columns import column_text
from search.backends.whoosh.schema import build_schema, document_fields
from search.domain.article import Article


class PlainWhoosh:
    name = "plain Whoosh"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def build(self, articles: Iterable[Article]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(self.folder), build_schema(whoosh_complete=True))
        writer = ix.writer()
        for article in articles:
            writer.add_document(**document_fields(article, article.content_hash(), "", None, complete=True))
        writer.commit()

    def add(self, articles: list[Article]) -> None:
        writer = whoosh_index.open_dir(str(self.folder)).writer()
        for article in articles:
            writer.update_document(**document_fields(article, article.content_hash(), "", None, complete=True))
        writer.commit()

    def search(self, query: BenchQuery) -> Answer:
        ix = whoosh_index.open_dir(str(self.folder))
        with ix.searcher() as searcher:
            parsed = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.AndGroup).parse(query.text)
            filters = []
            if query.outlet:
                filters.append(Term("outlet_facet", query.outlet))
            if query.year:
                filters.append(Prefix("month", query.year + "-"))
            facets = {"outlet_facet": sorting.FieldFacet("outlet_facet", maptype=sorting.Count),
                      "month": sorting.FieldFacet("month", maptype=sorting.Count)}
            results = searcher.search(parsed, filter=And(filters) if filters else None, limit=10, groupedby=facets)
            ids = [hit["id"] for hit in results]
            snippets = [hit.highlights("body") for hit in results]
            return Answer(
                len(results), ids, snippets,
                {column_text(k): v for k, v in results.groups("outlet_facet").items()},
                {column_text(k): v for k, v in results.groups("month").items()},
            )

    def size_bytes(self) -> int:
        return folder_size(self.folder)
