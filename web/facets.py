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

from search.domain.facets import UNKNOWN
from search.domain.request import EXCLUDABLE, LIST_FACETS
from search.domain.result import SearchResult
from search.extract.outlets import default_registry
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
    the value beside them. Choosing a selected value removes just that value, and choosing an
    excluded one (``name=-value``) lifts its exclusion. Exclusions of other values stay.
    """
    if (name, "-" + value) in args:
        return url_with(base, [a for a in args if a != (name, "-" + value)], drop=_RESET_ON_CHANGE)
    selected = (name, value) in args
    kept = [(k, v) for k, v in args if k != name or v.startswith("-") or (multi and v != value)]
    return url_with(base, kept, drop=_RESET_ON_CHANGE, add=[] if selected else [(name, value)])


def exclude_url(base: str, args: Args, name: str, value: str) -> str:
    """``base`` with ``name=-value`` added (and ``name=value`` dropped): every match but those with that value."""
    kept = [a for a in args if a not in ((name, value), (name, "-" + value))]
    return url_with(base, kept, drop=_RESET_ON_CHANGE, add=[(name, "-" + value)])


def page_url(base: str, args: Args, page: int) -> str:
    """``base`` with the same query and filters, at ``page``."""
    return url_with(base, args, drop=("page",), add=[("page", str(page))] if page > 1 else [])


def _value(
    name: str, value: str, label: str, count: int, selected: bool, base: str, args: Args, *, multi: bool = False,
    plain: str | None = None,
) -> dict[str, object]:
    """A facet value with its URLs; ``plain`` (``base`` with ``args`` on page 1) makes the exclusion URL a concatenation."""
    excluded = (name, "-" + value) in args
    chosen = [v for k, v in args if k == name and not v.startswith("-")]
    if excluded or selected:
        leave_out = None if excluded else exclude_url(base, args, name, value)
    elif chosen and not any(value.startswith(c + "-") for c in chosen):
        leave_out = None  # beside a chosen value, leaving another out changes nothing (a month inside a chosen year does)
    elif plain is not None:
        leave_out = plain + ("&" if "?" in plain else "?") + _encoded(name, "-" + value)
    else:
        leave_out = exclude_url(base, args, name, value)
    return {
        "value": value,
        "label": label,
        "count": count,
        "selected": selected,
        "excluded": excluded,
        "toggle_url": toggle_url(base, args, name, value, multi=multi),
        "exclude_url": leave_out,
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
    limit: int | None = None,
) -> list[dict[str, object]]:
    """Values by descending count, the unknown bucket last; selected and excluded values always listed.

    ``limit`` keeps that many known values (by count) besides them: values are cut before their
    URLs are built, since a city facet over a large archive has hundreds.
    """
    counts = dict(counts)
    pinned = (*selected, *(v[1:] for k, v in args if k == name and v.startswith("-")))
    for key in pinned:
        counts.setdefault(key, 0)
    known = sorted((key for key in counts if key != UNKNOWN), key=lambda key: (-counts[key], (labels.get(key) or key).lower()))
    if limit is not None:
        known = known[:limit] + [key for key in known[limit:] if key in pinned]
    order = known + ([UNKNOWN] if UNKNOWN in counts else [])
    plain = url_with(base, args, drop=_RESET_ON_CHANGE)
    return [
        _value(name, key, unknown_label if key == UNKNOWN else labels.get(key, key), counts[key], key in selected, base, args,
               multi=multi, plain=plain)
        for key in order
    ]


def outlet_facet(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """Outlets by descending count, multi-select (any of the chosen outlets); no known outlet is "Tidak diketahui"."""
    counts, request = result.counts.get("outlet", {}), result.request
    return _keyed_facet("outlet", counts, request.outlets, result.outlet_labels, UNKNOWN_OUTLET_LABEL, base, args, multi=True)


# Values listed for city, rubrik and author (the most frequent; chosen and excluded ones always).
LISTED_VALUES = 12
FACET_UNKNOWN_LABELS = {"city": "Tanpa kota", "category": "Tanpa rubrik", "author": "Tanpa penulis"}


def named_facet(name: str, result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """City, rubrik or author: values by count (the first :data:`LISTED_VALUES`), multi-select; empty when no article names one."""
    counts, request = result.counts.get(name, {}), result.request
    if not any(key != UNKNOWN for key in counts) and not request.chosen(name) and not request.left_out(name):
        return []
    return _keyed_facet(name, counts, request.chosen(name), {}, FACET_UNKNOWN_LABELS[name], base, args, multi=True,
                        limit=LISTED_VALUES)


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
    plain = url_with(base, args, drop=_RESET_ON_CHANGE)
    values = []
    for year in sorted(years, reverse=True):
        item = _value("date", year, year, sum(months[m] for m in years[year]), chosen == year, base, args, plain=plain)
        item["months"] = [
            _value("date", month, month_label(month), months[month], chosen == month, base, args, plain=plain)
            for month in years[year]
        ]
        values.append(item)
    unknown = month_counts.get(UNKNOWN, 0)
    if unknown or chosen == UNKNOWN:
        # Undated articles are never inside a from/to range: choosing them leaves the range.
        outside_range = [(k, v) for k, v in args if k not in ("from", "to")]
        undated = _value("date", UNKNOWN, UNKNOWN_DATE_LABEL, unknown, chosen == UNKNOWN, base, outside_range)
        if any(k in ("from", "to") for k, _ in args):
            undated["exclude_url"] = None  # a range already leaves undated articles out
        elif not undated["excluded"] and chosen != UNKNOWN:
            undated["exclude_url"] = exclude_url(base, args, "date", UNKNOWN)
        values.append(undated)
    return values


# Every parameter that narrows the matches (the query's words aside): "hapus semua" drops them all.
FILTER_PARAMS = ("outlet", "group", "city", "category", "author", "date", "from", "to")


def active_filters(result: SearchResult, base: str, args: Args) -> list[dict[str, object]]:
    """The filters in force, each with its label and the URL without it (:func:`clear_filters_url`: without any).

    A from/to range is one filter (removing it drops both ends). Removing a filter keeps the
    words, the order and the page size, and returns to page 1.
    """
    request, registry = result.request, default_registry()
    items: list[dict[str, object]] = []

    def add(kind: str, label: str, removed: Args, *, excluded: bool = False) -> None:
        items.append({"name": kind, "label": f"bukan {label}" if excluded else label, "excluded": excluded,
                      "remove_url": url_with(base, removed, drop=_RESET_ON_CHANGE)})

    def label_of(facet: str, key: str) -> str:
        if facet == "outlet":
            return UNKNOWN_OUTLET_LABEL if key == UNKNOWN else result.outlet_labels.get(key, key)
        if facet == "group":
            return UNKNOWN_GROUP_LABEL if key == UNKNOWN else registry.group_name(key)
        if facet == "date":
            return UNKNOWN_DATE_LABEL if key == UNKNOWN else key if len(key) == 4 else month_label(key)
        return FACET_UNKNOWN_LABELS[facet] if key == UNKNOWN else key

    for facet in LIST_FACETS:
        for key in request.chosen(facet):
            add(facet, label_of(facet, key), [a for a in args if a != (facet, key)])
    if request.date:
        add("date", label_of("date", request.date), [a for a in args if a != ("date", request.date)])
    for facet in EXCLUDABLE:
        for key in request.left_out(facet):
            add(facet, label_of(facet, key), [a for a in args if a != (facet, "-" + key)], excluded=True)
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

    def listed(facet: str) -> str:
        return ", ".join(str(item["label"]) for item in active if item["name"] == facet)

    date_words = listed("date") if request.left_out("date") else _date_filter_words(request.date, listed("date"))
    described = {
        "outlet": ("media " + listed("outlet"), ("outlet",)),
        "group": ("jaringan media " + listed("group"), ("group",)),
        "city": ("kota " + listed("city"), ("city",)),
        "category": ("rubrik " + listed("category"), ("category",)),
        "author": ("penulis " + listed("author"), ("author",)),
        "date": (date_words, ("date",)),
        "range": ("tanggal " + listed("range"), ("from", "to")),
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
