"""Lists of small integers stored compact: each list bit-packed at the width its largest value needs.

Posting lists are mostly small numbers once written as gaps (a term's next document minus
its last, minus one) and term frequencies minus one; a document's token stream is term
numbers of 16 to 18 bits. Stored as 32-bit integers they made the posting arrays three
quarters of the index's disk, and what decides how far one machine goes is how much of
the index the page cache holds: a third of the bytes is three times the archive in memory.

Each list starts on a 64-bit word (``word_at``) and has one width (``widths``): reading a
list is a dozen numpy operations over its values, with no loop in Python, and a list of
zeros (the gaps of a word in one document, the frequencies of a word used once) takes no
word at all. Several lists are read at once by :meth:`PackedLists.ranges` (a phrase's
candidates' token streams). Writing is vectorised over every value too (:func:`pack`), in
chunks of lists so that a merge of a quarter of a million articles stays within memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_CHUNK_VALUES = 4_000_000  # values packed at a time (a few hundred MB of temporary arrays)
_MASKS = np.array([(1 << width) - 1 for width in range(65)], dtype=np.uint64)
_SPARE_WORDS = 1  # one zero word past the last list
# A word holds 64 // width values of one list, none split across two words, so that a whole
# list unpacks by one shift per slot of a word, broadcast over its words.
_PER_WORD = np.array([64] + [64 // width for width in range(1, 65)], dtype=np.int64)
_SHIFTS = [np.arange(0, int(_PER_WORD[width]) * width, max(width, 1), dtype=np.uint64) for width in range(65)]


def bit_widths(values: np.ndarray) -> np.ndarray:
    """How many bits each of ``values`` (non-negative, below 2**53) needs: 0 for 0."""
    widths = np.zeros(len(values), dtype=np.uint8)
    positive = values > 0
    widths[positive] = np.frexp(values[positive].astype(np.float64))[1]
    return widths


def pack(values: np.ndarray, bounds: np.ndarray) -> dict[str, np.ndarray]:
    """Lists ``values[bounds[i]:bounds[i+1]]`` (non-negative integers) as ``words``, ``word_at`` and ``widths``.

    ``word_at`` has one more entry than there are lists (the end), so that a list's words
    are ``words[word_at[i]:word_at[i+1]]``. Three plain arrays, written and memory-mapped as
    any other.
    """
    values = np.asarray(values, dtype=np.int64)
    bounds = np.asarray(bounds, dtype=np.int64)
    counts = np.diff(bounds)
    widths = np.zeros(len(counts), dtype=np.uint8)
    filled = np.flatnonzero(counts)
    if len(filled):
        widths[filled] = bit_widths(np.maximum.reduceat(values, bounds[filled]))
    word_at = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(-(-counts // np.maximum(_PER_WORD[widths], 1)) * (widths > 0), out=word_at[1:])
    words = np.zeros(int(word_at[-1]) + _SPARE_WORDS, dtype=np.uint64)
    first = 0
    while first < len(counts):  # whole lists at a time, about _CHUNK_VALUES values each
        last = int(np.searchsorted(bounds, bounds[first] + _CHUNK_VALUES, side="right")) - 1
        last = min(max(last, first + 1), len(counts))
        _pack_lists(words, values, bounds, widths, word_at, first, last)
        first = last
    return {"words": words, "word_at": word_at, "widths": widths}


def _pack_lists(words: np.ndarray, values: np.ndarray, bounds: np.ndarray, widths: np.ndarray, word_at: np.ndarray,
                first: int, last: int) -> None:
    """Write lists ``first`` to ``last`` (not included) into ``words``."""
    start, stop = int(bounds[first]), int(bounds[last])
    if stop == start:
        return
    counts = np.diff(bounds[first:last + 1])
    owner = np.repeat(np.arange(first, last, dtype=np.int64), counts)
    width = widths[owner].astype(np.int64)
    keep = width > 0
    owner, width, chunk = owner[keep], width[keep], values[start:stop][keep]
    if not len(chunk):
        return
    local = np.arange(start, stop, dtype=np.int64)[keep] - bounds[owner]
    per_word = _PER_WORD[width]
    word = word_at[owner] + local // per_word
    shift = ((local % per_word) * width).astype(np.uint64)
    changes = np.flatnonzero(np.diff(word, prepend=-1))  # words ascend with the values: OR each word's values at once
    words[word[changes]] |= np.bitwise_or.reduceat(chunk.astype(np.uint64) << shift, changes)


@dataclass(frozen=True)
class PackedLists:
    """Packed lists (:func:`pack`) with their bounds: list ``i`` holds ``bounds[i+1] - bounds[i]`` values.

    The arrays may be memory-mapped: only the words of the lists asked for are read.
    """

    words: np.ndarray
    word_at: np.ndarray
    widths: np.ndarray
    bounds: np.ndarray

    def __len__(self) -> int:
        return len(self.widths)

    def list(self, index: int) -> np.ndarray:
        """List ``index``'s values (int64)."""
        count = int(self.bounds[index + 1] - self.bounds[index])
        width = int(self.widths[index])
        if not width or not count:
            return np.zeros(count, dtype=np.int64)
        first = int(self.word_at[index])
        return _unpacked(self.words[first:int(self.word_at[index + 1])], width)[:count]

    def take(self, index: int, elements: np.ndarray) -> np.ndarray:
        """The values at ``elements`` (places within the list, int64) of list ``index``."""
        width = int(self.widths[index])
        if not width or not len(elements):
            return np.zeros(len(elements), dtype=np.int64)
        word, slot = np.divmod(elements, int(_PER_WORD[width]))
        word += int(self.word_at[index])
        slot *= width
        value = self.words[word] >> slot.astype(np.uint64)
        value &= _MASKS[width]
        return value.view(np.int64)

    def ranges(self, indexes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The lists ``indexes`` end to end, and where each starts in the result (plus the end).

        Lists of one width are unpacked together, a few operations per width whatever their number.
        """
        indexes = np.asarray(indexes, dtype=np.int64)
        counts = (self.bounds[indexes + 1] - self.bounds[indexes]).astype(np.int64)
        starts = np.zeros(len(indexes) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        out = np.zeros(int(starts[-1]), dtype=np.int64)
        widths = self.widths[indexes]
        for width in np.unique(widths[counts > 0]).tolist():
            if width == 0:
                continue
            chosen = np.flatnonzero(widths == width)
            chosen = chosen[counts[chosen] > 0]
            first, last = self.word_at[indexes[chosen]], self.word_at[indexes[chosen] + 1]
            sizes = last - first
            word = np.arange(int(sizes.sum()), dtype=np.int64) + np.repeat(first - np.cumsum(sizes) + sizes, sizes)
            slots = _unpacked(self.words[word], width)
            per_word = int(_PER_WORD[width])
            # each list's slots: the first counts[i] of sizes[i] * per_word are its values
            slot_start = np.repeat((np.cumsum(sizes) - sizes) * per_word, counts[chosen])
            within = np.arange(int(counts[chosen].sum()), dtype=np.int64) - np.repeat(np.cumsum(counts[chosen]) - counts[chosen], counts[chosen])
            target = np.repeat(starts[chosen], counts[chosen]) + within
            out[target] = slots[slot_start + within]
        return out, starts

    def all(self) -> np.ndarray:
        """Every list end to end."""
        return self.ranges(np.arange(len(self), dtype=np.int64))[0]


def _unpacked(words: np.ndarray, width: int) -> np.ndarray:
    """Every value slot of ``words`` (each holds ``64 // width`` values of ``width`` bits), in order."""
    shifts = _SHIFTS[width]
    values = (words[:, None] >> shifts) & _MASKS[width]
    return values.reshape(-1).view(np.int64)
