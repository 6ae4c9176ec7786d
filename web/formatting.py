"""Template filters: Indonesian dates and numbers, article paragraphs.

Dates, month names, numbers and percentages come from CLDR's ``id`` locale through Babel, so the
page, the facets, the chart and the command line write them one way and no module keeps its
own month table.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import format_date, format_interval
from babel.numbers import format_decimal, format_percent
from flask import Flask

from search.domain.article import first_sentence
from search.domain.request import DEFAULT_PAGE_SIZE

LOCALE = Locale.parse("id")  # parsed once: Babel re-parses a locale given as text on every call
# The labels of unknown values, in one place for the page, the facets and the command line.
UNKNOWN_OUTLET_LABEL = "Tidak diketahui"
UNKNOWN_DATE_LABEL = "Tanpa tanggal"
UNKNOWN_GROUP_LABEL = "Tanpa grup"


def media_label(outlet: object) -> str:
    """An outlet's name, or "Tidak diketahui" when the article does not say."""
    return str(outlet) if outlet else UNKNOWN_OUTLET_LABEL


def date_label(value: object) -> str:
    """``15 September 2025``, or "Tanpa tanggal" when the article has no date."""
    return tanggal(value) or UNKNOWN_DATE_LABEL


def tanggal(value: object) -> str:
    """``2025-09-15`` (text or date) -> ``15 September 2025``; empty when unknown."""
    if not value:
        return ""
    return _long_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))


@lru_cache(maxsize=8192)
def _long_date(date: dt.date) -> str:
    return format_date(date, "d MMMM y", locale=LOCALE)


def month_label(month_key: str) -> str:
    """``2024-01`` -> ``Januari 2024`` (a month facet's label)."""
    return format_date(dt.date.fromisoformat(month_key + "-01"), "LLLL y", locale=LOCALE)


def short_date(date: dt.date) -> str:
    """``19 Sep 2016``: a day on the chart's axis."""
    return format_date(date, "d MMM y", locale=LOCALE)


def short_month(date: dt.date) -> str:
    """``Sep 2016``: a month on the chart's axis."""
    return format_date(date, "LLL y", locale=LOCALE)


@lru_cache(maxsize=8192)  # the same periods come back in search after search: Babel takes ~0.1 ms a label
def period_label(start: dt.date, end: dt.date, unit: str) -> tuple[str, str]:
    """A chart period's axis label and its full name: ``("19 Sep 2016", "19–25 Sep 2016")`` for a week.

    Weeks are named by their first day on the axis (the caption says the bars are weeks)
    and by both ends where a bar is described.
    """
    if unit == "bulan":
        return short_month(start), format_date(start, "LLLL y", locale=LOCALE)
    if unit == "minggu":
        return short_date(start), format_interval(start, end, "yMMMd", locale=LOCALE)
    return short_date(start), format_date(start, "EEEE, d MMMM y", locale=LOCALE)


def date_range_label(start: dt.date | None, end: dt.date | None) -> str:
    """``1 Jan–30 Jun 2017``, ``sejak 1 Jan 2017`` or ``sampai 30 Jun 2017``: a from/to range in a few words."""
    if start and end:
        return format_interval(start, end, "yMMMd", locale=LOCALE) if start <= end else f"{short_date(start)} – {short_date(end)}"
    if start:
        return f"sejak {short_date(start)}"
    return f"sampai {short_date(end)}" if end else ""


@lru_cache(maxsize=16384)  # counts repeat (facets, bars); a page writes hundreds of them
def ribuan(value: int) -> str:
    """``12345`` -> ``12.345``: Indonesian groups thousands with dots (Babel, CLDR's ``id`` locale)."""
    return format_decimal(value, locale=LOCALE)


def persen(part: int, whole: int) -> str:
    """``part`` of ``whole`` as an Indonesian percentage with one decimal: ``3,6%``."""
    return _percent(part, whole)


@lru_cache(maxsize=16384)
def _percent(part: int, whole: int) -> str:
    return format_percent(part / whole if whole else 0.0, format="#,##0.0%", locale=LOCALE)


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (blank-line separated)."""
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def web_url(value: object) -> str | None:
    """The URL if it is http(s); article data is untrusted and ``javascript:`` links must not render."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def source_host(url: str) -> str:
    """``https://www.cnnindonesia.com/…`` -> ``cnnindonesia.com``: where a link out leads, in a few letters."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def mark_count(marked_html: str) -> int:
    """How many words a marked text marks."""
    return marked_html.count("<mark ")


def isian(value: object) -> str:
    """``2017-03-01`` -> ``01/03/2017``: a date as the page's date fields show it, day first whatever the browser's language."""
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y") if value else ""
    except ValueError:
        return str(value)  # what the reader typed, shown back beside the message that says what is wrong


def register_filters(app: Flask) -> None:
    app.jinja_env.globals["default_page_size"] = DEFAULT_PAGE_SIZE  # the form carries size= only when it differs
    app.add_template_filter(tanggal)
    app.add_template_filter(paragraphs)
    app.add_template_filter(ribuan)
    app.add_template_filter(persen)
    app.add_template_filter(first_sentence)
    app.add_template_filter(web_url)
    app.add_template_filter(source_host)
    app.add_template_filter(mark_count)
    app.add_template_filter(media_label)
    app.add_template_filter(date_label)
    app.add_template_filter(isian)
