"""Partial matches: articles with all but one of the query's words, shown at their place and never counted.

Where they are shown and what they are worth is :mod:`search.partials` (every backend's);
here they are found. For a few keywords, each word is left out in turn and the search of
the others (all of them, with the service's ranking, its nearness bonus included) gives
the articles lacking that word, scored as that search scores them times the missing word's
weight. A sentence's partial matches are the articles with any of its words, by score,
shown only after a short list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from whoosh.query import NullQuery

from search.backends.whoosh.bounds import SLACK, highest_score
from search.backends.whoosh.evaluation import evaluate
from search.backends.whoosh.parsing import parse_user_query
from search.backends.whoosh.scored import member, union
from search.backends.whoosh.topk import ranked, reachable
from search.partials import best_first, each_left_out, missing_weight
from search.querylang import KEYWORDS_MAX, plain_tokens
from search.ranking import COMBINED, Ranking

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot


@dataclass(frozen=True)
class Partial:
    """A partial match: its global document number, its weighted score and the word it lacks ("" for a sentence's)."""

    doc: int
    score: float
    missing: str


def partial_matches(snapshot: Snapshot, words: str, *, exclude: np.ndarray, allowed: Callable[[np.ndarray], np.ndarray],
                    limit: int, ranking: Ranking = COMBINED, above: float | None = None) -> list[Partial]:
    """The best ``limit`` partial matches of the plain words ``words``, best first.

    ``exclude`` are the all-words matches (left out here); ``allowed`` says which documents
    the request's filters keep. With ``above``, only the matches scoring more than it (the
    lowest hit of a full page, which a partial match must outscore to be shown): a word's
    search whose best reachable score cannot is skipped, and no bonus is checked for a match
    that cannot (:mod:`search.backends.whoosh.bounds`).
    """
    tokens = plain_tokens(words)
    if limit <= 0 or tokens is None:
        return []
    if len(tokens) > KEYWORDS_MAX:
        return _any_word(snapshot, tokens, exclude, allowed, limit, ranking)
    ix = snapshot.arrays
    found: list[tuple[Partial, float]] = []
    for missing, others in each_left_out(tokens):
        query = parse_user_query(others, snapshot, ranking=ranking)
        weight = missing_weight(tokens, missing)
        if query is NullQuery or (above is not None and highest_score(ix, query) * weight <= above):
            continue
        scored = evaluate(ix, query)
        keep = ~member(scored.docs, exclude)
        if above is not None:
            keep &= reachable(scored) * ((1 + SLACK) * weight) > above
        keep[keep] &= allowed(scored.docs[keep])
        if not keep.any():
            continue
        docs, scores = ranked(ix, scored.keep(keep), limit)
        found += [(Partial(doc, score * weight, missing), score * weight) for doc, score in zip(docs.tolist(), scores.tolist(), strict=True)]
    return [partial for partial, _ in best_first(found, lambda p: p.doc, limit)]


def _any_word(snapshot: Snapshot, tokens: list[str], exclude: np.ndarray, allowed: Callable[[np.ndarray], np.ndarray],
              limit: int, ranking: Ranking) -> list[Partial]:
    """A sentence's partial matches: the articles with any of its words, by the any-word score."""
    ix = snapshot.arrays
    each = [evaluate(ix, word) for word in (parse_user_query(token, snapshot, ranking=ranking) for token in tokens) if word is not NullQuery]
    if not each:
        return []
    scored = union(each, ix.doc_count_all)  # what the any-word query scores: each word's fields, summed
    keep = ~member(scored.docs, exclude)
    keep[keep] &= allowed(scored.docs[keep])
    if not keep.any():
        return []
    docs, scores = ranked(ix, scored.keep(keep), limit)
    return [Partial(doc, score, "") for doc, score in zip(docs.tolist(), scores.tolist(), strict=True)]
