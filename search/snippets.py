"""Snippets and marked text: the passages of an article that hold the most searched words, the words marked as written.

The same for every backend: a backend says which tokens of a body are marked (their places
in the analyzer's token order), and these functions cut the passages and render the HTML.
The searched words are the query's stems (every inflection) and its exact forms (phrases
and ``awal*`` words); :func:`marked_tokens` finds their places by analysing a body afresh,
for a backend that keeps no token streams of its own.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
from dataclasses import dataclass

import numpy as np
from whoosh.query import AndNot, Not, Phrase, Query, Term

from search.analyzer import TOKEN_PATTERN, exact_analyzer, fold, lexicon, stem_word

SNIPPET_CHARS = 240
SURROUND_CHARS = 80
FRAGMENTS = 2
SEPARATOR = " … "
_TOKEN = re.compile(TOKEN_PATTERN)
# Tokens split after the last mark: a passage runs on at most SNIPPET_CHARS characters past it, about 40 tokens of news text.
CONTEXT_TOKENS = 48


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


def snippet(body: str, positions: np.ndarray) -> str:
    """Up to :data:`FRAGMENTS` passages of about :data:`SNIPPET_CHARS` characters around the tokens at ``positions``, as HTML.

    Passages are chosen by how many different marked words they hold, then how many marks;
    they are shown in the article's order, and two that overlap or touch as one (no text is
    shown twice). Every marked token a passage shows is marked. Empty when nothing is marked.
    """
    if not len(positions):
        return ""
    last = int(positions[-1]) + CONTEXT_TOKENS
    spans = [match.span() for match in itertools.islice(_TOKEN.finditer(body), last)]
    hits = [int(p) for p in positions if p < len(spans)]
    words = {i: body[spans[i][0]:spans[i][1]].lower() for i in hits}
    fragments = _fragments(spans, hits)
    best = sorted(fragments, key=lambda f: (-len({words[i] for i in f[2]}), -len(f[2]), f[0]))[:FRAGMENTS]
    numbering: dict[str, int] = {}
    return SEPARATOR.join(_render(body, spans, fragment, numbering) for fragment in _joined(sorted(best)))


def _joined(fragments: list[tuple[int, int, list[int]]]) -> list[tuple[int, int, list[int]]]:
    """Passages in the article's order, those that overlap or follow each other without a token between made one."""
    joined: list[tuple[int, int, list[int]]] = []
    for start, end, members in fragments:
        if joined and start <= joined[-1][1] + 1:
            first, previous_end, marked = joined[-1]
            joined[-1] = (first, max(previous_end, end), sorted({*marked, *members}))
        else:
            joined.append((start, end, members))
    return joined


def _fragments(spans: list[tuple[int, int]], hits: list[int]) -> list[tuple[int, int, list[int]]]:
    """Passages as (first token, last token, every marked token within them), each at most :data:`SNIPPET_CHARS` long."""
    fragments = []
    i = 0
    while i < len(hits):
        first = hits[i]
        members = [first]
        i += 1
        while i < len(hits) and spans[hits[i]][1] - spans[first][0] <= SNIPPET_CHARS - SURROUND_CHARS:
            members.append(hits[i])
            i += 1
        start_char, end_char = spans[first][0], spans[members[-1]][1]
        before = min(SURROUND_CHARS, max(0, SNIPPET_CHARS - (end_char - start_char)) // 2)
        start = first
        while start > 0 and start_char - spans[start - 1][0] <= before:
            start -= 1
        end = members[-1]
        while end + 1 < len(spans) and spans[end + 1][1] - spans[start][0] <= SNIPPET_CHARS:
            end += 1
        # A neighbouring passage's marked words that this one shows are marked here too.
        fragments.append((start, end, hits[bisect.bisect_left(hits, start):bisect.bisect_right(hits, end)]))
    return fragments


def _render(body: str, spans: list[tuple[int, int]], fragment: tuple[int, int, list[int]], numbering: dict[str, int]) -> str:
    first, last, members = fragment
    start, end = spans[first][0], spans[last][1]
    parts = []
    at = start
    for index in members:
        word_start, word_end = spans[index]
        word = body[word_start:word_end]
        number = numbering.setdefault(word.lower(), len(numbering))
        parts.append(html.escape(body[at:word_start], quote=False))
        parts.append(f'<mark class="match term{number}">{html.escape(word, quote=False)}</mark>')
        at = word_end
    parts.append(html.escape(body[at:end], quote=False))
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
    """The start of the body as escaped HTML, cut at a word boundary."""
    text = " ".join(body.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return html.escape(text, quote=False)
