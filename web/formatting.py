"""Template filters: Indonesian dates and numbers, article paragraphs."""

from __future__ import annotations

import datetime as dt

from babel.numbers import format_decimal, format_percent
from flask import Flask

from search.articles import first_sentence
from search.extract.dates import MONTH_NAMES_ID
from search.requests import DEFAULT_PAGE_SIZE

LOCALE = "id"
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
    date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{date.day} {MONTH_NAMES_ID[date.month - 1]} {date.year}"


def ribuan(value: int) -> str:
    """``12345`` -> ``12.345``: Indonesian groups thousands with dots (Babel, CLDR's ``id`` locale)."""
    return format_decimal(value, locale=LOCALE)


def persen(part: int, whole: int) -> str:
    """``part`` of ``whole`` as an Indonesian percentage with one decimal: ``3,6%``."""
    return format_percent(part / whole if whole else 0.0, format="#,##0.0%", locale=LOCALE)


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (blank-line separated)."""
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def web_url(value: object) -> str | None:
    """The URL if it is http(s); article data is untrusted and ``javascript:`` links must not render."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def register_filters(app: Flask) -> None:
    app.jinja_env.globals["default_page_size"] = DEFAULT_PAGE_SIZE  # the form carries size= only when it differs
    app.add_template_filter(tanggal)
    app.add_template_filter(paragraphs)
    app.add_template_filter(ribuan)
    app.add_template_filter(persen)
    app.add_template_filter(first_sentence)
    app.add_template_filter(web_url)
    app.add_template_filter(media_label)
    app.add_template_filter(date_label)
