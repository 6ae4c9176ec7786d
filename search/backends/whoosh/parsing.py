"""The user's words -> the Whoosh backend's query: the shared tree, its exact forms weighed by this index's idf, prefixes bounded.

The tree itself is :mod:`search.parsing`'s, the same for every backend.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from whoosh.query import ConstantScoreQuery, NullQuery, Or, Prefix, Query, Term

from search.backends.whoosh.termscores import IndexArrays
from search.parsing import parse_words
from search.ranking import COMBINED, Ranking, weigh_exact_forms, with_proximity

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot


def parse_user_query(text: str, snapshot: Snapshot, *, ranking: Ranking = COMBINED, require_all: bool = True) -> Query:
    """The Whoosh query for the user's words (NullQuery when nothing searchable remains): see :func:`search.parsing.parse_words`."""
    rank = ranking
    weights = rank.weights
    query = parse_words(text, weights, require_all=require_all, schema=snapshot.searcher.schema)
    if query is NullQuery:
        return NullQuery
    ix = snapshot.arrays
    if rank.excess_idf:
        query = weigh_exact_forms(query, ix.idf_of, weights)
    if rank.proximity:
        query = with_proximity(query, any_word=not require_all)
    return _bounded_prefixes(query, ix)


# A prefix stands for at most this many words, the most frequent it starts (``pe*`` starts thousands).
MAX_PREFIX_WORDS = 200
MAX_PREFIX_SCANNED = 50_000


def _bounded_prefixes(query: Query, ix: IndexArrays) -> Query:
    """Each ``word*`` as its :data:`MAX_PREFIX_WORDS` most frequent words, scored as one constant like Whoosh's prefix.

    Whoosh expands a prefix to every word it starts and merges all their postings, so a few
    short prefixes made one query run for tens of seconds.
    """
    if not any(isinstance(leaf, Prefix) for leaf in query.leaves()):
        return query

    def bound(node: Query) -> Query:
        if not isinstance(node, Prefix):
            return node.apply(bound)
        frequent = heapq.nlargest(MAX_PREFIX_WORDS, ix.prefixed(node.fieldname, node.text, MAX_PREFIX_SCANNED))
        if not frequent:
            return NullQuery
        words = Or([Term(node.fieldname, term) for _, term in frequent])
        return ConstantScoreQuery(words, node.boost)

    return bound(query).normalize()
