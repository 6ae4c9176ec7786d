"""What one commit derives is computed once per engine and shared by its threads; an export reads one commit to its last row."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from search.backends.whoosh import engine as engine_module
from search.backends.whoosh import snapshot as snapshot_module
from search.backends.whoosh.columns import Columns
from search.backends.whoosh.engine import WhooshEngine
from search.backends.whoosh.evaluation import IndexArrays
from search.domain.request import SearchRequest
from search.domain.result import Hit
from search.extract import read_paths


def _write(engine: WhooshEngine, folder: Path, numbers: range) -> None:
    """The archive is ``folder``'s one file of these articles: others indexed before are deleted, one commit each."""
    records = [{"id": f"r{n:03d}", "date": f"2020-01-{1 + n % 28:02d}", "text": f"JAKARTA - Pameran anggrek ke-{n} dibuka di balai kota."}
               for n in numbers]
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert engine.index(read_paths([folder / "a.jsonl"]), folders=[folder], commit_every=1).ok


@pytest.fixture()
def engine(tmp_path: Path) -> WhooshEngine:
    (tmp_path / "arsip").mkdir()
    engine = WhooshEngine(tmp_path / "ix")
    _write(engine, tmp_path / "arsip", range(12))
    return engine


def test_threads_share_one_commits_parts_and_a_new_commit_gets_its_own(engine: WhooshEngine, tmp_path: Path) -> None:
    seen: list[IndexArrays] = []
    threads = [threading.Thread(target=lambda: seen.append(engine._run(lambda snapshot: snapshot.arrays))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and all(arrays is seen[0] for arrays in seen)
    _write(engine, tmp_path / "arsip", range(13))
    after = engine._run(lambda snapshot: snapshot.arrays)
    assert after is not seen[0] and after.doc_count_all > seen[0].doc_count_all


def test_warming_computes_what_the_engines_searches_then_use(engine: WhooshEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[IndexArrays] = []

    class Counted(IndexArrays):
        def __init__(self, searcher: object, columns: Columns) -> None:
            super().__init__(searcher, columns)
            built.append(self)

    monkeypatch.setattr(snapshot_module, "IndexArrays", Counted)
    engine.warm()
    assert len(built) == 1
    assert engine.search(SearchRequest(q="pameran")).total == 12
    assert engine.about(SearchRequest(q="anggrek")).total == 12
    assert len(built) == 1


def test_an_export_reads_its_own_commit_to_the_last_row(engine: WhooshEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits that delete, add and merge, and a search on the same thread in between, change nothing an export reads."""
    monkeypatch.setattr(engine_module, "EXPORT_CHUNK", 5)
    request = SearchRequest(q="pameran", sort="terlama")
    expected = [hit.id for hit in engine.export(request).rows]
    export = engine.export(request)
    rows = [next(export.rows).id]
    _write(engine, tmp_path / "arsip", range(6, 30))
    assert engine.search(SearchRequest(q="pameran")).total == 24
    rows += [hit.id for hit in export.rows]
    assert export.total == 12 and rows == expected
    assert sorted(hit.id for hit in engine.export(request).rows) == [f"r{n:03d}" for n in range(6, 30)]


def test_a_file_gone_before_the_first_row_is_retried_on_a_fresh_searcher(engine: WhooshEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    read = engine_module.stored_articles

    def vanishing(snapshot: snapshot_module.Snapshot, docnums: list[int]) -> list[Hit]:
        calls.append(len(docnums))
        if len(calls) == 1:
            raise FileNotFoundError("a merge took a segment file away")
        return read(snapshot, docnums)

    monkeypatch.setattr(engine_module, "stored_articles", vanishing)
    export = engine.export(SearchRequest(q="pameran"))
    assert export.total == 12 and len(list(export.rows)) == 12 and len(calls) == 2
