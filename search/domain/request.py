"""What a search asks for and what it answers, as plain values: no Whoosh object in here.

A :class:`SearchRequest` checks its own parameters (each bad value is an
:class:`InvalidRequest` whose message is shown to the user); a :class:`SearchResult` holds
one page of :class:`Hit` records with the total, raw facet counts and the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from search.domain.facets import BY_NAME, FACETS, PARAMETER_ORDER, UNKNOWN, facet_named

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
# Orders a user can ask for; "relevansi" only means something when there are words.
SORTS = ("relevansi", "terbaru", "terlama")
CHARTS = ("", "share")
UNITS = ("hari", "minggu", "bulan")  # the periods a chart can count by, finest first
# Facets that take several values (any of them matches), and every facet a value can be excluded from,
# by name (search.domain.facets defines them).
LIST_FACETS = tuple(facet.name for facet in PARAMETER_ORDER if facet.several)
EXCLUDABLE = tuple(facet.name for facet in PARAMETER_ORDER if facet.excludable)


class InvalidRequest(ValueError):
    """A request parameter is out of range or malformed (the message is shown to the user)."""


@dataclass(frozen=True)
class SearchRequest:
    """What the user asked for. ``date`` is a year, a ``YYYY-MM`` month, or UNKNOWN."""

    q: str = ""
    outlets: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    date: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    sort: str = ""  # "" is the default: relevance with words, newest first without
    grouping: bool = True  # copies of one story under one hit (search.sketches)
    correction: bool = True  # a query nothing matches is searched as its spelling suggestion (search.answering)
    chart: str = ""  # the coverage chart as counts ("") or as a share of all articles ("share")
    unit: str = ""  # the charts' period: "" fits it to the span, else "hari", "minggu" or "bulan" (search.analyst.periods)
    # Values a facet must not have: ("outlet", "kompas.com") leaves Kompas out; dates as years or months.
    excluded: tuple[tuple[str, str], ...] = ()

    @classmethod
    def choosing(cls, chosen: Mapping[str, Sequence[str]], **fields: Any) -> SearchRequest:
        """A request whose facet values are given by facet name (``{"city": ["Jakarta"]}``), the rest as ``fields``.

        What a parser of parameters needs: it reads every facet alike and need not know which
        request field holds which facet. A one-value facet (the date) takes the first value.
        """
        for facet in FACETS:
            values = tuple(chosen.get(facet.name, ()))
            fields[facet.attribute] = values if facet.several else (values[0] if values else None)
        return cls(**fields)

    def chosen(self, facet: str) -> tuple[str, ...]:
        """The values chosen in ``facet`` (any of them matches); a one-value facet (the date) gives its value or none."""
        definition = facet_named(facet)
        value = getattr(self, definition.attribute)
        if definition.several:
            return tuple(value)
        return () if value is None else (value,)

    def left_out(self, facet: str) -> tuple[str, ...]:
        """The values excluded from ``facet``."""
        return tuple(value for name, value in self.excluded if name == facet)

    def __post_init__(self) -> None:
        if self.chart not in CHARTS:
            raise InvalidRequest(f"grafik tidak dikenal: {self.chart[:40]!r} (pakai share, atau kosongkan)")
        if self.unit and self.unit not in UNITS:
            raise InvalidRequest(f"satuan grafik tidak dikenal: {self.unit[:40]!r} (pakai {', '.join(UNITS)}, atau kosongkan)")
        if self.sort and self.sort not in SORTS:
            raise InvalidRequest(f"urutan tidak dikenal: {self.sort[:40]!r} (pakai {', '.join(SORTS)})")
        if self.page < 1:
            raise InvalidRequest("halaman harus 1 atau lebih")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidRequest(f"ukuran halaman harus antara 1 dan {MAX_PAGE_SIZE}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidRequest("tanggal 'dari' jatuh setelah tanggal 'sampai'")
        for name, value in self.excluded:
            definition = BY_NAME.get(name)
            if definition is None or not definition.excludable:
                raise InvalidRequest(f"saringan {name!r} tidak bisa dikecualikan")
            if definition.periods and not _valid_date_value(value):
                raise InvalidRequest(f"nilai tanggal tidak dikenal: -{value!r} (pakai -TTTT atau -TTTT-BB)")
        for value in (value for definition in FACETS if definition.periods for value in self.chosen(definition.name)):
            if not _valid_date_value(value):
                raise InvalidRequest(f"nilai tanggal tidak dikenal: {value!r} (pakai TTTT atau TTTT-BB)")


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


class PageOutOfRange(InvalidRequest):
    """The requested page is past the last one; ``last`` names the last page, so callers can offer it."""

    def __init__(self, page: int, last: int) -> None:
        self.page = page
        self.last = last
        super().__init__(f"halaman {page} tidak ada: hasil ini hanya {last} halaman")


def query_text(raw: str, max_chars: int) -> str:
    """The words of a query as searched: runs of white space made one space; over ``max_chars`` is refused.

    One rule for the page, the API, the analyst views and the CLI (each with its own limit).
    """
    q = " ".join(raw.split())
    if len(q) > max_chars:
        raise InvalidRequest(f"kueri terlalu panjang ({len(q)} karakter; paling banyak {max_chars})")
    return q
