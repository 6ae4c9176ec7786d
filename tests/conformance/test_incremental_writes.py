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


def test_one_writer_at_a_time_and_the_second_is_told_the_index_is_busy(fresh_engine: EngineConfig) -> None:
    """A write waits for the one in progress; past its timeout it is told so (the API answers 503), and nothing is lost."""
    first_started, first_may_end = threading.Event(), threading.Event()

    def slow_results() -> Iterator[Extracted]:
        yield Extracted(Article(id="pertama", body="JAKARTA - Tulisan pertama tentang banjir."))
        first_started.set()
        first_may_end.wait(60)

    first = threading.Thread(target=lambda: open_engine(fresh_engine).index(slow_results()))
    first.start()
    assert first_started.wait(60)
    second = [Extracted(Article(id="kedua", body="BANDUNG - Tulisan kedua tentang gempa."))]
    with pytest.raises(IndexBusy):
        open_engine(fresh_engine).index(second, lock_timeout=0.5)
    first_may_end.set()
    first.join(60)
    assert open_engine(fresh_engine).index(second, lock_timeout=30).added == 1
    assert _ids(fresh_engine) == {"pertama", "kedua"}
