"""The Whoosh backend's own limits and housekeeping.

A prefix stands for its most frequent words, a POST reads only what it changes, and what killed writers left goes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.backends.whoosh.indexer import index_results
from search.domain.article import Article
from search.extract import Extracted
from tests.conftest import INGEST_AUTH as AUTH
from tests.conftest import Backend, ingest_client


def test_a_prefix_stands_for_its_most_frequent_words_only(sample_client) -> None:
    from search.backends.whoosh.parsing import MAX_PREFIX_WORDS, parse_user_query
    from search.backends.whoosh.snapshot import Snapshot
    from search.backends.whoosh.storage import open_index

    with open_index(Path(sample_client.application.config["INDEX_DIR"])).searcher() as searcher:
        snapshot = Snapshot(searcher)
        words = {text for field, text in parse_user_query("ber*", snapshot).iter_all_terms() if field == "body_exact"}
        every = [word for _, word in snapshot.arrays.prefixed("body_exact", "ber", 10**6)]
    assert every and all(word.startswith("ber") for word in every) and words <= set(every)
    assert len(every) > MAX_PREFIX_WORDS and len(words) == MAX_PREFIX_WORDS
    assert sample_client.get("/api/search?q=ber*").get_json()["total"] > 0


def test_leftover_generations_are_removed_by_the_next_writer(tmp_path: Path) -> None:
    import os
    import time

    from search.backends.whoosh.storage import create_generation, current_generation

    index_dir = tmp_path / "ix"
    index_results(index_dir, [Extracted(Article(id="a", body="Berita pertama."))])
    live = current_generation(index_dir)
    assert live is not None
    killed = create_generation(index_dir)  # what a rebuild killed before its swap leaves
    (killed / "MAIN_sisa.seg").write_bytes(b"x" * 1000)
    retired = index_dir / "gen-000000"  # a generation retired by an earlier swap, long unread
    retired.mkdir()
    old = time.time() - 3600
    os.utime(retired, (old, old))
    index_results(index_dir, [Extracted(Article(id="b", body="Berita kedua."))])
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-")) == [live.name]


def test_a_post_does_not_read_every_earlier_api_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost of one POST follows the POST, not the archive (it read all 20k API articles' fields)."""
    import search.backends.whoosh.known

    client = ingest_client(Backend("whoosh"), tmp_path)
    records = [{"id": f"awal-{i}", "text": f"Berita awal nomor {i} tentang panen."} for i in range(300)]
    assert client.post("/api/articles", json=records, headers=AUTH).status_code == 201
    reads: list[int] = []
    original = search.backends.whoosh.known.KnownArticles._at

    def counted(self: search.backends.whoosh.known.KnownArticles, docnum: int) -> tuple[str, object]:
        reads.append(docnum)
        return original(self, docnum)

    monkeypatch.setattr(search.backends.whoosh.known.KnownArticles, "_at", counted)
    assert client.post("/api/articles", json={"id": "satu", "text": "Satu berita lagi."}, headers=AUTH).status_code == 201
    assert client.post("/api/articles", json={"id": "awal-7", "text": "Berita awal nomor 7, diperbarui."}, headers=AUTH).status_code == 200
    assert len(reads) <= 1  # only the updated article's own record


def test_every_field_of_the_schema_is_in_the_field_operator_tests() -> None:
    """The conformance tests type every field name as an operator; a field added to the schema joins them here first."""
    from search.backends.whoosh.schema import build_schema
    from tests.conftest import INDEX_FIELD_NAMES

    assert sorted(set(build_schema().names()) - set(INDEX_FIELD_NAMES)) == []
