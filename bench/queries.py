"""The benchmarks' fixed query mix: one to three words and two-word phrases from real sentences, a third filtered.

Its own module so that every benchmark (performance, load, page, stories, analyst tools)
draws the same queries without importing another benchmark.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from bench.peers.base import BenchQuery
from search.analyzer import analyze_exact
from search.extract.outlets import default_registry

_SKIP = set("yang dan di ke dari untuk dengan pada ini itu dalam akan telah sudah oleh tidak juga adalah".split())


def query_set(path: Path, count: int = 120, seed: int = 7) -> list[BenchQuery]:
    """A fixed mix: 1-3 words and 2-word phrases from real sentences; a third filtered."""
    rng = random.Random(seed)
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % 97 == 0:
                records.append(json.loads(line))
            if len(records) >= 400:
                break
    queries: list[BenchQuery] = []
    outlets = [r["outlet"] for r in records if r.get("outlet")]
    registry = default_registry()
    while len(queries) < count:
        tokens = analyze_exact(rng.choice(records)["text"])
        keep = [not (w in _SKIP or not w.isalpha() or len(w) <= 3) for w in tokens]
        words = [w for w, ok in zip(tokens, keep, strict=True) if ok]
        pairs = [(a, b) for a, b, ok_a, ok_b in zip(tokens, tokens[1:], keep, keep[1:], strict=False) if ok_a and ok_b]
        if len(words) < 4 or not pairs:
            continue
        kind = len(queries) % 4
        chosen = rng.choice(pairs) if kind == 3 else tuple(rng.sample(words, kind + 1))
        flt = len(queries) % 3
        outlet = registry.resolve(rng.choice(outlets)).key if flt == 1 else None
        year = rng.choice(["2024", "2025"]) if flt == 2 else None
        queries.append(BenchQuery(chosen, phrase=kind == 3, outlet=outlet, year=year))
    return queries
