"""Partial matches: articles with all but one of the query's words, shown apart and never counted.

A search requires every word, and analysts rely on that: the total, the facets, the chart
and exports count the articles with all of them. But people type words they remember of a
story, and one of them is often not in the article at all: requiring it loses the article.
So when the all-words list is short (fewer than :data:`PARTIAL_BELOW`), the articles that
lack exactly one of three or more words (or have either of two) follow it, apart, "cocok
sebagian": those with more of the words first, then by score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from whoosh.query import NullQuery

from search.backends.whoosh.evaluation import evaluate
from search.backends.whoosh.parsing import parse_user_query
from search.backends.whoosh.scored import member, union
from search.backends.whoosh.topk import ranked
from search.querylang import KEYWORDS_MAX, plain_tokens, words_needed
from search.ranking import COMBINED, Ranking

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot

# A word matched outweighs any score: partial matches are ordered by how many words they have first.
_PER_WORD = 1e6
_NONE = np.zeros(0, dtype=np.int64)


def partial_matches(snapshot: Snapshot, words: str, *, exclude: np.ndarray, allowed: Callable[[np.ndarray], np.ndarray],
                    limit: int, ranking: Ranking = COMBINED) -> np.ndarray:
    """The best ``limit`` partial matches of the plain words ``words`` (global document numbers, best first).

    ``exclude`` are the all-words matches (left out here); ``allowed`` says which documents
    the request's filters keep.
    """
    tokens = plain_tokens(words)
    if limit <= 0 or tokens is None:
        return _NONE
    ix = snapshot.arrays
    each = [evaluate(ix, word) for word in (parse_user_query(token, snapshot, ranking=ranking) for token in tokens) if word is not NullQuery]
    if not each:
        return _NONE
    scored = union(each, ix.doc_count_all)  # what the any-word query scores: each word's fields, summed
    matched = np.zeros(len(scored.docs), dtype=np.int64)
    for word in each:  # every inflection of the word, in any field
        matched += member(scored.docs, word.docs)
    need = words_needed(len(each))
    keep = (matched >= need) & ~member(scored.docs, exclude)
    keep[keep] &= allowed(scored.docs[keep])
    candidates = scored.keep(keep)
    if not len(candidates.docs):
        return _NONE
    per_word = _PER_WORD if len(each) <= KEYWORDS_MAX else 0.0  # a sentence's common words would outvote its rare ones
    ordered = replace(candidates, scores=candidates.scores + matched[keep] * per_word)
    docs, _scores = ranked(ix, ordered, limit)
    return docs
