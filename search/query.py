"""Run a search: parse the user's words, apply filters, rank, count facets, make snippets.

Every word is required by default and ``"quoted phrases"`` match in order; both go
through the same Indonesian analyzer as the index. Facet counts are computed without the
facet's own selection, and choosing a value replaces that facet's selection, so the
count shown next to a value is exactly the number of hits that choosing it leads to.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
import itertools
import re
from dataclasses import dataclass, field

import numpy as np
from whoosh import qparser
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.query import And, AndMaybe, ConstantScoreQuery, Every, NullQuery, Or, Phrase, Prefix, Query, Term
from whoosh.searching import Results, Searcher
from whoosh.sorting import FunctionFacet

from search.budget import current_deadline, with_deadline
from search.columns import Columns, columns_for, day_number
from search.coverage import Coverage, coverage
from search.extract.outlets import default_registry
from search.indexer import article_from_stored, column_text
from search.querylang import QueryTooLarge, prepare
from search.ranking import DEFAULT_RANKING, ranking_named, weigh_exact_forms, with_proximity
from search.schema import EXACT_FIELDS, STEM_FIELDS, UNKNOWN
from search.spelling import closest_word
from search.stories import story_keys

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 240
# Parser features: words, "phrases", AND/OR/NOT, -word, brackets, field prefixes (only the
# ones search.querylang writes) and word* prefixes. Wildcards inside words, ranges and
# boosts would turn ordinary text into syntax.
_REMOVED_PLUGINS = (
    qparser.WildcardPlugin,
    qparser.RangePlugin,
    qparser.BoostPlugin,
    qparser.EveryPlugin,
    qparser.SingleQuotePlugin,
)
# ``-word`` and ``+word`` only at the start of a word: ``buka-bukaan`` and ``e-KTP`` are words,
# and a dash standing alone (``Jakarta - Bandung``) is punctuation.
_WORD_START = r"(?<![^\s(])"


# Orders a user can ask for; "relevansi" only means something when there are words.
SORTS = ("relevansi", "terbaru", "terlama")
CHARTS = ("", "share")
# Articles of one story listed under its hit; the count says how many there are in all.
MAX_SIMILAR_LISTED = 50


class InvalidRequest(ValueError):
    """A request parameter is out of range or malformed (the message is shown to the user)."""


@dataclass(frozen=True)
class SearchRequest:
    """What the user asked for. ``date`` is a year, a ``YYYY-MM`` month, or UNKNOWN."""

    q: str = ""
    outlets: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    date: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    sort: str = ""  # "" is the default: relevance with words, newest first without
    grouping: bool = True  # copies of one story under one hit (search.stories)
    chart: str = ""  # the coverage chart as counts ("") or as a share of all articles ("share")

    def __post_init__(self) -> None:
        if self.chart not in CHARTS:
            raise InvalidRequest(f"grafik tidak dikenal: {self.chart[:40]!r} (pakai share, atau kosongkan)")
        if self.sort and self.sort not in SORTS:
            raise InvalidRequest(f"urutan tidak dikenal: {self.sort[:40]!r} (pakai {', '.join(SORTS)})")
        if self.page < 1:
            raise InvalidRequest("halaman harus 1 atau lebih")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidRequest(f"ukuran halaman harus antara 1 dan {MAX_PAGE_SIZE}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidRequest("tanggal 'dari' jatuh setelah tanggal 'sampai'")
        if self.date is not None and not _valid_date_value(self.date):
            raise InvalidRequest(f"nilai tanggal tidak dikenal: {self.date!r} (pakai TTTT atau TTTT-BB)")


def _valid_date_value(value: str) -> bool:
    if value == UNKNOWN:
        return True
    try:
        if len(value) == 4:
            return 1000 <= int(value) <= 9999
        if len(value) == 7 and value[4] == "-":
            return 1000 <= int(value[:4]) <= 9999 and 1 <= int(value[5:]) <= 12
    except ValueError:
        return False
    return False


@dataclass
class Hit:
    """One result as pages and the API show it; ``snippet`` is safe HTML."""

    id: str
    title: str | None
    headline: str
    outlet: str | None
    outlet_key: str | None
    outlet_group: str | None
    date: dt.date | None
    city: str | None
    url: str | None
    snippet: str
    score: float | None
    story: str = ""  # the id of the story's first article (its own id when alone)
    similar: list[Hit] = field(default_factory=list)  # other matching articles of the story
    similar_count: int = 0  # how many there are, when more than the listed ones


@dataclass
class SearchResult:
    """Hits of one page, the total, and raw facet counts (``facet -> value -> count``).

    Each facet's counts ignore that facet's own selection (see the module docstring).
    """

    request: SearchRequest
    total: int
    hits: list[Hit]
    counts: dict[str, dict[str, int]]
    outlet_labels: dict[str, str]
    notice: str | None = None
    suggestion: str | None = None
    coverage: Coverage | None = None
    stories: int | None = None  # distinct stories among the matches, when grouping
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = page_count(self.total if self.stories is None else self.stories, self.request.size)


def page_count(listed: int, size: int) -> int:
    """Pages needed for ``listed`` hits; an empty result is one (empty) page."""
    return max(1, -(-listed // size))


class PageOutOfRange(InvalidRequest):
    """The requested page is past the last one; ``last`` names the last page, so callers can offer it."""

    def __init__(self, page: int, last: int) -> None:
        self.page = page
        self.last = last
        super().__init__(f"halaman {page} tidak ada: hasil ini hanya {last} halaman")


SUGGEST_BELOW = 3  # offer "Mungkin maksud Anda" when fewer hits than this
RELAXED_NOTICE = "Tidak ada artikel yang memuat semua kata; ditampilkan artikel yang memuat sebagian kata."


def parse_user_query(text: str, searcher: Searcher, *, ranking: str = DEFAULT_RANKING, require_all: bool = True) -> Query:
    """The Whoosh query for the user's words (NullQuery when nothing searchable remains).

    Every word is looked for in each field of the ranking, weighted; a quoted phrase
    matches the words as written (its stemmed variants are dropped). The parser is
    lenient; if it still fails on odd input we fall back to plain words, so a strange
    query never becomes an error page.
    """
    rank = ranking_named(ranking)
    weights = rank.weights
    group = qparser.AndGroup if require_all else qparser.OrGroup
    parser = qparser.MultifieldParser(list(weights), searcher.schema, fieldboosts=weights, group=group)
    for plugin in _REMOVED_PLUGINS:
        parser.remove_plugin_class(plugin)
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=_WORD_START + r"\+(?=[\w\"(])", minusexpr=_WORD_START + r"-(?=[\w\"(])"))
    parser.add_plugin(qparser.PrefixPlugin())
    try:
        query = parser.parse(text)
    except Exception:  # noqa: BLE001 - any parser failure degrades to plain words, without operators
        words = [w for w in re.split(r"[^\w-]+", text) if w and w not in ("AND", "OR", "NOT")]
        try:
            query = parser.parse(" ".join(w.lstrip("-+") for w in words))
        except Exception:  # noqa: BLE001 - nothing searchable is a message, never an error page
            return NullQuery
    if any(name not in STEM_FIELDS for name in weights):
        query = _phrases_as_written(query)
    if rank.excess_idf:
        query = weigh_exact_forms(query, searcher, weights)
    if rank.proximity:
        query = with_proximity(query, any_word=not require_all)
    return _bounded_prefixes(query, searcher)


# A prefix stands for at most this many words, the most frequent it starts (``pe*`` starts thousands).
MAX_PREFIX_WORDS = 200
MAX_PREFIX_SCANNED = 50_000


def _bounded_prefixes(query: Query, searcher: Searcher) -> Query:
    """Each ``word*`` as its :data:`MAX_PREFIX_WORDS` most frequent words, scored as one constant like Whoosh's prefix.

    Whoosh expands a prefix to every word it starts and merges all their postings, so a few
    short prefixes made one query run for tens of seconds.
    """
    if not any(isinstance(leaf, Prefix) for leaf in query.leaves()):
        return query
    reader = searcher.reader()

    def bound(node: Query) -> Query:
        if not isinstance(node, Prefix):
            return node.apply(bound)
        scanned = itertools.islice(reader.expand_prefix(node.fieldname, node.text), MAX_PREFIX_SCANNED)
        frequent = heapq.nlargest(MAX_PREFIX_WORDS, ((reader.doc_frequency(node.fieldname, t), t) for t in scanned))
        if not frequent:
            return NullQuery
        words = Or([Term(node.fieldname, column_text(term)) for _, term in frequent])
        return ConstantScoreQuery(words, node.boost)

    return bound(query).normalize()


def _phrases_as_written(query: Query) -> Query:
    def drop(node: Query) -> Query:
        if isinstance(node, (Phrase, Prefix)):  # phrases and word* prefixes work on words as written
            return NullQuery if node.fieldname in STEM_FIELDS else node
        return node.apply(drop)

    return drop(query).normalize()


def ranked_ids(searcher: Searcher, text: str, *, ranking: str = DEFAULT_RANKING, limit: int = 10) -> list[str]:
    """The ids of the best ``limit`` hits for ``text`` (all words, else any word): what evaluation measures."""
    for require_all in (True, False):
        query = parse_user_query(text, searcher, ranking=ranking, require_all=require_all)
        if query is NullQuery:
            return []
        results = _search(searcher, query, limit=limit)
        if len(results):
            return [hit["id"] for hit in results]
    return []


# Facet name (the query parameter) -> the sortable column it counts.
FACET_COLUMNS = {"outlet": "outlet_facet", "group": "group_facet", "date": "month"}


def _facet_masks(request: SearchRequest, columns: Columns, docs: np.ndarray) -> dict[str, np.ndarray]:
    """For each active selection, which of ``docs`` it keeps (facet name, or "range" for from/to)."""
    masks: dict[str, np.ndarray] = {}
    arrays = columns.arrays
    if request.outlets:
        masks["outlet"] = np.isin(arrays["outlet_facet"][docs], columns.codes_of("outlet_facet", request.outlets))
    if request.groups:
        masks["group"] = np.isin(arrays["group_facet"][docs], columns.codes_of("group_facet", request.groups))
    if request.date:
        months = [m for m in columns.values("month") if m.startswith(request.date + "-")] if len(request.date) == 4 else [request.date]
        masks["date"] = np.isin(arrays["month"][docs], columns.codes_of("month", months))
    if request.date_from or request.date_to:
        days = arrays["date"][docs]
        low = day_number(request.date_from) if request.date_from else 1  # undated articles (0) never match a range
        high = day_number(request.date_to) if request.date_to else np.iinfo(np.int32).max
        masks["range"] = (days >= low) & (days <= high)
    return masks


def _all(masks: list[np.ndarray], size: int) -> np.ndarray:
    keep = np.ones(size, dtype=bool)
    for mask in masks:
        keep &= mask
    return keep


def _count(columns: Columns, docs: np.ndarray, masks: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    """Every facet's counts over ``docs``, each ignoring its own selection (see the module docstring).

    The undated bucket also ignores a from/to range, which can never hold an undated article:
    "Tanpa tanggal" stays in view, and its link drops the range (see web.facets).
    """
    counts: dict[str, dict[str, int]] = {}
    for facet, column in FACET_COLUMNS.items():
        keep = _all([mask for name, mask in masks.items() if name != facet], len(docs))
        tally = np.bincount(columns.arrays[column][docs[keep]])
        values = columns.values(column)
        counts[facet] = {values[code]: int(n) for code, n in enumerate(tally) if n}
    if "range" in masks:  # a range leaves undated articles out; their bucket still says how many there are
        keep = _all([mask for name, mask in masks.items() if name not in ("date", "range")], len(docs))
        undated = int((columns.arrays["date"][docs[keep]] == 0).sum())
        if undated:
            counts["date"][UNKNOWN] = undated
    return counts


def _matching(searcher: Searcher, query: Query, columns: Columns) -> np.ndarray:
    """Document numbers of every live match, ascending."""
    if isinstance(query, Every):
        return np.flatnonzero(columns.live)
    return np.fromiter(current_deadline().watch(searcher.docs_for_query(_match_only(query))), dtype=np.int64)


def _search(searcher: Searcher, query: Query, **options: object) -> Results:
    """``searcher.search(query, **options)`` that stops at the current deadline (:mod:`search.budget`)."""
    collector = with_deadline(searcher.collector(**options), current_deadline())
    searcher.search_with_collector(query, collector)
    return collector.results()


def _match_only(query: Query) -> Query:
    """The same matches with less work: no scoring-only parts.

    A word's exact-form terms never match a document its stem terms miss (the stem of the
    form is in the same field), and the proximity bonus never adds a match; dropping them
    leaves two posting lists per word to merge instead of four and no phrase checking.
    """
    if isinstance(query, AndMaybe):
        return _match_only(query.a)
    if type(query) is Or and any(isinstance(q, Term) and q.fieldname in STEM_FIELDS for q in query.subqueries):
        kept = [q for q in query.subqueries if not (isinstance(q, Term) and q.fieldname in EXACT_FIELDS)]
        return Or([_match_only(q) for q in kept])
    return query.apply(_match_only)


@dataclass
class _Selection:
    """The matches of a request: the query, every match, the filter masks and what passes them."""

    words: str
    query: Query
    docs: np.ndarray
    masks: dict[str, np.ndarray]
    selected: np.ndarray
    notices: list[str]
    relaxed: bool = False


def _select(searcher: Searcher, request: SearchRequest, columns: Columns) -> _Selection | str:
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
        docs = _matching(searcher, query, columns)
        masks = _facet_masks(request, columns, docs)
        return _Selection(words, query, docs, masks, docs[_all(list(masks.values()), len(docs))], notices)

    selection = select(restrict(query))
    if not len(selection.selected) and _plain_words(words):
        relaxed = select(restrict(parse_user_query(words, searcher, require_all=False)))
        if len(relaxed.selected):
            relaxed.relaxed = True
            notices.append(RELAXED_NOTICE)
            return relaxed
    return selection


def run_search(searcher: Searcher, request: SearchRequest) -> SearchResult:
    """Search one page of hits with every facet counted. Never raises for user input but a page past the end.

    Matches are collected once as document numbers; filters and facet counts are array
    operations over them (:mod:`search.columns`), and only the page of hits is ranked by
    Whoosh (with its filter given as that set of numbers). When the filters leave nothing,
    there are no hits: Whoosh reads an empty allowed set as "no filter", so it is never asked.

    Raises :class:`PageOutOfRange` for a page past the last one (it names the last page).
    """
    columns = columns_for(searcher)
    selection = _select(searcher, request, columns)
    if isinstance(selection, str):
        return SearchResult(request, 0, [], {}, {}, selection)
    words, selected = selection.words, selection.selected
    counts = _count(columns, selection.docs, selection.masks)
    stories = story_keys(searcher) if request.grouping else None
    story_count = None if stories is None else len(np.unique(stories[selected]))
    pages = page_count(len(selected) if story_count is None else story_count, request.size)
    if request.page > pages:
        raise PageOutOfRange(request.page, pages)
    numbered = _page_of_hits(searcher, request, selection, columns, stories) if len(selected) else []
    hits = [hit for _, hit in numbered]
    if stories is not None:
        _attach_similar(searcher, columns, stories, selected, numbered)
    labels = _outlet_labels(searcher, set(counts["outlet"]) | set(request.outlets))
    total = len(selected)
    strict_total = 0 if selection.relaxed else total
    suggestion = _suggest(searcher, columns, words, request, strict_total) if words and strict_total < SUGGEST_BELOW else None
    chart = coverage(columns, selected, request.date_from, request.date_to)
    return SearchResult(request, total, hits, counts, labels, " ".join(selection.notices) or None, suggestion, chart, story_count)


def _page_of_hits(searcher: Searcher, request: SearchRequest, selection: _Selection, columns: Columns,
                  stories: np.ndarray | None) -> list[tuple[int, Hit]]:
    """The request's page of a non-empty selection, by relevance or by date, with snippets."""
    words, query, selected = selection.words, selection.query, selection.selected
    start, end = (request.page - 1) * request.size, request.page * request.size
    if not _by_date_order(request, words):
        return _ranked_hits(searcher, query, selected if selection.masks else None, start, end, stories)
    order = _by_date(columns, selected, oldest_first=request.sort == "terlama")
    page = (order if stories is None else _first_of_each_story(order, stories))[start:end]
    if words:
        return _highlighted(searcher, query, page)
    return [(int(n), _hit(searcher.stored_fields(int(n)), "", None)) for n in page]


def _by_date_order(request: SearchRequest, words: str) -> bool:
    return request.sort in ("terbaru", "terlama") or not words


def all_matches(searcher: Searcher, request: SearchRequest) -> list[int]:
    """Every matching document number in the request's order (for export: no page, no cap)."""
    columns = columns_for(searcher)
    selection = _select(searcher, request, columns)
    if isinstance(selection, str) or not len(selection.selected):
        return []
    if _by_date_order(request, selection.words):
        return _by_date(columns, selection.selected, oldest_first=request.sort == "terlama").tolist()
    allow = set(selection.selected.tolist()) if selection.masks else None
    results = _search(searcher, selection.query, filter=allow, limit=None)
    return [hit.docnum for hit in results]


def stored_article(searcher: Searcher, docnum: int) -> Hit:
    """The stored article at ``docnum`` as a hit without snippet, with its story (for export)."""
    hit = _hit(searcher.stored_fields(docnum), "", None)
    hit.story = _story_id(searcher, story_keys(searcher), docnum)
    return hit


def _story_id(searcher: Searcher, stories: np.ndarray, docnum: int) -> str:
    """A story's name: the id of its first article (the smallest document number)."""
    return str(searcher.stored_fields(int(stories[docnum]))["id"])


def _first_of_each_story(order: np.ndarray, stories: np.ndarray) -> np.ndarray:
    """``order`` keeping only the first article of each story (the rest are listed under it)."""
    _, first = np.unique(stories[order], return_index=True)
    return order[np.sort(first)]


def _attach_similar(searcher: Searcher, columns: Columns, stories: np.ndarray, selected: np.ndarray, numbered: list[tuple[int, Hit]]) -> None:
    """Give each hit its story's name and the other matching articles of the story, oldest first."""
    if not numbered:
        return
    members = selected[np.isin(stories[selected], [stories[n] for n, _ in numbered])]
    member_keys = stories[members]
    for docnum, hit in numbered:
        key = stories[docnum]
        hit.story = _story_id(searcher, stories, docnum)
        others = _by_date(columns, members[(member_keys == key) & (members != docnum)], oldest_first=True)
        hit.similar_count = len(others)
        hit.similar = [_hit(searcher.stored_fields(int(n)), "", None) for n in others[:MAX_SIMILAR_LISTED]]


def story_of(searcher: Searcher, docnum: int) -> list[Hit]:
    """Every other article of the story of ``docnum`` in the whole index, oldest first (the article page)."""
    columns = columns_for(searcher)
    stories = story_keys(searcher)
    others = np.flatnonzero((stories == stories[docnum]) & columns.live)
    return [_hit(searcher.stored_fields(int(n)), "", None) for n in _by_date(columns, others[others != docnum], oldest_first=True)]


def _highlighting_search(searcher: Searcher, query: Query, allow: set[int] | None, limit: int | None, stories: np.ndarray | None = None):
    """Whoosh results that can mark the matched words: the one snippet setup for every hit list.

    With ``stories``, only the best-ranked article of each story is kept (Whoosh's collapse).
    """
    # Whoosh never collapses a falsy key, and story keys are document numbers from 0: shift them by one.
    collapse = FunctionFacet(lambda _searcher, docnum: int(stories[docnum]) + 1) if stories is not None else None
    results = _search(searcher, query, filter=allow, limit=limit, terms=True, collapse=collapse)
    results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
    results.formatter = HtmlFormatter(tagname="mark", between=" … ")
    return results


def _marked(hit, score: float | None) -> Hit:
    """A hit whose snippet is the passages holding the most matched words, as written."""
    return _hit(hit.fields(), " ".join(hit.highlights("body", top=2).split()), score)


def _ranked_hits(searcher: Searcher, query: Query, allowed: np.ndarray | None, start: int, end: int,
                 stories: np.ndarray | None) -> list[tuple[int, Hit]]:
    """Hits ``start:end`` by relevance (one per story with ``stories``), with snippets of the matched words."""
    results = _highlighting_search(searcher, query, set(allowed.tolist()) if allowed is not None else None, end, stories)
    page = (results[i] for i in range(start, min(end, results.scored_length())))
    return [(hit.docnum, _marked(hit, hit.score)) for hit in page]


def _by_date(columns: Columns, selected: np.ndarray, *, oldest_first: bool) -> np.ndarray:
    """``selected`` newest (or oldest) first; undated articles last either way, then by document number."""
    days = columns.arrays["date"][selected].astype(np.int64)
    if oldest_first:
        key = np.where(days == 0, np.iinfo(np.int64).max, days)
    else:
        key = -days
    return selected[np.lexsort((selected, key))]


def _highlighted(searcher: Searcher, query: Query, page: np.ndarray) -> list[tuple[int, Hit]]:
    """Hits for the documents of ``page``, in that order, with snippets of their matched words."""
    found = {hit.docnum: hit for hit in _highlighting_search(searcher, query, set(page.tolist()), len(page))}
    hits = []
    for docnum in page.tolist():
        hit = found.get(docnum)
        if hit is None:  # matched only through a part that scores nothing; still a match
            hits.append((docnum, _hit(searcher.stored_fields(docnum), "", None)))
        else:
            hits.append((docnum, _marked(hit, None)))
    return hits


def _plain_words(text: str) -> bool:
    """Two or more words and no operators or syntax: the only kind of query relaxed to any-word."""
    words = text.split()
    return len(words) > 1 and not any(w in ("AND", "OR", "NOT") or w[0] in '-+"(' or ":" in w or w.endswith("*") for w in words)


def _suggest(searcher: Searcher, columns: Columns, text: str, request: SearchRequest, total: int) -> str | None:
    """A spelling correction from the index's own words, offered when it finds more than the original.

    Each unknown word becomes its nearest indexed word (:mod:`search.spelling`: fewest edits,
    then the most frequent), so ``minyk`` suggests ``minyak`` rather than the commoner ``milik``.
    """
    corrected, changed = [], False
    for word in text.split():
        plain = word.lower()
        if word in ("AND", "OR", "NOT") or searcher.doc_frequency("title_exact", plain):
            corrected.append(word)
            continue
        closest = closest_word(searcher, plain)
        corrected.append(closest or word)
        changed = changed or closest is not None
    if not changed:
        return None
    suggestion = " ".join(corrected)
    docs = _matching(searcher, parse_user_query(suggestion, searcher), columns)
    found = int(_all(list(_facet_masks(request, columns, docs).values()), len(docs)).sum())
    return suggestion if found > total else None


def _hit(fields: dict[str, object], snippet: str, score: float | None) -> Hit:
    article = article_from_stored(fields)
    return Hit(
        id=article.id,
        title=article.title,
        headline=article.headline,
        outlet=article.outlet,
        outlet_key=article.outlet_key,
        outlet_group=article.outlet_group,
        date=article.date,
        city=article.city,
        url=article.url,
        snippet=snippet or plain_snippet(article.body),
        score=score,
    )


def plain_snippet(body: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of the body as escaped HTML, cut at a word boundary."""
    text = " ".join(body.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return html.escape(text, quote=False)


def _outlet_labels(searcher: Searcher, keys: set[str]) -> dict[str, str]:
    """Display names for outlet keys, as stored with the articles themselves."""
    labels: dict[str, str] = {}
    for key in keys:
        if key == UNKNOWN:
            continue
        stored = searcher.document(outlet_facet=key)
        labels[key] = (stored or {}).get("outlet") or key
    return labels


def get_article(searcher: Searcher, article_id: str) -> tuple[int, dict[str, object]] | None:
    """The document number and stored fields of one article, or ``None`` when no article has that id."""
    docnum = searcher.document_number(id=article_id)
    return None if docnum is None else (docnum, searcher.stored_fields(docnum))
