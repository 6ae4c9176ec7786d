"""The best of the matches: Whoosh's order, proximity bonuses settled only where they can change the page, one hit per story."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh.query import And, AndMaybe, Phrase, Term

from search.backends.whoosh import topk
from search.backends.whoosh.evaluation import IndexArrays, evaluate, phrase_holds
from search.backends.whoosh.scored import Bonus, Scored
from search.backends.whoosh.topk import ranked
from tests.unit.whoosh.indexes import index_arrays

# Two of the commonest words of the sample, near each other in about half the articles that have both.
COMMON = ("yang", "akan")


@pytest.fixture(scope="module")
def sample(sample_index_dir: Path) -> IndexArrays:
    return index_arrays(sample_index_dir)


def proximity_query(words: tuple[str, ...], slop: int = 10, boost: float = 3.0) -> AndMaybe:
    """Every word required, with a bonus where they stand close: the shape ``search.ranking`` gives a plain query."""
    return AndMaybe(And([Term("body", w) for w in words]), Phrase("body", list(words), slop=slop, boost=boost))


def matches(pairs: dict[int, float], *bonuses: Bonus) -> Scored:
    docs = np.array(sorted(pairs), dtype=np.int64)
    return Scored(docs, np.array([pairs[d] for d in sorted(pairs)], dtype=np.float64), bonuses)


def reference(docs: np.ndarray, scores: np.ndarray, stories: np.ndarray | None = None) -> list[int]:
    """Every match by score, ties to the lower number, only the first of each story: the order by hand."""
    order = sorted(range(len(docs)), key=lambda i: (-scores[i], docs[i]))
    seen: set[int] = set()
    result = []
    for i in order:
        story = int(stories[docs[i]]) if stories is not None else int(docs[i])
        if story not in seen:
            seen.add(story)
            result.append(int(docs[i]))
    return result


def test_the_best_matches_come_first_and_ties_go_to_the_lower_document_number(sample: IndexArrays) -> None:
    scored = matches({3: 1.0, 7: 2.5, 9: 2.5, 12: 0.5, 20: 4.0})

    docs, scores = ranked(sample, scored, 4)

    assert docs.tolist() == [20, 7, 9, 3]
    assert scores.tolist() == [4.0, 2.5, 2.5, 1.0]


def test_without_a_count_every_match_is_ranked(sample: IndexArrays) -> None:
    scored = matches({3: 1.0, 7: 2.5, 9: 2.5, 12: 0.5, 20: 4.0})

    assert ranked(sample, scored, None)[0].tolist() == [20, 7, 9, 3, 12]


def test_asking_for_more_than_there_are_gives_them_all(sample: IndexArrays) -> None:
    assert ranked(sample, matches({5: 1.0, 6: 2.0}), 10)[0].tolist() == [6, 5]
    assert ranked(sample, Scored.empty(), 10)[0].tolist() == []


def test_random_scores_with_many_ties_rank_as_sorted_by_hand(sample: IndexArrays) -> None:
    rng = np.random.default_rng(11)
    for _ in range(150):
        docs = np.unique(rng.integers(0, sample.doc_count_all, size=int(rng.integers(1, 120))))
        scores = rng.choice([0.5, 1.0, 1.5, 2.0], size=len(docs))  # few values: many ties
        count = int(rng.integers(1, 30))
        assert ranked(sample, Scored(docs, scores), count)[0].tolist() == reference(docs, scores)[:count]


def test_a_bonus_that_holds_lifts_a_match_and_one_that_does_not_adds_nothing(sample: IndexArrays) -> None:
    phrase = proximity_query(COMMON).b
    candidates = evaluate(sample, proximity_query(COMMON)).bonuses[0].docs
    held = phrase_holds(sample, phrase, candidates)
    near, apart = int(candidates[held][0]), int(candidates[~held][0])
    other = int(np.setdiff1d(np.arange(sample.doc_count_all), candidates)[0])
    bonus = Bonus(phrase, np.array(sorted([near, apart]), dtype=np.int64), np.array([0.5 if d == near else 5.0 for d in sorted([near, apart])]))
    scored = matches({near: 1.0, apart: 1.2, other: 1.1}, bonus)

    docs, scores = ranked(sample, scored, 3)

    assert docs.tolist() == [near, apart, other]
    assert scores.tolist() == [1.5, 1.2, 1.1]
    assert ranked(sample, scored, 1)[1].tolist() == [1.5]


def test_a_page_with_pending_bonuses_is_the_page_every_bonus_checked_would_give(sample: IndexArrays) -> None:
    scored = evaluate(sample, proximity_query(COMMON))
    everything_checked = ranked(sample, scored, None)
    bonuses_ignored = ranked(sample, Scored(scored.docs, scored.scores), None)
    counts = (1, 3, 10, 25, 60)
    assert any(everything_checked[0][:c].tolist() != bonuses_ignored[0][:c].tolist() for c in counts)  # the bonuses matter here

    for count in counts:
        docs, scores = ranked(sample, scored, count)
        assert docs.tolist() == everything_checked[0][:count].tolist()
        assert scores == pytest.approx(everything_checked[1][:count])


def test_only_bonuses_that_can_still_reach_the_page_are_checked(sample: IndexArrays, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking where the words stand is the costly part; matches that cannot reach the page even with their bonus are never read."""
    scored = evaluate(sample, proximity_query(COMMON))
    pending = len(scored.bonuses[0].docs)
    checked: list[int] = []

    def counting(*args: Any) -> np.ndarray:
        checked.append(len(args[2]))
        return phrase_holds(*args)

    monkeypatch.setattr(topk, "phrase_holds", counting)
    ranked(sample, scored, 3)

    assert 0 < sum(checked) < pending


def test_only_the_best_match_of_each_story_is_kept_in_its_place(sample: IndexArrays) -> None:
    stories = np.arange(sample.doc_count_all)
    stories[[7, 9, 30]] = 7  # three copies of one story
    scored = matches({3: 1.0, 7: 2.0, 9: 3.0, 12: 2.5, 30: 0.5})

    docs, scores = ranked(sample, scored, 10, stories)

    assert docs.tolist() == [9, 12, 3]
    assert scores.tolist() == [3.0, 2.5, 1.0]


def test_a_story_filling_the_first_places_does_not_shorten_the_page(sample: IndexArrays) -> None:
    """Sixty copies of one story lead; the page still holds the requested number of stories."""
    size = 200
    stories = np.arange(sample.doc_count_all)
    stories[:60] = 0
    docs = np.arange(size, dtype=np.int64)
    scores = np.where(docs < 60, 10.0, 1.0) - docs * 0.001

    result = ranked(sample, Scored(docs, scores), 5, stories)[0].tolist()

    assert result == [0, 60, 61, 62, 63]


def test_random_stories_keep_one_hit_each_in_score_order(sample: IndexArrays) -> None:
    rng = np.random.default_rng(5)
    for _ in range(150):
        stories = rng.integers(0, int(rng.integers(1, 40)), size=sample.doc_count_all)
        docs = np.unique(rng.integers(0, sample.doc_count_all, size=int(rng.integers(1, 150))))
        scores = rng.choice([0.5, 1.0, 1.5, 2.0, 2.5], size=len(docs))
        count = int(rng.integers(1, 20))
        assert ranked(sample, Scored(docs, scores), count, stories)[0].tolist() == reference(docs, scores, stories)[:count]


def test_grouped_pages_with_pending_bonuses_are_exact_too(sample: IndexArrays) -> None:
    scored = evaluate(sample, proximity_query(COMMON))
    stories = np.random.default_rng(2).integers(0, 40, size=sample.doc_count_all)
    everything = ranked(sample, scored, None, stories)

    for count in (1, 5, 12):
        docs, scores = ranked(sample, scored, count, stories)
        assert docs.tolist() == everything[0][:count].tolist()
        assert scores == pytest.approx(everything[1][:count])
