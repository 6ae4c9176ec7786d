"""The compiled loops (search.backends.whoosh.kernels) give what the numpy code they replaced gave."""

from __future__ import annotations

import numpy as np
import pytest

from search.backends.whoosh.kernels import best_places, counts_to_frequencies, gaps_to_docs, located, union_of_two
from search.backends.whoosh.packing import PackedLists, pack


def test_located_finds_ascending_values_in_a_long_set_as_a_binary_search_does() -> None:
    """Ascending values gallop ahead from the last place found: far jumps, near ones, repeats, values past the end."""
    rng = np.random.default_rng(11)
    for _ in range(100):
        sorted_set = np.unique(rng.integers(0, 100_000, size=int(rng.integers(1, 5_000))))
        values = np.sort(rng.integers(-3, 100_010, size=int(rng.integers(0, 3_000))))
        places, found = located(values, sorted_set)
        expected = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
        assert found.tolist() == np.isin(values, sorted_set).tolist()
        assert places[found].tolist() == expected[found].tolist()


def test_located_finds_values_in_any_order() -> None:
    sorted_set = np.array([2, 5, 9, 14, 20], dtype=np.int64)
    values = np.array([20, 2, 14, 14, 3, 9, 0, 21, 5], dtype=np.int64)

    places, found = located(values, sorted_set)

    assert found.tolist() == [True, True, True, True, False, True, False, False, True]
    assert places[found].tolist() == [4, 0, 3, 3, 2, 1]


def test_located_in_an_empty_set_finds_nothing() -> None:
    places, found = located(np.array([1, 2], dtype=np.int64), np.zeros(0, dtype=np.int64))

    assert found.tolist() == [False, False]


def test_a_merged_union_of_two_lists_adds_the_scores_of_documents_in_both() -> None:
    rng = np.random.default_rng(5)
    for _ in range(100):
        a = np.unique(rng.integers(0, 500, size=int(rng.integers(0, 300))))
        b = np.unique(rng.integers(0, 500, size=int(rng.integers(0, 300))))
        a_scores, b_scores = rng.uniform(0.1, 5, len(a)), rng.uniform(0.1, 5, len(b))
        docs, scores = union_of_two(a, a_scores, b, b_scores)
        totals = np.zeros(500)
        np.add.at(totals, a, a_scores)
        np.add.at(totals, b, b_scores)
        assert docs.tolist() == np.union1d(a, b).tolist()
        assert scores.tolist() == totals[docs].tolist()  # bit for bit: a + b, in that order


@pytest.mark.parametrize("largest", [0, 1, 7, 1_000, 2**31 - 1])
def test_posting_lists_decode_to_the_documents_and_frequencies_they_were_packed_from(largest: int) -> None:
    rng = np.random.default_rng(largest)
    lists = [np.unique(rng.integers(0, largest + 1, size=int(rng.integers(1, 200)))) for _ in range(20)]
    bounds = np.cumsum([0] + [len(docs) for docs in lists])
    firsts = [int(docs[0]) for docs in lists]
    gaps = np.concatenate([np.diff(docs, prepend=docs[0]) - np.r_[0, np.ones(len(docs) - 1, dtype=np.int64)] for docs in lists])
    counts = rng.integers(0, 3 if largest < 10 else 300, size=int(bounds[-1]))
    packed_gaps, packed_counts = PackedLists(**pack(gaps, bounds), bounds=bounds), PackedLists(**pack(counts, bounds), bounds=bounds)
    for index, docs in enumerate(lists):
        size = int(bounds[index + 1] - bounds[index])
        decoded = gaps_to_docs(packed_gaps.words, int(packed_gaps.word_at[index]), int(packed_gaps.widths[index]), size, firsts[index])
        frequencies = counts_to_frequencies(packed_counts.words, int(packed_counts.word_at[index]), int(packed_counts.widths[index]), size)
        assert decoded.tolist() == docs.tolist()
        assert frequencies.tolist() == (counts[bounds[index]:bounds[index + 1]] + 1).astype(np.float32).tolist()


def test_the_best_places_are_the_highest_scores_first_ties_to_the_earlier_place() -> None:
    rng = np.random.default_rng(9)
    for _ in range(200):
        scores = rng.integers(0, 6, size=int(rng.integers(0, 60))).astype(np.float64)  # many ties
        count = int(rng.integers(0, 70))
        expected = np.lexsort((np.arange(len(scores)), -scores))[:count]
        assert best_places(scores, count).tolist() == expected.tolist()
