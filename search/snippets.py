"""Snippets and marked text: the passages of an article that hold the most searched words, the words marked as written.

The same for every backend: a backend says which tokens of a body are marked (their places
in the analyzer's token order), and these functions cut the passages and render the HTML.
The searched words are the query's stems (every inflection) and its exact forms (phrases
and ``awal*`` words); :func:`marked_tokens` finds their places by analysing a body afresh,
for a backend that keeps no token streams of its own. A snippet is two or three lines of a
results page (:data:`SNIPPET_CHARS`); :mod:`search.passages` cuts its passages at words and
sentences and never lets it show a sentence twice.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh.query import AndNot, Not, Phrase, Query, Term

from search.analyzer import TOKEN_PATTERN, exact_analyzer, fold, lexicon, stem_word
from search.passages import Body, Passage, around, ending, runs, unrepeated

# A whole snippet, separators included: three lines at most of a desk's results column (about 830 px of
# 16 px sans-serif, 110-120 characters a line, less what wrapping at words loses), two or three lines as a
# search engine's results show. A phone shows more lines of it; shorter would leave too little around a word.
SNIPPET_CHARS = 300
FRAGMENTS = 2
SEPARATOR = " … "
# Each of two passages: together with the separator they fit in one snippet's length.
PASSAGE_CHARS = (SNIPPET_CHARS - len(SEPARATOR)) // FRAGMENTS
# Marks more than a passage less this apart are not put in one passage: a few words around them.
MIN_CONTEXT_CHARS = 40
_TOKEN = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class Marked:
    """What to mark in a body: stems (any inflection of the word) and exact forms."""

    stems: frozenset[str]
    forms: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.stems or self.forms)


def marked_words(query: Query) -> Marked:
    """The body words a query looks for, leaving out what it excludes (``-word``, ``NOT``)."""
    stems: set[str] = set()
    forms: set[str] = set()

    def visit(node: Query) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, AndNot):
            visit(node.a)
            return
        if isinstance(node, Term) and node.fieldname in ("body", "body_exact"):
            (stems if node.fieldname == "body" else forms).add(str(node.text))
        elif isinstance(node, Phrase) and node.fieldname in ("body", "body_exact"):
            (stems if node.fieldname == "body" else forms).update(str(w) for w in node.words)
        else:
            for child in node.children():
                visit(child)

    visit(query)
    return Marked(frozenset(stems), frozenset(forms))


def stem_among(form: str, stems: frozenset[str]) -> str | None:
    """``form``'s stem when it is one of ``stems``, else None, stemming only forms that could have one of them.

    Stemming every word would cost hundreds of Sastrawi calls in a fresh process: Sastrawi
    strips affixes and changes at most a root's first letter (``menyapu`` -> ``sapu``), so a stem
    less its first letter always stands within the word, unless the lexicon overrides the word's
    stem (a test holds this over the IndoSum corpus's vocabulary).
    """
    if not stems:
        return None
    cores = _cores(stems)
    if form in lexicon().overrides or cores.search(form):
        stem = stem_word(form)
        return stem if stem in stems else None
    return None


@functools.lru_cache(maxsize=256)
def _cores(stems: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(stem[1:]) for stem in stems))


def marked_tokens(body: str, marked: Marked) -> np.ndarray:
    """The places of the body's tokens that ``marked`` marks, found by analysing the body (each distinct token once;
    a token is stemmed only when it could have a searched stem, :func:`stem_among`)."""
    tokens = _TOKEN.findall(body)
    wanted = set()
    for token in set(tokens):
        form = fold(token)
        if form in marked.forms or stem_among(form, marked.stems) is not None:
            wanted.add(token)
    places = [place for place, token in enumerate(tokens) if token in wanted] if wanted else []
    return np.array(places, dtype=np.int64)


def snippet(body: str, positions: np.ndarray, spans: tuple[np.ndarray, np.ndarray] | None = None) -> str:
    """The passages of ``body`` around the tokens at ``positions``, as HTML of at most :data:`SNIPPET_CHARS` characters.

    One passage when one of that length shows every searched word the article holds; else the
    two shorter ones (:data:`PASSAGE_CHARS`) that show the most different searched words, if
    they show more than the one. Each is chosen by its different searched words, then its
    marks, then the earliest; they are shown in the article's order, never sharing text, and
    every searched word they show is marked. Empty when nothing is marked. ``spans``, the body's
    token bounds, when known already (:class:`~search.passages.Body`).
    """
    if not len(positions):
        return ""
    text = Body(body, sorted({int(p) for p in positions}), SNIPPET_CHARS, spans)
    keys = {place: _key(body[text.starts[place]:text.ends[place]]) for place in text.hits}
    numbering: dict[str, int] = {}
    return SEPARATOR.join(_render(text, passage, numbering) for passage in _chosen(text, keys))


def _key(word: str) -> str:
    """Which searched word a marked token is: its stem, so every inflection of one word counts once."""
    return stem_word(fold(word))


def _chosen(text: Body, keys: dict[int, str]) -> list[Passage]:
    """One passage or two, in the article's order (see :func:`snippet`); two that touch are made one."""
    if not text.hits:
        return []
    everything = set(keys.values())
    whole = _best(text, _windows(text, SNIPPET_CHARS), lambda p: _score(p, keys, set()))
    shown = {keys[i] for i in whole.marks} if whole else set()
    if whole is None or shown == everything:
        return [whole] if whole else []
    windows = _windows(text, PASSAGE_CHARS)
    first = _best(text, windows, lambda p: _score(p, keys, set()))
    if first is None:
        return [whole]
    seen, held = runs(text, first), {keys[i] for i in first.marks}
    second = _best(text, windows, lambda p: _score(p, keys, held), lambda p: _apart(text, first, p, seen))
    if second is None or len(held | {keys[i] for i in second.marks}) <= len(shown):
        return [whole]
    one, two = sorted([first, second], key=lambda p: p.start)
    if not _TOKEN.search(text.text, one.end, two.start):
        return [text.passage(one.start, two.end)]
    return [one, two]


def _windows(text: Body, budget: int) -> list[Passage]:
    """A passage of at most ``budget`` characters from each marked token on, showing the marks that follow it
    within ``budget`` less :data:`MIN_CONTEXT_CHARS`."""
    windows = []
    last = 0
    for first, place in enumerate(text.hits):
        last = max(last, first)
        while last + 1 < len(text.hits) and text.ends[text.hits[last + 1]] - text.starts[place] <= budget - MIN_CONTEXT_CHARS:
            last += 1
        windows.append(around(text, place, text.hits[last], budget))
    return windows


def _score(passage: Passage, keys: dict[int, str], held: set[str]) -> tuple[int, int, int, int]:
    """Searched words not ``held`` yet, different searched words, marks, then the earliest."""
    shown = {keys[i] for i in passage.marks}
    return len(shown - held), len(shown), len(passage.marks), -passage.start


def _best(text: Body, windows: list[Passage], score: Callable[[Passage], tuple[int, ...]],
          fits: Callable[[Passage], bool] = lambda _: True) -> Passage | None:
    """The best scored of ``windows`` that ``fits``, each cut before any text it repeats first.

    Cutting only lowers a score, so windows are cut best first, until none left can beat the best cut one.
    """
    best: Passage | None = None
    for window in sorted(windows, key=score, reverse=True):
        if best is not None and score(window) <= score(best):
            break
        cut = unrepeated(text, window)
        if cut.marks and fits(cut) and (best is None or score(cut) > score(best)):
            best = cut
    return best


def _apart(text: Body, first: Passage, other: Passage, seen: set[tuple[str, ...]]) -> bool:
    """Whether ``other`` shows no text of ``first``: neither the same stretch nor a run of words it repeats."""
    return (other.start >= first.end or other.end <= first.start) and not seen & runs(text, other)


def _render(text: Body, passage: Passage, numbering: dict[str, int]) -> str:
    body = text.text
    parts = []
    at = passage.start
    for index in passage.marks:
        word_start, word_end = text.starts[index], text.ends[index]
        word = body[word_start:word_end]
        number = numbering.setdefault(word.lower(), len(numbering))
        parts.append(html.escape(body[at:word_start], quote=False))
        parts.append(f'<mark class="match term{number}">{html.escape(word, quote=False)}</mark>')
        at = word_end
    parts.append(html.escape(body[at:passage.end], quote=False))
    return " ".join("".join(parts).split())


def marked_paragraphs(body: str, positions: np.ndarray) -> list[str]:
    """The whole body as HTML paragraphs (blank-line separated, as the article page shows them) with the tokens at ``positions`` marked.

    The article page of a search shows where its words stand in the full text, not only in
    the snippet's passages.
    """
    wanted = {int(p) for p in positions}
    parts: list[str] = []
    numbering: dict[str, int] = {}
    at = 0
    if wanted:
        last = max(wanted)
        for index, match in enumerate(itertools.islice(_TOKEN.finditer(body), last + 1)):
            if index not in wanted:
                continue
            word_start, word_end = match.span()
            word = body[word_start:word_end]
            number = numbering.setdefault(word.lower(), len(numbering))
            parts.append(html.escape(body[at:word_start], quote=False))
            parts.append(f'<mark class="match term{number}">{html.escape(word, quote=False)}</mark>')
            at = word_end
    parts.append(html.escape(body[at:], quote=False))
    return [p.strip() for p in "".join(parts).split("\n\n") if p.strip()]


def marked_line(text: str, marked: Marked) -> str:
    """``text`` (a headline) as HTML with the words ``marked`` looks for marked, found by analysing it afresh.

    A headline is a few words: analysing it costs less than reading its token stream, and the
    title's stream holds stems only.
    """
    parts: list[str] = []
    at = 0
    numbering: dict[str, int] = {}
    for token in exact_analyzer()(text, chars=True):
        word = str(token.text)
        if word not in marked.forms and stem_word(word) not in marked.stems:
            continue
        start, end = token.startchar, token.endchar
        number = numbering.setdefault(word, len(numbering))
        parts.append(html.escape(text[at:start], quote=False))
        parts.append(f'<mark class="match term{number}">{html.escape(text[start:end], quote=False)}</mark>')
        at = end
    parts.append(html.escape(text[at:], quote=False))
    return "".join(parts)


def plain_snippet(body: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of the body as escaped HTML of at most ``limit`` characters, for a hit with no marked word: whole
    sentences when one ends near the limit, else cut after a word with " …"; never a sentence the body repeats (a lead
    printed again after it)."""
    text = " ".join(body.split())
    start = Body(text, [], limit)
    whole = start.passage(0, len(text))
    if not start.ends or (len(text) <= limit and unrepeated(start, whole) == whole):
        return html.escape(text[:limit], quote=False)
    end = unrepeated(start, start.passage(0, ending(start, 0, limit - len(" …"), 0))).end
    return html.escape(text[:end], quote=False) + ("" if end in start.sentence_ends else " …")
