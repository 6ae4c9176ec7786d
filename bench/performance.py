"""Build speed, freshness, query latency, size and memory: ours against three peers, one run.

Usage::

    python -m bench.performance --articles 100000 --workdir /tmp/perf [--load-seconds 20]
    python -m bench.performance --articles 100000 --engines ours,opensearch [--opensearch-nodes 1,3] [--opensearch-heap 1g]

Every engine gets the same synthetic corpus (:mod:`bench.corpus`, stitched from real
IndoSum sentences), read through our extraction, and the same fixed query set: one to
three words and two-word phrases, each also with an outlet or a year filter; every query
asks for ten hits with snippets plus outlet and month counts over all matches. Freshness
is the time to add 100 new articles and find the last one, the median of three batches. Each
engine's build and queries run in a child process of their own, so peak memory (RSS) is
that engine's alone. Peers (see :mod:`bench.peers`): the straightforward Whoosh
implementation, SQLite FTS5 and tantivy, the last two over the same Sastrawi stems.

Our OpenSearch backend joins with ``--engines ours,opensearch``: once per cluster size of
``--opensearch-nodes`` (``1,3`` by default), as the engines ``opensearch1`` and
``opensearch3`` (each can be named alone too), on a local cluster the benchmark starts and
stops itself (``berita opensearch start``, ``--opensearch-heap`` per node);
:mod:`bench.peers.opensearch_peer` says how its disk and memory are counted. Its
build and query RSS are the Python child's peak plus the cluster's JVMs (their peak
after the build, their resident set after the queries); a table of its own adds the
shards, the store with and without replicas, and the heap.

Then ``berita serve`` is started on our index and on each OpenSearch engine's cluster and
loaded with 16 concurrent clients (``wrk`` when installed, else a Python client) with the
same query mix, once idle and once while another process keeps adding articles.

Prints markdown tables with ratios to peer (1), or to ours (the Whoosh backend) when (1)
did not run; docs/PERFORMANCE.md quotes the last run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus as synthetic
from bench.peers import opensearch_peer
from bench.peers.base import BenchQuery, Peer
from bench.queries import query_set
from search.domain.article import Article
from search.extract import Extracted, read_paths

ENGINES = ("ours", "plain", "fts5", "tantivy")
LABELS = {"ours": "Cari Berita", "plain": "(1) plain Whoosh", "fts5": "(2) SQLite FTS5", "tantivy": "(3) tantivy"}
OPENSEARCH = "opensearch"  # expands to opensearchN for each N of --opensearch-nodes
FRESH_ARTICLES = 100


def label(name: str) -> str:
    if name.startswith(OPENSEARCH):
        nodes = int(name.removeprefix(OPENSEARCH))
        return f"OpenSearch, {nodes} node{'s' if nodes > 1 else ''}"
    return LABELS[name]


def engine_names(engines: str, opensearch_nodes: str) -> list[str]:
    """The engines asked for, ``opensearch`` standing for one per cluster size."""
    names: list[str] = []
    for name in engines.split(","):
        if name == OPENSEARCH:
            names += [f"{OPENSEARCH}{int(nodes)}" for nodes in opensearch_nodes.split(",")]
        elif name in ENGINES or name.removeprefix(OPENSEARCH).isdigit():
            names.append(name)
        else:
            raise SystemExit(f"unknown engine {name!r} (choose from {', '.join((*ENGINES, OPENSEARCH))}, or opensearchN)")
    return names
FRESH_BATCHES = 3


def engine(name: str, folder: Path) -> Peer:
    if name == "ours":
        from bench.peers.ours import Ours

        return Ours(folder)
    if name == "plain":
        from bench.peers.plain_whoosh import PlainWhoosh

        return PlainWhoosh(folder)
    if name.startswith(OPENSEARCH):
        return opensearch_peer.OpenSearchPeer(folder)
    if name == "fts5":
        from bench.peers.fts5 import Fts5

        return Fts5(folder)
    from bench.peers.tantivy_engine import Tantivy

    return Tantivy(folder)


def articles(path: Path):
    """The corpus's articles through our extraction (every engine pays for reading the same way)."""
    for result in read_paths([path]):
        if isinstance(result, Extracted):
            yield result.article


def fresh_articles(count: int, seed: int) -> list[Article]:
    """Articles not in the corpus, each carrying a word no other article has."""
    out = []
    for number, record in enumerate(synthetic.generate(count, seed=seed)):
        marker = f"segarbaru{seed}x{number}"
        out.append(Article(id=f"fresh-{seed}-{number}", body=f"{record['text']} {marker}", title=str(record["title"])))
    return out


# ---- child processes -------------------------------------------------------------------


def child_build(name: str, folder: Path, corpus: Path) -> dict[str, float]:
    started = time.perf_counter()
    engine(name, folder).build(articles(corpus))
    return {"build_s": time.perf_counter() - started}


def child_query(name: str, folder: Path, corpus: Path, rounds: int) -> dict[str, object]:
    eng = engine(name, folder)
    queries = query_set(corpus)
    for query in queries:  # warm up: caches, page cache, lazy imports
        eng.search(query)
    timings: list[float] = []
    totals = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            answer = eng.search(query)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(answer.total)
    fresh_times, found = [], 0
    for batch in range(FRESH_BATCHES):  # one batch is one sample on a noisy machine: the median of three
        fresh = fresh_articles(FRESH_ARTICLES, seed=len(timings) + batch)
        started = time.perf_counter()
        eng.add(fresh)
        found += eng.search(BenchQuery((fresh[-1].body.split()[-1],))).total
        fresh_times.append(time.perf_counter() - started)
    fresh_s = statistics.median(fresh_times)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95)],
        "p99": timings[int(len(timings) * 0.99)],
        "queries": len(timings),
        "mean_total": statistics.mean(totals),
        "fresh_s": fresh_s,
        "fresh_max_s": max(fresh_times),
        "fresh_found": found,
        "size_mb": eng.size_bytes() / 1e6,
    }


def run_child(args: list[str]) -> tuple[dict[str, object], float, float]:
    """Run this module as a child; returns its JSON answer, its peak RSS in MB and the CPU seconds it used."""
    process = subprocess.Popen([sys.executable, "-m", "bench.performance", *args], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"child {args} failed with status {status}")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


# ---- report ----------------------------------------------------------------------------


def ratio(value: float, reference: float, higher_is_better: bool) -> str:
    if not reference or not value:
        return "–"
    r = value / reference if higher_is_better else reference / value
    return f"{r:.1f}x"


def report(n: int, results: dict[str, dict[str, object]]) -> str:
    reference = "plain" if "plain" in results else "ours"
    ref = results.get(reference)
    lines = [
        f"Synthetic corpus: {n} articles (stitched from IndoSum sentences). Ratios are against {label(reference)}; > 1x means better.",
        "",
        "| engine | build art/s | build peak RSS MB | 100 new searchable s (median of 3) | query p50 ms | p95 ms | p99 ms | query RSS MB | index MB"
        " | p50 speed-up | build speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        rate = n / float(row["build_s"])  # type: ignore[arg-type]
        lines.append(
            f"| {label(name)} | {rate:.0f} | {row['build_rss']:.0f} | {row['fresh_s']:.2f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['p99']:.1f} | {row['query_rss']:.0f} | {row['size_mb']:.0f} | "
            f"{ratio(float(str(row['p50'])), float(str(ref['p50'])), False) if ref else '–'} | "
            f"{ratio(rate, n / float(str(ref['build_s'])), True) if ref else '–'} |"
        )
    clusters = {name: row for name, row in results.items() if name.startswith(OPENSEARCH)}
    if clusters:
        lines += [
            "",
            "OpenSearch clusters: each node its own JVM with the heap given; RSS of the JVMs summed over the nodes (peak: VmHWM "
            "after the build; now: VmRSS after the queries, anonymous = heap and native memory, the rest mapped index files); "
            "Python = the build or query child's peak RSS. Store from _cat/indices. Build CPU: seconds of CPU the build took in "
            "the Python child (reading, analysis, bulk requests) and in the JVMs (indexing, replication, merges), from the child's "
            "rusage and /proc/PID/stat.",
            "",
            "| engine | heap per node | shards (primaries + replicas) | store primaries MB | store with replicas MB | data folders MB "
            "| build: JVMs peak + Python MB | query: JVMs now (anonymous) + Python MB | build CPU s: Python + JVMs |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, row in clusters.items():
            lines.append(
                f"| {label(name)} | {row['heap']} | {row['primaries']} + {row['replicas']} | {row['store_primaries_mb']:.0f} | "
                f"{row['store_total_mb']:.0f} | {row['data_mb']:.0f} | {row['build_jvm_mb']:.0f} + {row['build_python_mb']:.0f} | "
                f"{row['jvm_rss_mb']:.0f} ({row['jvm_anonymous_mb']:.0f}) + {row['query_python_mb']:.0f} | "
                f"{row['build_python_cpu_s']:.0f} + {row['build_jvm_cpu_s']:.0f} |"
            )
    return "\n".join(lines)


def measure(name: str, folder: Path, corpus_path: Path, rounds: int) -> dict[str, object]:
    """Build and query ``name`` in children of their own (on an OpenSearch engine's running cluster)."""
    jvm_cpu = opensearch_peer.jvm_cpu_seconds(folder)
    built, build_rss, build_cpu = run_child(["--child", "build", name, str(folder), str(corpus_path)])
    print(f"{label(name)}: built in {built['build_s']:.1f} s", file=sys.stderr)
    extra: dict[str, object] = {}
    if name.startswith(OPENSEARCH):
        jvm_peak = sum(m.peak for m in opensearch_peer.jvm_memory(folder))
        extra = {"build_jvm_mb": jvm_peak, "build_python_mb": build_rss, "build_python_cpu_s": build_cpu,
                 "build_jvm_cpu_s": opensearch_peer.jvm_cpu_seconds(folder) - jvm_cpu}
        build_rss += jvm_peak
    queried, query_rss, _ = run_child(["--child", "query", name, str(folder), str(corpus_path), str(rounds)])
    print(f"{label(name)}: p50 {queried['p50']:.1f} ms, mean total {queried['mean_total']:.0f}", file=sys.stderr)
    if name.startswith(OPENSEARCH):
        extra |= opensearch_peer.cluster_figures(folder) | {"query_python_mb": query_rss}
        query_rss += float(str(extra["jvm_rss_mb"]))
    return {**built, **queried, **extra, "build_rss": build_rss, "query_rss": query_rss}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cari-berita-perf")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"of {', '.join((*ENGINES, OPENSEARCH))} (or opensearchN)")
    parser.add_argument("--opensearch-nodes", default="1,3", help="cluster sizes the engine 'opensearch' stands for")
    parser.add_argument("--opensearch-heap", default="1g", help="Java heap of each OpenSearch node")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query set per engine")
    parser.add_argument("--load-seconds", type=float, default=20, help="0 skips the load test")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, name, folder, corpus_path = args.child[:4]
        if kind == "build":
            out: dict[str, object] = dict(child_build(name, Path(folder), Path(corpus_path)))
        else:
            out = child_query(name, Path(folder), Path(corpus_path), int(args.child[4]))
        print(json.dumps(out))
        return 0

    names = engine_names(args.engines, args.opensearch_nodes)
    corpus_path = synthetic.write(args.workdir / f"synthetic-{args.articles}.jsonl", args.articles)
    print(f"SYNTHETIC corpus: {args.articles} articles stitched from IndoSum sentences -> {corpus_path}", file=sys.stderr)
    results: dict[str, dict[str, object]] = {}
    loads: list[str] = []
    for name in names:
        folder = args.workdir / f"{name}-{args.articles}"
        opensearch_peer.stop_cluster(folder)  # one a killed run left
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        if not name.startswith(OPENSEARCH):
            results[name] = measure(name, folder, corpus_path, args.rounds)
            if args.load_seconds and name == "ours":
                from bench.load import load_report

                loads.append(load_report(folder, query_set(corpus_path), args.load_seconds))
            continue
        folder.mkdir(parents=True)
        nodes = int(name.removeprefix(OPENSEARCH))
        try:
            print(f"{label(name)}: {opensearch_peer.start_cluster(folder, nodes, args.opensearch_heap)}", file=sys.stderr)
            results[name] = measure(name, folder, corpus_path, args.rounds)
            if args.load_seconds:
                from bench.load import serve_load

                loads.append(serve_load(opensearch_peer.serve_args(folder), query_set(corpus_path), args.load_seconds, label(name)))
                jvm = sum(m.rss for m in opensearch_peer.jvm_memory(folder))
                loads[-1] += f"\n\nThe cluster's JVMs after the load: RSS {jvm:.0f} MB summed over {nodes} node(s)."
        finally:
            opensearch_peer.stop_cluster(folder)
    print(report(args.articles, results))
    for load in loads:
        print()
        print(load)
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    sys.exit(main())
