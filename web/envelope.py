"""The one JSON envelope for a search: the API returns it, the page renders it, the CLI prints it.

Keeping a single builder is what makes the HTML page and the JSON API twins: same
parameters, same facet values, same toggle URLs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from search.domain.facets import FACETS, PARAMETER_ORDER
from search.domain.request import DEFAULT_PAGE_SIZE, SORTS, SearchRequest
from search.domain.result import LISTED, Hit, SearchResult
from web import urls
from web.chart import DATE_PARAMS, coverage_chart
from web.facets import (
    FILTER_PARAMS,
    Args,
    active_filters,
    clear_filters_url,
    facet_values,
    page_url,
    relaxations,
    url_with,
)
from web.guidance import guidance


def request_args(request: SearchRequest) -> Args:
    """The canonical query string of a request (what every generated URL starts from)."""
    args: Args = []
    if request.q:
        args.append(("q", request.q))
    for facet in PARAMETER_ORDER:
        args.extend((facet.name, key) for key in request.chosen(facet.name))
        args.extend((facet.name, "-" + key) for key in request.left_out(facet.name))
    if request.date_from:
        args.append(("from", request.date_from.isoformat()))
    if request.date_to:
        args.append(("to", request.date_to.isoformat()))
    if request.sort:
        args.append(("sort", request.sort))
    if not request.grouping:
        args.append(("grouping", "off"))
    if not request.correction:
        args.append(("correction", "off"))
    if request.chart:
        args.append(("chart", request.chart))
    if request.unit:
        args.append(("unit", request.unit))
    if request.size != DEFAULT_PAGE_SIZE:
        args.append(("size", str(request.size)))
    if request.page > 1:
        args.append(("page", str(request.page)))
    return args


def search_args(request: SearchRequest) -> Args:
    """What a search finds, as parameters: its words and filters, not how they are shown (page, size, order, grouping, chart).

    What a feed, a comparison, the outlets and the terms of a search are built from.
    """
    return [(key, value) for key, value in request_args(request) if key in ("q", *FILTER_PARAMS)]


def article_url(article_id: str) -> str:
    """The article page's path for an id (ids may hold any character)."""
    return urls.article_page(article_id)


def hit_dict(hit: Hit, search: str = "") -> dict[str, object]:
    """One hit as the API shows it, with the other matching articles of its story.

    ``search`` is the query string of the search the hit was found by (``?q=…``): ``read_url``
    opens the article with it, so the article page marks the search's words and leads back.
    """
    return {
        **article_fields(hit, search),
        "snippet": hit.snippet,
        "story": hit.story,
        "similar_count": hit.similar_count,
        "similar": [article_fields(other, search) for other in hit.similar],
    }


def article_fields(hit: Hit, search: str = "") -> dict[str, object]:
    """An article's metadata as the API lists it (a hit without snippet and story).

    The fields are :data:`~search.domain.result.LISTED`, dates as ISO text; ``article_url`` is
    the article's own page; ``read_url`` the same page within ``search`` (see :func:`hit_dict`).
    """
    return {
        **{name: json_value(getattr(hit, name)) for name in LISTED},
        "article_url": article_url(hit.id),
        "read_url": article_url(hit.id) + search,
    }


def json_value(value: object) -> object:
    """A field's value as JSON writes it: a date as ``2017-03-05``, anything else as it is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def filters_dict(request: SearchRequest) -> dict[str, object]:
    """The request's filters as the envelope states them (``excluded``: the values left out, per facet).

    A facet of several values is a list, the one-value date its value or ``null``.
    """
    chosen = {facet.name: request.chosen(facet.name) for facet in PARAMETER_ORDER}
    return {
        **{facet.name: list(chosen[facet.name]) for facet in PARAMETER_ORDER if facet.several},
        "excluded": {facet.name: list(request.left_out(facet.name)) for facet in PARAMETER_ORDER if request.left_out(facet.name)},
        **{facet.name: next(iter(chosen[facet.name]), None) for facet in PARAMETER_ORDER if not facet.several},
        "from": request.date_from.isoformat() if request.date_from else None,
        "to": request.date_to.isoformat() if request.date_to else None,
        "sort": request.sort or None,
    }


def search_envelope(result: SearchResult, base: str, notices: Sequence[str] = ()) -> dict[str, object]:
    """The full response for ``result``; facet and paging URLs point at ``base`` (a path).

    ``notices`` say what the parameters' reading mended (:func:`web.params.parse_search`); with
    what the engine adds when the query is off, they are the envelope's guidance (:mod:`web.guidance`).
    """
    request = result.request
    args = request_args(request)
    search = url_with("", args)  # "?q=…&outlet=…": the article pages of these hits carry the search
    searched = search_args(request)
    return {
        "query": request.q,
        "filters": filters_dict(request),
        "sort": request.sort or ("relevansi" if request.q else "terbaru"),
        "sorts": _sorts(request, base, args),
        "date_presets": date_presets(request, base, args, result.newest or dt.date.today()),
        "archive_newest": result.newest.isoformat() if result.newest else None,
        "total": result.total,
        "stories": result.stories,
        "grouping": {
            "on": request.grouping,
            "toggle_url": url_with(base, args, drop=("grouping", "page"), add=[] if not request.grouping else [("grouping", "off")]),
        },
        "page": request.page,
        "size": request.size,
        "pages": result.pages,
        "notice": result.notice,
        "suggestion": _suggestion(result, base, args),
        **guidance(result, base, args, notices),
        "hits": [hit_dict(hit, search) for hit in result.hits],
        "partial": [{**hit_dict(hit, search), "missing": hit.missing, "before": hit.before} for hit in result.partial],
        "active_filters": active_filters(result, base, args),
        "clear_filters_url": clear_filters_url(base, args),
        "relaxations": relaxations(result, base, args),
        "facets": {facet.name: facet_values(facet, result, base, args) for facet in FACETS},
        "export": export_urls(args),
        "feed_url": url_with(urls.FEED, searched),
        "compare_url": url_with(urls.COMPARE, searched),
        "coverers_url": url_with(urls.COVERERS, searched),
        "about_url": url_with(urls.ABOUT, searched),
        "chart": request.chart or "count",
        "coverage": coverage_chart(result, base, args, share=request.chart == "share"),
        "pager": pager(request.page, result.pages, base, args),
        "sizes": page_sizes(request, base, args),
        "prev_url": page_url(base, args, request.page - 1) if request.page > 1 else None,
        "next_url": page_url(base, args, request.page + 1) if request.page < result.pages else None,
    }




def export_urls(args: Args) -> dict[str, str]:
    """The search's exports: ``csv``, ``json``, ``xlsx``, and ``csv_semicolon`` (``;`` between cells, for an Indonesian Excel)."""
    urls_by_format = {fmt: url_with(urls.export(fmt), args, drop=("page", "size")) for fmt in urls.EXPORT_FORMATS}
    return {**urls_by_format, "csv_semicolon": url_with(urls.export("csv"), args, drop=("page", "size"), add=[("sep", "semicolon")])}


def date_presets(request: SearchRequest, base: str, args: Args, newest: dt.date) -> list[dict[str, object]]:
    """Quick date ranges, each with its URL, the rest kept: the archive's last 7 and 30 days and its newest year, and "Semua".

    They count back from the archive's newest article, not from today: over an archive that
    ends in 2018, "the last 7 days" of the calendar would find nothing.
    """
    ranges = [
        ("7 hari terakhir arsip", newest - dt.timedelta(days=6), newest),
        ("30 hari terakhir arsip", newest - dt.timedelta(days=29), newest),
        (f"Tahun {newest.year}", dt.date(newest.year, 1, 1), newest),
    ]
    presets = []
    for label, start, end in ranges:
        presets.append({
            "label": label, "from": start.isoformat(), "to": end.isoformat(),
            "selected": request.date_from == start and request.date_to == end and not request.date,
            "url": url_with(base, args, drop=DATE_PARAMS, add=[("from", start.isoformat()), ("to", end.isoformat())]),
        })
    everything = not (request.date_from or request.date_to or request.date)
    presets.append({"label": "Semua", "from": None, "to": None, "selected": everything,
                    "url": url_with(base, args, drop=DATE_PARAMS)})
    return presets


PAGE_SIZES = (10, 25, 50, 100)
PAGER_WINDOW = 1  # pages either side of the current one: seven items at most fit a phone's width


def pager(page: int, pages: int, base: str, args: Args) -> list[dict[str, object]]:
    """Numbered pages: the first, the last and one either side of ``page``; ``{"gap": True}`` where pages are skipped.

    ``1 … 5 [6] 7 … 120``: a reader sees where they are, how far it goes, and can jump to the end.
    """
    shown = sorted({1, pages, *range(max(1, page - PAGER_WINDOW), min(pages, page + PAGER_WINDOW) + 1)})
    items: list[dict[str, object]] = []
    for number in shown:
        if items and number - int(items[-1]["page"]) > 1:  # type: ignore[call-overload]
            if number - int(items[-1]["page"]) == 2:  # type: ignore[call-overload]
                items.append(_pager_item(number - 1, page, base, args))  # a gap of one page is that page
            else:
                items.append({"gap": True, "page": number - 1})
        items.append(_pager_item(number, page, base, args))
    return items if pages > 1 else []


def _pager_item(number: int, current: int, base: str, args: Args) -> dict[str, object]:
    return {"page": number, "current": number == current, "url": page_url(base, args, number)}


def page_sizes(request: SearchRequest, base: str, args: Args) -> list[dict[str, object]]:
    """The page sizes a reader can pick (10, 25, 50, 100), each back on page 1 with the rest kept."""
    sizes = sorted({*PAGE_SIZES, request.size})
    return [
        {"size": size, "selected": size == request.size,
         "url": url_with(base, args, drop=("size", "page"), add=[] if size == DEFAULT_PAGE_SIZE else [("size", str(size))])}
        for size in sizes
    ]


SORT_LABELS = {"relevansi": "Relevansi", "terbaru": "Terbaru", "terlama": "Terlama"}


def _sorts(request: SearchRequest, base: str, args: Args) -> list[dict[str, object]]:
    """The orders the user can switch to, each with its URL (back to page 1, filters kept)."""
    current = request.sort or ("relevansi" if request.q else "terbaru")
    options = SORTS if request.q else tuple(s for s in SORTS if s != "relevansi")
    return [
        {"value": value, "label": SORT_LABELS[value], "selected": value == current,
         "url": url_with(base, args, drop=("sort", "page"), add=[("sort", value)])}
        for value in options
    ]


def _suggestion(result: SearchResult, base: str, args: Args) -> dict[str, str] | None:
    """``{"query", "url"}`` for "Mungkin maksud Anda: …", keeping every filter."""
    if not result.suggestion:
        return None
    kept = [(k, v) for k, v in args if k not in ("q", "page", "correction")]
    return {"query": result.suggestion, "url": base + "?" + urlencode([("q", result.suggestion), *kept])}
