"""Story grouping: what it groups on real news, and what it costs at scale, in one run.

Usage::

    python -m bench.stories --articles 20000 --workdir /tmp/stories

Part 1, real news: the IndoSum corpus plus the seeds are indexed; the report gives how
many stories the articles form, how large they get, and a sample of grouped pairs to read.
IndoSum holds few true copies (ten outlets writing their own text), so what it groups are
mostly reports of one event published a day or two apart.

Part 2, cost: a synthetic corpus (:mod:`bench.corpus`) in which a share of articles are
re-published copies (another outlet, another dateline, a paragraph dropped, a day later).
It measures, in the same run and the same process:

- indexing with story linking, against the sketching and linking alone (its share of the build);
- the 120 queries of :mod:`bench.performance` with grouping on and off, on one searcher
  (p50/p95 and the ratio);
- working out the stories of a new searcher (what the first search after a commit pays);
- adding 100 articles that are copies of indexed ones (linked through the index).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import time
from collections import Counter
from pathlib import Path

from bench import corpus as synthetic
from bench.performance import articles
from bench.queries import query_set
from search.backends.whoosh.indexer import index_results
from search.backends.whoosh.query import run_search
from search.backends.whoosh.searchers import SearcherCache
from search.backends.whoosh.snapshot import Snapshot, Snapshots
from search.backends.whoosh.storage import open_index
from search.domain.article import Article
from search.domain.request import SearchRequest
from search.extract import Extracted
from search.linking import StoryLinker

ROOT = Path(__file__).resolve().parent.parent


def stories_of(index_dir: Path) -> tuple[int, list[list[dict[str, object]]]]:
    """(articles, stories of two or more articles as lists of stored fields)."""
    with open_index(index_dir).searcher() as searcher:
        snapshot = Snapshot(searcher)
        columns = snapshot.columns
        keys = snapshot.story_keys
        live = [n for n in range(len(keys)) if columns.live[n]]
        members: dict[int, list[int]] = {}
        for n in live:
            members.setdefault(int(keys[n]), []).append(n)
        groups = [[searcher.stored_fields(n) for n in group] for group in members.values() if len(group) > 1]
        return len(live), groups


def real_news(workdir: Path) -> str:
    index_dir = workdir / "indosum"
    if not index_dir.exists():
        index_results(index_dir, (Extracted(a) for a in articles(synthetic.INDOSUM)))
        index_results(index_dir, (Extracted(a) for a in articles(ROOT / "seeds")))
    total, groups = stories_of(index_dir)
    sizes = Counter(len(g) for g in groups)
    grouped = sum(len(g) for g in groups)
    lines = [
        "## Real news: IndoSum (3,463) + seeds (5)", "",
        f"{total} articles form {total - grouped + len(groups)} stories; {grouped} articles "
        f"({grouped / total:.1%}) sit in {len(groups)} stories of two or more "
        f"(sizes: {', '.join(f'{n} x{size}' for size, n in sorted(sizes.items()))}).", "",
        "Every story of two or more, title and outlet of each article:", "",
    ]
    for group in sorted(groups, key=lambda g: str(g[0].get("date") or "")):
        described = (f"{str(g.get('title') or str(g.get('body'))[:60])[:70]} ({g.get('outlet') or '?'}, {g.get('date') or 'no date'})"
                     for g in group)
        lines.append("- " + " || ".join(described))
    return "\n".join(lines)


def with_copies(count: int, share: float, seed: int = 5) -> tuple[list[Article], dict[str, str]]:
    """Synthetic articles, ``share`` of them copies of an earlier one, and each copy's original.

    Half the copies are another outlet's (``copy-``: the same title, a paragraph dropped, the
    same day), half the outlet's own republication (``again-``: a new title, a paragraph
    dropped, the next day).
    """
    rng = random.Random(seed)
    out: list[Article] = []
    originals: dict[str, str] = {}
    for record in synthetic.generate(count, seed=seed):
        if out and rng.random() < share:
            source = rng.choice(out[-500:])
            paragraphs = source.body.split("\n\n")
            if len(paragraphs) > 3:
                paragraphs.pop(rng.randrange(1, len(paragraphs)))
            again = rng.random() < 0.5
            outlet = source.outlet if again else str(record["outlet"] or "Salinan")
            copy = Article(id=f"{'again' if again else 'copy'}-{len(out):07d}", title=f"Berita: {source.title}" if again else source.title,
                           body="\n\n".join(paragraphs), outlet=outlet, outlet_key=outlet.lower() if outlet else None,
                           date=source.date + dt.timedelta(days=1) if again and source.date else source.date)
            originals[copy.id] = source.id
            out.append(copy)
        else:
            date, outlet = record["date"], str(record["outlet"]) if record["outlet"] else None
            out.append(Article(id=str(record["id"]), title=str(record["title"]), body=str(record["text"]),
                               outlet=outlet, outlet_key=outlet.lower() if outlet else None,
                               date=dt.date.fromisoformat(str(date)) if date else None))
    return out, originals


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def cost(workdir: Path, count: int, share: float) -> str:
    corpus, originals = with_copies(count + 100, share)
    base, fresh = corpus[:count], corpus[count:]

    started = time.perf_counter()
    linker = StoryLinker()
    found = {kind: [0, 0] for kind in ("copy", "again")}  # kind -> [copies linked to their original, copies]
    for article in base:
        links = linker.fields(article).links
        if article.id in originals:
            tally = found[article.id.partition("-")[0]]
            tally[0] += originals[article.id] in links
            tally[1] += 1
    linking_s = time.perf_counter() - started

    index_dir = workdir / f"synthetic-{count}"
    if index_dir.exists():
        shutil.rmtree(index_dir)
    started = time.perf_counter()
    index_results(index_dir, (Extracted(a) for a in base))
    build_s = time.perf_counter() - started

    cache, snapshots = SearcherCache(index_dir), Snapshots()
    snapshot = snapshots.of(cache.get())
    started = time.perf_counter()
    _ = snapshot.story_keys
    keys_ms = (time.perf_counter() - started) * 1000

    queries = query_set(synthetic.INDOSUM)
    timings: dict[bool, list[float]] = {True: [], False: []}
    for grouping in (True, False):  # warm up both paths
        for q in queries:
            run_search(snapshot, SearchRequest(q=q.text, outlets=(q.outlet,) if q.outlet else (), date=q.year, grouping=grouping))
    for _ in range(3):
        for q in queries:
            for grouping in (True, False):
                request = SearchRequest(q=q.text, outlets=(q.outlet,) if q.outlet else (), date=q.year, grouping=grouping)
                started = time.perf_counter()
                run_search(snapshot, request)
                timings[grouping].append((time.perf_counter() - started) * 1000)

    copies = [Article(id=f"late-{n}", title=a.title, body=a.body, outlet="Media Lain", date=a.date) for n, a in enumerate(base[-100:])]
    started = time.perf_counter()
    report = index_results(index_dir, (Extracted(a) for a in copies))
    add_s = time.perf_counter() - started
    snapshot = snapshots.of(cache.get())  # a new searcher: the old segments' ids and links are cached
    started = time.perf_counter()
    _ = snapshot.story_keys
    after_commit_ms = (time.perf_counter() - started) * 1000
    _, groups = stories_of(index_dir)
    late_grouped = sum(1 for g in groups for a in g if str(a["id"]).startswith("late-"))

    on, off = timings[True], timings[False]
    lines = [
        f"## Cost: {count:,} synthetic articles, {share:.0%} of them copies ({len(fresh)} spare)", "",
        "| measure | value |", "|---|---|",
        f"| index build with story linking | {build_s:.1f} s ({count / build_s:.0f} articles/s) |",
        f"| sketching + linking alone (same articles, in memory) | {linking_s:.1f} s ({linking_s / build_s:.0%} of the build) |",
        f"| copies linked to their original: another outlet's / the outlet's republication | {found['copy'][0]}/{found['copy'][1]} / "
        f"{found['again'][0]}/{found['again'][1]} |",
        f"| stories of the first searcher (reads every segment) | {keys_ms:.0f} ms |",
        f"| query p50 grouping on / off | {statistics.median(on):.1f} / {statistics.median(off):.1f} ms "
        f"(x{statistics.median(on) / statistics.median(off):.2f}) |",
        f"| query p95 grouping on / off | {percentile(on, .95):.1f} / {percentile(off, .95):.1f} ms (x{percentile(on, .95) / percentile(off, .95):.2f}) |",
        f"| add 100 copies of indexed articles | {add_s:.2f} s, {report.added} added, {late_grouped} grouped with their original |",
        f"| stories of the searcher after that commit | {after_commit_ms:.0f} ms |",
        f"| stories of two or more after that | {len(groups)} |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--copies", type=float, default=0.05, help="share of synthetic articles that are copies")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/berita-stories"))
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not args.skip_real:
        print(real_news(args.workdir), flush=True)
        print()
    print(cost(args.workdir, args.articles, args.copies), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
