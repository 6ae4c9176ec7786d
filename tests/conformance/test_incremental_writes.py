"""Incremental writes on every backend: unchanged articles skipped, removed files and records deleted, rebuilds that keep everything."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.domain.article import Article
from search.domain.errors import IndexBusy
from search.engine import EngineConfig, open_engine
from search.extract import Extracted
from tests.conftest import SEEDS, berita_index, cli_args, indexed_ids

_index, _ids = berita_index, indexed_ids


def test_file_removed_from_an_indexed_folder_is_deleted(archive: Path, tmp_path: Path, fresh_engine: EngineConfig) -> None:
    _index(str(archive), *cli_args(fresh_engine))
    (archive / "001_7207b2c10b363d07.txt").unlink()
    code, output = _index(str(archive), *cli_args(fresh_engine))
    assert "0 added, 0 updated, 4 unchanged, 1 deleted, 0 failed" in output
    assert "001_7207b2c10b363d07" not in _ids(fresh_engine)


def test_indexing_another_folder_does_not_delete_this_one(archive: Path, tmp_path: Path, fresh_engine: EngineConfig) -> None:
    _index(str(archive), *cli_args(fresh_engine))
    other = tmp_path / "lain"
    other.mkdir()
    (other / "baru.txt").write_text("JAKARTA - Isi berita baru.", encoding="utf-8")
    code, output = _index(str(other), *cli_args(fresh_engine))
    assert "1 added, 0 updated, 0 unchanged, 0 deleted, 0 failed" in output
    assert len(_ids(fresh_engine)) == 6


def test_record_removed_from_a_reread_file_is_deleted(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    data = tmp_path / "batch.jsonl"
    records = [{"id": f"r{i}", "text": f"Isi berita nomor {i}."} for i in range(3)]
    data.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    _index(str(data), *cli_args(fresh_engine))
    data.write_text("\n".join(json.dumps(r) for r in records[:2]), encoding="utf-8")
    code, output = _index(str(data), *cli_args(fresh_engine))
    assert "0 added, 0 updated, 2 unchanged, 1 deleted, 0 failed" in output
    assert _ids(fresh_engine) == {"r0", "r1"}


def test_a_file_that_breaks_keeps_its_articles(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    data = tmp_path / "batch.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "Isi."}) + "\n", encoding="utf-8")
    _index(str(data), *cli_args(fresh_engine))
    data.write_text("{rusak\n", encoding="utf-8")
    code, output = _index(str(data), *cli_args(fresh_engine))
    assert code == 1 and "0 deleted, 1 failed" in output
    assert _ids(fresh_engine) == {"a"}  # nothing is lost because a file went bad


def test_same_id_from_another_existing_file_is_refused(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "sama.txt").write_text(f"JAKARTA - Isi dari {folder}.", encoding="utf-8")
    _index(str(tmp_path / "a"), *cli_args(fresh_engine))
    code, output = _index(str(tmp_path / "b"), *cli_args(fresh_engine))
    assert code == 1 and f"already indexed from {(tmp_path / 'a' / 'sama.txt').resolve()}" in output


def test_a_rebuild_keeps_every_article_including_those_without_a_file(archive: Path, tmp_path: Path, fresh_engine: EngineConfig) -> None:
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "api-like", "text": "Artikel tanpa berkas di folder."}) + "\n", encoding="utf-8")
    _index(str(archive), str(extra), *cli_args(fresh_engine))
    extra.unlink()  # its article must survive the rebuild: the old index carries it over
    code, output = _index("--rebuild", str(archive), *cli_args(fresh_engine))
    assert code == 0, output
    assert "rebuilt: 6 articles carried over" in output
    assert _ids(fresh_engine) == {p.stem for p in SEEDS.glob("*.txt")} | {"api-like"}


# Whether two incremental writes of one index run side by side: the embedded index has one
# writer at a time (Whoosh's lock); a cluster writes each article atomically, so its
# incremental writers share the index and only a rebuild has it alone.
WRITERS_SIDE_BY_SIDE = {"whoosh": False, "opensearch": True}
FIRST = Article(id="pertama", body="JAKARTA - Tulisan pertama tentang banjir.")
SECOND = Article(id="kedua", body="BANDUNG - Tulisan kedua tentang gempa.")


class SlowWrite:
    """A write of ``FIRST`` in another thread that holds its lock until :meth:`end` (a rebuild, or an incremental write)."""

    def __init__(self, config: EngineConfig, *, rebuild: bool) -> None:
        self.started, self.may_end = threading.Event(), threading.Event()
        engine = open_engine(config)
        write = engine.rebuild if rebuild else engine.index
        self.thread = threading.Thread(target=lambda: write(self._results()))
        self.thread.start()
        assert self.started.wait(60)

    def _results(self) -> Iterator[Extracted]:
        yield Extracted(FIRST)
        self.started.set()
        self.may_end.wait(60)

    def end(self) -> None:
        self.may_end.set()
        self.thread.join(60)


def test_a_second_incremental_write_waits_or_runs_beside_as_the_backend_allows(fresh_engine: EngineConfig) -> None:
    """Past its timeout a waiting write is told the index is busy (the API answers 503); nothing is lost either way."""
    open_engine(fresh_engine).index([Extracted(Article(id="awal", body="MEDAN - Arsip sudah ada."))])
    first = SlowWrite(fresh_engine, rebuild=False)
    try:
        if WRITERS_SIDE_BY_SIDE[fresh_engine.name]:
            assert open_engine(fresh_engine).index([Extracted(SECOND)], lock_timeout=5).added == 1
        else:
            with pytest.raises(IndexBusy):
                open_engine(fresh_engine).index([Extracted(SECOND)], lock_timeout=0.5)
    finally:
        first.end()
    assert open_engine(fresh_engine).index([Extracted(SECOND)], lock_timeout=30).added == int(not WRITERS_SIDE_BY_SIDE[fresh_engine.name])
    assert _ids(fresh_engine) == {"awal", "pertama", "kedua"}


@pytest.mark.parametrize("rebuilding_first", [False, True], ids=["rebuild-waits-for-write", "write-waits-for-rebuild"])
def test_a_rebuild_and_a_write_never_run_at_once(fresh_engine: EngineConfig, rebuilding_first: bool) -> None:
    """A post that landed in the old index while a rebuild copies it would be lost when the new one takes its place."""
    open_engine(fresh_engine).index([Extracted(Article(id="awal", body="MEDAN - Arsip sudah ada."))])
    second = open_engine(fresh_engine)
    write = second.index if rebuilding_first else second.rebuild
    first = SlowWrite(fresh_engine, rebuild=rebuilding_first)
    try:
        with pytest.raises(IndexBusy):
            write([Extracted(SECOND)], lock_timeout=0.5)
    finally:
        first.end()
    write([Extracted(SECOND)], lock_timeout=30)
    assert _ids(fresh_engine) == {"awal", "pertama", "kedua"}
