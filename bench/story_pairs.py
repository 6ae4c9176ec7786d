"""Story grouping against hand-checked pairs: how many joined pairs are one story, and how many of those are found.

Usage::

    python -m bench.story_pairs

``bench/data/story_pairs.tsv`` lists, for two IndoSum samples (the largest outlet-month and
the largest month of all outlets), every pair of articles within two days whose sketch
cosine is 0.2 or more, each read and given a verdict: ``copy`` or ``same-news`` (one story
told again) or ``related`` (a follow-up, another angle, another event on the topic). The
sample's articles are linked oldest first by :class:`search.linking.StoryLinker`, the
linking every backend runs as it indexes, and every pair of articles in one group counts
as joined (a group joins its members' links). Reported per sample:

- precision: the joined pairs whose verdict is one story, of all joined pairs (a joined
  pair missing from the list would have no verdict: it is reported, never counted right);
- recall: the one-story pairs that end up joined.

Beside it, in the same run, the rule before issue 31 (cosine 0.45 within two days, any
outlet) on the same pairs, which joined one outlet's follow-ups.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import corpus as synthetic
from bench.performance import articles
from search.domain.article import Article
from search.linking import StoryLinker
from search.sketches import similarity, sketch

PAIRS = Path(__file__).resolve().parent / "data" / "story_pairs.tsv"
ONE_STORY = {"copy", "same-news"}


def _month(article: Article) -> str:
    return article.date.strftime("%Y-%m") if article.date else ""


SAMPLES: dict[str, Callable[[Article], bool]] = {
    "one-outlet": lambda a: a.outlet_key == "cnnindonesia.com" and _month(a) == "2017-06",
    "many-outlets": lambda a: _month(a) == "2017-08",
}


@dataclass(frozen=True)
class Verdicts:
    """One sample's hand-checked pairs: (first id, second id) as a frozenset -> verdict."""

    of: dict[frozenset[str], str]

    @classmethod
    def read(cls, sample: str, path: Path = PAIRS) -> Verdicts:
        of = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                name, first, second, verdict, *_ = line.split("\t")
                if name == sample:
                    of[frozenset((first, second))] = verdict
        return cls(of)

    def score(self, joined: set[frozenset[str]]) -> str:
        right = sum(1 for pair in joined if self.of.get(pair) in ONE_STORY)
        unread = sum(1 for pair in joined if pair not in self.of)
        wanted = sum(1 for verdict in self.of.values() if verdict in ONE_STORY)
        precision = f"{right / len(joined):.2f}" if joined else "n/a (none joined)"
        return f"{len(joined)} joined, {right} one story, {unread} without a verdict: precision {precision}, recall {right}/{wanted}"


def linked_pairs(sample: list[Article]) -> set[frozenset[str]]:
    """Every pair of articles the linker puts in one group, the sample linked oldest first."""
    linker = StoryLinker()
    parent = {article.id: article.id for article in sample}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for article in sorted(sample, key=lambda a: (a.date is None, a.date, a.id)):
        for other in linker.fields(article).links:
            parent[root(article.id)] = root(other)
    groups: dict[str, list[str]] = {}
    for article in sample:
        groups.setdefault(root(article.id), []).append(article.id)
    return {frozenset(pair) for members in groups.values() for pair in itertools.combinations(members, 2)}


def topic_pairs(sample: list[Article]) -> set[frozenset[str]]:
    """The rule before: sketch cosine 0.45 within two days, whatever the outlet (direct pairs only)."""
    sketches = {article.id: sketch(article.title, article.body) for article in sample}
    return {frozenset((a.id, b.id)) for a, b in itertools.combinations(sample, 2)
            if a.date and b.date and abs((a.date - b.date).days) <= 2 and similarity(sketches[a.id], sketches[b.id]) >= 0.45}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=synthetic.INDOSUM)
    args = parser.parse_args(argv)
    corpus = list(articles(args.corpus))
    print("| sample | articles | pairs read (one story) | story grouping | before: any outlet, 0.45 |")
    print("|---|---|---|---|---|")
    for name, wanted in SAMPLES.items():
        sample = [article for article in corpus if wanted(article)]
        verdicts = Verdicts.read(name)
        one = sum(1 for verdict in verdicts.of.values() if verdict in ONE_STORY)
        print(f"| {name} | {len(sample)} | {len(verdicts.of)} ({one}) | {verdicts.score(linked_pairs(sample))} "
              f"| {verdicts.score(topic_pairs(sample))} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
