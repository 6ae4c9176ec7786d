"""The analyst views' JSON: several searches compared over time, and who covers a search.

Like :mod:`web.envelope` for the search page, each builder gives the one dict that the page
renders, the API returns and the CSV is written from.
"""

from __future__ import annotations

import dataclasses

from werkzeug.datastructures import MultiDict

from search.domain.analyst import OTHERS, Comparison, Coverers, Term, Terms, check_compared
from search.domain.facets import OUTLET
from search.domain.request import SearchRequest, query_text
from web import urls
from web.chart import series_chart
from web.envelope import filters_dict, search_args
from web.facet_labels import plain_label
from web.facets import FILTER_PARAMS, Args, filter_chips, url_with
from web.formatting import UNKNOWN_OUTLET_LABEL, persen
from web.params import parse_search_args

OTHERS_LABEL = "Lainnya"


def compare_requests(args: MultiDict[str, str], max_query_chars: int) -> list[SearchRequest]:
    """``q`` given up to :data:`MAX_COMPARED` times, each with the shared filters; blank ones are dropped."""
    written = [q for q in args.getlist("q") if q.strip()]
    if written:
        check_compared(len(written))
    shared = parse_search_args(MultiDict([(k, v) for k, v in args.items(multi=True) if k != "q"]), max_query_chars)
    return [dataclasses.replace(shared, q=query_text(q, max_query_chars)) for q in written]


def shared_args(request: SearchRequest) -> Args:
    """The filters every compared search shares, as query parameters."""
    return [(k, v) for k, v in search_args(request) if k != "q"]


def shown_args(request: SearchRequest) -> Args:
    """How an analyst page draws its chart (percent and unit), as parameters its links keep."""
    return ([("chart", "share")] if request.chart == "share" else []) + ([("unit", request.unit)] if request.unit else [])


def inherited_filters(request: SearchRequest, base: str, args: Args) -> dict[str, object]:
    """The filters an analyst page applies, as the search page's chips (each removable), and the URL without any."""
    return {"chips": filter_chips(request, base, args, plain_label), "clear_url": url_with(base, args, drop=FILTER_PARAMS)}


def compare_envelope(comparison: Comparison, share: bool) -> dict[str, object]:
    """Each search's total and its series; links to each search and to the CSV and JSON of the numbers."""
    first = comparison.requests[0]
    shared = shared_args(first)
    args = [("q", r.q) for r in comparison.requests] + shared + ([("chart", "share")] if share else [])
    page_args = args + ([("unit", first.unit)] if first.unit else [])
    names = [r.q for r in comparison.requests]
    links: list[str | None] = [url_with(urls.SEARCH_PAGE, [("q", r.q), *shared]) for r in comparison.requests]
    return {
        "queries": names,
        "filters": filters_dict(first),
        **inherited_filters(first, urls.COMPARE, page_args),
        "search_url": url_with(urls.SEARCH_PAGE, [("q", first.q), *shared]),
        "totals": list(comparison.totals),
        "chart": series_chart(comparison.timeline, names, links, list(comparison.totals), share=share, base=urls.COMPARE, args=page_args),
        "json_url": url_with(urls.API_COMPARE, args),
        "csv_url": url_with(urls.API_COMPARE_CSV, [a for a in args if a[0] != "chart"]),
        "count_url": url_with(urls.COMPARE, page_args, drop=("chart",)),
        "share_url": url_with(urls.COMPARE, page_args, drop=("chart",), add=[("chart", "share")]),
    }


def coverers_envelope(found: Coverers, request: SearchRequest, share: bool) -> dict[str, object]:
    """The outlets of a search (count, share of their own output, first and last date) and the top ones over time."""
    base = search_args(request)
    labels = {row.key: row.label if row.key != "_none" else UNKNOWN_OUTLET_LABEL for row in found.rows}
    names = [OTHERS_LABEL if key == OTHERS else labels.get(key, key) for key in found.series]
    links: list[str | None] = [None if key == OTHERS else url_with(urls.SEARCH_PAGE, [*base, (OUTLET.name, key)]) for key in found.series]
    return {
        "query": request.q,
        "filters": filters_dict(request),
        **inherited_filters(request, urls.COVERERS, base + shown_args(request)),
        "total": found.total,
        "outlets": [
            {"key": row.key, "label": labels[row.key], "count": row.count, "output": row.output,
             "share_of_output": round(row.count / row.output, 6) if row.output else None,
             "share_text": persen(row.count, row.output) if row.output else "–",
             "first": row.first.isoformat() if row.first else None, "last": row.last.isoformat() if row.last else None,
             "url": url_with(urls.SEARCH_PAGE, [*base, (OUTLET.name, row.key)])}
            for row in found.rows
        ],
        "chart": series_chart(found.timeline, names, links, _series_totals(found), share=share, base=urls.COVERERS,
                              args=base + shown_args(request), multiples=True),
        "search_url": url_with(urls.SEARCH_PAGE, base),
        "json_url": url_with(urls.API_COVERERS, base + ([("chart", "share")] if share else [])),
        "csv_url": url_with(urls.API_COVERERS_CSV, base),
        "count_url": url_with(urls.COVERERS, base + shown_args(request), drop=("chart",)),
        "share_url": url_with(urls.COVERERS, base + shown_args(request), drop=("chart",), add=[("chart", "share")]),
    }


def about_envelope(found: Terms, request: SearchRequest) -> dict[str, object]:
    """Distinctive words and phrases (with their G²) and the most mentioned names, each with the search narrowed by it."""
    base = search_args(request)
    filters = shared_args(request)

    def narrowed(text: str) -> str:
        added = f'"{text}"' if " " in text else text
        return url_with(urls.SEARCH_PAGE, [("q", f"{request.q} {added}".strip()), *filters])

    def listed(terms: tuple[Term, ...]) -> list[dict[str, object]]:
        return [{"text": t.text, "docs": t.docs, "score": t.score, "url": narrowed(t.text)} for t in terms]

    return {
        "query": request.q,
        "filters": filters_dict(request),
        **inherited_filters(request, urls.ABOUT, base),
        "total": found.total,
        "read": found.read,
        "names_read": found.names_read,
        "sampled": found.read < found.total,
        "measure": "log-likelihood G² (Dunning), dokumen hasil terhadap arsip",
        "words": listed(found.words),
        "phrases": listed(found.phrases),
        "names": listed(found.names),
        "search_url": url_with(urls.SEARCH_PAGE, base),
        "json_url": url_with(urls.API_ABOUT, base),
    }


def _series_totals(found: Coverers) -> list[int]:
    """Each outlet series' matches (its table row), and for "Lainnya" every match the top outlets leave."""
    counts = {row.key: row.count for row in found.rows}
    top = [counts[key] for key in found.series if key != OTHERS]
    return top + ([found.total - sum(top)] if OTHERS in found.series else [])
