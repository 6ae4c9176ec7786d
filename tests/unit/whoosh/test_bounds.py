"""A query tree's highest score bounds every score its matches get, proximity bonuses included.

A partial match's search is skipped when its bound cannot outscore the page
(:mod:`search.backends.whoosh.bounds`): a bound below a real score would hide a partial
match that belongs on the page.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from search.backends.whoosh.bounds import highest_score
from search.backends.whoosh.evaluation import evaluate
from search.backends.whoosh.layout import decoding_once
from search.backends.whoosh.parsing import parse_user_query
from search.backends.whoosh.topk import ranked
from search.querylang import prepare
from tests.unit.whoosh.indexes import snapshot_on

SHAPES = ["{a}", "{a} {b}", "{a} {b} {c}", '"{a} {b}"', "{a} OR {b}", "{a} -{b}", "{a} ({b} OR {c})", "judul:{a} {b}", "{p}*"]


@pytest.mark.parametrize("shape", SHAPES)
def test_no_match_scores_above_its_query_s_bound(shape: str, sample_index_dir: Path) -> None:
    rng = random.Random(shape)
    with snapshot_on(sample_index_dir) as snapshot:
        ix = snapshot.arrays
        words = [w for w in ("yang", "akan", "presiden", "jakarta", "harga", "polisi", "banjir", "tersebut", "kata", "pemerintah")]
        checked = 0
        for _ in range(12):
            a, b, c = rng.sample(words, 3)
            query = parse_user_query(prepare(shape.format(a=a, b=b, c=c, p=a[:3])).text, snapshot)
            with decoding_once():
                _, scores = ranked(ix, evaluate(ix, query), None)  # every bonus checked: the exact scores
                bound = highest_score(ix, query)
            if len(scores):
                checked += 1
                assert scores.max() <= bound, (shape, a, b, c)
                assert bound < 4 * scores.max() + 50  # a bound, not infinity
        assert checked
