"""The facets a search can be narrowed by: one definition each, read by every layer.

A :class:`Facet` holds what a facet *is*, apart from its wording: the URL parameter that
names it, the :class:`~search.domain.request.SearchRequest` field that holds its chosen
values, the article field its values are read from and how they are spelt, the column a
backend counts it in, whether several values may be chosen or left out, and how many of
its values a page lists. The request, the query-string parser, the envelope and its chips,
the zero-result hints, the command-line options and the Whoosh columns all go through
:data:`FACETS` rather than a list of names of their own (Datasette's facet classes are the
model: one object per facet, asked rather than special-cased). So a new facet is one entry
here, its words in the web layer's table keyed by these definitions, and the backend storing
its column.

Articles whose outlet, date or city is unknown are indexed under :data:`UNKNOWN`, so they
form honest buckets of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from search.domain.article import Article

UNKNOWN = "_none"
ABBREVIATION_MAX = 3  # IKN, NTB, DKI, KPK: all-capital words this short are kept as written (MUSI is Musi)


@dataclass(frozen=True)
class Facet:
    """One facet: where its values come from, where they go, and how a search may choose them.

    ``spelling`` turns the article's ``field`` into the facet value (``None`` when there is
    none, which is counted under :data:`UNKNOWN`); it is also what makes ``MUSI RAWAS`` and
    ``Musi Rawas`` one city.
    """

    name: str  # the URL parameter and the CLI option, and the key of SearchResult.counts and of the envelope
    attribute: str  # the SearchRequest field of its chosen values (a tuple, or one value or None when not ``several``)
    field: str  # the Article (and Hit) attribute its values are read from
    column: str  # the column a backend keeps each article's value in
    spelling: Callable[[object], str | None]
    several: bool = True  # a request may choose several values, any of which matches; else one value
    adds: bool = True  # choosing a value on the page adds it beside the chosen ones; else it replaces them
    excludable: bool = True  # a value can be left out (``city=-Jakarta``)
    periods: bool = False  # values are years and months (``2017`` holds ``2017-03``), checked as such
    optional: bool = False  # only some sources give it: a page leaves the facet out when no match has a value
    listed: int | None = None  # how many known values a page lists, the most frequent; None lists every one

    def value_of(self, article: Article) -> str:
        """The article's value in this facet, :data:`UNKNOWN` when it has none."""
        return self.spelling(getattr(article, self.field)) or UNKNOWN


def as_given(value: object) -> str | None:
    """A key as extraction gave it (an outlet's or a network's key); ``None`` when empty."""
    return str(value) if value else None


def month_of(value: object) -> str | None:
    """``2017-03`` for a date in March 2017: the date facet counts months, and a year is its twelve."""
    return value.isoformat()[:7] if isinstance(value, dt.date) else None


def name_value(text: object) -> str | None:
    """A city or an author as one spelling: words written all in capitals are capitalised, except short abbreviations.

    Extraction keeps what the article writes (``MUSI RAWAS``, ``Musi Rawas``); a facet must
    count them as one. The value is also what the page shows and what a URL carries
    (``city=Musi Rawas``), so it is made readable rather than folded to lower case; ``IKN``,
    ``NTB`` and ``DKI`` stay as they are.
    """
    words = _words(text)
    return " ".join(_name_word(word) for word in words.split(" ")) if words else None


def rubrik_value(text: object) -> str | None:
    """A rubrik as one spelling: outlets write them in any case (``Tajuk Utama``, ``TAJUK UTAMA``), so lower case with a capital first letter."""
    lowered = _words(text).lower()
    return lowered[:1].upper() + lowered[1:] if lowered else None


def _words(text: object) -> str:
    """The text with its spaces collapsed; empty for a scraper's placeholder (``-``, ``…``), which names nothing."""
    words = " ".join(str(text or "").split())
    return words if any(c.isalnum() for c in words) else ""


def _name_word(word: str) -> str:
    if word.isupper() and len(word) > ABBREVIATION_MAX:
        return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
    return word


OUTLET = Facet("outlet", "outlets", "outlet_key", "outlet_facet", as_given)
# A network is chosen one at a time on the page (a URL may still name several).
GROUP = Facet("group", "groups", "outlet_group", "group_facet", as_given, adds=False)
DATE = Facet("date", "date", "date", "month", month_of, several=False, adds=False, periods=True)
LISTED_VALUES = 12  # values listed for city, rubrik and author (chosen and excluded ones always as well)
CITY = Facet("city", "cities", "city", "city_facet", name_value, optional=True, listed=LISTED_VALUES)
CATEGORY = Facet("category", "categories", "category", "category_facet", rubrik_value, optional=True, listed=LISTED_VALUES)
AUTHOR = Facet("author", "authors", "author", "author_facet", name_value, optional=True, listed=LISTED_VALUES)

# In the order a page shows them and the envelope lists them.
FACETS: tuple[Facet, ...] = (OUTLET, GROUP, DATE, CITY, CATEGORY, AUTHOR)
# In the order a URL, the command line and the envelope's filters write them: the facets of
# several values first, then the one-value date.
PARAMETER_ORDER: tuple[Facet, ...] = tuple(sorted(FACETS, key=lambda facet: not facet.several))
BY_NAME: dict[str, Facet] = {facet.name: facet for facet in FACETS}


def facet_named(name: str) -> Facet:
    """The definition of the facet whose parameter is ``name``; ``KeyError`` for a name no facet has."""
    return BY_NAME[name]


def facet_value(kind: str, text: str | None) -> str | None:
    """The value that ``text`` is in the facet ``kind`` (``city``, ``category``, ``author``…); ``None`` when it names nothing."""
    return facet_named(kind).spelling(text)
