"""Facet values as plain dicts, each with the URL that toggles it (Datasette-style).

Templates and API clients never build facet URLs: every value carries ``toggle_url``,
computed here from the current query string. Choosing an outlet adds it to the chosen
outlets (any of them matches); choosing a group or a date replaces that facet's selection.
Either returns to page 1; choosing a selected value removes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import quote_plus

from search.extract.outlets import default_registry
from search.requests import SearchResult
from search.schema import UNKNOWN
from web.formatting import UNKNOWN_DATE_LABEL, UNKNOWN_GROUP_LABEL, UNKNOWN_OUTLET_LABEL, date_range_label, month_label

# Parameters that a new selection makes meaningless.
_RESET_ON_CHANGE = ("page",)

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
    the value beside them. Choosing a selected value removes just that value.
    """
    selected = (name, value) in args
    kept = [(k, v) for k, v in args if k != name or (multi and v != value)]
    return url_with(base, kept, drop=_RESET_ON_CHANGE, add=[] if selected else [(name, value)])


def page_url(base: str, args: Args, page: int) -> str:
    """``base`` with the same query and filters, at ``page``."""
    return url_with(base, args, drop=("page",), add=[("page", str(page))] if page > 1 else [])


def _value(
    name: str, value: str, label: str, count: int, selected: bool, base: str, args: Args, *, multi: bool = False
) -> dict[str, object]:
    return {
        "value": value,
        "label": label,
        "count": count,
        "selected": selected,
        "toggle_url": toggle_url(base, args, name, value, multi=multi),
    }


def _keyed_facet(
    name: str,
    counts: dict[str, int],
    selected: tuple[str, ...],
    labels: dict[str, str],
    unknown_label: str,
    base: str,
    args: Args,
    *,
    multi: bool = False,
) -> list[dict[str, object]]:
    """Values by descending count, the unknown bucket last; selected values always listed."""
    counts = dict(counts)
    for key in selected:
        counts.setdefault(key, 0)
    known = sorted((key for key in counts if key != UNKNOWN), key=lambda key: (-counts[key], (labels.get(key) or key).lower()))
    order = known + ([UNKNOWN] if UNKNOWN in counts else [])
    return [
        _value(name, key, unknown_label if key == UNKNOWN else labels.get(key, key), counts[key], key in selected, base, args,
               multi=multi)
        for key in order
    ]


def outlet_facet(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """Outlets by descending count, multi-select (any of the chosen outlets); no known outlet is "Tidak diketahui"."""
    counts, request = result.counts.get("outlet", {}), result.request
    return _keyed_facet("outlet", counts, request.outlets, result.outlet_labels, UNKNOWN_OUTLET_LABEL, base, args, multi=True)


def group_facet(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """Parent networks (Tribun Network, Kompas Gramedia, …); outlets without one are "Tanpa grup"."""
    registry = default_registry()
    counts, request = result.counts.get("group", {}), result.request
    labels = {key: registry.group_name(key) for key in counts}
    return _keyed_facet("group", counts, request.groups, labels, UNKNOWN_GROUP_LABEL, base, args)


def date_facet(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """Years (newest first), each with its months; the no-date bucket last."""
    chosen = result.request.date
    month_counts = result.counts.get("date", {})
    months = {key: count for key, count in month_counts.items() if key != UNKNOWN}
    if chosen and chosen != UNKNOWN and len(chosen) == 7:
        months.setdefault(chosen, 0)
    years: dict[str, list[str]] = {}
    for key in sorted(months, reverse=True):
        years.setdefault(key[:4], []).append(key)
    if chosen and len(chosen) == 4:
        years.setdefault(chosen, [])
    values = []
    for year in sorted(years, reverse=True):
        item = _value("date", year, year, sum(months[m] for m in years[year]), chosen == year, base, args)
        item["months"] = [
            _value("date", month, month_label(month), months[month], chosen == month, base, args)
            for month in years[year]
        ]
        values.append(item)
    unknown = month_counts.get(UNKNOWN, 0)
    if unknown or chosen == UNKNOWN:
        # Undated articles are never inside a from/to range: choosing them leaves the range.
        outside_range = [(k, v) for k, v in args if k not in ("from", "to")]
        values.append(_value("date", UNKNOWN, UNKNOWN_DATE_LABEL, unknown, chosen == UNKNOWN, base, outside_range))
    return values


# Every parameter that narrows the matches (the query's words aside): "hapus semua" drops them all.
FILTER_PARAMS = ("outlet", "group", "date", "from", "to")


def active_filters(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """The filters in force, each with its label and the URL without it (:func:`clear_filters_url`: without any).

    A from/to range is one filter (removing it drops both ends). Removing a filter keeps the
    words, the order and the page size, and returns to page 1.
    """
    request, registry = result.request, default_registry()
    items: list[dict[str, object]] = []

    def add(kind: str, label: str, removed: Args) -> None:
        items.append({"name": kind, "label": label, "remove_url": url_with(base, removed, drop=_RESET_ON_CHANGE)})

    for key in request.outlets:
        add("outlet", UNKNOWN_OUTLET_LABEL if key == UNKNOWN else result.outlet_labels.get(key, key), [a for a in args if a != ("outlet", key)])
    for key in request.groups:
        add("group", UNKNOWN_GROUP_LABEL if key == UNKNOWN else registry.group_name(key), [a for a in args if a != ("group", key)])
    if request.date:
        label = UNKNOWN_DATE_LABEL if request.date == UNKNOWN else request.date if len(request.date) == 4 else month_label(request.date)
        add("date", label, [a for a in args if a[0] != "date"])
    if request.date_from or request.date_to:
        add("range", date_range_label(request.date_from, request.date_to), [a for a in args if a[0] not in ("from", "to")])
    return items


def clear_filters_url(base: str, args: Args) -> str:
    """The same words, order and page size with no filter, on page 1 ("hapus semua")."""
    return url_with(base, args, drop=(*FILTER_PARAMS, *_RESET_ON_CHANGE))


def relaxations(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """When filters leave nothing: for each, how many articles its removal would give, and the URL without it.

    ``Tanpa saringan tahun 2020: 21 artikel``; the last line drops every filter when there are several.
    """
    request, without = result.request, result.without_filter
    if not without:
        return []
    active = active_filters(result, base, args)
    labels = {item["name"]: item["label"] for item in active}
    outlets = ", ".join(str(item["label"]) for item in active if item["name"] == "outlet")
    groups = ", ".join(str(item["label"]) for item in active if item["name"] == "group")
    described = {
        "outlet": ("media " + outlets, ("outlet",)),
        "group": ("jaringan media " + groups, ("group",)),
        "date": (_date_filter_words(request.date, str(labels.get("date", ""))), ("date",)),
        "range": ("tanggal " + str(labels.get("range", "")), ("from", "to")),
        "all": ("apa pun", FILTER_PARAMS),
    }
    return [
        {"filter": name, "label": f"Tanpa saringan {described[name][0]}", "count": count,
         "url": url_with(base, args, drop=(*described[name][1], *_RESET_ON_CHANGE))}
        for name, count in without.items()
        if name in described
    ]


def _date_filter_words(value: str | None, label: str) -> str:
    if value == UNKNOWN:
        return "artikel tanpa tanggal"
    return f"tahun {label}" if value and len(value) == 4 else f"bulan {label}"
