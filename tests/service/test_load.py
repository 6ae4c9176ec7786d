"""Load with hostile and concurrent traffic against a real server: no 5xx, nothing lost, no one starved.

Both tests start ``berita serve`` (gunicorn, as in production) and drive it from threads
of this process over loopback. They assert what users notice: errors, lost articles, and
a normal search that takes longer than a second while others attack the service.
"""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conformance.test_hostile_input import HOSTILE_QUERIES
from tests.conftest import require_shared, running_server, running_threads

pytestmark = pytest.mark.slow
NORMAL_WORDS = ["harga", "minyak", "jakarta", "presiden", "banjir", "pemilu", "polisi", "sekolah", "pasar", "gubernur",
                "pemerintah", "ekonomi", "sepak bola", "jokowi", "warga", "kota", "listrik", "harga beras"]


def _fetch(url: str, timeout: float = 60) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_normal_searches_stay_fast_while_eight_hostile_requests_are_in_flight(indosum_index_dir: Path) -> None:
    stop = threading.Event()
    normal: list[tuple[float, int]] = []
    hostile: list[int] = []
    failures: list[str] = []
    with running_server(indosum_index_dir) as base:

        def attack(seed: int) -> None:
            rng = random.Random(seed)
            queries = list(HOSTILE_QUERIES.values())
            while not stop.is_set():
                query = urllib.parse.urlencode({"q": rng.choice(queries)[:500]})
                hostile.append(_fetch(f"{base}/api/search?{query}")[0])

        def use(seed: int) -> None:
            rng = random.Random(seed)
            stop.wait(rng.uniform(1.0, 3.0))  # people arrive one by one, after the attack has begun
            while not stop.is_set():
                words = " ".join(rng.sample(NORMAL_WORDS, rng.choice([1, 2])))
                path = rng.choice(["/api/search", "/"])
                started = time.monotonic()
                try:
                    status, _ = _fetch(f"{base}{path}?{urllib.parse.urlencode({'q': words})}")
                except OSError as error:
                    failures.append(repr(error))
                    continue
                normal.append((time.monotonic() - started, status))
                stop.wait(rng.uniform(0.2, 0.8))  # a person reads the page before the next search

        threads = [threading.Thread(target=attack, args=(n,)) for n in range(8)]
        threads += [threading.Thread(target=use, args=(100 + n,)) for n in range(16)]
        with running_threads(threads, stop):
            time.sleep(20)

    assert failures == []
    assert len(normal) > 100 and len(hostile) > 100
    assert {status for _, status in normal} == {200}
    assert set(hostile) <= {200, 400, 503}, sorted(set(hostile))  # costly work waits its turn (503, Retry-After), never fails
    slowest = max(seconds for seconds, _ in normal)
    assert slowest < 1.0, f"slowest normal search took {slowest:.2f} s"


@pytest.mark.timeout(1800)
def test_posts_of_5000_records_while_searching_and_exporting_lose_nothing(tmp_path: Path, seed_index_dir: Path) -> None:
    index_dir = tmp_path / "ix"
    shutil.copytree(seed_index_dir, index_dir)
    corpus = require_shared("corpus/indosum/articles.jsonl")
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    stop = threading.Event()
    errors: list[str] = []
    exports: list[int] = []
    with running_server(index_dir, env={"BERITA_INGEST_TOKEN": "uji"}) as base:

        def read(seed: int) -> None:
            rng = random.Random(seed)
            while not stop.is_set():
                path = rng.choice(["/api/search?q=jakarta", "/?q=harga&sort=terbaru", "/api/export.json?q=presiden",
                                   "/api/export.csv?q=jakarta", "/api/search?date=2017&grouping=off", "/artikel/003_59376e1a3b7f6707"])
                try:
                    status, body = _fetch(base + path)
                except Exception as error:  # noqa: BLE001 - a cut-off stream is what this test looks for
                    errors.append(f"{path}: {error!r}")
                    continue
                if status == 503 and "export" in path:
                    stop.wait(0.5)  # heavy work waits its turn: the client is told to come back (Retry-After)
                elif status != 200:
                    errors.append(f"{path}: {status}")
                elif path.startswith("/api/export.json"):
                    exports.append(len(json.loads(body)))  # a truncated export would not parse

        readers = [threading.Thread(target=read, args=(n,)) for n in range(8)]
        for reader in readers:
            reader.start()
        acknowledged: set[str] = set()
        try:
            for post in range(2):
                batch = [{**records[(i + post * 5000) % len(records)], "id": f"kirim-{post}-{i}"} for i in range(5000)]
                request = urllib.request.Request(f"{base}/api/articles", data=json.dumps(batch).encode(), method="POST",
                                                 headers={"Authorization": "Bearer uji", "Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=900) as response:
                    answer = json.loads(response.read())
                assert response.status == 201 and answer["added"] == 5000 and answer["errors"] == []
                acknowledged.update(answer["ids"])
        finally:
            stop.set()
            for reader in readers:
                reader.join()
        status, body = _fetch(f"{base}/api/export.json?grouping=off", timeout=300)
        stored = {row["id"] for row in json.loads(body)}

    assert errors == []
    assert len(exports) > 5
    assert len(acknowledged) == 10_000 and acknowledged <= stored
    assert len(stored) == 5 + 10_000
