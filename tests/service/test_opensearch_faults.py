"""The OpenSearch backend when its cluster fails: a node killed under load, a cluster out of reach, wrong credentials, a red index.

What users must see is the same in every case: an answer of 503 (the page, the API, a POST
that was not stored) or one line and exit status 1 (the command line), each naming the
cluster's URL without its password, never a 500 or a stack trace; and an article the
service acknowledged with 201 is never lost. The cluster is the session's three nodes
(``opensearch_cluster`` in tests/conftest.py); the node-kill test prints what it measured
(run with ``-s`` to read it).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import json
import os
import random
import re
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web

from search.backends.opensearch.mapping import index_body
from search.engine import EngineConfig, open_engine
from tests.conftest import (
    INDOSUM_SAMPLE,
    INGEST_AUTH,
    INGEST_TOKEN,
    SEEDS,
    Backend,
    OpenSearchCluster,
    app_for,
    berita,
    cli_args,
    free_port,
    index_into,
    running_server,
    running_threads,
)
from tests.service.test_opensearch_cluster import CLUSTER_TIMEOUT, get, wait_for
from web.cluster import alive

UNAVAILABLE = "Indeks belum tersedia"  # how the app begins a 503 for IndexUnavailable (web/errors.py)
WORDS = ["harga minyak", "banjir", "presiden", "pemilu", "sekolah", "polisi", "gubernur jakarta", "ekonomi", "pasar", "warga"]


def _call(base: str, path: str, body: object = None, headers: dict[str, str] | None = None, timeout: float = 180) -> tuple[int, bytes]:
    """Status and body of one GET (or a POST of ``body`` as JSON) to the server at ``base``; HTTP errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _ask(cluster: OpenSearchCluster, path: str) -> Any:
    """The JSON answer of the first node that answers ``path`` (one of them may be down)."""
    for url in cluster.urls.split(","):
        with contextlib.suppress(OSError):
            return get(url + path)
    raise AssertionError(f"no node of {cluster.urls} answers {path}")


def _window(times: list[float], start: float) -> str:
    """From the first of ``times`` to the last, in seconds, and when that began after ``start``."""
    return f"{times[-1] - times[0]:.1f} s (from {times[0] - start:+.1f} s)" if times else "none"


def _manager(cluster: OpenSearchCluster) -> str:
    """The name of the cluster manager as a live node knows it (``-`` while there is none)."""
    return str(_ask(cluster, "/_cat/cluster_manager?format=json&local=true")[0]["node"])


def _drop(cluster: OpenSearchCluster, alias: str) -> None:
    """Delete the indexes behind ``alias`` (a test's fresh index), so the session's cluster holds no leftovers."""
    for name in get(f"{cluster.url}/_alias/{alias}"):
        get(f"{cluster.url}/{name}", "DELETE")


def _article(article_id: str, number: int) -> dict[str, str]:
    return {"id": article_id, "title": f"Pameran Anggrek Ke-{number}",
            "text": f"Jakarta, CNN Indonesia -- Pameran anggrek nomor {number} dibuka hari ini oleh gubernur."}


def _server_env(config: EngineConfig) -> dict[str, str]:
    """``berita serve`` on the index ``config`` names, taking POSTs with :data:`INGEST_TOKEN`."""
    return {"BERITA_ENGINE": config.name, "BERITA_OPENSEARCH_URL": config.url, "BERITA_OPENSEARCH_INDEX": config.index_name,
            "BERITA_INGEST_TOKEN": INGEST_TOKEN}


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_killing_the_cluster_manager_under_load_loses_no_acknowledged_article(opensearch_cluster: OpenSearchCluster,
                                                                             tmp_path: Path) -> None:
    config = Backend("opensearch", opensearch_cluster.urls).fresh(tmp_path / "ix")
    report = index_into(config, SEEDS, INDOSUM_SAMPLE)
    assert report.added == 245 and report.ok
    settings = _ask(opensearch_cluster, f"/{config.index_name}/_settings")
    assert [one["settings"]["index"]["number_of_replicas"] for one in settings.values()] == ["1"]

    stop = threading.Event()
    answers: list[tuple[float, float, str, int, bytes]] = []  # (sent, answered, what, status, body): every answer
    acknowledged: list[str] = []
    broken: list[str] = []  # requests that got no HTTP answer at all

    def search(base: str, seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            sent = time.monotonic()
            try:
                status, body = _call(base, "/api/search?q=" + urllib.parse.quote(rng.choice(WORDS)))
            except OSError as error:
                broken.append(repr(error))
                continue
            answers.append((sent, time.monotonic(), "search", status, body))
            stop.wait(rng.uniform(0.0, 0.2))

    def post(base: str, writer: int) -> None:
        rng = random.Random(writer)
        number = 0
        while not stop.is_set():
            number += 1
            article_id = f"gugur-{writer}-{number}"
            sent = time.monotonic()
            try:
                status, body = _call(base, "/api/articles", _article(article_id, number), INGEST_AUTH)
            except OSError as error:
                broken.append(repr(error))
                continue
            answers.append((sent, time.monotonic(), "post", status, body))
            if status == 201 and json.loads(body)["ids"] == [article_id]:
                acknowledged.append(article_id)
            elif status == 201:
                broken.append(f"201 for {article_id} listing {body[:300]!r}")
            stop.wait(rng.uniform(0.1, 0.3))

    with running_server(config.index_dir, cwd=tmp_path, env=_server_env(config)) as base:
        threads = [threading.Thread(target=search, args=(base, n)) for n in range(8)]
        threads += [threading.Thread(target=post, args=(base, n)) for n in range(2)]
        with running_threads(threads, stop):
            time.sleep(5)
            manager = _manager(opensearch_cluster)
            pid = {node["name"]: node["pid"] for node in opensearch_cluster.record()["nodes"]}[manager]
            killed_at = time.monotonic()
            os.kill(pid, signal.SIGKILL)
            wait_for(lambda: not alive(pid, opensearch_cluster.dir / manager), "gone")
            wait_for(lambda: _manager(opensearch_cluster) not in ("-", manager), "re-elected")
            elected_at = time.monotonic()
            time.sleep(20)
            restarted = berita("opensearch", "start", "--dir", str(opensearch_cluster.dir))
            assert restarted.returncode == 0, restarted.stderr
            green_at = time.monotonic()
            time.sleep(5)  # and a little load on the healed cluster

    refused = [(answered, json.loads(body)["error"]) for _, answered, _, status, body in answers if status == 503]
    cluster = [when for when, error in refused if error.startswith(UNAVAILABLE)]  # the engine's IndexUnavailable
    print(f"\nkilled the cluster manager {manager}: another elected {elected_at - killed_at:.1f} s later, all green again "
          f"{green_at - killed_at:.1f} s later (the node restarted after 20 s); 503 window {_window(cluster, killed_at)} "
          f"for the cluster, {_window([when for when, _ in refused], killed_at)} for any reason")
    print(collections.Counter(error[:70] for _, error in refused))
    for what in ("search", "post"):
        mine = [(sent, answered - sent, status) for sent, answered, kind, status, _ in answers if kind == what]
        before = [took for sent, took, _ in mine if sent < killed_at]
        after = [took for sent, took, _ in mine if killed_at <= sent < green_at]
        print(f"{what}: {len(mine)} answers, {sum(status == 503 for _, _, status in mine)} of them 503; "
              f"slowest {max(before, default=0):.1f} s before the kill, {max(after, default=0):.1f} s from the kill to green")
    print(f"{len(acknowledged)} articles acknowledged with 201")
    unexpected = [f"{what} {status}: {body[:300]!r}" for _, _, what, status, body in answers if status not in (200, 201, 503)]
    assert unexpected == [] and broken == [], (unexpected[:5], broken[:5])
    assert all("Traceback" not in body.decode() for _, _, _, status, body in answers if status == 503)
    engine = open_engine(config)
    assert [one for one in acknowledged if engine.article(one) is None] == []
    assert engine.count() >= 245 + len(acknowledged) > 245  # a post answered 503 may have been stored all the same
    health = _ask(opensearch_cluster, "/_cluster/health")
    assert (health["status"], health["number_of_nodes"]) == ("green", 3)
    assert _ask(opensearch_cluster, f"/_cluster/health/{config.index_name}")["status"] == "green"
    _drop(opensearch_cluster, config.index_name)


def _one_line_naming(text: str, url: str, secret: str = "") -> None:
    """``text`` is one line that names ``url``, with neither a stack trace nor ``secret`` in it."""
    assert len(text.strip().splitlines()) == 1, text
    assert url in text and "Traceback" not in text, text
    assert not secret or secret not in text, text


def _refused_everywhere(config: EngineConfig, shown: str, secret: str = "") -> None:
    """The page, the API, a POST and the command line each say in one line that the cluster ``shown`` cannot serve."""
    client = app_for(config, INGEST_TOKEN=INGEST_TOKEN)
    page = client.get("/?q=harga")
    assert page.status_code == 503 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    message = html.split('<p class="error" role="alert">', 1)[1].split("</p>", 1)[0]
    _one_line_naming(message, shown, secret)
    assert "Traceback" not in html and (not secret or secret not in html)
    for answer in (client.get("/api/search?q=harga"), client.post("/api/articles", json=_article("tak-tersimpan", 1), headers=INGEST_AUTH)):
        assert answer.status_code == 503, answer.get_data(as_text=True)
        _one_line_naming(answer.get_json()["error"], shown, secret)
    for command in (["search", "harga"], ["index", str(SEEDS)]):
        done = berita(*command, *cli_args(config), timeout=120)
        assert done.returncode == 1 and done.stdout == "", done.stdout
        _one_line_naming(done.stderr, shown, secret)
    status = berita("status", *cli_args(config), timeout=120)  # exit 1: showing the red cluster, or one line when it cannot be asked
    assert status.returncode == 1, status.stdout
    if status.stdout:
        assert re.search(r"^cluster: .*: red,", status.stdout, re.M) and "unassigned" in status.stdout, status.stdout
    else:
        _one_line_naming(status.stderr, shown, secret)


def test_a_cluster_out_of_reach_is_503_and_one_line(tmp_path: Path) -> None:
    shown = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    _refused_everywhere(EngineConfig("opensearch", tmp_path / "ix", url=shown, index_name="berita-uji"), shown)


@contextlib.contextmanager
def basic_auth_proxy(target: str, user: str, password: str) -> Iterator[str]:
    """A reverse proxy on a free loopback port that demands HTTP basic auth and forwards to ``target`` (nginx's
    ``auth_basic`` in front of OpenSearch, as it is deployed); yields its URL."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    loop = asyncio.new_event_loop()
    session: list[ClientSession] = []

    async def forward(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != expected:
            return web.Response(status=401, text="401 Authorization Required", headers={"WWW-Authenticate": 'Basic realm="opensearch"'})
        headers = {name: value for name, value in request.headers.items() if name.lower() in ("content-type", "accept")}
        async with session[0].request(request.method, target + request.path_qs, data=await request.read(), headers=headers) as answer:
            return web.Response(status=answer.status, body=await answer.read(),
                                headers={"Content-Type": answer.headers.get("Content-Type", "application/json")})

    async def open_site(sock: socket.socket) -> web.AppRunner:
        session.append(ClientSession())
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", forward)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        return runner

    async def close(runner: web.AppRunner) -> None:
        await runner.cleanup()
        await session[0].close()

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner = asyncio.run_coroutine_threadsafe(open_site(sock), loop).result(30)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        asyncio.run_coroutine_threadsafe(close(runner), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_wrong_credentials_are_503_without_the_password_and_right_ones_search(opensearch_cluster: OpenSearchCluster,
                                                                             tmp_path: Path) -> None:
    direct = Backend("opensearch", opensearch_cluster.urls).build(tmp_path / "ix", SEEDS)
    try:
        with basic_auth_proxy(opensearch_cluster.url, "berita", "benar-sekali") as proxy:
            host = proxy.removeprefix("http://")
            wrong = EngineConfig("opensearch", direct.index_dir, url=f"http://berita:salah-sandi@{host}", index_name=direct.index_name)
            _refused_everywhere(wrong, proxy, secret="salah-sandi")
            right = EngineConfig("opensearch", direct.index_dir, url=f"http://berita:benar-sekali@{host}", index_name=direct.index_name)
            through = app_for(right).get("/api/search?q=netralitas")
            assert through.status_code == 200
            assert through.get_json()["total"] == app_for(direct).get("/api/search?q=netralitas").get_json()["total"] == 5
    finally:
        _drop(opensearch_cluster, direct.index_name)


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_a_red_index_is_503_never_500(opensearch_cluster: OpenSearchCluster, tmp_path: Path) -> None:
    # The backend's own index (its settings and mapping, behind its alias) whose shards no node may take: red for good.
    # Closing a built index and reopening it under such a filter does not do: the cluster puts primaries that have a copy on
    # disk back where they were (the index came back yellow), filter or not.
    config = Backend("opensearch", opensearch_cluster.urls).fresh(tmp_path / "ix")
    url, concrete = opensearch_cluster.url, f"{config.index_name}-merah"
    body = index_body(3, 1)
    body["settings"]["index"]["routing.allocation.require._name"] = "tidak-ada"  # no node has that name
    get(f"{url}/{concrete}?wait_for_active_shards=0", "PUT", body)
    try:
        get(f"{url}/_aliases", "POST", {"actions": [{"add": {"index": concrete, "alias": config.index_name}}]})
        assert get(f"{url}/_cluster/health/{concrete}")["status"] == "red"
        _refused_everywhere(config, url)
    finally:
        get(f"{url}/{concrete}", "DELETE")
    assert get(f"{url}/_cluster/health?wait_for_status=green&timeout=60s")["status"] == "green"


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_an_index_that_lost_a_shard_is_503_never_a_short_answer(opensearch_cluster: OpenSearchCluster, tmp_path: Path) -> None:
    """A shard with no copy left: the cluster would answer from the others with 200 (a total too small, an article that
    exists reported missing); the page and the API say part of the index is unavailable instead."""
    config = Backend("opensearch", opensearch_cluster.urls).fresh(tmp_path / "ix")
    url, concrete = opensearch_cluster.url, f"{config.index_name}-sebagian"
    body = index_body(3, 0)
    # Two nodes may hold one shard each: two of the three primaries are placed, the third never is.
    body["settings"]["index"]["routing.allocation.exclude._name"] = "node3"
    body["settings"]["index"]["routing.allocation.total_shards_per_node"] = 1
    get(f"{url}/{concrete}?wait_for_active_shards=0", "PUT", body)
    try:
        get(f"{url}/_aliases", "POST", {"actions": [{"add": {"index": concrete, "alias": config.index_name}}]})
        wait_for(lambda: get(f"{url}/_cluster/health/{concrete}")["active_primary_shards"] == 2, "two shards placed")
        assert get(f"{url}/_cluster/health/{concrete}")["status"] == "red"
        client = app_for(config)
        for path in ("/api/search?q=harga", "/api/search", "/api/artikel/003_59376e1a3b7f6707", "/api/export.csv?q=harga"):
            answer = client.get(path)
            assert answer.status_code == 503, (path, answer.status_code)
            _one_line_naming(answer.get_json()["error"], url.split(",")[0], "")
        page = client.get("/?q=harga")
        assert page.status_code == 503 and "Traceback" not in page.get_data(as_text=True)
        done = berita("search", "harga", *cli_args(config), timeout=120)
        assert done.returncode == 1 and done.stdout == "" and "part of the index" in done.stderr
    finally:
        get(f"{url}/{concrete}", "DELETE")


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_a_rolling_restart_under_load_answers_or_says_503_and_loses_no_acknowledged_write(opensearch_cluster: OpenSearchCluster,
                                                                                          tmp_path: Path) -> None:
    """Each node in turn stopped (SIGTERM) and started again over its data, the way docs/SCALING.md says, while a real
    server answers searches and takes posts: every answer is whole or a 503, and every post it acknowledged is in the index."""
    config = Backend("opensearch", opensearch_cluster.urls).build(tmp_path / "ix", SEEDS)
    stop = threading.Event()
    searched: list[tuple[int, int | None]] = []
    posted: list[tuple[str, int]] = []

    def search(base: str) -> None:
        while not stop.is_set():
            status, body = _call(base, "/api/search?q=netralitas")
            searched.append((status, json.loads(body).get("total") if status == 200 else None))
            stop.wait(0.05)  # steady load, leaving the two cores room to start a node

    def post(base: str) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            posted.append((f"giliran-{number}", _call(base, "/api/articles", _article(f"giliran-{number}", number), INGEST_AUTH)[0]))
            stop.wait(0.1)

    with running_server(config.index_dir, cwd=tmp_path, env=_server_env(config)) as base:
        with running_threads([threading.Thread(target=search, args=(base,)) for _ in range(2)] + [threading.Thread(target=post, args=(base,))], stop):
            for node in opensearch_cluster.record()["nodes"]:
                before = len(searched)
                pid, home = int(node["pid"]), opensearch_cluster.dir / str(node["name"])
                os.kill(pid, signal.SIGTERM)
                wait_for(lambda: not alive(pid, home), "stopped", 120)  # noqa: B023 (called at once)
                restarted = berita("opensearch", "start", "--dir", str(opensearch_cluster.dir))
                assert restarted.returncode == 0, restarted.stderr
                _ask(opensearch_cluster, "/_cluster/health?wait_for_status=green&timeout=120s")
                assert len(searched) > before  # the server kept answering while the node was away
        acknowledged = [article_id for article_id, status in posted if status == 201]
        print(f"\nrolling restart: {len(searched)} searches ({sum(s == 503 for s, _ in searched)} answered 503), "
              f"{len(posted)} posts ({len(acknowledged)} acknowledged, {sum(s == 503 for _, s in posted)} answered 503)")
        assert {status for status, _ in searched} | {status for _, status in posted} <= {200, 201, 503}
        assert {total for status, total in searched if status == 200} == {5}  # never a partial answer
        assert len(acknowledged) >= 10
    engine = open_engine(config)
    assert [one for one in acknowledged if engine.article(one) is None] == []
    assert engine.count() >= 5 + len(acknowledged)  # a post answered 503 may have been stored all the same
    _drop(opensearch_cluster, config.index_name)
