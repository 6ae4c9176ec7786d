"""Outlet precision and recall on labelled IndoSum articles (the text alone, no record fields)."""

from __future__ import annotations

import json

import pytest

from bench.extraction import score_corpus
from tests.conftest import INDOSUM_SAMPLE, require_shared


def _records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_outlet_precision_and_recall_on_the_committed_sample() -> None:
    score = score_corpus(_records(INDOSUM_SAMPLE))
    assert score.labelled >= 150  # the sample has datelined articles from seven outlets
    assert score.precision >= 0.99
    assert score.recall >= 0.95


@pytest.mark.slow
def test_outlet_precision_and_recall_on_all_of_indosum() -> None:
    score = score_corpus(_records(require_shared("corpus/indosum/articles.jsonl")))
    assert score.labelled > 2000
    assert score.precision >= 0.99, score.confusions.most_common(10)
    assert score.recall >= 0.95, score.misses[:10]


def test_labelling_needs_the_outlet_before_the_dash() -> None:
    from bench.extraction import carries_dateline
    from search.extract.outlets import default_registry

    registry = default_registry()
    assert carries_dateline("Jakarta, CNN Indonesia -- Isi", "cnnindonesia.com", registry)
    assert carries_dateline("Palu (ANTARA News) - Isi", "antaranews.com", registry)
    assert not carries_dateline("Hari ini - kata sumber CNN Indonesia", "cnnindonesia.com", registry)
    assert not carries_dateline("Menteri berkata di kumparan", "kumparan.com", registry)
