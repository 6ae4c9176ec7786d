"""What ``berita serve`` holds against slow clients, a worker's death and costly work, over real HTTP on loopback.

Each test starts the real server (the front and gunicorn's workers) on the IndoSum index and
drives it from threads of this process. The figures each one measures are printed (run with
``-s`` to read them); the assertions are what users notice: a normal search that takes a
second, a refused or reset connection, an error other than "busy, come back" (503 with
``Retry-After``).
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import running_server, running_threads

pytestmark = pytest.mark.slow
COMMON = ["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "pada", "ini", "itu", "dalam", "akan", "telah", "sudah", "oleh",
          "tidak", "juga", "adalah", "kata", "tahun", "jakarta", "presiden", "pemerintah", "warga", "indonesia", "baru", "bisa",
          "lebih", "saat", "masih", "hari", "ada"]
NORMAL = ["harga minyak", "banjir", "presiden", "pemilu", "sekolah", "polisi", "gubernur jakarta", "ekonomi"]


def _get(base: str, path: str, timeout: float = 60) -> tuple[int, float, str]:
    """Status, seconds, and the Retry-After header of one GET (HTTP errors are answers too)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            response.read()
            return response.status, time.monotonic() - started, ""
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, time.monotonic() - started, error.headers.get("Retry-After") or ""


def _hostile_paths() -> list[str]:
    """The costliest requests the limits allow (the adversarial run's mix)."""
    quote = urllib.parse.quote
    return [
        "/api/search?q=" + quote(" ".join(COMMON)),
        "/api/search?q=" + quote("pe* ke* me* di* be*"),
        "/api/search?q=" + quote(" OR ".join(COMMON[:16])),
        "/api/search?q=" + quote('"yang dan" "di dalam" "dari pada" "untuk itu" "oleh karena"'),
        "/tentang?q=" + quote("yang"), "/api/tentang?q=" + quote("dan"),
        "/banding?q=yang&q=dan&q=di&q=ke&q=dari", "/api/banding?q=akan&q=telah&q=sudah",
        "/api/export.csv?q=", "/api/export.json?q=" + quote("yang"),
    ]


def test_a_hundred_slow_header_connections_leave_a_normal_search_fast(indosum_index_dir: Path) -> None:
    with running_server(indosum_index_dir) as base:
        port = int(base.rsplit(":", 1)[1])
        stop = threading.Event()
        slow: list[socket.socket] = []
        for _ in range(100):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"GET /api/search?q=harga HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(sock)

        def trickle() -> None:  # one byte a second on every connection, for 30 s
            while not stop.wait(1.0):
                for sock in slow:
                    sock.sendall(b"a")

        feeder = threading.Thread(target=trickle)
        feeder.start()
        seconds: list[float] = []
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                status, took, _ = _get(base, "/api/search?q=" + urllib.parse.quote(random.choice(NORMAL)))
                assert status == 200
                seconds.append(took)
                time.sleep(0.5)
        finally:
            stop.set()
            feeder.join()
            for sock in slow:
                sock.close()
    print(f"\nslow headers: {len(seconds)} searches, p50 {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")
    assert len(seconds) > 30 and max(seconds) < 1.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _workers(port: int) -> list[int]:
    """gunicorn's worker processes behind the server listening on ``port`` (the front's grandchildren)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in command and str(port).encode() in command:
                return [worker for master in _children(int(entry.name)) for worker in _children(master)]
    return []


def test_killing_workers_under_sixteen_clients_refuses_and_resets_nothing(indosum_index_dir: Path) -> None:
    with running_server(indosum_index_dir) as base:
        port = int(base.rsplit(":", 1)[1])
        stop = threading.Event()
        answers: list[int] = []
        broken: list[str] = []

        def client(seed: int) -> None:
            rng = random.Random(seed)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # kept alive, as browsers do
            while not stop.is_set():
                try:
                    connection.request("GET", "/api/search?q=" + urllib.parse.quote(rng.choice(NORMAL)) + f"&page={rng.randint(1, 3)}")
                    response = connection.getresponse()
                    text = response.read()
                    answers.append(response.status)
                    if response.status >= 500:
                        broken.append(f"{response.status}: {text[:300]!r}")
                except (OSError, http.client.HTTPException) as error:
                    broken.append(repr(error))
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
        killed = 0
        with running_threads(threads, stop):
            for round_ in range(4):
                time.sleep(3)
                workers = _workers(port)
                assert workers, "no workers found"
                victims = workers if round_ == 3 else [random.Random(round_).choice(workers)]  # the last round kills them all
                for pid in victims:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
            time.sleep(5)
    errors = [status for status in answers if status >= 500]  # a 503 too: a search must wait for a worker, not be refused
    print(f"\nworker kills: {killed} workers killed, {len(answers)} answers, {len(broken)} refused or reset, {len(errors)} 5xx")
    assert broken == [] and errors == [], broken[:5]
    assert len(answers) > 200


def test_eight_hostile_clients_leave_normal_searches_within_a_second(indosum_index_dir: Path) -> None:
    with running_server(indosum_index_dir) as base:
        stop = threading.Event()
        hostile: list[tuple[int, str]] = []
        normal: list[tuple[int, float]] = []
        paths = _hostile_paths()

        def attack(seed: int) -> None:
            rng = random.Random(seed)
            while not stop.is_set():
                status, _, retry = _get(base, rng.choice(paths), timeout=300)
                hostile.append((status, retry))

        def use(seed: int) -> None:
            rng = random.Random(seed)
            while not stop.is_set():
                status, took, _ = _get(base, "/api/search?q=" + urllib.parse.quote(rng.choice(NORMAL)))
                normal.append((status, took))
                stop.wait(rng.uniform(0.1, 0.5))

        threads = [threading.Thread(target=attack, args=(n,)) for n in range(8)] + [threading.Thread(target=use, args=(99,))]
        with running_threads(threads, stop):
            time.sleep(60)
    seconds = sorted(took for _, took in normal)
    p95 = seconds[int(0.95 * (len(seconds) - 1))]
    busy = sum(status == 503 for status, _ in hostile)
    print(f"\nhostile: {len(hostile)} heavy requests ({busy} told 503 to come back), {len(normal)} normal searches, "
          f"p50 {statistics.median(seconds) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms")
    assert {status for status, _ in normal} == {200}
    assert all(status < 500 or (status == 503 and retry) for status, retry in hostile), sorted({s for s, _ in hostile})
    assert p95 <= 1.0 and len(normal) > 50
