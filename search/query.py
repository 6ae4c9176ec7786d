"""Run a search: select the matches, count facets, rank one page, suggest a spelling.

The query is matched and scored once with array arithmetic (:mod:`search.evaluation`);
filters and facet counts are array operations over the matches (:mod:`search.filtering`),
and only the page of hits is put in order and given snippets (:mod:`search.topk`,
:mod:`search.hits`). When no article has every word of a plain query, the articles with
some of them are shown instead, with a notice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.query import And, Every, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from search.coverage import coverage
from search.evaluation import IndexArrays, arrays_for, evaluate
from search.extract.outlets import default_registry
from search.filtering import all_of, count_facets, facet_masks
from search.hits import attach_similar, by_date, first_of_each_story, hit_from_stored, outlet_labels, with_snippets
from search.parsing import parse_user_query, plain_words
from search.querylang import QueryTooLarge, prepare
from search.ranking import DEFAULT_RANKING
from search.requests import Hit, InvalidRequest, PageOutOfRange, SearchRequest, SearchResult, page_count
from search.scored import Scored
from search.snippets import marked_words
from search.spelling import closest_word
from search.stories import story_keys
from search.topk import ranked

SUGGEST_BELOW = 3  # offer "Mungkin maksud Anda" when fewer hits than this
RELAXED_NOTICE = "Tidak ada artikel yang memuat semua kata; ditampilkan artikel yang memuat sebagian kata."


def ranked_ids(searcher: Searcher, text: str, *, ranking: str = DEFAULT_RANKING, limit: int = 10) -> list[str]:
    """The ids of the best ``limit`` hits for ``text`` (all words, else any word): what evaluation measures."""
    ix = arrays_for(searcher)
    for require_all in (True, False):
        query = parse_user_query(text, searcher, ranking=ranking, require_all=require_all)
        if query is NullQuery:
            return []
        scored = evaluate(ix, query)
        if len(scored.docs):
            docs, _scores = ranked(ix, scored, limit)
            return [str(searcher.stored_fields(int(n))["id"]) for n in docs]
    return []


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
    relaxed: bool = False

    @property
    def docs(self) -> np.ndarray:
        """Every match before the filters."""
        return self.scored.docs

    @property
    def selected(self) -> np.ndarray:
        """The matches the filters keep."""
        return self.scored.docs[self.keep]


def _select(searcher: Searcher, request: SearchRequest, ix: IndexArrays) -> _Selection | str:
    """Parse, match and filter ``request``; a message instead when nothing searchable is left."""
    notices: list[str] = []
    words = ""
    outlet_keys: list[str] = []
    if request.q.strip():
        try:
            prepared = prepare(request.q)
        except QueryTooLarge as error:
            raise InvalidRequest(str(error)) from None
        notices += prepared.notices
        words = prepared.text
        outlet_keys = [default_registry().resolve(name).key for name in prepared.outlets]
        query = parse_user_query(words, searcher) if words else (Every() if outlet_keys else NullQuery)
        if query is NullQuery:
            return " ".join([*notices, "Kueri tidak berisi kata yang bisa dicari."])
    else:
        query = Every()

    def restrict(query: Query) -> Query:  # outlet:kompas narrows like the outlet facet does
        return And([query, Or([Term("outlet_facet", key) for key in outlet_keys])]) if outlet_keys else query

    def select(query: Query) -> _Selection:
        scored = _matching(ix, query)
        masks = facet_masks(request, ix.columns, scored.docs)
        return _Selection(words, query, scored, masks, all_of(list(masks.values()), len(scored.docs)), notices)

    selection = select(restrict(query))
    if not len(selection.selected) and plain_words(words):
        relaxed = select(restrict(parse_user_query(words, searcher, require_all=False)))
        if len(relaxed.selected):
            relaxed.relaxed = True
            notices.append(RELAXED_NOTICE)
            return relaxed
    return selection


def run_search(searcher: Searcher, request: SearchRequest) -> SearchResult:
    """Search one page of hits with every facet counted. Never raises for user input but a page past the end.

    Matches are collected once as document numbers with their scores; filters and facet
    counts are array operations over them (:mod:`search.columns`), and only the page of
    hits is put in order and read. When the filters leave nothing, there are no hits.

    Raises :class:`PageOutOfRange` for a page past the last one (it names the last page).
    """
    ix = arrays_for(searcher)
    columns = ix.columns
    selection = _select(searcher, request, ix)
    if isinstance(selection, str):
        return SearchResult(request, 0, [], {}, {}, selection)
    words, selected = selection.words, selection.selected
    counts = count_facets(columns, selection.docs, selection.masks)
    stories = story_keys(searcher) if request.grouping else None
    story_count = None if stories is None else len(np.unique(stories[selected]))
    pages = page_count(len(selected) if story_count is None else story_count, request.size)
    if request.page > pages:
        raise PageOutOfRange(request.page, pages)
    numbered = _page_of_hits(searcher, ix, request, selection, stories) if len(selected) else []
    hits = [hit for _, hit in numbered]
    if stories is not None:
        attach_similar(searcher, columns, stories, selected, numbered)
    labels = outlet_labels(searcher, set(counts["outlet"]) | set(request.outlets))
    total = len(selected)
    strict_total = 0 if selection.relaxed else total
    suggestion = _suggest(searcher, ix, words, request, strict_total) if words and strict_total < SUGGEST_BELOW else None
    chart = coverage(columns, selected, request.date_from, request.date_to)
    return SearchResult(request, total, hits, counts, labels, " ".join(selection.notices) or None, suggestion, chart, story_count)


def _page_of_hits(searcher: Searcher, ix: IndexArrays, request: SearchRequest, selection: _Selection,
                  stories: np.ndarray | None) -> list[tuple[int, Hit]]:
    """The request's page of a non-empty selection, by relevance or by date, with snippets."""
    words, selected = selection.words, selection.selected
    start, end = (request.page - 1) * request.size, request.page * request.size
    marked = marked_words(selection.query)
    if not _by_date_order(request, words):
        docs, scores = ranked(ix, selection.scored.keep(selection.keep), end, stories)
        return with_snippets(searcher, ix, docs[start:end], marked, scores[start:end])
    order = by_date(ix.columns, selected, oldest_first=request.sort == "terlama")
    page = (order if stories is None else first_of_each_story(order, stories))[start:end]
    if words:
        return with_snippets(searcher, ix, page, marked, None)
    return [(int(n), hit_from_stored(searcher.stored_fields(int(n)), "", None)) for n in page]


def _by_date_order(request: SearchRequest, words: str) -> bool:
    return request.sort in ("terbaru", "terlama") or not words


def all_matches(searcher: Searcher, request: SearchRequest) -> list[int]:
    """Every matching document number in the request's order (for export: no page, no cap)."""
    ix = arrays_for(searcher)
    selection = _select(searcher, request, ix)
    if isinstance(selection, str) or not len(selection.selected):
        return []
    if _by_date_order(request, selection.words):
        return by_date(ix.columns, selection.selected, oldest_first=request.sort == "terlama").tolist()
    docs, _scores = ranked(ix, selection.scored.keep(selection.keep), None)
    return docs.tolist()


def _suggest(searcher: Searcher, ix: IndexArrays, text: str, request: SearchRequest, total: int) -> str | None:
    """A spelling correction from the index's own words, offered when it finds more than the original.

    Each unknown word becomes its nearest indexed word (:mod:`search.spelling`: fewest edits,
    then the most frequent), so ``minyk`` suggests ``minyak`` rather than the commoner ``milik``.
    """
    corrected, changed = [], False
    for word in text.split():
        plain = word.lower()
        if word in ("AND", "OR", "NOT") or ix.doc_frequency("title_exact", plain):
            corrected.append(word)
            continue
        closest = closest_word(searcher, plain)
        corrected.append(closest or word)
        changed = changed or closest is not None
    if not changed:
        return None
    suggestion = " ".join(corrected)
    docs = _matching(ix, parse_user_query(suggestion, searcher)).docs
    found = int(all_of(list(facet_masks(request, ix.columns, docs).values()), len(docs)).sum())
    return suggestion if found > total else None
