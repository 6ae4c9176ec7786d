"""Where each token of a text starts and ends, as the analyzer's :data:`~search.analyzer.TOKEN_PATTERN` finds them, with numpy.

Snippets need the character bounds of a body's tokens up to its last marked word. The
pattern's regular expression finds them at about 20 characters a microsecond: a tenth of a
millisecond a body, ten times a page. Here a body's characters are classified with lookup
tables and its tokens found as runs in a few array operations, several times faster.

Only what the pattern does in plain cases is computed with arrays: a token is a run of word
characters (``\\w``, as the regular expression reads it) and of ``-``, ``'`` and ``’``
standing between two of them. Where a ``.`` or ``,`` stands between two digits (``8.000``),
the pattern's number alternative decides, so the runs on either side are read again by the
regular expression itself, from the first run's start (always a token's start) to the last
run's end. A text where an ``e-`` prefix could start (``e-KTP``, ``e KTP``), that holds a
character outside the Basic Multilingual Plane or a lone surrogate, is left to the regular
expression whole (:func:`token_spans` answers ``None``). A test holds the two to the same
tokens over the IndoSum bodies and over random text made of the characters that matter.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from search.analyzer import TOKEN_PATTERN

_TOKEN = re.compile(TOKEN_PATTERN)
_PLANE = 0x10000
# Texts longer than this are not read whole with a page's others (:func:`token_spans_of`): ten times a news article.
JOINED_TEXT_CHARS = 50_000
# A character's classes, as bits of its entry in :func:`_classes`.
WORD, DIGIT, JOINER, SEPARATOR, SPACE, E, HYPHEN = 1, 2, 4, 8, 16, 32, 64


@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    """Each character of the Basic Multilingual Plane's classes: word character (``\\w``: alphanumeric or ``_``), decimal
    digit (``\\d``), joiner inside a word (``-``, ``'``, ``’``), separator inside a number (``.``, ``,``), space (``\\s``),
    ``e`` or ``E``, hyphen."""
    table = np.zeros(_PLANE, dtype=np.uint8)
    for code in range(_PLANE):
        char = chr(code)
        table[code] = ((WORD if char.isalnum() or char == "_" else 0) | (DIGIT if char.isdecimal() else 0)
                       | (SPACE if char.isspace() else 0))
    for char in "-'’":
        table[ord(char)] |= JOINER
    for char in ".,":
        table[ord(char)] |= SEPARATOR
    for char in "eE":
        table[ord(char)] |= E
    table[ord("-")] |= HYPHEN
    return table


def token_spans(text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Each token's start and end (character offsets) in ``text``, in order; ``None`` when only the regular expression can tell."""
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if len(codes) < 3:
        return _regex_spans(text, 0, len(text))
    if int(codes.max()) >= _PLANE:
        return None
    classes = _classes()[codes.astype(np.intp)]
    if len(_e_prefix_places(classes)):
        return None
    return _runs(text, classes)


def token_spans_of(texts: list[str]) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """:func:`token_spans` of each of ``texts``, found in one pass over them joined by line breaks (a page's bodies:
    the array operations cost mostly per call, so ten bodies together cost what two do one by one).

    No token crosses a line break. A text is ``None`` where :func:`token_spans` would answer ``None``, where an ``e``
    ends it (the break after it reads as the space an ``e-`` prefix could take), and when it is longer than
    :data:`JOINED_TEXT_CHARS` (a snippet reads a long text only as far as its marks): the caller decides for those.
    """
    if any(len(text) > JOINED_TEXT_CHARS for text in texts):
        short = [i for i, text in enumerate(texts) if len(text) <= JOINED_TEXT_CHARS]
        found: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(texts)
        for i, spans in zip(short, token_spans_of([texts[i] for i in short]), strict=True):
            found[i] = spans
        return found
    joined = "\n".join(texts)
    try:
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate somewhere: each text on its own
        return [token_spans(text) for text in texts]
    if len(codes) < 3:
        return [token_spans(text) for text in texts]
    lengths = np.array([len(text) for text in texts], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    refused = np.zeros(len(texts), dtype=bool)  # the texts only the regular expression can read
    refused[np.searchsorted(offsets, np.flatnonzero(codes >= _PLANE), side="right") - 1] = True
    classes = _classes()[np.minimum(codes, _PLANE - 1).astype(np.intp)]
    refused[np.searchsorted(offsets, _e_prefix_places(classes), side="right") - 1] = True
    starts, ends = _runs(joined, classes)
    first, last = np.searchsorted(starts, offsets), np.searchsorted(starts, offsets + lengths)
    return [None if refused[i] else (starts[first[i]:last[i]] - offsets[i], ends[first[i]:last[i]] - offsets[i])
            for i in range(len(texts))]


def _runs(text: str, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The tokens' starts and ends in ``text`` (its characters' classes), where no ``e-`` prefix can start."""
    word = (classes & WORD).astype(bool)
    inside = np.zeros(len(classes) + 2, dtype=bool)  # a token's characters, with a non-token character either side
    inside[1:-1] = word
    inside[2:-2] |= (classes[1:-1] & JOINER).astype(bool) & word[:-2] & word[2:]
    changes = np.flatnonzero(inside[1:] != inside[:-1])
    starts, ends = changes[0::2], changes[1::2]
    digit = (classes & DIGIT).astype(bool)
    joints = np.flatnonzero((classes[1:-1] & SEPARATOR).astype(bool) & digit[:-2] & digit[2:]) + 1
    if len(joints):
        starts, ends = _numbers_read_again(text, starts, ends, joints)
    return starts, ends


def _e_prefix_places(classes: np.ndarray) -> np.ndarray:
    """Where the pattern's ``e-`` prefix alternative could match: an ``e`` no word character or hyphen precedes, then a space or hyphen."""
    candidate = (classes[:-1] & E).astype(bool) & (classes[1:] & (SPACE | HYPHEN)).astype(bool)
    candidate[1:] &= (classes[:-2] & (WORD | HYPHEN)) == 0
    return np.flatnonzero(candidate)


def _numbers_read_again(text: str, starts: np.ndarray, ends: np.ndarray, joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The runs that a number's separator joins (``joints``: between a run's end and the next one's start) read by the
    regular expression, each chain of joined runs in one go; the other runs stay tokens as they are."""
    before = np.searchsorted(ends, joints)  # the run ending at each joint
    joined = np.zeros(len(starts), dtype=bool)  # run i is joined to run i + 1
    joined[before] = True
    new_starts: list[np.ndarray] = []
    new_ends: list[np.ndarray] = []
    at = 0
    for first in np.flatnonzero(joined & ~np.concatenate(([False], joined[:-1]))).tolist():
        last = first
        while joined[last]:
            last += 1
        new_starts.append(starts[at:first])
        new_ends.append(ends[at:first])
        region_starts, region_ends = _regex_spans(text, int(starts[first]), int(ends[last]))
        new_starts.append(region_starts)
        new_ends.append(region_ends)
        at = last + 1
    new_starts.append(starts[at:])
    new_ends.append(ends[at:])
    return np.concatenate(new_starts), np.concatenate(new_ends)


def _regex_spans(text: str, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """The regular expression's tokens of ``text`` from ``start`` to ``end``: their starts and ends."""
    spans = [match.span() for match in _TOKEN.finditer(text, start, end)]
    return np.array([s for s, _ in spans], dtype=np.int64), np.array([e for _, e in spans], dtype=np.int64)
