"""A rebuild while readers search and writers post, on every backend: no search sees a half-built index, no acknowledged post is lost.

The Whoosh backend builds a new generation and moves its pointer; the OpenSearch backend
builds a new index and moves its alias. Either way a search answers from the old index or
the new one, both complete, and a post waits for the rebuild (its 201 comes after) or is
told the index is busy (503): never acknowledged and then dropped with the old index.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from flask.testing import FlaskClient

from search.engine import EngineConfig, open_engine
from search.extract import read_paths
from tests.conftest import INGEST_AUTH, INGEST_TOKEN, app_for, berita_index, cli_args, running_threads

ARTICLES = 400
QUERY = "/api/search?q=banjir&grouping=off"


def _archive(folder: Path) -> Path:
    """``ARTICLES`` records, every third about a flood (the searched word), as a scraper's JSONL."""
    folder.mkdir()
    lines = [json.dumps({"id": f"arsip-{n}", "title": f"Berita nomor {n}", "date": f"2024-03-{1 + n % 28:02d}",
                         "text": f"JAKARTA - {'Banjir melanda kampung' if n % 3 == 0 else 'Harga cabai naik di pasar'} nomor {n}, "
                                 f"kata warga setempat kepada wartawan pada hari itu."}) for n in range(ARTICLES)]
    (folder / "arsip.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_searches_and_posts_during_a_rebuild(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    archive = _archive(tmp_path / "arsip")
    assert berita_index(str(archive), *cli_args(fresh_engine))[0] == 0
    expected = app_for(fresh_engine).get(QUERY).get_json()["total"]
    assert expected == ARTICLES // 3 + 1
    stop = threading.Event()
    searched: list[tuple[int, int | None]] = []
    posted: list[tuple[str, int, str | None]] = []

    def search(client: FlaskClient) -> None:
        while not stop.is_set():
            answer = client.get(QUERY)
            searched.append((answer.status_code, (answer.get_json() or {}).get("total")))

    def post(client: FlaskClient, name: str) -> tuple[str, int, str | None]:
        article = {"id": f"kiriman-{name}", "title": "Pameran anggrek", "text": f"BOGOR - Pameran anggrek{name}uji dibuka."}
        answer = client.post("/api/articles", json=article, headers=INGEST_AUTH)
        return name, answer.status_code, (answer.get_json() or {}).get("error")

    def keep_posting(client: FlaskClient) -> None:
        number = 0
        while not stop.is_set():
            posted.append(post(client, str(number)))
            number += 1
            time.sleep(0.05)

    poster = app_for(fresh_engine, INGEST_TOKEN=INGEST_TOKEN)
    posted.append(post(poster, "sebelum"))  # in the old index: the rebuild must carry it over
    # The apps are made here: Python 3.11 can fail compiling their URL rules in several threads at once.
    threads = [threading.Thread(target=search, args=(app_for(fresh_engine),)) for _ in range(3)]
    threads.append(threading.Thread(target=keep_posting, args=(app_for(fresh_engine, INGEST_TOKEN=INGEST_TOKEN),)))
    with running_threads(threads, stop):
        time.sleep(0.5)
        report, carried = open_engine(fresh_engine).rebuild(read_paths([archive]), lock_timeout=30)
    posted.append(post(poster, "sesudah"))  # in the new one
    assert report.failed == [] and carried >= ARTICLES + 1
    assert len(searched) > 10 and set(searched) == {(200, expected)}  # every search answered, every one the whole archive's
    # A post during the rebuild waits for it (201 after) or, past the ingest API's lock timeout, is told the index is busy.
    assert {status for _, status, _ in posted} <= {201, 503}, posted
    acknowledged = [name for name, status, _ in posted if status == 201]
    assert {"sebelum", "sesudah"} <= set(acknowledged), posted
    client = app_for(fresh_engine)
    lost = [n for n in acknowledged if client.get(f"/api/search?q=anggrek{n}uji&grouping=off").get_json()["total"] != 1]
    assert not lost, lost
    assert open_engine(fresh_engine).count() == ARTICLES + len(acknowledged)
