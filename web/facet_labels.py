"""What each facet is called: on the page, in its chips and hints, and in the command line's ``--help``.

The definitions (:mod:`search.domain.facets`) say what a facet is; the engine keeps no
wording, so the words live here, one entry per definition and keyed by it. The page's
headings, the label of a value and of the bucket without one, the name of a filter in
"Tanpa saringan rubrik …", and the CLI option's placeholder and help are all read from this
table, and :func:`labels_of` refuses a facet without an entry rather than show it unnamed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.domain.facets import AUTHOR, CATEGORY, CITY, DATE, FACETS, GROUP, OUTLET, UNKNOWN, Facet
from search.domain.request import SearchRequest
from search.domain.result import SearchResult
from search.extract.outlets import default_registry
from web.formatting import UNKNOWN_DATE_LABEL, UNKNOWN_GROUP_LABEL, UNKNOWN_OUTLET_LABEL, month_label


def as_written(result: SearchResult, key: str) -> str:
    """A value that is its own label: a city, a rubrik or an author reads as the facet value itself."""
    return key


def outlet_name(result: SearchResult, key: str) -> str:
    """An outlet as its articles name it (the search looked the names up), else its key."""
    return result.outlet_labels.get(key, key)


def group_name(result: SearchResult, key: str) -> str:
    """A network's name from the outlet registry (``Tribun Network`` for ``tribun-network``)."""
    return default_registry().group_name(key)


def period_name(result: SearchResult, key: str) -> str:
    """A year as it is written, a month by its Indonesian name (``Maret 2017``)."""
    return key if len(key) == 4 else month_label(key)


@dataclass(frozen=True)
class FacetLabels:
    """The words of one facet."""

    heading: str  # over its values on the page ("Rubrik")
    filter: str  # names it as a filter in a hint ("Tanpa saringan rubrik Olahraga") and a message ("pilih satu tanggal saja")
    unknown: str  # the bucket of articles without a value ("Tanpa rubrik")
    metavar: str  # the CLI option's placeholder
    help: str  # the CLI option's help
    value: Callable[[SearchResult, str], str] = as_written  # a known value's label
    written: str = ""  # how a value is written, in messages that show one ("TTTT")


LABELS: dict[Facet, FacetLabels] = {
    OUTLET: FacetLabels("Media", "media", UNKNOWN_OUTLET_LABEL, "KEY",
                        "Only this outlet (repeat for any of several); --outlet=-KEY leaves it out (so for every filter).",
                        value=outlet_name),
    GROUP: FacetLabels("Jaringan media", "jaringan media", UNKNOWN_GROUP_LABEL, "KEY",
                       "Only outlets of this network, e.g. tribun-network.", value=group_name),
    DATE: FacetLabels("Tanggal", "tanggal", UNKNOWN_DATE_LABEL, "YYYY[-MM]",
                      "Only this year or month ('_none' for undated; -YYYY leaves a year out).", value=period_name,
                      written="TTTT"),
    CITY: FacetLabels("Kota", "kota", "Tanpa kota", "NAME", "Only articles from this city (dateline), e.g. Jakarta."),
    CATEGORY: FacetLabels("Rubrik", "rubrik", "Tanpa rubrik", "NAME", "Only this rubrik, where records carry one."),
    AUTHOR: FacetLabels("Penulis", "penulis", "Tanpa penulis", "NAME", "Only this author."),
}


def labels_of(facet: Facet) -> FacetLabels:
    """The words of ``facet``; ``LookupError`` naming it when the table has none."""
    found = LABELS.get(facet)
    if found is None:
        raise LookupError(f"facet {facet.name!r} has no entry in web.facet_labels.LABELS")
    return found


def label_of(facet: Facet, key: str, result: SearchResult) -> str:
    """How a chip, a hint or a facet list names ``key``, a value of ``facet`` (its bucket label for :data:`UNKNOWN`)."""
    labels = labels_of(facet)
    return labels.unknown if key == UNKNOWN else labels.value(result, key)


def registered_name(written: str) -> str:
    """An outlet as the registry names it (``kompas`` and ``kompas.com``: Kompas.com), else as written: for pages and
    notices that name an outlet without a search result to read its articles' own name from."""
    known = default_registry().lookup(written)
    return known.name if known else written


# A result with no matches: what :func:`plain_label` reads the table's other labels through (none of them reads it).
_NO_RESULT = SearchResult(SearchRequest(), 0, [], {}, {})


def plain_label(facet: Facet, key: str) -> str:
    """How a page without a search result (an analyst page's chips) names ``key``: as :func:`label_of` does, an outlet
    by the registry's name (:func:`registered_name`)."""
    if facet is OUTLET and key != UNKNOWN:
        return registered_name(key)
    return label_of(facet, key, _NO_RESULT)


def template_globals() -> dict[str, object]:
    """What the search page's template reads: each facet's heading by name, and which facets are plain lists of values.

    The outlet, network and date facets have sections of their own; the optional ones (city,
    rubrik, author) are drawn alike, in :data:`~search.domain.facets.FACETS` order.
    """
    return {
        "facet_headings": {facet.name: labels_of(facet).heading for facet in FACETS},
        "plain_facets": [facet.name for facet in FACETS if facet.optional],
    }
