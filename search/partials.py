"""Partial matches on the first page: where an article missing one of the words is shown, the same on every backend.

A search requires every word, and the total, facets, chart and exports count exactly the
articles with all of them. But people type words they remember of a story, and one of
them is often not in the article (a synonym, an abbreviation, a word of their own): on
IndoSum's remembered-words set a third of the known items lack one word. Requiring it
hides the very article they look for, and showing such articles only after a full page of
all-words matches shows them never.

So on the first page, ordered by relevance, of a query of a few plain words, the articles
holding all but one of the words (either of two) are scored as the search of the words
they hold, times :func:`missing_weight`, which is small when the missing word is the rare,
telling one and larger when it is a common one; and up to :data:`PARTIAL_AMONG` of them
that outscore an all-words hit of the page are shown among the hits, at their place,
marked with the word they lack. When the all-words list is shorter than a page, the best
others follow it, as before. They never count: the page says "N artikel" of the all-words
matches only, and the page of all-words hits keeps its size, so page 2 starts where it did.
On IndoSum this lifts the remembered-words set from 0.713 to 0.744 MRR@10 with every other
set within 0.004 (docs/RELEVANCE.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from search.analyzer import fold
from search.domain.request import SearchRequest
from search.domain.result import PARTIAL_BELOW
from search.querylang import KEYWORDS_MAX, plain_tokens
from search.sketches import document_frequencies

T = TypeVar("T")

PARTIAL_AMONG = 3  # partial matches shown among a page of all-words hits, at most
PARTIAL_WEIGHT = 0.5  # a partial match's score, relative to an all-words match's, before the missing word's share


def missing_weight(words: Sequence[str], missing: str) -> float:
    """What a match lacking ``missing`` (one of ``words``) is worth: ``PARTIAL_WEIGHT * (1 - its share of the words' idf)^2``.

    The idf comes from the fixed document-frequency table the story sketches use
    (:func:`search.sketches.document_frequencies`), so both backends weigh a word alike
    whatever their index holds.
    """
    articles, frequencies = document_frequencies()

    def idf(word: str) -> float:
        return math.log((articles + 1) / (frequencies.get(fold(word), 0) + 1))

    total = sum(idf(word) for word in words) or 1.0
    return PARTIAL_WEIGHT * (1 - idf(missing) / total) ** 2


def each_left_out(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """For each word, the word and the query of the others: what finds the articles lacking it."""
    return [(missing, " ".join(t for i, t in enumerate(tokens) if i != left_out)) for left_out, missing in enumerate(tokens)]


def best_first(scored: Iterable[tuple[T, float]], key: Callable[[T], Any], limit: int) -> list[tuple[T, float]]:
    """The ``limit`` best of ``scored``, each match (by ``key``) once at its best score; ties by key."""
    best: dict[Any, tuple[T, float]] = {}
    for match, score in scored:
        if key(match) not in best or best[key(match)][1] < score:
            best[key(match)] = (match, score)
    return sorted(best.values(), key=lambda item: (-item[1], key(item[0])))[:limit]


def wanted(request: SearchRequest, words: str, *, total: int, shown: int, by_relevance: bool) -> tuple[int, bool]:
    """How many partial matches may follow the page's ``shown`` hits, and whether any may go among them.

    Only the first page gets them: after a list shorter than :data:`~search.domain.result.PARTIAL_BELOW`,
    up to a page; among the hits, when they are ordered by relevance and the query is a few plain words.
    """
    if request.page != 1:
        return 0, False
    tokens = plain_tokens(words)
    return (request.size - shown if total < PARTIAL_BELOW else 0), by_relevance and tokens is not None and len(tokens) <= KEYWORDS_MAX


def one_per_story(found: list[T], story: Callable[[T], Hashable], shown: set[Hashable]) -> list[T]:
    """``found`` without the matches of a story already ``shown`` or listed before (a story is one hit on the page)."""
    kept = []
    for match in found:
        key = story(match)
        if key not in shown:
            shown.add(key)
            kept.append(match)
    return kept


def placed(hit_scores: Sequence[float | None], partial_scores: Sequence[float], room: int) -> list[int | None]:
    """Where each partial match is shown (best first): before ``hits[i]``, after the hits (``len(hits)``), or not (``None``).

    A partial match goes among the hits when it outscores one of them (up to
    :data:`PARTIAL_AMONG`; never when the hits have no scores, in date order), else after
    them while there is ``room``.
    """
    scores = list(hit_scores)
    among = 0
    places: list[int | None] = []
    for score in partial_scores:
        before = next((i for i, hit in enumerate(scores) if hit is not None and hit < score), None)
        if before is not None and among < PARTIAL_AMONG:
            among += 1
            places.append(before)
        elif room > 0:
            room -= 1
            places.append(len(scores))
        else:
            places.append(None)
    return places


def in_page_order(hits: Sequence[T], partial: Sequence[tuple[int, T]]) -> list[T]:
    """The hits and the partial matches (each with the index of the hit it goes before) as the page lists them."""
    shown: list[T] = []
    for index in range(len(hits) + 1):
        shown += [match for before, match in partial if before == index]
        if index < len(hits):
            shown.append(hits[index])
    return shown
