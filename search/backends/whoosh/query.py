"""Run a search: select the matches, count facets, rank one page, suggest a spelling.

The query is matched and scored once with array arithmetic (:mod:`search.backends.whoosh.evaluation`);
filters and facet counts are array operations over the matches (:mod:`search.backends.whoosh.filtering`),
and only the page of hits is put in order and given snippets (:mod:`search.backends.whoosh.topk`,
:mod:`search.backends.whoosh.hits`). When few articles have every word of a plain query, the articles with
all but one follow them, apart and uncounted (:mod:`search.backends.whoosh.partial`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from whoosh.query import And, Every, NullQuery, Or, Query, Term

from search.analyst.periods import coverage
from search.backends.whoosh.columns import Columns
from search.backends.whoosh.evaluation import evaluate
from search.backends.whoosh.filtering import all_of, count_facets, facet_masks
from search.backends.whoosh.hits import attach_similar, by_date, first_of_each_story, hit_from_stored, outlet_labels, with_snippets
from search.backends.whoosh.parsing import parse_user_query
from search.backends.whoosh.partial import partial_matches
from search.backends.whoosh.scored import Scored, distinct_count, member
from search.backends.whoosh.spelling import closest_word
from search.backends.whoosh.termscores import IndexArrays
from search.backends.whoosh.topk import ranked
from search.domain.request import PageOutOfRange, SearchRequest
from search.domain.result import PARTIAL_NOTICE, SUGGEST_BELOW, Hit, SearchResult, page_count
from search.partials import PARTIAL_AMONG, one_per_story, placed, wanted
from search.querylang import NOTHING_SEARCHABLE, QueryTooLarge, prepare, read_query
from search.snippets import Marked, marked_words

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot



def _matching(ix: IndexArrays, query: Query) -> Scored:
    """Every live match, ascending, with its score."""
    if isinstance(query, Every):
        docs = np.flatnonzero(ix.columns.live)
        return Scored(docs, np.zeros(len(docs)))
    return evaluate(ix, query)


@dataclass
class _Selection:
    """The matches of a request: the query, every match, the filter masks and what passes them."""

    words: str
    query: Query
    scored: Scored
    masks: dict[str, np.ndarray]
    keep: np.ndarray
    notices: list[str]
    outlets: Query | None = None  # ``outlet:…`` in the query, which partial matches obey too

    @property
    def docs(self) -> np.ndarray:
        """Every match before the filters."""
        return self.scored.docs

    @cached_property
    def selected(self) -> np.ndarray:
        """The matches the filters keep."""
        return self.scored.docs[self.keep]


def _select(snapshot: Snapshot, request: SearchRequest) -> _Selection | str:
    """Parse, match and filter ``request``; a message instead when nothing searchable is left."""
    prepared = read_query(request.q)
    notices, words, outlet_keys = prepared.notices, prepared.text, prepared.outlets
    query: Query = Every()
    if request.q.strip():
        query = parse_user_query(words, snapshot) if words else (Every() if outlet_keys else NullQuery)
        if query is NullQuery:
            return " ".join([*notices, NOTHING_SEARCHABLE])

    outlets = Or([Term("outlet_facet", key) for key in outlet_keys]) if outlet_keys else None
    ix = snapshot.arrays
    scored = _matching(ix, And([query, outlets]) if outlets is not None else query)  # outlet:kompas narrows like the outlet facet does
    masks = facet_masks(request, ix.columns, scored.docs)
    return _Selection(words, query, scored, masks, all_of(list(masks.values()), len(scored.docs)), notices, outlets)


def _partial_hits(snapshot: Snapshot, request: SearchRequest, selection: _Selection, numbered: list[tuple[int, Hit]],
                  stories: np.ndarray | None) -> list[Hit]:
    """The first page's partial matches (:mod:`search.partials`), each with the word it lacks and its place among ``numbered``."""
    room, among = wanted(request, selection.words, total=len(selection.selected), shown=len(numbered),
                         by_relevance=not _by_date_order(request, selection.words))
    if not selection.words or not (room or among):
        return []
    ix = snapshot.arrays
    within = evaluate(ix, selection.outlets).docs if selection.outlets is not None else None

    def allowed(docs: np.ndarray) -> np.ndarray:
        keep = all_of(list(facet_masks(request, ix.columns, docs).values()), len(docs))
        return keep if within is None else keep & member(docs, within)

    scores = [hit.score for _, hit in numbered if hit.score is not None]
    above = min(scores) if not room and scores and len(scores) == len(numbered) else None  # shown only when outscoring a hit
    found = partial_matches(snapshot, selection.words, exclude=selection.docs, allowed=allowed, limit=room + (PARTIAL_AMONG if among else 0),
                            above=above)
    if stories is not None:
        found = one_per_story(found, lambda p: int(stories[p.doc]), {int(stories[n]) for n, _ in numbered})
    places = placed([hit.score if among else None for _, hit in numbered], [p.score for p in found], room)
    chosen = [(p, place) for p, place in zip(found, places, strict=True) if place is not None]
    hits = with_snippets(snapshot, np.array([p.doc for p, _ in chosen], dtype=np.int64), marked_words(selection.query), None)
    return [replace(hit, missing=p.missing, before=place) for (_, hit), (p, place) in zip(hits, chosen, strict=True)]


def run_search(snapshot: Snapshot, request: SearchRequest) -> SearchResult:
    """Search one page of hits with every facet counted. Never raises for user input but a page past the end.

    Matches are collected once as document numbers with their scores; filters and facet
    counts are array operations over them (:mod:`search.backends.whoosh.columns`), and only the page of
    hits is put in order and read. When the filters leave nothing, there are no hits.

    Raises :class:`PageOutOfRange` for a page past the last one (it names the last page).
    """
    columns = snapshot.columns
    selection = _select(snapshot, request)
    if isinstance(selection, str):
        return SearchResult(request=request, total=0, hits=[], counts={}, outlet_labels={}, notice=selection, newest=columns.newest(),
                            commit=snapshot.commit)
    words, selected = selection.words, selection.selected
    counts = count_facets(columns, selection.docs, selection.masks)
    stories = snapshot.story_keys if request.grouping else None
    story_count = None if stories is None else distinct_count(stories[selected], len(stories))
    pages = page_count(len(selected) if story_count is None else story_count, request.size)
    if request.page > pages:
        raise PageOutOfRange(request.page, pages)
    numbered = _page_of_hits(snapshot, request, selection, stories) if len(selected) else []
    hits = [hit for _, hit in numbered]
    if stories is not None:
        attach_similar(snapshot, selected, numbered)
    partial = _partial_hits(snapshot, request, selection, numbered, stories)
    if partial and not hits:
        selection.notices.append(PARTIAL_NOTICE)
    total = len(selected)
    return SearchResult(
        request=request,
        total=total,
        hits=hits,
        counts=counts,
        outlet_labels=outlet_labels(snapshot.searcher, set(counts["outlet"]) | set(request.outlets)),
        notice=" ".join(selection.notices) or None,
        suggestion=_suggest(snapshot, words, request, total) if words and total < SUGGEST_BELOW else None,
        coverage=coverage(columns.dated_days, columns.arrays["date"][selected], request.date_from, request.date_to, request.unit),
        stories=story_count,
        partial=partial,
        newest=columns.newest(),
        without_filter=_without_each_filter(selection) if not total else {},
        commit=snapshot.commit,
    )


def _without_each_filter(selection: _Selection) -> dict[str, int]:
    """How many matches each filter hides: the count with that one filter dropped, and with all of them ("all")."""
    masks, size = selection.masks, len(selection.docs)
    if not masks:
        return {}
    counts = {name: int(all_of([m for other, m in masks.items() if other != name], size).sum()) for name in masks}
    if len(masks) > 1:
        counts["all"] = size
    return counts


def _page_of_hits(snapshot: Snapshot, request: SearchRequest, selection: _Selection, stories: np.ndarray | None) -> list[tuple[int, Hit]]:
    """The request's page of a non-empty selection, by relevance or by date, with snippets."""
    ix, words, selected = snapshot.arrays, selection.words, selection.selected
    start, end = (request.page - 1) * request.size, request.page * request.size
    marked = marked_words(selection.query)
    if not _by_date_order(request, words):
        docs, scores = ranked(ix, selection.scored.keep(selection.keep), end, stories)
        return with_snippets(snapshot, docs[start:end], marked, scores[start:end])
    page = _date_page(ix.columns, selected, request.sort == "terlama", stories, start, end)
    if words:
        return with_snippets(snapshot, page, marked, None)
    return [(int(n), hit_from_stored(snapshot.searcher.stored_fields(int(n)), "", None)) for n in page]


def _date_page(columns: Columns, selected: np.ndarray, oldest_first: bool, stories: np.ndarray | None, start: int, end: int) -> np.ndarray:
    """Articles ``start`` to ``end`` of ``selected`` by date (the first of each story, when grouping), sorting no more than it must."""
    wanted = end
    while True:
        order = by_date(columns, selected, oldest_first=oldest_first, first=wanted)
        firsts = order if stories is None else first_of_each_story(order, stories)
        if len(firsts) >= end or len(order) == len(selected):
            return firsts[start:end]
        wanted *= 4  # stories of many articles took places: read further


def _by_date_order(request: SearchRequest, words: str) -> bool:
    return request.sort in ("terbaru", "terlama") or not words


def all_matches(snapshot: Snapshot, request: SearchRequest) -> list[int]:
    """Every matching document number in the request's order (for export: no page, no cap)."""
    ix = snapshot.arrays
    selection = _select(snapshot, request)
    if isinstance(selection, str) or not len(selection.selected):
        return []
    if _by_date_order(request, selection.words):
        return by_date(ix.columns, selection.selected, oldest_first=request.sort == "terlama").tolist()
    docs, _scores = ranked(ix, selection.scored.keep(selection.keep), None)
    return docs.tolist()


def _suggest(snapshot: Snapshot, text: str, request: SearchRequest, total: int) -> str | None:
    """A spelling correction from the index's own words, offered when it finds more than the original.

    Each unknown word becomes its nearest indexed word (:mod:`search.backends.whoosh.spelling`: fewest edits,
    then the most frequent), so ``minyk`` suggests ``minyak`` rather than the commoner ``milik``.
    """
    ix = snapshot.arrays
    corrected, changed = [], False
    for word in text.split():
        plain = word.lower()
        if word in ("AND", "OR", "NOT") or ix.doc_frequency("title_exact", plain):
            corrected.append(word)
            continue
        closest = closest_word(snapshot, plain)
        corrected.append(closest or word)
        changed = changed or closest is not None
    if not changed:
        return None
    suggestion = " ".join(corrected)
    docs = _matching(ix, parse_user_query(suggestion, snapshot)).docs
    found = int(all_of(list(facet_masks(request, ix.columns, docs).values()), len(docs)).sum())
    return suggestion if found > total else None


def words_to_mark(snapshot: Snapshot, q: str) -> Marked:
    """The body words a search looks for (every inflection of its words, its phrases as written), for marking a whole article.

    Nothing when the query has no searchable word or is too large to parse: the article is then shown unmarked.
    """
    try:
        prepared = prepare(q)
    except QueryTooLarge:
        return Marked(frozenset(), frozenset())
    return marked_words(parse_user_query(prepared.text, snapshot)) if prepared.text else Marked(frozenset(), frozenset())


def matching_docs(snapshot: Snapshot, request: SearchRequest) -> np.ndarray:
    """Every document number that matches ``request`` with its filters (ascending); none when nothing is searchable."""
    selection = _select(snapshot, request)
    return np.array([], dtype=np.int64) if isinstance(selection, str) else selection.selected
