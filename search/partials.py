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

A partial match must still hold what is telling in the query: the words it holds must carry
at least :data:`MIN_KEPT_SHARE` of the query's idf (:func:`each_left_out`). For "harga
minyak" an article with "harga" alone (a prize, a ticket's price: 0.38 of the weight) is
noise and is not shown, one with "minyak" alone is; for "banjir jakarta" one with "banjir"
alone is shown, one with "jakarta" alone (0.11) is not. Two words about as rare keep each
other ("korupsi ktp": 0.43 and 0.57), and three words almost always do, unless the two held
are common beside a rare third ("banjir di jakarta" without "banjir": 0.11). 0.4 is the
highest share that costs the remembered-words set nothing (0.744 at 0.4, 0.737 at 0.45,
0.726 at 0.5; requiring the rarest word of three: 0.681), and the random-word sets lose at
most 0.001 (docs/RELEVANCE.md).
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
MIN_KEPT_SHARE = 0.4  # the share of the query's idf the words of a partial match must carry (see the module docstring)


def missing_share(words: Sequence[str], missing: str) -> float:
    """``missing``'s share of the idf of ``words`` (one of them): near 1 for a rare word beside common ones.

    The idf comes from the fixed document-frequency table the story sketches use
    (:func:`search.sketches.document_frequencies`), so both backends weigh a word alike
    whatever their index holds.
    """
    articles, frequencies = document_frequencies()

    def idf(word: str) -> float:
        return math.log((articles + 1) / (frequencies.get(fold(word), 0) + 1))

    return idf(missing) / (sum(idf(word) for word in words) or 1.0)


def missing_weight(words: Sequence[str], missing: str) -> float:
    """What a match lacking ``missing`` (one of ``words``) is worth: ``PARTIAL_WEIGHT * (1 - its share of the words' idf)^2``."""
    return PARTIAL_WEIGHT * (1 - missing_share(words, missing)) ** 2


def each_left_out(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """For each word a partial match may lack, the word and the query of the others: what finds the articles lacking it.

    A word is left out only when the others carry at least :data:`MIN_KEPT_SHARE` of the
    query's idf: an article holding only the query's common words is not shown.
    """
    return [(missing, " ".join(t for i, t in enumerate(tokens) if i != left_out)) for left_out, missing in enumerate(tokens)
            if 1 - missing_share(tokens, missing) >= MIN_KEPT_SHARE]


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
