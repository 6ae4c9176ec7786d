"""Query-string parameters -> SearchRequest, with a clear message for every bad value.

The page and the API share these parameters: ``q``, ``outlet``, ``group``, ``city``, ``category``
and ``author`` (repeatable: any of the values; ``-value`` leaves a value out), ``date``
(``YYYY``, ``YYYY-MM`` or ``_none``; ``-YYYY`` leaves a year out), ``from``/``to`` (``YYYY-MM-DD``), ``sort`` (``relevansi``,
``terbaru``, ``terlama``), ``page``, ``size``, ``grouping`` (``off`` lists every copy of a story
as its own hit), ``correction`` (``off`` searches a misspelt query as typed instead of its correction),
``chart`` (``share``: the coverage chart in percent) and ``unit`` (``hari``, ``minggu`` or ``bulan``: the
charts' period). A date may also be written ``HH/BB/TTTT``, as the page's date fields
show it whatever the browser's language.
"""

from __future__ import annotations

import datetime as dt
import re

from werkzeug.datastructures import MultiDict

from search.domain.facets import PARAMETER_ORDER
from search.domain.request import DEFAULT_PAGE_SIZE, InvalidRequest, SearchRequest, query_text
from web.facet_labels import labels_of

# Each parameter's name in messages, as the page labels its field (one name per field everywhere).
FIELD_NAMES = {"from": "dari", "to": "sampai", "page": "halaman", "size": "ukuran halaman"}


def _named(name: str) -> str:
    """``'dari' (from)``: the field as the page names it, and the parameter as the URL writes it."""
    return f"{FIELD_NAMES[name]!r} ({name})" if name in FIELD_NAMES else repr(name)


def _int(args: MultiDict[str, str], name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidRequest(f"{_named(name)} harus bilangan bulat, bukan {raw[:40]!r}") from None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_WRITTEN_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)  # 7/3/2017: day first, as Indonesians write it


def _date(args: MultiDict[str, str], name: str) -> dt.date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    written = _WRITTEN_DAY.fullmatch(raw)
    try:
        if written:
            day, month, year = (int(part) for part in written.groups())
            return dt.date(year, month, day)
        if not _ISO_DAY.fullmatch(raw):  # Python also reads 20240101 and 2024-W01-1; the form and the docs say TTTT-BB-HH
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(f"tanggal {_named(name)} tidak valid: {raw[:40]!r} (pakai HH/BB/TTTT atau TTTT-BB-HH)") from None


DATES_SWAPPED = "Tanggal 'dari' jatuh setelah 'sampai'; keduanya ditukar."


def parse_search_args(args: MultiDict[str, str], max_query_chars: int) -> SearchRequest:
    """Build the request; raises :class:`InvalidRequest` naming the bad parameter."""
    return parse_search(args, max_query_chars)[0]


def parse_search(args: MultiDict[str, str], max_query_chars: int) -> tuple[SearchRequest, list[str]]:
    """Build the request, with notices for the reader of what was mended on the way; raises :class:`InvalidRequest` naming the bad parameter.

    A range whose ``from`` falls after its ``to`` is searched the right way round (:data:`DATES_SWAPPED`):
    the reader meant the days between them, and every link built from the request carries them in order.
    """
    date_from, date_to = _date(args, "from"), _date(args, "to")
    swapped = date_from is not None and date_to is not None and date_from > date_to
    if swapped:
        date_from, date_to = date_to, date_from
    q = query_text(args.get("q", ""), max_query_chars)
    chosen: dict[str, tuple[str, ...]] = {}
    excluded: list[tuple[str, str]] = []
    for facet in PARAMETER_ORDER:
        values = list(dict.fromkeys(v.strip() for v in args.getlist(facet.name) if v.strip()))
        chosen[facet.name] = tuple(v for v in values if not v.startswith("-"))
        excluded += [(facet.name, v[1:].strip()) for v in values if v.startswith("-") and v[1:].strip()]
        if not facet.several and len(chosen[facet.name]) > 1:
            words = labels_of(facet)
            raise InvalidRequest(f"pilih satu {words.filter} saja, bukan {', '.join(chosen[facet.name])[:60]!r}"
                                 f" (kecualikan dengan -{words.written})")
    request = SearchRequest.choosing(
        chosen,
        q=q,
        excluded=tuple(excluded),
        date_from=date_from,
        date_to=date_to,
        page=_int(args, "page", 1),
        size=_int(args, "size", DEFAULT_PAGE_SIZE),
        sort=args.get("sort", "").strip(),
        grouping=_switch(args, "grouping"),
        correction=_switch(args, "correction"),
        chart=args.get("chart", "").strip(),
        unit=args.get("unit", "").strip(),
    )
    return request, [DATES_SWAPPED] if swapped else []


def _switch(args: MultiDict[str, str], name: str) -> bool:
    """A parameter that is ``on`` (the default) or ``off``: ``grouping``, ``correction``."""
    raw = args.get(name, "").strip()
    if raw not in ("", "on", "off"):
        raise InvalidRequest(f"parameter {name!r} harus on atau off, bukan {raw[:40]!r}")
    return raw != "off"
