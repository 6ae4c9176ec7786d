"""Load test of the real ``berita serve`` on loopback: 16 concurrent clients, a realistic mix.

Used by :mod:`bench.performance`, on a copy of our Whoosh index and on each OpenSearch
engine's cluster (:func:`serve_load` takes the ``berita serve`` options naming the index),
or alone: ``python -m bench.load --index-dir DIR``.
The mix is the benchmark's query set as ``/api/search`` requests (4 in 5) and search
pages (1 in 5). ``wrk`` drives it when installed (``apt-get install wrk``); otherwise a
threaded Python client does, which costs the server some of its two cores. The test
runs twice: idle, and while a writer posts an article every half second through
``POST /api/articles`` (each post is a commit the searchers must pick up), after
a warm-up of the same load that is not counted (:func:`warm_up`): a server runs warm, and a
JVM that just started runs its first thousands of requests at half speed or less while its
compiler works (an OpenSearch node measured 64-78 requests/s in its first minute, 155-159
once warm, same machine and index).

``python -m bench.load --rounds N`` with ``--opensearch-url`` compares the two backends'
idle rate in alternating runs (each on a fresh server, warmed up), so a machine whose speed
drifts (shared cores) weighs on both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from bench.peers.base import BenchQuery
from bench.queries import query_set

CLIENTS = 16
WARM_UP_SECONDS = 10.0  # one warm-up run; runs follow until two in a row agree within WARM_UP_AGREE
WARM_UP_AGREE = 0.10
WARM_UP_MAX_SECONDS = 60.0
STARTUP_SECONDS = 600  # a million articles' caches are read before the server listens
TOKEN = "bench-load-token"


def paths_for(queries: list[BenchQuery]) -> list[str]:
    paths = []
    for number, query in enumerate(queries):
        params = [("q", query.text)]
        if query.outlet:
            params.append(("outlet", query.outlet))
        if query.year:
            params.append(("date", query.year))
        paths.append(("/?" if number % 5 == 4 else "/api/search?") + urlencode(params))
    return paths


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(index_args: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    """``berita serve`` with ``index_args`` (the options naming its index) on a free port, once it answers."""
    port = _free_port()
    env = {**os.environ, "BERITA_INGEST_TOKEN": TOKEN}
    berita = Path(sys.executable).with_name("berita")
    process = subprocess.Popen(
        [str(berita), "serve", *index_args, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(base + "/api/search?q=harga", timeout=5).read()
            return process, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    os.killpg(process.pid, 9)
    raise SystemExit(f"the server did not come up in {STARTUP_SECONDS} s (exit status {process.poll()})")


def _server_pids(process: subprocess.Popen[bytes]) -> list[int]:
    pids = [process.pid]
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    return pids


def server_rss_mb(process: subprocess.Popen[bytes]) -> float:
    """Peak RSS (VmHWM) of the server and all its worker processes, summed.

    Each process counts every page it touched, so the pages of the memory-mapped index
    that several workers read are counted once per worker: see :class:`MemorySampler`.
    """
    total = 0
    for pid in _server_pids(process):
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
            total += int(match.group(1)) if match else 0
    return total / 1024


class MemorySampler(threading.Thread):
    """The server's largest proportional set size (PSS) and private memory, sampled twice a second.

    PSS shares each page among the processes that map it, so the index pages every worker
    reads are counted once in the sum: what the server really holds. ``anonymous`` is the
    part of it that is heaps (Python objects, numpy arrays); the rest is the index's page
    cache, which the kernel can drop and read again.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.stop = threading.Event()
        self.pss_mb = 0.0
        self.anonymous_mb = 0.0

    def run(self) -> None:
        while not self.stop.wait(0.5):
            pss = anonymous = 0
            for pid in _server_pids(self.process):
                try:
                    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                except OSError:
                    continue
                pss += _kb(rollup, "Pss")
                anonymous += _kb(rollup, "Pss_Anon")
            self.pss_mb = max(self.pss_mb, pss / 1024)
            self.anonymous_mb = max(self.anonymous_mb, anonymous / 1024)


def _kb(rollup: str, key: str) -> int:
    match = re.search(rf"^{key}:\s+(\d+) kB", rollup, re.M)
    return int(match.group(1)) if match else 0


def run_wrk(base: str, paths: list[str], seconds: float) -> dict[str, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CLIENTS), "-d", f"{int(seconds)}s", "--latency", "--timeout", "10s", "-s", str(script), base],
        capture_output=True, text=True, check=True,
    ).stdout
    script.unlink()

    def ms(label: str) -> float:
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout) (\d+)", out))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
    }


def run_python_clients(base: str, paths: list[str], seconds: float) -> dict[str, float]:
    import http.client

    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds
    host, port = base.removeprefix("http://").split(":")

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        i = offset
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
            latencies.append((time.perf_counter() - started) * 1000)
            i += CLIENTS

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99)],
        "errors": errors[0],
        "requests": len(latencies),
    }


class Poster(threading.Thread):
    """Posts one new article every ``interval`` seconds, on a fixed clock, until stopped.

    Each post is sent at its time whether or not the previous one has returned (an
    outlet's feed does not wait for our server), so the server gets the rate it is asked
    to take. As soon as a POST returns 201 its poster searches for the article's own word,
    and counts the article as not searchable if it is not found.
    """

    def __init__(self, base: str, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.base, self.interval = base, interval
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.posted = 0
        self.failed = 0
        self.unsearchable = 0
        self.post_seconds: list[float] = []
        self.seconds = 0.0

    def run(self) -> None:
        number = 0
        started = time.monotonic()
        senders = []
        while not self.stop.is_set():
            number += 1
            sender = threading.Thread(target=self._post, args=(number,), daemon=True)
            sender.start()
            senders.append(sender)
            self.stop.wait(max(0.0, started + number * self.interval - time.monotonic()))
        self.seconds = time.monotonic() - started
        for sender in senders:
            sender.join()

    def _post(self, number: int) -> None:
        marker = f"ujibeban{os.getpid()}x{number}"
        body = json.dumps({
            "id": f"load-{os.getpid()}-{number}",
            "title": f"Artikel uji beban {number}",
            "text": f"JAKARTA - Harga cabai dan beras dipantau petugas pasar, laporan {marker}.",
        }).encode()
        request = urllib.request.Request(
            self.base + "/api/articles", data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        )
        sent = time.perf_counter()
        try:
            urllib.request.urlopen(request, timeout=30).read()
            took = time.perf_counter() - sent
            with urllib.request.urlopen(f"{self.base}/api/search?q={marker}", timeout=30) as response:
                found = json.loads(response.read())["total"] >= 1
            with self.lock:
                self.posted += 1
                self.post_seconds.append(took)
                self.unsearchable += not found
        except (urllib.error.URLError, OSError, ValueError, KeyError):
            with self.lock:
                self.failed += 1

    def median_post_ms(self) -> float:
        return statistics.median(self.post_seconds) * 1000 if self.post_seconds else float("nan")


def load_report(index_dir: Path, queries: list[BenchQuery], seconds: float) -> str:
    """Both load runs against a fresh server on a copy of the Whoosh index ``index_dir``; a markdown table."""
    work = Path(tempfile.mkdtemp(prefix="load-"))
    try:
        shutil.copytree(index_dir, work / "index")
        return serve_load(["--index-dir", str(work / "index")], queries, seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def serve_load(index_args: list[str], queries: list[BenchQuery], seconds: float, engine: str = "") -> str:
    """Both load runs against a fresh ``berita serve`` with ``index_args`` (the index it serves, and posts to); a markdown table.

    ``engine`` names the backend in the table's heading. The server's memory is its own
    processes' only: a cluster's JVMs are counted by whoever runs the cluster.
    """
    paths = paths_for(queries)
    runner = run_wrk if shutil.which("wrk") else run_python_clients
    process, base = start_server(index_args)
    memory = MemorySampler(process)
    memory.start()
    try:
        warmed = warm_up(runner, base, paths)
        idle = runner(base, paths, seconds)
        poster = Poster(base)
        poster.start()
        busy = runner(base, paths, seconds)
        poster.stop.set()
        poster.join()
        rss = server_rss_mb(process)
        memory.stop.set()
        memory.join()
    finally:
        os.killpg(process.pid, 15)
        process.wait()
    client = "wrk" if runner is run_wrk else "Python threads"
    lines = [
        f"Load{f' ({engine})' if engine else ''}: `berita serve`, {CLIENTS} concurrent clients ({client}), "
        f"{seconds:.0f} s per run after {warmed:.0f} s of warm-up. "
        f"Server memory at its peak: "
        f"RSS {rss:.0f} MB summed over its processes (shared index pages counted once per process), PSS {memory.pss_mb:.0f} MB "
        f"(shared pages counted once), {memory.anonymous_mb:.0f} MB of it heaps (anonymous memory; the rest is the index's page cache).",
        "",
        "| run | requests/s | p50 ms | p99 ms | errors | requests |",
        "|---|---|---|---|---|---|",
        f"| idle | {idle['rps']:.0f} | {idle['p50']:.1f} | {idle['p99']:.1f} | {idle['errors']:.0f} | {idle['requests']:.0f} |",
        f"| while adding ({poster.posted} articles posted, {poster.posted / max(poster.seconds, 1e-9):.1f}/s, {poster.failed} failed, "
        f"{poster.unsearchable} not searchable at their 201, median POST {poster.median_post_ms():.0f} ms) | {busy['rps']:.0f} | {busy['p50']:.1f} | "
        f"{busy['p99']:.1f} | {busy['errors']:.0f} | {busy['requests']:.0f} |",
    ]
    return "\n".join(lines)


Runner = Callable[[str, list[str], float], dict[str, float]]


def warm_up(runner: Runner, base: str, paths: list[str]) -> float:
    """Load the server until two runs of :data:`WARM_UP_SECONDS` in a row agree within :data:`WARM_UP_AGREE` (at most
    :data:`WARM_UP_MAX_SECONDS`); the seconds it took."""
    spent, previous = 0.0, 0.0
    while spent < WARM_UP_MAX_SECONDS:
        rate = runner(base, paths, WARM_UP_SECONDS)["rps"]
        spent += WARM_UP_SECONDS
        if previous and abs(rate - previous) <= WARM_UP_AGREE * max(rate, previous):
            break
        previous = rate
    return spent


def idle_rate(index_args: list[str], paths: list[str], seconds: float) -> dict[str, float]:
    """One idle run of ``seconds`` against a fresh, warmed-up ``berita serve`` with ``index_args`` (no posts: the index is only read)."""
    runner = run_wrk if shutil.which("wrk") else run_python_clients
    process, base = start_server(index_args)
    try:
        warm_up(runner, base, paths)
        return runner(base, paths, seconds)
    finally:
        os.killpg(process.pid, 15)
        process.wait()


def alternating(backends: dict[str, list[str]], paths: list[str], seconds: float, rounds: int) -> str:
    """Each backend's idle rate, the backends one after the other, ``rounds`` times; a markdown table with each round's ratio."""
    names = list(backends)
    rows: list[str] = []
    rates: dict[str, list[float]] = {name: [] for name in names}
    for number in range(1, rounds + 1):
        measured = {name: idle_rate(backends[name], paths, seconds) for name in names}
        for name in names:
            rates[name].append(measured[name]["rps"])
        cells = " | ".join(f"{measured[name]['rps']:.0f} ({measured[name]['errors']:.0f} errors)" for name in names)
        rows.append(f"| {number} | {cells} | {measured[names[-1]]['rps'] / measured[names[0]]['rps']:.2f} |")
    medians = " | ".join(f"{statistics.median(rates[name]):.0f}" for name in names)
    return "\n".join([
        f"Idle requests/s, {CLIENTS} clients, {seconds:.0f} s a run after a warm-up, the backends alternating:",
        "",
        f"| round | {' | '.join(names)} | {names[-1]} / {names[0]} |",
        "|---|" + "---|" * (len(names) + 1),
        *rows,
        f"| median | {medians} | |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True, help="the synthetic corpus the queries are drawn from")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--opensearch-url", help="compare with the same archive on this cluster (alternating idle runs)")
    parser.add_argument("--opensearch-index", default="bench")
    parser.add_argument("--rounds", type=int, default=3, help="alternations, with --opensearch-url")
    args = parser.parse_args(argv)
    queries = query_set(args.corpus)
    if args.opensearch_url:
        backends = {"Whoosh": ["--index-dir", str(args.index_dir)],
                    "OpenSearch": ["--engine", "opensearch", "--opensearch-url", args.opensearch_url, "--opensearch-index", args.opensearch_index]}
        print(alternating(backends, paths_for(queries), args.seconds, args.rounds))
        return 0
    print(load_report(args.index_dir, queries, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
