"""A request's matches as the cluster's query: the user's words ranked as on Whoosh, ``outlet:`` and the filters.

The words become the shared query tree (:mod:`search.parsing`), weighed with the archive's
document frequencies exactly as the Whoosh backend weighs them (:mod:`search.ranking`: the
exact forms' excess idf, the proximity bonus), and then the DSL (:mod:`.dsl`). Filters stay
apart, one clause each, so facet counts can leave out each facet's own selection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh.query import Every, NullQuery, Query, Term

from search.analyzer import stem_word
from search.backends.opensearch.dsl import filters, lucene_idf, translate, whoosh_idf
from search.backends.opensearch.statistics import Statistics
from search.domain.request import SearchRequest
from search.parsing import parse_words
from search.querylang import NOTHING_SEARCHABLE, QueryTooLarge, prepare, read_query
from search.ranking import COMBINED, Ranking, weigh_exact_forms, with_proximity


@dataclass
class Selection:
    """The matches of a request: its words and tree (for marks), the query before filters, and each filter."""

    words: str
    tree: Query
    query: dict[str, Any]  # the matches, scored
    matching: dict[str, Any]  # the same matches, unscored: what counting needs (no score is computed in a filter)
    filters: dict[str, dict[str, Any]]
    notices: list[str] = field(default_factory=list)
    outlets: dict[str, Any] | None = None  # ``outlet:…`` in the query, which partial matches obey too

    @property
    def filtered(self) -> dict[str, Any]:
        """The matches the filters keep, scored."""
        return {"bool": {"must": [self.query], "filter": list(self.filters.values())}}

    @property
    def filtered_unscored(self) -> dict[str, Any]:
        """The matches the filters keep, unscored."""
        return {"bool": {"filter": [self.matching, *self.filters.values()]}}


def select(stats: Statistics, request: SearchRequest) -> Selection | str:
    """Parse and rank ``request``'s words, with its filters; a message instead when nothing searchable is left."""
    prepared = read_query(request.q)
    notices, words, outlet_keys = prepared.notices, prepared.text, prepared.outlets
    tree: Query = Every()
    if request.q.strip():
        tree = parse_words(words, COMBINED.weights) if words else (Every() if outlet_keys else NullQuery)
        if tree is NullQuery:
            return " ".join([*notices, NOTHING_SEARCHABLE])
    outlets = {"terms": {"outlet_facet": outlet_keys}} if outlet_keys else None
    narrowing = [outlets] if outlets is not None else []  # outlet:kompas narrows like the outlet facet does
    query = {"bool": {"must": [ranked(stats, tree)], "filter": narrowing}}
    matching = {"bool": {"filter": [translate(tree), *narrowing]}}
    return Selection(words, tree, query, matching, filters(request), notices, outlets)


def ranked(stats: Statistics, tree: Query, ranking: Ranking = COMBINED, *, require_all: bool = True) -> dict[str, Any]:
    """The DSL for ``tree`` with the Whoosh backend's scores (see :mod:`.dsl`)."""
    if isinstance(tree, Every):
        return translate(tree)
    terms = {(leaf.fieldname, str(leaf.text)) for leaf in tree.leaves() if isinstance(leaf, Term)}
    if ranking.excess_idf:  # the stems the exact forms are weighed against
        terms |= {(name[:-len("_exact")], stem_word(text)) for name, text in terms if name.endswith("_exact")}
    frequency, count = stats.frequencies(terms)

    def idf(name: str, text: str) -> float:
        return whoosh_idf(_frequency(stats, frequency, count, name, text), count)

    def idfs(name: str, text: str) -> tuple[float, float]:
        n = _frequency(stats, frequency, count, name, text)
        return whoosh_idf(n, count), lucene_idf(n, count)

    if ranking.excess_idf:
        tree = weigh_exact_forms(tree, idf, ranking.weights)
    if ranking.proximity:
        tree = with_proximity(tree, any_word=not require_all)
    return translate(tree, idfs)


def _frequency(stats: Statistics, known: dict[tuple[str, str], int], count: int, name: str, text: str) -> int:
    """A term's document frequency, asked for when the tree gained a term after the first look-up."""
    if (name, text) not in known:
        known.update(stats.frequencies([(name, text)])[0])
    return known[name, text]


def words_tree(q: str) -> Query:
    """The tree of a query's words (for marking them in an article); NullQuery when none or over the limits."""
    try:
        prepared = prepare(q)
    except QueryTooLarge:
        return NullQuery
    return parse_words(prepared.text, COMBINED.weights) if prepared.text else NullQuery
