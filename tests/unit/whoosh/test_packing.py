"""Packed lists give back exactly what was packed, however they are read, and take a fraction of 32-bit integers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from search.backends.whoosh import packing
from search.backends.whoosh.packing import PackedLists, pack

# Lists as the index has them: many empty or of zeros (a word in one document), some long, widths up to 63 bits.
LISTS = st.lists(
    st.one_of(
        st.just([]),
        st.integers(0, 62).flatmap(lambda bits: st.lists(st.integers(0, (1 << bits) - 1), max_size=300)),
    ),
    max_size=25,
)


def packed(lists: list[list[int]]) -> tuple[PackedLists, np.ndarray, np.ndarray]:
    bounds = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(values) for values in lists], out=bounds[1:])
    values = np.array([v for values in lists for v in values], dtype=np.int64)
    written = pack(values, bounds)
    return PackedLists(written["words"], written["word_at"], written["widths"], bounds), values, bounds


@settings(max_examples=300, deadline=None)
@given(LISTS, st.integers(1, 700), st.randoms(use_true_random=False))
def test_every_way_of_reading_gives_back_the_values_packed(lists: list[list[int]], chunk: int, rng) -> None:
    packing._CHUNK_VALUES, saved = chunk, packing._CHUNK_VALUES  # lists written a few at a time, as in a big merge
    try:
        lists_packed, values, bounds = packed(lists)
    finally:
        packing._CHUNK_VALUES = saved

    assert lists_packed.all().tolist() == values.tolist()
    for index, expected in enumerate(lists):
        assert lists_packed.list(index).tolist() == expected
        if expected:
            chosen = np.array(sorted(rng.sample(range(len(expected)), min(5, len(expected)))), dtype=np.int64)
            assert lists_packed.take(index, chosen).tolist() == [expected[i] for i in chosen]
    if lists:
        indexes = np.array([rng.randrange(len(lists)) for _ in range(6)], dtype=np.int64)
        joined, starts = lists_packed.ranges(indexes)
        assert joined.tolist() == [v for i in indexes for v in lists[i]]
        assert np.diff(starts).tolist() == [len(lists[i]) for i in indexes]


def test_small_numbers_take_a_few_bits_each_and_zeros_none() -> None:
    rng = np.random.default_rng(7)
    gaps = [rng.integers(0, 16, size=1000).tolist() for _ in range(20)]  # 4 bits each
    zeros = [[0] * 50 for _ in range(1000)]  # the frequencies of words used once per document

    lists_packed, values, _bounds = packed(gaps + zeros)

    assert lists_packed.words.nbytes <= 20 * 1000 * 4 // 8 + 8 * 21  # sixteen 4-bit values to a 64-bit word (plus a last partial one per list)
    assert lists_packed.list(len(gaps)).tolist() == [0] * 50
