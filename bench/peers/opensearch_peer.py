"""Our OpenSearch backend, driven through the engine interface on a local cluster the benchmark starts itself.

``python -m bench.performance --engines ours,opensearch`` runs it once per cluster size of
``--opensearch-nodes`` (``1,3`` by default) as the engines ``opensearch1`` and
``opensearch3``; either can also be named alone. For each, the benchmark starts a cluster
of that many nodes with ``berita opensearch start --nodes N --dir FOLDER/cluster --heap H``
(``--opensearch-heap``, 1g by default: each node is its own JVM with ``-Xms`` = ``-Xmx`` = H)
on free loopback ports, runs the build and query children against it, loads ``berita serve
--engine opensearch`` on it, and stops it with ``berita opensearch stop`` (also when a step fails).

Build, adds and searches go through :func:`search.engine.open_engine` with the
``opensearch`` configuration (index ``bench``), as ``berita index`` and ``berita serve``
do: each article is analysed in Python (Sastrawi stems and exact forms) and sent in bulk
requests; the backend creates one primary shard per node and one replica from two nodes on.

Sizes and memory as the benchmark reports them (:func:`cluster_figures`):

* disk: the index's store size from ``_cat/indices``, primaries (one copy of each shard: what
  "index MB" shows, comparable with a one-copy Whoosh index) and total (with the replicas),
  and the nodes' data folders on disk (translog and cluster state included);
* CPU: the seconds the build took in the Python child and in the JVMs (``/proc/PID/stat``),
  which says whether our analysis or the cluster's indexing dominates the build;
* memory: each node's JVM's resident set (``VmRSS``; ``VmHWM`` for its peak) read from
  ``/proc/PID/status`` for the pids in ``cluster.json``, plus the Python process's own peak.
  A JVM's RSS holds its heap (all of it: ``-Xms`` = ``-Xmx`` touches it early), its native
  memory, and the pages of the mapped Lucene files it has read (``RssFile``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.peers.base import Answer, BenchQuery, folder_size
from bench.peers.ours import answer_of
from search.domain.article import Article
from search.engine import EngineConfig, open_engine
from search.extract import Extracted
from web.cluster import TRANSPORT_OFFSET, port_in_use, read_record

INDEX = "bench"
CLUSTER = "cluster"  # the cluster's folder inside the engine's benchmark folder
FIRST_PORT = 29200  # clusters are placed from here on, where no other server listens


def berita() -> str:
    return str(Path(sys.executable).with_name("berita"))


def free_port(nodes: int) -> int:
    """A base port whose ``nodes`` HTTP ports and their transport ports are all free on loopback."""
    for base in range(FIRST_PORT, 32000, 2 * TRANSPORT_OFFSET):
        if not any(port_in_use(base + shift + k) for shift in (0, TRANSPORT_OFFSET) for k in range(nodes)):
            return base
    raise SystemExit("no free range of loopback ports for an OpenSearch cluster")


def start_cluster(folder: Path, nodes: int, heap: str) -> str:
    """``berita opensearch start`` in ``folder``/cluster; every node's URL, comma-separated.

    A start is tried again (same ports, same record) when it says a node exited: on this
    machine its check of the node's ``/proc/PID/cmdline`` at times misses a JVM that is still
    starting, and the next ``start`` finds that node running and waits for it.
    """
    command = [berita(), "opensearch", "start", "--nodes", str(nodes), "--dir", str(folder / CLUSTER),
               "--port", str(free_port(nodes)), "--heap", heap, "--timeout", "300"]
    for _ in range(3):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout.strip().splitlines()[-1]
        if "exited before the cluster was ready" not in done.stderr:
            break
        print(f"berita opensearch start, again: {done.stderr.strip()}", file=sys.stderr)
    raise SystemExit(f"the OpenSearch cluster did not start: {done.stdout}{done.stderr}")


def stop_cluster(folder: Path) -> None:
    """``berita opensearch stop``, when a cluster was recorded in ``folder``."""
    if (folder / CLUSTER / "cluster.json").exists():
        subprocess.run([berita(), "opensearch", "stop", "--dir", str(folder / CLUSTER)], capture_output=True, check=True)


def cluster_urls(folder: Path) -> str:
    record = read_record(folder / CLUSTER)
    if record is None:
        raise SystemExit(f"no OpenSearch cluster recorded in {folder / CLUSTER}")
    return record.urls


def engine_config(folder: Path) -> EngineConfig:
    """The engine configuration of the benchmark's index on the cluster in ``folder``."""
    return EngineConfig(name="opensearch", index_dir=Path("unused"), url=cluster_urls(folder), index_name=INDEX)


def serve_args(folder: Path) -> list[str]:
    """``berita serve``'s options that name the benchmark's index on the cluster in ``folder``."""
    return ["--engine", "opensearch", "--opensearch-url", cluster_urls(folder), "--opensearch-index", INDEX]


def get(folder: Path, path: str) -> object:
    """The JSON answer of the cluster in ``folder`` (its first node) to ``path``."""
    with urllib.request.urlopen(cluster_urls(folder).split(",")[0] + path, timeout=60) as answer:
        return json.load(answer)


def store_bytes(folder: Path) -> tuple[int, int]:
    """The index's store size in bytes from ``_cat/indices``: (primaries, total with replicas)."""
    rows = get(folder, f"/_cat/indices/{INDEX}?bytes=b&format=json&h=pri.store.size,store.size")
    assert isinstance(rows, list)
    return sum(int(row["pri.store.size"]) for row in rows), sum(int(row["store.size"]) for row in rows)


def _kb(status: str, key: str) -> int:
    match = re.search(rf"^{key}:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) if match else 0


@dataclass(frozen=True)
class JvmMemory:
    """One node's JVM, in MB: resident now, its peak, and the anonymous part (heap and native) of now."""

    rss: float
    peak: float
    anonymous: float


def jvm_memory(folder: Path) -> list[JvmMemory]:
    """Each node's JVM's memory from ``/proc/PID/status`` (the pids ``cluster.json`` records)."""
    record = read_record(folder / CLUSTER)
    out = []
    for node in record.nodes if record else ():
        try:
            status = Path(f"/proc/{node.pid}/status").read_text()
        except OSError:
            continue
        out.append(JvmMemory(_kb(status, "VmRSS") / 1024, _kb(status, "VmHWM") / 1024, _kb(status, "RssAnon") / 1024))
    return out


def jvm_cpu_seconds(folder: Path) -> float:
    """CPU seconds the cluster's JVMs in ``folder`` have used so far (user and system, from ``/proc/PID/stat``); 0 without one."""
    record = read_record(folder / CLUSTER)
    total = 0
    for node in record.nodes if record else ():
        try:
            fields = Path(f"/proc/{node.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def cluster_figures(folder: Path) -> dict[str, object]:
    """What the benchmark reports of a cluster besides the engine's own figures: layout, disk, JVM memory, heap."""
    record = read_record(folder / CLUSTER)
    shards = get(folder, f"/_cat/shards/{INDEX}?format=json&h=prirep")
    assert isinstance(shards, list) and record is not None
    primaries, total = store_bytes(folder)
    memory = jvm_memory(folder)
    return {
        "nodes": len(record.nodes),
        "heap": record.heap,
        "primaries": sum(row["prirep"] == "p" for row in shards),
        "replicas": sum(row["prirep"] == "r" for row in shards),
        "store_primaries_mb": primaries / 1e6,
        "store_total_mb": total / 1e6,
        "data_mb": sum(folder_size(node) for node in (folder / CLUSTER).glob("node*/data")) / 1e6,
        "jvm_rss_mb": sum(m.rss for m in memory),
        "jvm_peak_mb": sum(m.peak for m in memory),
        "jvm_anonymous_mb": sum(m.anonymous for m in memory),
    }


class OpenSearchPeer:
    """The OpenSearch backend through the engine interface, on the cluster recorded in ``folder``/cluster."""

    name = "OpenSearch"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.engine = open_engine(engine_config(folder))

    def build(self, articles: Iterable[Article]) -> None:
        self._index(Extracted(article) for article in articles)

    def add(self, articles: list[Article]) -> None:
        self._index([Extracted(article) for article in articles])

    def _index(self, results: Iterable[Extracted]) -> None:
        report = self.engine.index(results)
        if not report.ok:
            raise SystemExit(f"the cluster refused {len(report.failed)} articles, the first: {report.failed[0].reason}")

    def search(self, query: BenchQuery) -> Answer:
        return answer_of(self.engine, query)

    def size_bytes(self) -> int:
        """The primaries' store size (one copy of the index; the replicas are in :func:`cluster_figures`)."""
        return store_bytes(self.folder)[0]
