"""Matches with scores as sorted arrays: what a query tree's ``Or``, ``And`` and ``AndMaybe`` evaluate to."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh.query import Phrase

from search.backends.whoosh.scored import Bonus, Scored, add_where, among, boosted, intersect, member, union

PHRASE = Phrase("body", ["harga", "minyak"])
OTHER_PHRASE = Phrase("body", ["banjir", "jakarta"])


def scored(pairs: dict[int, float], *bonuses: Bonus) -> Scored:
    """Matches from ``{document: score}``, ascending as every ``Scored`` is."""
    docs = np.array(sorted(pairs), dtype=np.int64)
    return Scored(docs, np.array([pairs[d] for d in sorted(pairs)], dtype=np.float64), bonuses)


def bonus(phrase: Phrase, pairs: dict[int, float]) -> Bonus:
    docs = np.array(sorted(pairs), dtype=np.int64)
    return Bonus(phrase, docs, np.array([pairs[d] for d in sorted(pairs)], dtype=np.float64))


def as_dict(result: Scored) -> dict[int, float]:
    assert np.all(np.diff(result.docs) > 0), "documents must stay ascending and unique"
    assert len(result.docs) == len(result.scores)
    return {int(d): float(s) for d, s in zip(result.docs, result.scores, strict=True)}


def bonus_dict(found: Bonus) -> dict[int, float]:
    return {int(d): float(a) for d, a in zip(found.docs, found.amounts, strict=True)}


def random_parts(rng: np.random.Generator, size: int) -> list[dict[int, float]]:
    parts = []
    for _ in range(int(rng.integers(0, 5))):
        docs = rng.choice(size, size=int(rng.integers(0, size + 1)), replace=False)
        parts.append({int(d): float(rng.uniform(0.1, 5.0)) for d in docs})
    return parts


def summed(parts: list[dict[int, float]]) -> dict[int, float]:
    totals: dict[int, float] = {}
    for part in parts:
        for doc, score in part.items():
            totals[doc] = totals.get(doc, 0.0) + score
    return totals


def test_a_union_keeps_each_document_once_with_its_summed_score() -> None:
    result = union([scored({1: 1.0, 5: 2.0, 9: 0.5}), scored({5: 3.0, 7: 1.5}), scored({1: 0.25})], size=1_000_000)

    assert as_dict(result) == {1: 1.25, 5: 5.0, 7: 1.5, 9: 0.5}


def test_a_union_adds_the_same_scores_however_it_is_formed() -> None:
    """A few parts are merged in turn; more add into a dense array past a share of the index, else are sorted: one answer."""
    parts = [scored({0: 1.0, 2: 2.0, 3: 0.5}), scored({2: 3.0, 3: 1.0, 4: 4.0}), scored({0: 0.5, 4: 1.0})]
    many = [*parts, scored({5: 0.25}), scored({0: 0.25, 6: 2.0}), scored({2: 0.5})]

    assert as_dict(union(parts, size=5)) == as_dict(union(parts, size=10_000_000)) == {0: 1.5, 2: 5.0, 3: 1.5, 4: 5.0}
    expected = {0: 1.75, 2: 5.5, 3: 1.5, 4: 5.0, 5: 0.25, 6: 2.0}
    assert as_dict(union(many, size=7)) == as_dict(union(many, size=10_000_000)) == expected


@pytest.mark.parametrize("size", [8, 40, 5_000])
def test_a_union_of_random_parts_equals_adding_them_up_one_by_one(size: int) -> None:
    rng = np.random.default_rng(size)
    for _ in range(200):
        parts = random_parts(rng, min(size, 60))
        result = as_dict(union([scored(p) for p in parts], size))
        expected = summed(parts)
        assert result.keys() == expected.keys()
        assert all(result[d] == pytest.approx(expected[d]) for d in expected)


def test_a_union_of_nothing_matches_nothing() -> None:
    assert as_dict(union([], 100)) == {}
    assert as_dict(union([Scored.empty(), Scored.empty()], 100)) == {}


def test_a_union_with_empty_parts_is_the_one_part_that_matched() -> None:
    only = scored({3: 1.0, 4: 2.0}, bonus(PHRASE, {4: 0.5}))

    result = union([Scored.empty(), only, Scored.empty()], 100)

    assert as_dict(result) == {3: 1.0, 4: 2.0}
    assert [bonus_dict(b) for b in result.bonuses] == [{4: 0.5}]


def test_a_union_carries_every_parts_pending_bonus() -> None:
    a = scored({1: 1.0, 2: 1.0}, bonus(PHRASE, {2: 0.5}))
    b = scored({2: 1.0, 3: 1.0}, bonus(OTHER_PHRASE, {3: 0.75}))

    for size in (4, 1_000_000):  # dense and sorted unions alike
        result = union([a, b], size)
        assert {(b.phrase, tuple(bonus_dict(b).items())) for b in result.bonuses} == {(PHRASE, ((2, 0.5),)), (OTHER_PHRASE, ((3, 0.75),))}


def test_an_intersection_keeps_the_documents_in_both_with_their_scores_added() -> None:
    a = scored({1: 1.0, 4: 2.0, 6: 0.5, 9: 1.0})
    b = scored({0: 7.0, 4: 3.0, 9: 0.5, 12: 1.0})

    assert as_dict(intersect(a, b)) == {4: 5.0, 9: 1.5}


def test_an_intersection_is_the_same_either_way_round() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        first, second = _two_parts(rng)
        a, b = scored(first), scored(second)
        forward, backward = as_dict(intersect(a, b)), as_dict(intersect(b, a))
        expected = {d: first[d] + second[d] for d in first.keys() & second.keys()}
        assert forward.keys() == backward.keys() == expected.keys()
        assert all(forward[d] == pytest.approx(expected[d]) and backward[d] == pytest.approx(expected[d]) for d in expected)


def _two_parts(rng: np.random.Generator) -> tuple[dict[int, float], dict[int, float]]:
    def part() -> dict[int, float]:
        docs = rng.choice(50, size=int(rng.integers(0, 30)), replace=False)
        return {int(d): float(rng.uniform(0.1, 5.0)) for d in docs}

    return part(), part()


def test_an_intersection_with_nothing_is_nothing() -> None:
    some = scored({1: 1.0, 2: 2.0}, bonus(PHRASE, {2: 1.0}))

    assert as_dict(intersect(some, Scored.empty())) == {}
    assert as_dict(intersect(Scored.empty(), some)) == {}


def test_an_intersection_past_the_last_document_of_the_other_side_finds_nothing_there() -> None:
    assert as_dict(intersect(scored({50: 1.0, 60: 1.0}), scored({1: 1.0, 2: 1.0, 3: 1.0}))) == {}


def test_an_intersection_keeps_only_the_bonuses_of_documents_left() -> None:
    a = scored({1: 1.0, 2: 1.0, 3: 1.0}, bonus(PHRASE, {1: 0.5, 3: 0.5}))
    b = scored({3: 1.0, 4: 1.0}, bonus(OTHER_PHRASE, {3: 0.25, 4: 0.25}))

    result = intersect(a, b)

    assert as_dict(result) == {3: 2.0}
    assert {b.phrase: bonus_dict(b) for b in result.bonuses} == {PHRASE: {3: 0.5}, OTHER_PHRASE: {3: 0.25}}


def test_an_optional_part_only_adds_to_the_required_documents_it_also_matches() -> None:
    required = scored({2: 1.0, 5: 2.0, 8: 3.0}, bonus(PHRASE, {5: 1.0}))
    optional = scored({1: 10.0, 5: 0.5, 8: 0.25, 20: 10.0})

    result = add_where(required, optional)

    assert as_dict(result) == {2: 1.0, 5: 2.5, 8: 3.25}
    assert [bonus_dict(b) for b in result.bonuses] == [{5: 1.0}]


def test_an_optional_part_never_changes_the_required_documents_scores_in_place() -> None:
    required = scored({2: 1.0, 5: 2.0})

    add_where(required, scored({5: 4.0}))

    assert as_dict(required) == {2: 1.0, 5: 2.0}


def test_an_optional_part_that_matches_nothing_leaves_the_required_part_as_it_is() -> None:
    required = scored({2: 1.0, 5: 2.0})

    assert as_dict(add_where(required, Scored.empty())) == {2: 1.0, 5: 2.0}
    assert as_dict(add_where(Scored.empty(), required)) == {}


def test_among_finds_the_values_equal_to_any_of_a_few_ids() -> None:
    values = np.array([4, 7, 1, 7, 9, -1, 4], dtype=np.int32)

    assert among(values, [7, 4, 7]).tolist() == [True, True, False, True, False, False, True]
    assert among(values, []).tolist() == [False] * 7
    assert among(np.zeros(0, dtype=np.int32), [1]).tolist() == []


def test_member_says_which_values_are_in_a_sorted_set() -> None:
    sorted_set = np.array([3, 8, 15], dtype=np.int64)
    values = np.array([0, 3, 4, 8, 15, 16, 100], dtype=np.int64)

    assert member(values, sorted_set).tolist() == [False, True, False, True, True, False, False]
    assert member(values, np.zeros(0, dtype=np.int64)).tolist() == [False] * 7
    assert member(np.zeros(0, dtype=np.int64), sorted_set).tolist() == []


def test_member_agrees_with_numpy_isin_on_random_sets() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        sorted_set = np.unique(rng.integers(0, 100, size=int(rng.integers(0, 40))))
        values = rng.integers(-5, 110, size=int(rng.integers(0, 40)))
        assert member(values, sorted_set).tolist() == np.isin(values, sorted_set).tolist()


def test_a_boost_multiplies_the_scores_and_the_pending_bonuses() -> None:
    result = boosted(scored({1: 1.0, 2: 3.0}, bonus(PHRASE, {2: 0.5})), 2.0)

    assert as_dict(result) == {1: 2.0, 2: 6.0}
    assert [bonus_dict(b) for b in result.bonuses] == [{2: 1.0}]


def test_a_boost_of_one_changes_nothing() -> None:
    original = scored({1: 1.0, 2: 3.0}, bonus(PHRASE, {2: 0.5}))

    assert boosted(original, 1.0) is original


def test_keeping_some_documents_keeps_their_scores_and_drops_the_bonuses_of_the_others() -> None:
    original = scored({1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0}, bonus(PHRASE, {1: 0.1, 2: 0.2, 4: 0.4}))

    result = original.keep(np.array([False, True, True, False]))

    assert as_dict(result) == {2: 2.0, 3: 3.0}
    assert [bonus_dict(b) for b in result.bonuses] == [{2: 0.2}]
    assert as_dict(original) == {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0}  # the original is untouched
