"""Build speed, freshness, query latency, size and memory: ours against three peers, one run.

Usage::

    python -m bench.performance --articles 100000 --workdir /tmp/perf [--load-seconds 20]

Every engine gets the same synthetic corpus (:mod:`bench.corpus`, stitched from real
IndoSum sentences), read through our extraction, and the same fixed query set: one to
three words and two-word phrases, each also with an outlet or a year filter; every query
asks for ten hits with snippets plus outlet and month counts over all matches. Freshness
is the time to add 100 new articles and find the last one, the median of three batches. Each
engine's build and queries run in a child process of their own, so peak memory (RSS) is
that engine's alone. Peers (see :mod:`bench.peers`): the straightforward Whoosh
implementation, SQLite FTS5 and tantivy, the last two over the same Sastrawi stems.

Then ``berita serve`` is started on our index and loaded with 16 concurrent clients
(``wrk`` when installed, else a Python client) with the same query mix, once idle and
once while another process keeps adding articles.

Prints markdown tables with ratios to peer (1); docs/PERFORMANCE.md quotes the last run.
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
from bench.peers.base import BenchQuery, Peer
from bench.queries import query_set
from search.domain.article import Article
from search.extract import Extracted, read_paths

ENGINES = ("ours", "plain", "fts5", "tantivy")
LABELS = {"ours": "Cari Berita", "plain": "(1) plain Whoosh", "fts5": "(2) SQLite FTS5", "tantivy": "(3) tantivy"}
FRESH_ARTICLES = 100
FRESH_BATCHES = 3


def engine(name: str, folder: Path) -> Peer:
    if name == "ours":
        from bench.peers.ours import Ours

        return Ours(folder)
    if name == "plain":
        from bench.peers.plain_whoosh import PlainWhoosh

        return PlainWhoosh(folder)
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


def run_child(args: list[str]) -> tuple[dict[str, object], float]:
    """Run this module as a child; returns its JSON answer and its peak RSS in MB."""
    process = subprocess.Popen([sys.executable, "-m", "bench.performance", *args], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"child {args} failed with status {status}")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024


# ---- report ----------------------------------------------------------------------------


def ratio(value: float, reference: float, higher_is_better: bool) -> str:
    if not reference or not value:
        return "–"
    r = value / reference if higher_is_better else reference / value
    return f"{r:.1f}x"


def report(n: int, results: dict[str, dict[str, object]]) -> str:
    ref = results.get("plain")
    lines = [
        f"Synthetic corpus: {n} articles (stitched from IndoSum sentences). Ratios are against (1); > 1x means better.",
        "",
        "| engine | build art/s | build peak RSS MB | 100 new searchable s (median of 3) | query p50 ms | p95 ms | p99 ms | query RSS MB | index MB"
        " | p50 speed-up | build speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        rate = n / float(row["build_s"])  # type: ignore[arg-type]
        lines.append(
            f"| {LABELS[name]} | {rate:.0f} | {row['build_rss']:.0f} | {row['fresh_s']:.2f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['p99']:.1f} | {row['query_rss']:.0f} | {row['size_mb']:.0f} | "
            f"{ratio(float(str(row['p50'])), float(str(ref['p50'])), False) if ref else '–'} | "
            f"{ratio(rate, n / float(str(ref['build_s'])), True) if ref else '–'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cari-berita-perf")
    parser.add_argument("--engines", default=",".join(ENGINES))
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

    corpus_path = synthetic.write(args.workdir / f"synthetic-{args.articles}.jsonl", args.articles)
    print(f"SYNTHETIC corpus: {args.articles} articles stitched from IndoSum sentences -> {corpus_path}", file=sys.stderr)
    results: dict[str, dict[str, object]] = {}
    for name in args.engines.split(","):
        folder = args.workdir / f"{name}-{args.articles}"
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        built, build_rss = run_child(["--child", "build", name, str(folder), str(corpus_path)])
        print(f"{LABELS[name]}: built in {built['build_s']:.1f} s", file=sys.stderr)
        queried, query_rss = run_child(["--child", "query", name, str(folder), str(corpus_path), str(args.rounds)])
        print(f"{LABELS[name]}: p50 {queried['p50']:.1f} ms, mean total {queried['mean_total']:.0f}", file=sys.stderr)
        results[name] = {**built, **queried, "build_rss": build_rss, "query_rss": query_rss}
    print(report(args.articles, results))
    if args.load_seconds and "ours" in results:
        from bench.load import load_report

        print()
        print(load_report(args.workdir / f"ours-{args.articles}", query_set(corpus_path), args.load_seconds))
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    sys.exit(main())
