"""A full disk: indexing fails with one clear line, the live index keeps answering, and writes
work again once space is freed, with nothing deleted by hand.

The index lives on a real size-limited tmpfs (mounting needs root, which CI has), so every
write fails the way it does on a full disk: ``ENOSPC`` from the kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.backends.whoosh.storage import open_index
from tests.conftest import IN_CI, INDOSUM_SAMPLE, ROOT, SEEDS
from web import create_app

pytestmark = pytest.mark.slow
SMALL = "4m"
TOKEN = "rahasia-uji"


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SMALL}", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        message = f"cannot mount a tmpfs here ({done.stderr.strip()}); the full-disk tests need root"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _grow(mount: Path) -> None:
    """Free space the way an operator would: give the disk more room."""
    subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)


def _big_corpus(path: Path, copies: int = 10) -> list[str]:
    """The IndoSum sample under new ids, ``copies`` times (about 5.6 MB: more than the disk holds)."""
    records = [json.loads(line) for line in INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines()]
    ids = []
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for record in records:
                ids.append(f"{record['id']}-{copy}")
                out.write(json.dumps({**record, "id": ids[-1]}, ensure_ascii=False) + "\n")
    return ids


def _berita(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "web", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def _used(mount: Path) -> int:
    return shutil.disk_usage(mount).used


def _seed_ids(index_dir: Path) -> set[str]:
    with open_index(index_dir).searcher() as searcher:
        return {str(fields["id"]) for fields in searcher.all_stored_fields()}


@pytest.mark.parametrize("rebuild", [False, True], ids=["index", "rebuild"])
def test_indexing_on_a_full_disk_fails_clearly_and_keeps_the_index(small_disk: Path, tmp_path: Path, rebuild: bool) -> None:
    index_dir = small_disk / "ix"
    assert _berita("index", str(SEEDS), "--index-dir", str(index_dir)).returncode == 0
    before, used = _seed_ids(index_dir), _used(small_disk)
    corpus = tmp_path / "besar.jsonl"
    ids = _big_corpus(corpus)

    failed = _berita("index", str(corpus), "--index-dir", str(index_dir), *(["--rebuild"] if rebuild else []))
    assert failed.returncode == 1
    assert f"no space left on the disk that holds {index_dir}" in failed.stderr
    assert "Traceback (most recent call last)" not in failed.stderr.replace("Process SubWriterTask", "")[-2000:]
    assert _seed_ids(index_dir) >= before  # the live index opens and holds everything it held
    searched = _berita("search", "netralitas", "--index-dir", str(index_dir), "--no-grouping")
    assert searched.returncode == 0 and searched.stdout.startswith("5 hasil")
    assert _used(small_disk) < used + 512 * 1024  # the failed write's files are gone
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-")) == ["gen-000001"]

    _grow(small_disk)
    again = _berita("index", str(corpus), "--index-dir", str(index_dir), *(["--rebuild"] if rebuild else []))
    assert again.returncode == 0, again.stderr
    assert _seed_ids(index_dir) == before | set(ids)


def test_the_api_answers_507_on_a_full_disk_and_accepts_again_once_space_is_freed(small_disk: Path) -> None:
    index_dir = small_disk / "ix"
    assert _berita("index", str(SEEDS), "--index-dir", str(index_dir)).returncode == 0
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True, "INGEST_TOKEN": TOKEN}).test_client()
    records = [json.loads(line) for line in INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines()]
    body = "\n".join(json.dumps({**r, "id": f"{r['id']}-{copy}"}) for copy in range(10) for r in records)
    auth = {"Authorization": f"Bearer {TOKEN}"}

    response = client.post("/api/articles", data=body, headers=auth)
    assert response.status_code == 507
    assert "Disk penuh" in response.get_json()["error"]
    assert client.get("/api/search?q=netralitas&grouping=off").get_json()["total"] == 5
    assert _seed_ids(index_dir) == {p.stem for p in SEEDS.glob("*.txt")}  # nothing half-stored

    os.sync()
    _grow(small_disk)
    again = client.post("/api/articles", data=body, headers=auth)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["added"] == 10 * len(records)
    assert client.get("/api/search?grouping=off").get_json()["total"] == 5 + 10 * len(records)
    assert client.get(f"/api/artikel/{records[0]['id']}-9").status_code == 200
