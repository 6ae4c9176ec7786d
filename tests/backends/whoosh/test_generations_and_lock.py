"""The Whoosh index's generations, versions and write lock, and how its searchers and segments follow writes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search.backends.whoosh.storage import current_generation, write_lock
from search.domain.errors import IndexBusy
from search.engine import EngineConfig
from tests.conftest import ROOT, SEEDS, berita_index, indexed_ids

_index = berita_index


def _ids(index_dir: Path) -> set[str]:
    return indexed_ids(EngineConfig("whoosh", index_dir))


def test_unchanged_rerun_writes_nothing(archive: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    _index(str(archive), "--index-dir", str(index_dir))
    before = {p.name: p.stat().st_mtime_ns for p in current_generation(index_dir).iterdir()}  # type: ignore[union-attr]
    code, output = _index(str(archive), "--index-dir", str(index_dir))
    assert code == 0 and "0 added, 0 updated, 5 unchanged, 0 deleted, 0 failed" in output
    after = {p.name: p.stat().st_mtime_ns for p in current_generation(index_dir).iterdir()}  # type: ignore[union-attr]
    assert after == before


def test_rebuild_swaps_in_a_new_generation_and_keeps_every_article(archive: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "api-like", "text": "Artikel tanpa berkas di folder."}) + "\n", encoding="utf-8")
    _index(str(archive), str(extra), "--index-dir", str(index_dir))
    extra.unlink()  # its article must survive the rebuild: the old index carries it over
    first = current_generation(index_dir)
    code, output = _index("--rebuild", str(archive), "--index-dir", str(index_dir))
    assert code == 0, output
    assert "rebuilt: 6 articles carried over" in output
    assert "0 added, 0 updated, 5 unchanged, 0 deleted, 0 failed" in output
    assert current_generation(index_dir) != first
    assert _ids(index_dir) == {p.stem for p in SEEDS.glob("*.txt")} | {"api-like"}


def test_index_of_another_version_is_refused_then_rebuilt(archive: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    _index(str(archive), "--index-dir", str(index_dir))
    (current_generation(index_dir) / "berita.json").write_text('{"version": "schema-0+analyzer-0"}', encoding="utf-8")  # type: ignore[operator]
    code, output = _index(str(archive), "--index-dir", str(index_dir))
    assert code == 1 and "--rebuild" in output
    code, output = _index("--rebuild", "--index-dir", str(index_dir))
    assert code == 0 and "rebuilt: 5 articles carried over" in output
    assert len(_ids(index_dir)) == 5


def test_second_writer_waits_then_gives_a_clear_message(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from pathlib import Path; from search.backends.whoosh.storage import write_lock; import time\n"
         f"with write_lock(Path({str(index_dir)!r})):\n    print('held', flush=True); time.sleep(30)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(IndexBusy, match=f"being written by pid {holder.pid}"):
            with write_lock(index_dir, timeout=1.0):
                pass
        assert time.monotonic() - started >= 1.0
        code, output = _index(str(SEEDS), "--index-dir", str(index_dir), "--wait", "0.5")
        assert code == 1 and "is being written by" in output
    finally:
        holder.kill()
        holder.wait()
    # the kernel released the dead holder's lock: the next writer goes straight through
    code, output = _index(str(SEEDS), "--index-dir", str(index_dir), "--wait", "2")
    assert code == 0 and "5 added" in output


def test_a_reopened_searcher_sees_additions_deletions_and_merges_and_keeps_unchanged_segments(tmp_path: Path) -> None:
    """After each commit the next search sees it: a new article, a deleted one, and segments merged into one."""
    from search.backends.whoosh.indexer import index_results
    from search.backends.whoosh.query import run_search
    from search.backends.whoosh.searchers import SearcherCache
    from search.backends.whoosh.snapshot import Snapshot
    from search.backends.whoosh.storage import open_index
    from search.domain.request import SearchRequest
    from search.extract import read_paths

    source = tmp_path / "a.jsonl"
    index_dir = tmp_path / "ix"
    records = [{"id": f"r{n}", "text": f"JAKARTA - Pameran anggrek{n}x dibuka oleh gubernur di balai kota."} for n in range(4)]

    def write(kept: list[dict[str, str]]) -> None:
        source.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
        assert index_results(index_dir, read_paths([source]), folders=[tmp_path], commit_every=1).ok

    def ids(searchers: SearcherCache, word: str) -> set[str]:
        return {h.id for h in run_search(Snapshot(searchers.get()), SearchRequest(q=word)).hits}

    write(records[:2])
    searchers = SearcherCache(index_dir)
    assert ids(searchers, "pameran") == {"r0", "r1"}
    first_leaves = {leaf.segment().segment_id(): leaf for leaf, _ in searchers.get().reader().leaf_readers()}
    write(records[:3])  # a new segment; the old ones unchanged
    assert ids(searchers, "pameran") == {"r0", "r1", "r2"}
    kept = [leaf for leaf, _ in searchers.get().reader().leaf_readers() if leaf.segment().segment_id() in first_leaves]
    assert kept and all(leaf is first_leaves[leaf.segment().segment_id()] for leaf in kept)  # reused, not reopened
    write([records[0], records[2]])  # r1 deleted from an unchanged segment
    assert ids(searchers, "pameran") == {"r0", "r2"} and ids(searchers, "anggrek1x") == set()
    writer = open_index(index_dir).writer()
    writer.commit(optimize=True)  # every segment merged into one
    assert ids(searchers, "pameran") == {"r0", "r2"}
    assert len(searchers.get().reader().leaf_readers()) == 1
    writer = open_index(index_dir).writer()
    writer.commit()  # a commit that changes no segment: the one segment's reader is kept
    after = searchers.get()
    assert searchers.get() is after and ids(searchers, "pameran") == {"r0", "r2"}  # and not reopened on every search


def test_a_commit_whose_clean_up_left_the_old_table_of_contents_is_seen_all_the_same(tmp_path: Path) -> None:
    """A searcher is fresh while its own table of contents stands and the next one does not: a commit whose clean-up
    failed (the old table left behind, as a file another process holds open may be) is still seen at the next search."""
    from search.backends.whoosh.indexer import index_results
    from search.backends.whoosh.query import run_search
    from search.backends.whoosh.searchers import SearcherCache
    from search.backends.whoosh.snapshot import Snapshot
    from search.domain.request import SearchRequest
    from search.extract import read_paths

    source, index_dir = tmp_path / "a.jsonl", tmp_path / "ix"

    def write(count: int) -> None:
        source.write_text("".join(json.dumps({"id": f"r{n}", "text": f"JAKARTA - Pameran anggrek ke-{n} dibuka."}) + "\n"
                                  for n in range(count)), encoding="utf-8")
        assert index_results(index_dir, read_paths([source]), folders=[tmp_path]).ok

    write(1)
    searchers = SearcherCache(index_dir)
    assert run_search(Snapshot(searchers.get()), SearchRequest(q="pameran")).total == 1
    generation = current_generation(index_dir)
    assert generation is not None
    old_tables = {path.name: path.read_bytes() for path in generation.glob("_MAIN_*.toc")}
    write(2)
    for name, content in old_tables.items():
        (generation / name).write_bytes(content)  # the clean-up failed to remove it
    assert run_search(Snapshot(searchers.get()), SearchRequest(q="pameran")).total == 2


def test_only_small_segments_are_ever_merged_and_big_ones_keep_their_place(tmp_path: Path, monkeypatch) -> None:
    """Whoosh's own policy rewrote two dozen big segments in one commit at 300,000 articles; big ones stay put."""
    from search.backends.whoosh import merging
    from search.backends.whoosh.indexer import index_results
    from search.backends.whoosh.query import run_search
    from search.backends.whoosh.searchers import SearcherCache
    from search.backends.whoosh.snapshot import Snapshot
    from search.backends.whoosh.storage import open_index
    from search.domain.request import SearchRequest
    from search.extract import read_paths

    monkeypatch.setattr(merging, "SMALL_SEGMENT_DOCS", 5)
    index_dir = tmp_path / "ix"
    for part, (first, count, every) in enumerate([(0, 8, 100), (8, 8, 100), (16, 25, 1)]):
        source = tmp_path / f"p{part}.jsonl"
        source.write_text("".join(json.dumps({"id": f"r{n}", "text": f"JAKARTA - Pameran anggrek ke-{n} dibuka di balai kota."}) + "\n"
                                  for n in range(first, first + count)), encoding="utf-8")
        assert index_results(index_dir, read_paths([source]), commit_every=every).ok
        if part == 1:
            with open_index(index_dir).reader() as reader:
                big = [leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()]
            assert len(big) == 2
    with open_index(index_dir).reader() as reader:
        segments = [(leaf.segment().segment_id(), leaf.doc_count_all()) for leaf, _ in reader.leaf_readers()]
    assert [s for s, _ in segments[:2]] == big  # the two big segments, never rewritten, first and in order
    small = [count for _, count in segments[2:]]
    assert len(small) < merging.MERGE_SMALL_AT and sum(small) == 25  # 25 one-article commits, merged as they gathered
    assert any(count > 1 for count in small)
    assert run_search(Snapshot(SearcherCache(index_dir).get()), SearchRequest(q="pameran", size=50)).total == 41


def test_an_index_written_before_the_analyzer_module_was_renamed_still_opens() -> None:
    """Such an index's pickled schema names search.analysis.ApostropheFilter and search.analysis.stem_word."""
    import pickle

    from search.backends.whoosh.schema import build_schema

    written_before = pickle.dumps(build_schema()).replace(b"search.analyzer", b"search.analysis")
    assert b"search.analysis" in written_before
    schema = pickle.loads(written_before)
    assert [token.text for token in schema["body"].analyzer("Ditegaskan menegaskan")] == ["tegas", "tegas"]
