"""What the search page costs beyond the search: the HTML page against the JSON API, same queries, one run.

Usage::

    python -m bench.page --index-dir /tmp/indosum-index [--rounds 5]

The queries are :func:`bench.queries.query_set`'s fixed mix (one to three words and
two-word phrases from real sentences, a third with an outlet or a year), each asked as
``/api/search`` (the engine, facets and envelope) and as ``/`` (the same envelope rendered:
chart, pager, chips, facet lists), in-process through Flask's test client so that only the
app's own work is timed. The ratio page/API is what rendering adds. Run it on two checkouts
(each over an index it built) to compare a change's cost on the page.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.corpus import INDOSUM
from bench.load import paths_for
from bench.queries import query_set
from web import create_app


def timings(index_dir: Path, paths: list[str], rounds: int) -> dict[str, list[float]]:
    """Seconds per request for the API and the page, interleaved so both see the same machine."""
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    for path in paths[:10]:  # warm-up: searchers, arrays, caches
        client.get(path)
    seen: dict[str, list[float]] = {"api": [], "page": []}
    for _ in range(rounds):
        for path in paths:
            for kind, url in (("api", path), ("page", "/?" + path.split("?", 1)[1])):
                start = time.perf_counter()
                response = client.get(url)
                seen[kind].append(time.perf_counter() - start)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=INDOSUM, help="where the query words are drawn from")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    api_paths = [p if p.startswith("/api/") else "/api/search?" + p.split("?", 1)[1] for p in paths_for(query_set(args.corpus))]
    seen = timings(args.index_dir, api_paths, args.rounds)
    print("| what | n | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for kind, values in seen.items():
        values.sort()
        print(f"| {kind} | {len(values)} | {1000 * statistics.median(values):.2f} | {1000 * values[int(0.95 * len(values))]:.2f} |")
    print(f"\npage / API (p50): {statistics.median(seen['page']) / statistics.median(seen['api']):.2f}")


if __name__ == "__main__":
    main()
