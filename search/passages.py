"""Where a snippet's passages start and end: word and sentence bounds, and text an article repeats.

:mod:`search.snippets` decides which marked words a snippet shows; this module cuts the
text around them. A passage starts at a sentence's start when one is near (else a little
before its first mark, at a word) and ends at a sentence's end when one is near (else after
a whole word). News bodies repeat themselves (a lead printed again after the dateline, a
paragraph pasted twice): a passage is cut before the first run of :data:`REPEAT_TOKENS`
words it has already shown, so no snippet reads the same sentence twice.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

import numpy as np

from search.analyzer import TOKEN_PATTERN
from search.spans import token_spans

REPEAT_TOKENS = 8  # a run of this many words shown twice is repeated text, not a common phrase
LEAD_CHARS = 60  # context before a passage's first mark when no sentence starts near it
# The regular expression reads tokens up to the last mark; :func:`search.spans.token_spans` reads the whole text, several
# times faster a character. The second is taken when the first would read more than this share of the text (counting
# this many characters a token, a word and its space): both find the same tokens.
CHARS_PER_TOKEN = 7
WHOLE_TEXT_SHARE = 0.3
_TOKEN = re.compile(TOKEN_PATTERN)
# Between two sentences: a full stop (and closing quotes) before a capital, a digit or an opening
# quote, or a line break. "Kab. Bogor" reads as two sentences: a passage merely starts at "Bogor".
_BREAK = re.compile(r"(?=[.!?\n])(?:([.!?][\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*)")


@dataclass(frozen=True)
class Passage:
    """A stretch of a body, ``start`` to ``end`` in characters, with the places of the marked tokens it shows."""

    start: int
    end: int
    marks: tuple[int, ...]


class Body:
    """A body's tokens and sentence bounds as far as its passages can reach, with the marked tokens' places.

    Only the text up to ``reach`` characters past the last marked token is read: the rest can
    never be shown. ``spans`` are the text's token bounds when they are known already
    (:func:`search.spans.token_spans_of`, a page's bodies at once).
    """

    def __init__(self, text: str, hits: list[int], reach: int, spans: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.text = text
        last = hits[-1] if hits else 0
        found = spans
        if found is None and (last + 1) * CHARS_PER_TOKEN + reach > len(text) * WHOLE_TEXT_SHARE:
            found = token_spans(text)
        if found is None:
            tokens = _TOKEN.finditer(text)
            read = [match.span() for match in itertools.islice(tokens, last + 1)]
            limit = (read[-1][1] if read else 0) + reach
            read += itertools.takewhile(lambda span: span[0] < limit, (match.span() for match in tokens))
            self.starts, self.ends = (list(bounds) for bounds in zip(*read, strict=True)) if read else ([], [])
        else:
            starts, ends = found
            limit = (int(ends[min(last, len(ends) - 1)]) if len(ends) else 0) + reach
            kept = int(np.searchsorted(starts, limit))  # the tokens up to the last mark, then those starting within reach
            self.starts, self.ends = starts[:kept].tolist(), ends[:kept].tolist()
        self.hits = [place for place in hits if place < len(self.starts)]
        breaks = list(_BREAK.finditer(text, 0, limit))
        self.sentence_starts = [0, *(match.end() for match in breaks)]
        # A sentence ends after its full stop and closing quotes; a line without them ends where the break starts.
        self.sentence_ends = [match.end(1) if match.group(1) else match.start() for match in breaks]
        if limit >= len(text):
            self.sentence_ends.append(len(text.rstrip()))

    def passage(self, start: int, end: int) -> Passage:
        """The passage from ``start`` to ``end`` with the marked tokens that stand wholly inside it."""
        first, last = bisect.bisect_left(self.starts, start), bisect.bisect_right(self.ends, end)
        return Passage(start, end, tuple(self.hits[bisect.bisect_left(self.hits, first):bisect.bisect_left(self.hits, last)]))

    def words(self, passage: Passage) -> list[str]:
        """The passage's tokens, lower-cased, in order."""
        first, last = bisect.bisect_left(self.starts, passage.start), bisect.bisect_right(self.ends, passage.end)
        lowered = self._lowered
        if lowered is None:
            return [self.text[self.starts[i]:self.ends[i]].lower() for i in range(first, last)]
        return [lowered[start:end] for start, end in zip(self.starts[first:last], self.ends[first:last], strict=True)]

    @functools.cached_property
    def _lowered(self) -> str | None:
        """The text lower-cased once, when that is each token lower-cased in place: no character changes length
        (``İ``) and no capital sigma, whose small form depends on the letters around it."""
        lowered = self.text.lower()
        return lowered if len(lowered) == len(self.text) and "Σ" not in self.text else None


def around(body: Body, first: int, last: int, budget: int) -> Passage:
    """A passage of at most ``budget`` characters showing the tokens ``first`` to ``last`` (which fit in it).

    It starts at their sentence's start when that leaves room after them (two thirds of the
    spare room at most), else :data:`LEAD_CHARS` (a third of the spare room at most) before
    ``first``, at a word.
    """
    start, end = body.starts[first], body.ends[last]
    spare = budget - (end - start)
    sentence = body.sentence_starts[bisect.bisect_right(body.sentence_starts, start) - 1]
    if start - sentence <= spare * 2 // 3:
        start = sentence
    else:  # at a word after a space: not "17), pegawai" out of "Suwandi (17), pegawai"
        word = bisect.bisect_left(body.starts, start - max(0, min(LEAD_CHARS, spare // 3)))
        while word < first and word and not body.text[body.starts[word] - 1].isspace():
            word += 1
        start = body.starts[word]
    return body.passage(start, ending(body, start, start + budget, end))


def ending(body: Body, start: int, limit: int, floor: int) -> int:
    """Where a passage from ``start`` ends: a sentence's end within its last quarter up to ``limit`` (or after its last
    word), else after the last whole word before ``limit``; never before ``floor``."""
    word = bisect.bisect_right(body.ends, limit) - 1
    word_end = max(floor, body.ends[word]) if word >= 0 else floor
    sentence = bisect.bisect_right(body.sentence_ends, limit) - 1
    if sentence >= 0 and body.sentence_ends[sentence] >= min(word_end, max(floor, limit - (limit - start) // 4)):
        return max(floor, body.sentence_ends[sentence])
    return word_end


def unrepeated(body: Body, passage: Passage) -> Passage:
    """``passage`` cut before the first run of :data:`REPEAT_TOKENS` words that it has already shown (itself unchanged
    when it repeats nothing)."""
    words = body.words(passage)
    pairs = list(zip(words, words[1:], strict=False))
    if len(set(pairs)) == len(pairs):  # a run shown twice shows its first two words twice: most passages have no such pair
        return passage
    seen: set[tuple[str, ...]] = set()
    for at in range(len(words) - REPEAT_TOKENS + 1):
        run = tuple(words[at:at + REPEAT_TOKENS])
        if run in seen:
            first = bisect.bisect_left(body.starts, passage.start)
            return body.passage(passage.start, ending(body, passage.start, body.ends[first + at - 1], passage.start))
        seen.add(run)
    return passage


def runs(body: Body, passage: Passage) -> set[tuple[str, ...]]:
    """Every run of :data:`REPEAT_TOKENS` words the passage shows: another passage sharing one repeats its text."""
    words = body.words(passage)
    return {tuple(words[at:at + REPEAT_TOKENS]) for at in range(len(words) - REPEAT_TOKENS + 1)}
