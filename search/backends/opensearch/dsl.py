"""The shared query tree and the request's filters as OpenSearch's query DSL.

The tree (:mod:`search.parsing`) is translated node by node, so the cluster matches exactly
what the Whoosh backend matches: every word required, phrases as consecutive positions,
``-word`` and ``NOT`` as exclusions. Scores follow the Whoosh backend's BM25F: each term's
boost carries the ratio of Whoosh's idf to Lucene's and BM25's ``K1 + 1`` (which Lucene
leaves out), so with the cluster's global statistics (``dfs_query_then_fetch``) a term
scores as it does on Whoosh, within the precision of Lucene's length norms.

Filters are one clause per active selection (a facet's chosen values, any of them; its
excluded ones, none of them; or the from/to range), keyed as the Whoosh backend keys its
masks, so facet counts can leave each one's own selection out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    ConstantScoreQuery,
    Every,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Require,
    Term,
)

from search.analyst.periods import day_number
from search.domain.facets import PARAMETER_ORDER, Facet
from search.domain.request import SearchRequest

K1, B = 1.2, 0.75  # Whoosh's BM25F defaults, as the Whoosh backend scores
MATCH_ALL: dict[str, Any] = {"match_all": {}}
MATCH_NONE: dict[str, Any] = {"match_none": {}}

Idf = Callable[[str, str], tuple[float, float]]  # (field, word) -> (Whoosh's idf, Lucene's idf)


def translate(node: Query, idf: Idf | None = None) -> dict[str, Any]:
    """The DSL for one node of the tree; ``idf`` gives each term's idfs for Whoosh's scores (plain boosts without it)."""
    if node is NullQuery:
        return MATCH_NONE
    if isinstance(node, Every):
        return MATCH_ALL
    if isinstance(node, Term):
        return {"term": {node.fieldname: {"value": str(node.text), "boost": _term_boost(node, idf)}}}
    if isinstance(node, Phrase):
        # Scored as Whoosh scores a phrase: its words' own scores times its boost, where the words stand as it asks.
        words = [str(word) for word in node.words]
        scores = [translate(Term(node.fieldname, word, boost=node.boost), idf) for word in words]
        return {"bool": {"filter": [_phrase_holds(node.fieldname, words, node.slop)], "must": scores}}
    if isinstance(node, Prefix):
        return {"prefix": {node.fieldname: {"value": str(node.text), "boost": node.boost, "rewrite": "constant_score"}}}
    if isinstance(node, ConstantScoreQuery):
        return {"constant_score": {"filter": translate(node.child, idf), "boost": node.score}}
    return _compound(node, idf)


def _phrase_holds(field: str, words: list[str], slop: int) -> dict[str, Any]:
    """Where ``words`` stand in order, each at most ``slop`` places after the one before (Whoosh's phrase).

    Whoosh's slop 1 is words side by side, Lucene's 0; a wider slop counts from each word to the
    next, so the words are chained pair by pair (Lucene's ``span_near`` alone would count the
    gaps of the whole phrase together).
    """
    if slop <= 1:
        return {"match_phrase": {field: {"query": " ".join(words), "slop": 0}}}
    span: dict[str, Any] = {"span_term": {field: words[0]}}
    for word in words[1:]:
        span = {"span_near": {"clauses": [span, {"span_term": {field: word}}], "slop": slop - 1, "in_order": True}}
    return span


def _compound(node: Query, idf: Idf | None) -> dict[str, Any]:
    if isinstance(node, Not):
        return {"bool": {"must_not": [translate(node.query, idf)]}}
    if isinstance(node, AndNot):
        return {"bool": {"must": [translate(node.a, idf)], "must_not": [translate(node.b, idf)]}}
    if isinstance(node, AndMaybe):
        return {"bool": {"must": [translate(node.a, idf)], "should": [translate(node.b, idf)]}}
    if isinstance(node, Require):
        return {"bool": {"must": [translate(node.a, idf)], "filter": [translate(node.b, idf)]}}
    if isinstance(node, And):
        must = [translate(child, idf) for child in node.subqueries if not isinstance(child, Not)]
        must_not = [translate(child.query, idf) for child in node.subqueries if isinstance(child, Not)]
        return {"bool": {"must": must or [MATCH_ALL], "must_not": must_not}}
    if isinstance(node, Or):
        return {"bool": {"should": [translate(child, idf) for child in node.subqueries], "minimum_should_match": 1}}
    raise ValueError(f"no translation for {type(node).__name__}")


def _term_boost(node: Term, idf: Idf | None) -> float:
    if idf is None:
        return float(node.boost)
    whoosh_idf, lucene_idf = idf(node.fieldname, str(node.text))
    return float(node.boost) * (K1 + 1) * (whoosh_idf / lucene_idf if lucene_idf > 0 else 1.0)


def whoosh_idf(doc_frequency: int, doc_count: int) -> float:
    """Whoosh's idf: ``log(N / (df + 1)) + 1``."""
    return math.log(max(doc_count, 1) / (doc_frequency + 1)) + 1


def lucene_idf(doc_frequency: int, doc_count: int) -> float:
    """Lucene's BM25 idf: ``log(1 + (N - df + 0.5) / (df + 0.5))``."""
    return math.log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


def filters(request: SearchRequest) -> dict[str, dict[str, Any]]:
    """One filter clause per active selection: a facet's name, or "range" for from/to (in the order the hints list them)."""
    clauses: dict[str, dict[str, Any]] = {}
    for facet in PARAMETER_ORDER:
        chosen, left_out = request.chosen(facet.name), request.left_out(facet.name)
        if not (chosen or left_out):
            continue
        clause: dict[str, Any] = {"bool": {}}
        if chosen:
            clause["bool"]["filter"] = [_values(facet, chosen)]
        if left_out:
            clause["bool"]["must_not"] = [_values(facet, left_out)]
        clauses[facet.name] = clause
    if request.date_from or request.date_to:
        bounds = {}
        if request.date_from:
            bounds["gte"] = day_number(request.date_from)
        if request.date_to:
            bounds["lte"] = day_number(request.date_to)
        clauses["range"] = {"range": {"day": bounds}}  # undated articles have no day and never match a range
    return clauses


def _values(facet: Facet, values: tuple[str, ...]) -> dict[str, Any]:
    """Any of ``values`` in ``facet``'s column; in a facet of periods a year stands for each of its months."""
    if not facet.periods:
        return {"terms": {facet.column: list(values)}}
    years = [value for value in values if len(value) == 4]
    exact = [value for value in values if len(value) != 4]
    either: list[dict[str, Any]] = [{"terms": {facet.column: exact}}] if exact else []
    either += [{"prefix": {facet.column: year + "-"}} for year in years]
    return {"bool": {"should": either, "minimum_should_match": 1}}


def all_of(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    """Every clause at once (everything when there is none)."""
    return {"bool": {"filter": clauses}} if clauses else MATCH_ALL
