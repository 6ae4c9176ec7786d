"""Facet values as plain dicts, each with the URL that toggles it (Datasette-style).

Templates and API clients never build facet URLs: every value carries ``toggle_url``,
computed here from the current query string. Choosing an outlet, a city, a rubrik or an
author adds it beside the chosen ones (any of them matches); choosing a group or a date
replaces that facet's selection, as each facet's definition says (:mod:`search.domain.facets`).
Either returns to page 1; choosing a selected value removes it. What a facet and its values
are called comes from :mod:`web.facet_labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from urllib.parse import quote_plus

from search.domain.facets import FACETS, PARAMETER_ORDER, UNKNOWN, Facet
from search.domain.request import SearchRequest
from search.domain.result import SearchResult
from web.facet_labels import label_of, labels_of
from web.formatting import date_range_label

# Parameters that a new selection makes meaningless.
RESET_ON_CHANGE = ("page",)
# The two ends of a date range (``from=2017-01-01&to=2017-06-30``): one filter, not a facet.
RANGE_PARAMS = ("from", "to")

Args = list[tuple[str, str]]


def url_with(base: str, args: Args, *, drop: tuple[str, ...] = (), add: Sequence[tuple[str, str]] = ()) -> str:
    """``base`` with ``args`` minus every parameter named in ``drop``, then ``add``; no "?" when empty.

    The same as ``urlencode``, with each parameter encoded once: a page of results carries
    a hundred such links, and encoding them afresh was a third of a search's time.
    """
    kept = [(k, v) for k, v in args if k not in drop] + list(add)
    return base + ("?" + "&".join(_encoded(k, v) for k, v in kept) if kept else "")


@lru_cache(maxsize=4096)
def _encoded(key: str, value: str) -> str:
    return f"{quote_plus(key)}={quote_plus(value)}"


def toggle_url(base: str, args: Args, name: str, value: str, *, multi: bool = False) -> str:
    """``base`` with ``name=value`` toggled.

    Single-select facets replace the facet's other values; multi-select ones (outlets) add
    the value beside them. Choosing a selected value removes just that value, and choosing an
    excluded one (``name=-value``) lifts its exclusion. Exclusions of other values stay.
    """
    if (name, "-" + value) in args:
        return url_with(base, [a for a in args if a != (name, "-" + value)], drop=RESET_ON_CHANGE)
    if (name, value) not in args:
        return _appended(_adding_prefix(base, args, name, multi=multi), name, value)
    kept = [(k, v) for k, v in args if k != name or v.startswith("-") or (multi and v != value)]
    return url_with(base, kept, drop=RESET_ON_CHANGE)


def _adding_prefix(base: str, args: Args, name: str, *, multi: bool) -> str:
    """What :func:`toggle_url` writes before ``name=value`` for a value neither chosen nor left out: the same for every
    such value of the facet, so a facet's dozens of values build it once (see :func:`_value`)."""
    kept = [(k, v) for k, v in args if k != name or v.startswith("-") or multi]
    return url_with(base, kept, drop=RESET_ON_CHANGE)


def _appended(url: str, name: str, value: str) -> str:
    """``url`` (a path, perhaps with a query string) with ``name=value`` added last."""
    return url + ("&" if "?" in url else "?") + _encoded(name, value)


def exclude_url(base: str, args: Args, name: str, value: str) -> str:
    """``base`` with ``name=-value`` added (and ``name=value`` dropped): every match but those with that value."""
    kept = [a for a in args if a not in ((name, value), (name, "-" + value))]
    return url_with(base, kept, drop=RESET_ON_CHANGE, add=[(name, "-" + value)])


def page_url(base: str, args: Args, page: int) -> str:
    """``base`` with the same query and filters, at ``page``."""
    return url_with(base, args, drop=("page",), add=[("page", str(page))] if page > 1 else [])


def _value(
    name: str, value: str, label: str, count: int, selected: bool, base: str, args: Args, *, multi: bool = False,
    plain: str | None = None, adding: str | None = None,
) -> dict[str, object]:
    """A facet value with its URLs; ``plain`` (``base`` with ``args`` on page 1) makes the exclusion URL a concatenation,
    and ``adding`` (:func:`_adding_prefix`) the URL that chooses a value neither chosen nor left out."""
    excluded = (name, "-" + value) in args
    chosen = [v for k, v in args if k == name and not v.startswith("-")]
    if excluded or selected:
        leave_out = None if excluded else exclude_url(base, args, name, value)
    elif chosen and not any(value.startswith(c + "-") for c in chosen):
        leave_out = None  # beside a chosen value, leaving another out changes nothing (a month inside a chosen year does)
    elif plain is not None:
        leave_out = _appended(plain, name, "-" + value)
    else:
        leave_out = exclude_url(base, args, name, value)
    return {
        "value": value,
        "label": label,
        "count": count,
        "selected": selected,
        "excluded": excluded,
        "toggle_url": (_appended(adding, name, value) if adding is not None and not excluded and (name, value) not in args
                       else toggle_url(base, args, name, value, multi=multi)),
        "exclude_url": leave_out,
    }


def facet_values(facet: Facet, result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """``facet``'s values as the page and the API list them, each with its label, count and URLs.

    The date lists years (newest first) with their months; any other facet lists its values by
    descending count, the unknown bucket last. An optional facet (city, rubrik, author) is
    empty when no match has a value for it and none is chosen or left out.
    """
    if facet.periods:
        return _period_values(facet, result, base, args)
    counts, request = result.counts.get(facet.name, {}), result.request
    chosen = request.chosen(facet.name)
    if facet.optional and not any(key != UNKNOWN for key in counts) and not chosen and not request.left_out(facet.name):
        return []
    return _keyed_values(facet, counts, chosen, result, base, args)


def _keyed_values(
    facet: Facet, counts: dict[str, int], selected: tuple[str, ...], result: SearchResult, base: str, args: Args,
) -> list[dict[str, object]]:
    """Values by descending count, the unknown bucket last; selected and excluded values always listed.

    A definition's ``listed`` keeps that many known values (by count) besides them: values are
    cut before their URLs are built, since a city facet over a large archive has hundreds.
    """
    name, limit = facet.name, facet.listed
    counts = dict(counts)
    pinned = (*selected, *(v[1:] for k, v in args if k == name and v.startswith("-")))
    for key in pinned:
        counts.setdefault(key, 0)
    labels = {key: label_of(facet, key, result) for key in counts}  # a chosen value the search did not count is named too
    known = sorted((key for key in counts if key != UNKNOWN), key=lambda key: (-counts[key], labels[key].lower()))
    if limit is not None:
        known = known[:limit] + [key for key in known[limit:] if key in pinned]
    order = known + ([UNKNOWN] if UNKNOWN in counts else [])
    plain = url_with(base, args, drop=RESET_ON_CHANGE)
    adding = _adding_prefix(base, args, name, multi=facet.adds)
    return [
        _value(name, key, labels[key], counts[key], key in selected, base, args, multi=facet.adds, plain=plain, adding=adding)
        for key in order
    ]


def _period_values(facet: Facet, result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """Years (newest first), each with its months; the no-date bucket last."""
    name = facet.name
    chosen = next(iter(result.request.chosen(name)), None)
    month_counts = result.counts.get(name, {})
    months = {key: count for key, count in month_counts.items() if key != UNKNOWN}
    if chosen and chosen != UNKNOWN and len(chosen) == 7:
        months.setdefault(chosen, 0)
    years: dict[str, list[str]] = {}
    for key in sorted(months, reverse=True):
        years.setdefault(key[:4], []).append(key)
    if chosen and len(chosen) == 4:
        years.setdefault(chosen, [])
    plain = url_with(base, args, drop=RESET_ON_CHANGE)
    adding = _adding_prefix(base, args, name, multi=False)
    values = []
    for year in sorted(years, reverse=True):
        item = _value(name, year, label_of(facet, year, result), sum(months[m] for m in years[year]), chosen == year, base, args,
                      plain=plain, adding=adding)
        item["months"] = [
            _value(name, month, label_of(facet, month, result), months[month], chosen == month, base, args, plain=plain, adding=adding)
            for month in years[year]
        ]
        values.append(item)
    unknown = month_counts.get(UNKNOWN, 0)
    if unknown or chosen == UNKNOWN:
        # Undated articles are never inside a from/to range: choosing them leaves the range.
        outside_range = [(k, v) for k, v in args if k not in RANGE_PARAMS]
        undated = _value(name, UNKNOWN, labels_of(facet).unknown, unknown, chosen == UNKNOWN, base, outside_range)
        if any(k in RANGE_PARAMS for k, _ in args):
            undated["exclude_url"] = None  # a range already leaves undated articles out
        elif not undated["excluded"] and chosen != UNKNOWN:
            undated["exclude_url"] = exclude_url(base, args, name, UNKNOWN)
        values.append(undated)
    return values


# Every parameter that narrows the matches (the query's words aside): "hapus semua" drops them all.
FILTER_PARAMS = (*(facet.name for facet in PARAMETER_ORDER), *RANGE_PARAMS)


def active_filters(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """The search's filters in force as chips (:func:`filter_chips`), each value named as the facet lists it."""
    return filter_chips(result.request, base, args, lambda facet, key: label_of(facet, key, result))


def filter_chips(request: SearchRequest, base: str, args: Args, name: Callable[[Facet, str], str]) -> list[dict[str, object]]:
    """The filters in force, each with its label and the URL of ``base`` without it (:func:`clear_filters_url`: without any).

    A from/to range is one filter (removing it drops both ends). Removing a filter keeps the
    words, the order and the page size, and returns to page 1. The analyst pages show the same
    chips over their own ``base``, so a filter inherited from the search is never applied unseen.
    """
    items: list[dict[str, object]] = []

    def add(kind: str, label: str, removed: Args, *, excluded: bool = False) -> None:
        items.append({"name": kind, "label": f"bukan {label}" if excluded else label, "excluded": excluded,
                      "remove_url": url_with(base, removed, drop=RESET_ON_CHANGE)})

    for facet in PARAMETER_ORDER:
        for key in request.chosen(facet.name):
            add(facet.name, name(facet, key), [a for a in args if a != (facet.name, key)])
    for facet in PARAMETER_ORDER:
        for key in request.left_out(facet.name):
            add(facet.name, name(facet, key), [a for a in args if a != (facet.name, "-" + key)], excluded=True)
    if request.date_from or request.date_to:
        add("range", date_range_label(request.date_from, request.date_to), [a for a in args if a[0] not in RANGE_PARAMS])
    return items


def clear_filters_url(base: str, args: Args) -> str:
    """The same words, order and page size with no filter, on page 1 ("hapus semua")."""
    return url_with(base, args, drop=(*FILTER_PARAMS, *RESET_ON_CHANGE))


def relaxations(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """When filters leave nothing: for each, how many articles its removal would give, and the URL without it.

    ``Tanpa saringan tahun 2020: 21 artikel``; the last line drops every filter when there are several.
    """
    request, without = result.request, result.without_filter
    if not without:
        return []
    active = active_filters(result, base, args)

    def listed(facet: str) -> str:
        return ", ".join(str(item["label"]) for item in active if item["name"] == facet)

    described: dict[str, tuple[str, tuple[str, ...]]] = {
        facet.name: (_filter_words(facet, request, listed(facet.name)), (facet.name,)) for facet in FACETS
    }
    described["range"] = ("tanggal " + listed("range"), RANGE_PARAMS)
    described["all"] = ("apa pun", FILTER_PARAMS)
    return [
        {"filter": name, "label": f"Tanpa saringan {described[name][0]}", "count": count,
         "url": url_with(base, args, drop=(*described[name][1], *RESET_ON_CHANGE))}
        for name, count in without.items()
        if name in described
    ]


def _filter_words(facet: Facet, request: SearchRequest, listed: str) -> str:
    """How a hint names a facet's filter: ``media Kompas.com``, ``tahun 2020``; dates left out as their chips say (``bukan 2017``)."""
    if not facet.periods:
        return f"{labels_of(facet).filter} {listed}"
    if request.left_out(facet.name):
        return listed
    return _date_filter_words(next(iter(request.chosen(facet.name)), None), listed)


def _date_filter_words(value: str | None, label: str) -> str:
    if value == UNKNOWN:
        return "artikel tanpa tanggal"
    return f"tahun {label}" if value and len(value) == 4 else f"bulan {label}"
