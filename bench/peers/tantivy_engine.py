"""Peer (3): tantivy (Rust, through its Python bindings) over the same stemmed text.

Title and body are stored as space-separated Sastrawi stems (as for FTS5), outlet and
month as raw fast fields counted with tantivy's terms aggregation; snippets come from
tantivy's SnippetGenerator (so they show stems).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import tantivy

from bench.peers.base import Answer, BenchQuery, folder_size
from search.analyzer import analyze
from search.domain.article import Article
from search.domain.facets import UNKNOWN

WRITER_HEAP = 256 * 1024 * 1024


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=False)
    builder.add_text_field("body", stored=True)
    for name in ("outlet", "month", "year"):
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    return builder.build()


def _document(article: Article) -> tantivy.Document:
    month = article.date.isoformat()[:7] if article.date else UNKNOWN
    return tantivy.Document(
        id=article.id,
        title=" ".join(analyze(article.title or "")),
        body=" ".join(analyze(article.body)),
        outlet=article.outlet_key or UNKNOWN,
        month=month,
        year=month[:4],
    )


class Tantivy:
    name = "tantivy"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index: tantivy.Index | None = None

    def build(self, articles: Iterable[Article]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(_schema(), path=str(self.folder))
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=2)
        for article in articles:
            writer.add_document(_document(article))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def _open(self) -> tantivy.Index:
        if self.index is None:
            self.index = tantivy.Index.open(str(self.folder))
        return self.index

    def add(self, articles: list[Article]) -> None:
        self._open()
        assert self.index is not None
        writer = self.index.writer(heap_size=64 * 1024 * 1024, num_threads=1)
        for article in articles:
            writer.add_document(_document(article))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def search(self, query: BenchQuery) -> Answer:
        self._open()
        assert self.index is not None
        stems = [s for w in query.words for s in analyze(w)]
        text = '+"' + " ".join(stems) + '"' if query.phrase else " ".join("+" + s for s in stems)
        if query.outlet:
            text += f' +outlet:"{query.outlet}"'
        if query.year:
            text += f' +year:"{query.year}"'
        parsed = self.index.parse_query(text, ["title", "body"])
        searcher = self.index.searcher()
        result = searcher.search(parsed, 10, count=True)
        generator = tantivy.SnippetGenerator.create(searcher, parsed, self.index.schema, "body")
        ids, snippets = [], []
        for _score, address in result.hits:
            doc = searcher.doc(address)
            ids.append(doc["id"][0])
            snippets.append(generator.snippet_from_doc(doc).to_html())
        aggs = searcher.aggregate(parsed, {
            "outlet": {"terms": {"field": "outlet", "size": 1000}},
            "month": {"terms": {"field": "month", "size": 1000}},
        })
        total = getattr(result, "count")  # noqa: B009 - tantivy's type stub leaves out the count it returns
        return Answer(
            total, ids, snippets,
            {b["key"]: b["doc_count"] for b in aggs["outlet"]["buckets"]},
            {b["key"]: b["doc_count"] for b in aggs["month"]["buckets"]},
        )

    def size_bytes(self) -> int:
        return folder_size(self.folder)
