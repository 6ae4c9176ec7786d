"""Live indexing with real processes: watch, SIGKILL mid-run, and searches during writes and swaps."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from search.backends.whoosh.storage import open_index, write_lock
from tests.conftest import INDOSUM_SAMPLE, ROOT, SEEDS, Backend, running_server

pytestmark = pytest.mark.slow


def _corpus(path: Path, copies: int) -> int:
    """A JSONL of the IndoSum sample repeated under new ids (``copies`` times)."""
    records = [json.loads(line) for line in INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for record in records:
                out.write(json.dumps({**record, "id": f"{record['id']}-{copy}"}, ensure_ascii=False) + "\n")
    return copies * len(records)


def _count(index_dir: Path) -> int:
    with open_index(index_dir).searcher() as searcher:
        return searcher.doc_count()


def _berita(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "web", *args], cwd=ROOT, text=True, **kwargs)  # type: ignore[call-overload]


def _wait_until(check, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_sigkill_mid_run_never_corrupts_and_the_next_run_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "besar.jsonl"
    total = _corpus(corpus, 6)
    index_dir = tmp_path / "ix"
    rng = random.Random(20261123)
    present = 0
    for attempt in range(4):
        process = _berita("index", str(corpus), "--index-dir", str(index_dir), "--commit-every", "60",
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        committed: list[int] = []

        def read(stream=process.stderr, sink=committed) -> None:
            for line in stream:
                if line.startswith("committed "):
                    sink.append(int(line.split()[1]))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert _wait_until(lambda committed=committed, attempt=attempt: len(committed) >= 1 + attempt % 2, timeout=60), "no commit before the kill"
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        reader.join(timeout=5)
        with write_lock(index_dir, timeout=10):  # nothing the killed writer started keeps the index locked
            pass
        count = _count(index_dir)  # the index always opens
        assert count >= present + committed[-1] or count == total  # every committed article is there
        assert count <= total
        present = count
    finished = subprocess.run([sys.executable, "-m", "web", "index", str(corpus), "--index-dir", str(index_dir)],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert f"{total - present} added" in finished.stdout
    assert _count(index_dir) == total


def backend_environment(name: str, request: pytest.FixtureRequest, folder: Path) -> dict[str, str]:
    """The environment that points ``berita`` at a fresh index of backend ``name`` (a cluster's index named after ``folder``)."""
    if name == "whoosh":
        return {"BERITA_ENGINE": "whoosh"}
    config = Backend(name, request.getfixturevalue("opensearch_url")).fresh(folder)
    return {"BERITA_ENGINE": name, "BERITA_OPENSEARCH_URL": config.url, "BERITA_OPENSEARCH_INDEX": config.index_name}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("backend", ["whoosh", "opensearch"])
def test_watch_indexes_new_changed_and_removed_files(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    (folder / "awal.txt").write_text((SEEDS / "003_59376e1a3b7f6707.txt").read_text(encoding="utf-8"), encoding="utf-8")
    index_dir = tmp_path / "ix"
    env = backend_environment(backend, request, index_dir)
    watcher = _berita("watch", str(folder), "--index-dir", str(index_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                      env={**os.environ, **env})
    try:
        assert watcher.stdout and "1 added" in watcher.stdout.readline()
        assert "watching" in watcher.stdout.readline()
        with running_server(index_dir, env=env) as base:

            def hits(q: str) -> set[str]:
                with urllib.request.urlopen(f"{base}/api/search?q={q}", timeout=10) as response:
                    return {hit["id"] for hit in json.loads(response.read())["hits"]}

            (folder / "baru.txt").write_text("JAKARTA - Pameran anggrek dibuka di Monas.\n", encoding="utf-8")
            assert _wait_until(lambda: hits("anggrek") == {"baru"})
            (folder / "baru.txt").write_text("JAKARTA - Pameran kaktus dibuka di Monas.\n", encoding="utf-8")
            assert _wait_until(lambda: hits("kaktus") == {"baru"} and not hits("anggrek"))
            (folder / "awal.txt").unlink()
            assert _wait_until(lambda: not hits("balikpapan"))
            secret = tmp_path / "rahasia.txt"
            secret.write_text("Kata sandi server ada di sini.\n", encoding="utf-8")
            (folder / "bocor.txt").symlink_to(secret)  # a link out of the folder is never followed
            (folder / "rusak.txt").write_bytes(b"\x00\x01binary")
            (folder / "sub").mkdir()
            (folder / "sub" / "dalam.txt").write_text("BOGOR - Kebun raya ramai pengunjung.\n", encoding="utf-8")
            assert _wait_until(lambda: hits("kebun") == {"dalam"})
            assert not hits("sandi")
    finally:
        watcher.terminate()
        output = watcher.communicate(timeout=10)[0]
    assert "failed: " in output and "rusak.txt: not a text file" in output
    assert "bocor.txt: symbolic link to a file outside the folder; not followed" in output


def test_searches_never_fail_while_another_process_indexes_and_rebuilds(tmp_path: Path) -> None:
    corpus = tmp_path / "besar.jsonl"
    total = _corpus(corpus, 4)
    index_dir = tmp_path / "ix"
    subprocess.run([sys.executable, "-m", "web", "index", str(SEEDS), "--index-dir", str(index_dir)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    seen: list[list[int]] = [[], [], []]
    errors: list[str] = []
    stop = threading.Event()
    with running_server(index_dir) as base:

        def search_loop(totals: list[int]) -> None:
            deadline = time.monotonic() + 300
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"{base}/api/search?size=1", timeout=30) as response:
                        totals.append(json.loads(response.read())["total"])
                except Exception as error:  # noqa: BLE001 - every failure is what this test counts
                    errors.append(repr(error))

        loops = [threading.Thread(target=search_loop, args=(totals,)) for totals in seen]
        for loop in loops:
            loop.start()
        try:
            adding = subprocess.run([sys.executable, "-m", "web", "index", str(corpus), "--index-dir", str(index_dir),
                                     "--commit-every", "50"], cwd=ROOT, capture_output=True, text=True, timeout=600)
            assert adding.returncode == 0, adding.stderr
            rebuild_starts = [len(totals) for totals in seen]
            rebuilt = subprocess.run([sys.executable, "-m", "web", "index", "--rebuild", "--index-dir", str(index_dir)],
                                     cwd=ROOT, capture_output=True, text=True, timeout=600)
            assert rebuilt.returncode == 0, rebuilt.stderr
            time.sleep(0.5)
        finally:
            stop.set()
            for loop in loops:
                loop.join()
    assert errors == []
    for totals, rebuild_start in zip(seen, rebuild_starts, strict=True):
        assert len(totals) > 20
        assert totals == sorted(totals)  # counts only grow, commit by commit
        assert totals[0] >= 5 and totals[-1] == 5 + total
        assert set(totals[rebuild_start:]) == {5 + total}  # during and after the swap nothing goes missing
    assert len({t for totals in seen for t in totals}) > 3  # counts moved as commits landed


def _word(number: int) -> str:
    """A made-up word no article uses: ``zorvexab``, ``zorvexac``, …"""
    letters = ""
    for _ in range(3):
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
    return "zorvex" + letters


def test_every_acknowledged_post_survives_concurrent_searches_and_a_rebuild(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    subprocess.run([sys.executable, "-m", "web", "index", str(SEEDS), "--index-dir", str(index_dir)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    token = "uji-serentak"
    acknowledged: list[str] = []
    errors: list[str] = []
    statuses: list[int] = []
    stop = threading.Event()
    paths = ["/api/search?q=netralitas", "/?q=netralitas+asn", "/api/search?q=zorvex*&sort=terbaru", "/api/export.json?q=banjir",
             "/artikel/003_59376e1a3b7f6707", "/api/search?date=2024&grouping=off", "/?q=pemilu&page=1&sort=terlama"]
    with running_server(index_dir, env={"BERITA_INGEST_TOKEN": token}) as base:

        def search_loop(offset: int) -> None:
            rng = random.Random(offset)
            while not stop.is_set():
                path = rng.choice(paths)
                try:
                    with urllib.request.urlopen(base + path, timeout=60) as response:
                        response.read()
                except urllib.error.HTTPError as error:
                    if not (error.code == 503 and error.headers["Retry-After"] and "export" in path):  # heavy work waits its turn
                        errors.append(f"{path}: {error!r}")
                except Exception as error:  # noqa: BLE001 - every failure is what this test counts
                    errors.append(f"{path}: {error!r}")

        def post(batch: int) -> None:
            records = [{"id": f"kirim-{batch}-{i}", "date": "2025-03-05",
                        "text": f"JAKARTA - Banjir melanda kawasan {_word(batch * 10 + i)} pada malam hari."} for i in range(10)]
            request = urllib.request.Request(f"{base}/api/articles", data=json.dumps(records).encode(), method="POST",
                                             headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    statuses.append(response.status)
                    if response.status == 201:
                        acknowledged.extend(json.loads(response.read())["ids"])
            except urllib.error.HTTPError as error:
                statuses.append(error.code)  # 503 while the lock is held past its wait: not acknowledged, not lost

        clients = [threading.Thread(target=search_loop, args=(n,)) for n in range(8)]
        for client in clients:
            client.start()
        try:
            for batch in range(15):
                post(batch)
            rebuild = _berita("index", "--rebuild", "--index-dir", str(index_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for batch in range(15, 30):  # posts go on while the rebuild runs and swaps generations
                post(batch)
            out, err = rebuild.communicate(timeout=600)
            assert rebuild.returncode == 0, err
        finally:
            stop.set()
            for client in clients:
                client.join()

        assert errors == []
        assert set(statuses) <= {201, 503} and statuses.count(201) >= 20
        for number, article_id in enumerate(acknowledged):
            with urllib.request.urlopen(f"{base}/api/artikel/{article_id}", timeout=30) as response:
                assert json.loads(response.read())["id"] == article_id
            batch, i = (int(part) for part in article_id.split("-")[1:])
            with urllib.request.urlopen(f"{base}/api/search?grouping=off&size=100&q={_word(batch * 10 + i)}", timeout=30) as response:
                assert article_id in {hit["id"] for hit in json.loads(response.read())["hits"]}, (number, article_id)
