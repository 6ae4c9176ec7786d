"""Extraction quality: outlet precision/recall, date accuracy, on labelled articles.

Usage::

    python -m bench.extraction [--corpus PATH] [--cases PATH]

The IndoSum corpus is labelled by its own ``outlet`` field: an article counts as
*carrying a dateline* when its first line names that outlet before the first dash
(``Jakarta, CNN Indonesia --``, ``Suara.com -``, ``Jakarta (ANTARA News) -``). The
extractor sees only the text, never the record's fields. ``date`` in IndoSum is the
aggregator's collection time, so date accuracy is reported as exact and within 1 and 3
days. The hand-written house-style cases (``tests/data/house_styles.json``) are scored
field by field.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from bench import scraped
from search.extract.outlets import OutletRegistry, default_registry, normalise
from search.extract.text import extract_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "indosum" / "articles.jsonl"
DEFAULT_CASES = ROOT / "tests" / "data" / "house_styles.json"
# The day the case expectations were written (year-less dates depend on it).
CASES_DAY = dt.date(2026, 11, 23)
_DASH = re.compile(r"--|[-–—]")


@dataclass
class OutletScore:
    """Counts behind outlet precision and recall, and date accuracy."""

    articles: int = 0
    labelled: int = 0  # articles carrying a dateline naming their outlet
    predicted: int = 0
    correct: int = 0
    correct_labelled: int = 0
    dated: int = 0
    date_exact: int = 0
    date_1: int = 0
    date_3: int = 0
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    titles: int = 0  # articles whose title is known (the scraped shapes)
    title_right: int = 0
    refused: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct_labelled / self.labelled if self.labelled else 1.0


def carries_dateline(text: str, outlet_key: str, registry: OutletRegistry) -> bool:
    """True when the first line names the article's outlet before its first dash."""
    first = text.strip().split("\n", 1)[0][:120]
    dash = _DASH.search(first)
    if not dash:
        return False
    head = " " + re.sub(r"[^a-z0-9.]+", " ", normalise(first[: dash.start()])) + " "
    return any(f" {alias} " in head for alias in registry.aliases(outlet_key) if len(alias) > 2)


def score_corpus(records: list[dict[str, object]], registry: OutletRegistry | None = None) -> OutletScore:
    """Extract every record's text alone and compare with its labelled outlet and date."""
    registry = registry or default_registry()
    score = OutletScore()
    for record in records:
        text = str(record["text"])
        truth = registry.resolve(str(record["outlet"])).key
        _score_one(score, text, str(record["id"]), truth, carries_dateline(text, truth, registry), _record_date(record))
    return score


def score_scraped(records: list[dict[str, object]], registry: OutletRegistry | None = None) -> dict[str, OutletScore]:
    """The same, per shape of :mod:`bench.scraped` (the records rewritten as a scraper saves them).

    An article carries a dateline when its original does; titles are scored too, and the
    date against the date line where a shape puts one above the headline.
    """
    registry = registry or default_registry()
    scores = {kind: OutletScore() for kind in scraped.KINDS}
    rng = scraped.generator()
    for record in records:
        truth = registry.resolve(str(record["outlet"]))
        labelled = carries_dateline(str(record["text"]), truth.key, registry)
        for variant in scraped.variants(record, truth.name, rng):
            date = variant.date or _record_date(record)
            _score_one(scores[variant.kind], variant.text, str(record["id"]), truth.key, labelled, date, variant.title)
    return scores


def _record_date(record: dict[str, object]) -> dt.date:
    return dt.datetime.fromisoformat(str(record["date"])).date()


def _score_one(score: OutletScore, text: str, article_id: str, truth: str, labelled: bool, truth_date: dt.date, title: str | None = None) -> None:
    score.articles += 1
    score.labelled += labelled
    try:
        article = extract_text(text, article_id=article_id, today=truth_date + dt.timedelta(days=1))
    except ValueError:
        score.refused += 1
        return
    if title is not None and labelled:  # without a dateline nothing marks where a flattened headline ends
        score.titles += 1
        score.title_right += article.title == title
    if article.outlet_key:
        score.predicted += 1
        if article.outlet_key == truth:
            score.correct += 1
            score.correct_labelled += labelled
        else:
            score.confusions[(truth, article.outlet_key)] += 1
    elif labelled:
        score.misses.append(text[:80])
    if article.date:
        gap = abs((article.date - truth_date).days)
        score.dated += 1
        score.date_exact += gap == 0
        score.date_1 += gap <= 1
        score.date_3 += gap <= 3


def score_cases(cases: list[dict[str, object]]) -> list[tuple[str, str, object, object]]:
    """Every wrong field of the house-style cases as (case, field, expected, got)."""
    wrong: list[tuple[str, str, object, object]] = []
    for case in cases:
        article = extract_text(str(case["text"]), article_id=str(case["style"]), today=CASES_DAY)
        got = article.to_dict()
        for name in ("outlet_key", "outlet", "city", "date", "title", "author", "editor"):
            if name in case and got[name] != case[name]:
                wrong.append((str(case["style"]), name, case[name], got[name]))
        for text in cast(list[str], case.get("body_excludes", [])):
            if text in article.body:
                wrong.append((str(case["style"]), "body", f"without {text!r}", "present"))
    return wrong


def _report_scraped(scores: dict[str, OutletScore]) -> None:
    one_line = OutletScore()
    for kind, score in scores.items():
        if kind != "date-above":
            for name in ("articles", "labelled", "predicted", "correct", "correct_labelled", "refused"):
                setattr(one_line, name, getattr(one_line, name) + getattr(score, name))
    print("Scraped shapes of the same articles (bench.scraped):")
    print("| shape | precision | recall | titles right (datelined) | dates found, within 3 days | dates right (date line) | refused |")
    print("|---|---|---|---|---|---|---|")
    for kind, score in [*scores.items(), ("all one-line shapes", one_line)]:
        titles = f"{score.title_right / score.titles:.3f}" if score.titles else "-"
        dates = f"{score.date_exact / score.articles:.3f}" if kind.startswith("date-above") else "-"
        found = f"{score.dated}, {score.date_3 / score.dated:.3f}" if score.dated else "-"
        print(f"| {kind} | {score.precision:.4f} ({score.correct}/{score.predicted}) | {score.recall:.4f} "
              f"({score.correct_labelled}/{score.labelled}) | {titles} | {found} | {dates} | {score.refused} |")
    for kind, score in scores.items():
        for (truth, got), count in score.confusions.most_common(3):
            print(f"  {kind} confusion: {truth} -> {got} ({count})")
        for miss in score.misses[:3]:
            print(f"  {kind} missed: {miss!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    args = parser.parse_args(argv)

    records = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    score = score_corpus(records)
    print(f"IndoSum ({args.corpus.name}): {score.articles} articles, {score.labelled} carry a dateline naming their outlet")
    print(f"  outlet precision {score.precision:.4f}  ({score.correct}/{score.predicted} predicted outlets right)")
    print(f"  outlet recall    {score.recall:.4f}  ({score.correct_labelled}/{score.labelled} datelined articles)")
    if score.dated:
        print(
            f"  date: found in {score.dated} texts; equal to the aggregator's date {score.date_exact / score.dated:.3f}, "
            f"within 1 day {score.date_1 / score.dated:.3f}, within 3 days {score.date_3 / score.dated:.3f}"
        )
    for (truth, got), count in score.confusions.most_common(8):
        print(f"  confusion: {truth} -> {got} ({count})")
    for miss in score.misses[:5]:
        print(f"  missed: {miss!r}")

    _report_scraped(score_scraped(records))
    cases = json.loads(args.cases.read_text(encoding="utf-8"))
    wrong = score_cases(cases)
    print(f"House styles ({args.cases.name}): {len(cases)} cases, {len(cases) - len({w[0] for w in wrong})} fully right")
    for style, name, wanted, found in wrong:
        print(f"  {style}: {name} expected {wanted!r}, got {found!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
