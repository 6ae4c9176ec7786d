"""The analyst views' cost at scale on each backend: compare, who covers, what it is about, and the feed, against a plain search.

Usage::

    python -m bench.analysis --articles 100000 --workdir /tmp/perf [--rounds 3] [--engines whoosh,opensearch]
                             [--opensearch-nodes 1] [--opensearch-heap 1g]

Builds (or reuses) the synthetic corpus and the Whoosh index of :mod:`bench.performance` (the
same folder, ``ours-<N>``) and, for ``opensearch``, a local cluster of ``--opensearch-nodes``
nodes started here (``berita opensearch start``, as :mod:`bench.peers.opensearch_peer` does;
its folder ``opensearch-analysis-<N>`` keeps the index between runs) holding the same
articles. Then times, through :func:`search.engine.open_engine` in one process, each kind on
each backend in turn, request by request (so both see the same machine at the same moment):

- plain searches: :func:`bench.queries.query_set`'s ordinary queries (the reference);
- the feed: the same queries as ``/feed.atom`` asks them (newest first, 30 entries, no grouping);
- compare: five of those queries at once, twenty such sets;
- who covers: each query;
- what it is about: words of ordinary frequency whose result holds 8 to 12 % of the archive
  (8,000 to 12,000 articles at 100,000; drawn at random from the Whoosh index's vocabulary), each alone.

Prints p50/p95 per kind and backend, and each p50's ratio to the same backend's plain search.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench import corpus as synthetic
from bench.peers import opensearch_peer
from bench.peers.base import BenchQuery
from bench.performance import articles
from bench.queries import query_set
from search.backends.whoosh.engine import WhooshEngine
from search.backends.whoosh.indexer import index_results
from search.domain.request import SearchRequest
from search.engine import SearchEngine, open_engine
from search.extract import Extracted
from web.views.feed import feed_request

TERMS_SHARE = (0.08, 0.12)  # "a 10,000-article result" at 100,000 articles: 8 to 12 % of the archive


def request_of(query: BenchQuery) -> SearchRequest:
    """The benchmark query as the search page asks it (phrases quoted, the outlet or year as filters)."""
    return SearchRequest(q=query.text, outlets=(query.outlet,) if query.outlet else (), date=query.year)


def words_with_results(engine: WhooshEngine, low: int, high: int, count: int, seed: int = 18) -> list[str]:
    """``count`` alphabetic stems whose search finds between ``low`` and ``high`` articles, drawn at random."""
    ix = engine._run(lambda snapshot: snapshot.arrays)  # a benchmark reads the index's vocabulary directly
    frequency: dict[str, int] = {}
    for _, arrays in ix.segments:
        body = arrays.fields["body"]
        df = np.diff(body.starts)
        for index in np.flatnonzero(df >= low // (2 * max(len(ix.segments), 1))):
            word = bytes(body.terms[int(index)]).decode("utf-8")
            frequency[word] = frequency.get(word, 0) + int(df[index])
    candidates = sorted(w for w, n in frequency.items() if low <= n <= high and w.isalpha() and len(w) > 3)
    chosen = random.Random(seed).sample(candidates, min(3 * count, len(candidates)))
    return [w for w in chosen if low <= engine.search(SearchRequest(q=w, size=1)).total <= high][:count]


KINDS = ("search", "feed", "compare (5 queries)", "who covers", "what it is about (8-12 % of the archive)")


def opensearch_engine(workdir: Path, count: int, corpus: Path, nodes: int, heap: str) -> tuple[SearchEngine, Path]:
    """The benchmark's cluster started and its index built when missing: the engine over it, and the folder to stop."""
    folder = workdir / f"opensearch-analysis-{count}-{nodes}"
    folder.mkdir(parents=True, exist_ok=True)
    opensearch_peer.stop_cluster(folder)  # one a killed run left
    print(f"opensearch: {opensearch_peer.start_cluster(folder, nodes, heap)}", file=sys.stderr)
    engine = open_engine(opensearch_peer.engine_config(folder))
    if engine.count() != count:
        print(f"building the OpenSearch index of {count:,} articles …", file=sys.stderr)
        started = time.perf_counter()
        engine.rebuild(Extracted(article) for article in articles(corpus))
        took = time.perf_counter() - started
        print(f"built in {took:.0f} s ({count / took:.0f} articles/s, story links included)", file=sys.stderr)
        _settled(folder)
    return engine, folder


def _settled(folder: Path, timeout: float = 600) -> None:
    """Wait until the cluster merges no segment: timed right after a build, searches compete with its merges (a third slower)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats: Any = opensearch_peer.get(folder, "/_nodes/stats/indices/merge")
        if not sum(node["indices"]["merges"]["current"] for node in stats["nodes"].values()):
            return
        time.sleep(2)


def measure(engines: dict[str, SearchEngine], queries: list[SearchRequest], groups: list[list[SearchRequest]], words: list[str],
            rounds: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per request, per backend and kind; the backends take turns request by request."""
    times: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in KINDS} for name in engines}

    def each(kind: str, call: Callable[[SearchEngine], object]) -> None:
        for name, engine in engines.items():
            started = time.perf_counter()
            call(engine)
            times[name][kind].append(time.perf_counter() - started)

    for _ in range(rounds):
        for request in queries:
            feed = feed_request(request)
            each("search", lambda engine: engine.search(request))  # noqa: B023 (called at once)
            each("feed", lambda engine: engine.search(feed))  # noqa: B023
            each("who covers", lambda engine: engine.coverers(request))  # noqa: B023
        for group in groups:
            each("compare (5 queries)", lambda engine: engine.compare(group))  # noqa: B023
        for word in words:
            about = SearchRequest(q=word)
            each(KINDS[-1], lambda engine: engine.about(about))  # noqa: B023
    return times


def table(count: int, times: dict[str, dict[str, list[float]]]) -> str:
    lines = [f"| what ({count:,} articles) | backend | n | p50 ms | p95 ms | p50 / its search p50 |", "|---|---|---|---|---|---|"]
    for kind in KINDS:
        for name, kinds in times.items():
            values = sorted(kinds[kind])
            p50, p95 = statistics.median(values), values[int(0.95 * (len(values) - 1))]
            lines.append(f"| {kind} | {name} | {len(values)} | {1000 * p50:.1f} | {1000 * p95:.1f} | {p50 / statistics.median(kinds['search']):.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cari-berita-perf")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", default="whoosh,opensearch", help="whoosh, opensearch or both")
    parser.add_argument("--opensearch-nodes", type=int, default=1)
    parser.add_argument("--opensearch-heap", default="1g")
    args = parser.parse_args(argv)
    corpus_path = synthetic.write(args.workdir / f"synthetic-{args.articles}.jsonl", args.articles)
    folder = args.workdir / f"ours-{args.articles}"
    if not folder.exists():
        print(f"building {folder} …", file=sys.stderr)
        index_results(folder, (Extracted(article) for article in articles(corpus_path)))
    whoosh = WhooshEngine(folder)
    engines: dict[str, SearchEngine] = {}
    cluster: Path | None = None
    try:
        for name in args.engines.split(","):
            if name == "whoosh":
                engines[name] = whoosh
            elif name == "opensearch":
                engines[f"opensearch ({args.opensearch_nodes} node{'s' if args.opensearch_nodes > 1 else ''})"], cluster = opensearch_engine(
                    args.workdir, args.articles, corpus_path, args.opensearch_nodes, args.opensearch_heap)
            else:
                raise SystemExit(f"unknown engine {name!r} (whoosh, opensearch)")
        queries = [request_of(q) for q in query_set(corpus_path)]
        rng = random.Random(5)
        groups = [[dataclasses.replace(r, outlets=(), date=None) for r in rng.sample(queries, 5)] for _ in range(20)]
        low, high = (int(share * args.articles) for share in TERMS_SHARE)
        words = words_with_results(whoosh, low, high, count=8)
        print(f"what-it-is-about words: {words}", file=sys.stderr)
        # Warm-up, a whole round: the arrays, columns and story keys; the cluster's caches and its JVMs' compiled code
        # (three JVMs just started on two cores took a round to reach their speed: about's p50 halved after it).
        measure(engines, queries, groups, words, rounds=1)
        print(table(args.articles, measure(engines, queries, groups, words, args.rounds)))
    finally:
        if cluster is not None:
            opensearch_peer.stop_cluster(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
