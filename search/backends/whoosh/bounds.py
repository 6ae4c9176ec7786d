"""The highest score a query tree can give any document, without matching it.

A search's partial matches (:mod:`search.backends.whoosh.partial`) are shown among a full
page of hits only when they outscore one of them. Each one's search is a full match with
its proximity bonuses checked; when even the best score its tree could reach, times the
missing word's weight, cannot beat the page's lowest hit, that search is skipped. The bound
follows :mod:`search.backends.whoosh.evaluation`'s arithmetic node by node (``And`` and ``Or``
add their parts, a phrase its words), with each term's own highest score: a term's list
is decoded once per engine call whichever asks first, and the page's search has already
asked for the same words.
"""

from __future__ import annotations

import math

from whoosh.query import And, AndMaybe, AndNot, ConstantScoreQuery, Every, Not, NullQuery, Or, Phrase, Query, Term

from search.backends.whoosh.columns import CODED
from search.backends.whoosh.postings import FIELDS
from search.backends.whoosh.termscores import IndexArrays

# Floating-point sums in another order may differ in their last bits: a bound is raised by this share.
SLACK = 1e-9


def highest_score(ix: IndexArrays, node: Query) -> float:
    """An upper bound of ``node``'s score over every document (infinity for a node it cannot bound)."""
    bound = _bound(ix, node)
    return bound * (1 + SLACK) if math.isfinite(bound) else bound


def _bound(ix: IndexArrays, node: Query) -> float:
    if node is NullQuery:
        return 0.0
    if isinstance(node, Term):
        return _term(ix, node)
    if isinstance(node, Or):
        parts = [_bound(ix, q) for q in node.subqueries]
        return parts[0] if len(parts) == 1 else sum(parts) * node.boost
    if isinstance(node, And):
        total = sum(_bound(ix, q) for q in node.subqueries if not isinstance(q, Not))
        return total if len(node.subqueries) == 1 else total * node.boost
    if isinstance(node, AndNot):
        return _bound(ix, node.a)
    if isinstance(node, AndMaybe):
        return _bound(ix, node.a) + _bound(ix, node.b)
    if isinstance(node, Phrase):
        words = (w if isinstance(w, str) else w.decode("utf-8") for w in node.words)
        return sum(_highest(ix, node.fieldname, w, 1.0) for w in words) * node.boost
    if isinstance(node, ConstantScoreQuery):
        return float(node.score)
    if isinstance(node, (Every, Not)):
        return 1.0
    return math.inf


def _term(ix: IndexArrays, node: Term) -> float:
    text = node.text if isinstance(node.text, str) else node.text.decode("utf-8")
    if node.fieldname in FIELDS:
        return _highest(ix, node.fieldname, text, node.boost)
    if node.fieldname in CODED:
        return float(node.boost)
    return math.inf


def _highest(ix: IndexArrays, name: str, text: str, boost: float) -> float:
    if name not in FIELDS:
        return math.inf
    scores = ix.term(name, text, boost).scores
    return float(scores.max()) if len(scores) else 0.0
