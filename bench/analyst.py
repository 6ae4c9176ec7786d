"""The analyst views' cost at scale: compare, who covers, what it is about, and the feed, against a plain search.

Usage::

    python -m bench.analyst --articles 100000 --workdir /tmp/perf [--rounds 3]

Builds (or reuses) the synthetic corpus and our index of :mod:`bench.performance` (the same
folder, ``ours-<N>``), then times through :class:`search.backends.whoosh.engine.WhooshEngine`, in one process:

- plain searches: :func:`bench.queries.query_set`'s ordinary queries (the reference);
- the feed: the same queries as ``/feed.atom`` asks them (newest first, 30 entries, no grouping);
- compare: five of those queries at once, twenty such sets;
- who covers: each query;
- what it is about: words of ordinary frequency whose result holds 8 to 12 % of the archive
  (8,000 to 12,000 articles at 100,000; drawn at random from the index's own vocabulary), each alone.

Prints p50/p95 per kind and its ratio to the plain search's p50.
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
from functools import partial
from pathlib import Path

import numpy as np

from bench import corpus as synthetic
from bench.peers.base import BenchQuery
from bench.performance import articles
from bench.queries import query_set
from search.backends.whoosh.engine import WhooshEngine as Engine
from search.backends.whoosh.indexer import index_results
from search.domain.request import SearchRequest
from search.extract import Extracted
from web.views.feed import feed_request

TERMS_SHARE = (0.08, 0.12)  # "a 10,000-article result" at 100,000 articles: 8 to 12 % of the archive


def request_of(query: BenchQuery) -> SearchRequest:
    """The benchmark query as the search page asks it (phrases quoted, the outlet or year as filters)."""
    return SearchRequest(q=query.text, outlets=(query.outlet,) if query.outlet else (), date=query.year)


def words_with_results(engine: Engine, low: int, high: int, count: int, seed: int = 18) -> list[str]:
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


def _time(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cari-berita-perf")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    corpus_path = synthetic.write(args.workdir / f"synthetic-{args.articles}.jsonl", args.articles)
    folder = args.workdir / f"ours-{args.articles}"
    if not folder.exists():
        print(f"building {folder} …", file=sys.stderr)
        index_results(folder, (Extracted(article) for article in articles(corpus_path)))
    engine = Engine(folder)
    queries = [request_of(q) for q in query_set(corpus_path)]
    rng = random.Random(5)
    groups = [[dataclasses.replace(r, outlets=(), date=None) for r in rng.sample(queries, 5)] for _ in range(20)]
    low, high = (int(share * args.articles) for share in TERMS_SHARE)
    words = words_with_results(engine, low, high, count=8)
    print(f"terms queries: {words}", file=sys.stderr)
    for request in queries[:10]:  # warm-up: arrays, columns, story keys
        engine.search(request)
    kinds: dict[str, list[float]] = {name: [] for name in ("search", "feed", "compare (5 queries)", "who covers", "terms (8-12 % of the archive)")}
    for _ in range(args.rounds):
        for request in queries:
            kinds["search"].append(_time(partial(engine.search, request)))
            kinds["feed"].append(_time(partial(engine.search, feed_request(request))))
            kinds["who covers"].append(_time(partial(engine.coverers, request)))
        for group in groups:
            kinds["compare (5 queries)"].append(_time(partial(engine.compare, group)))
        for word in words:
            kinds["terms (8-12 % of the archive)"].append(_time(partial(engine.about, SearchRequest(q=word))))
    base = statistics.median(kinds["search"])
    print(f"| what ({args.articles:,} articles) | n | p50 ms | p95 ms | p50 / search p50 |")
    print("|---|---|---|---|---|")
    for name, values in kinds.items():
        values.sort()
        p50, p95 = statistics.median(values), values[int(0.95 * (len(values) - 1))]
        print(f"| {name} | {len(values)} | {1000 * p50:.1f} | {1000 * p95:.1f} | {p50 / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
