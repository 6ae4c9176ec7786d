"""JSON and JSONL article records (from scrapers and datasets) -> Article.

Records are taken as given: their ``title``, ``text``, ``outlet``, ``date`` and ``url``
win over anything read from the prose, with the outlet normalised through the same
registry as datelines. Only fields a record leaves out (often ``city``, sometimes
``outlet`` or ``date``) are filled from the text's own dateline and lead.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Mapping

from search.domain.article import Article
from search.extract.boilerplate import clean_paragraphs
from search.extract.date_order import DateOrder
from search.extract.dates import DateOutOfRange, read_record_date
from search.extract.outlets import Outlet, OutletRegistry, default_registry
from search.extract.text import extract_text

# The keys a record may give each field under, the first one present winning: scrapers and
# datasets name them in English or Indonesian. The one table of record keys in extraction.
TEXT_FIELDS = ("text", "body", "content", "isi")
TITLE_FIELDS = ("title", "judul", "headline")
OUTLET_FIELDS = ("outlet", "source", "site_name", "media")
DATE_FIELDS = ("date", "published", "published_at", "tanggal", "datetime")
CITY_FIELDS = ("city", "kota")
AUTHOR_FIELDS = ("author", "penulis", "reporter")
EDITOR_FIELDS = ("editor",)
CATEGORY_FIELDS = ("category", "kategori", "rubrik", "section")
URL_FIELDS = ("url", "link")


class RecordError(ValueError):
    """A record that cannot become an article (the message says why)."""


def _first_key(record: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` the record gives a value under (an empty one is not given)."""
    return next((name for name in names if record.get(name) not in (None, "")), None)


def first_field(record: Mapping[str, object], names: tuple[str, ...]) -> object:
    key = _first_key(record, names)
    return None if key is None else record[key]


def _kind(value: object) -> str:
    """How a message names a value's JSON type."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


def _text(record: Mapping[str, object], names: tuple[str, ...], problems: list[str], strict: bool) -> str | None:
    """The first of ``names`` the record gives, as text; anything but text is never stored as its string.

    ``"city": false`` became the city "False" and ``"title": NaN`` the title "nan". A value of
    another type is refused when ``strict`` (the API answers it by position), else left out
    with a warning (a file's other records and fields are kept).
    """
    name = _first_key(record, names)
    if name is None:
        return None
    value = record[name]
    if isinstance(value, str):
        return " ".join(value.split()) or None
    message = f"field {name!r} must be text, not {_kind(value)}"
    if strict or isinstance(value, (dict, list)):
        raise RecordError(message)
    problems.append(f"{message}; left out")
    return None


MAX_ID_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_id(article_id: str) -> str:
    """``article_id`` if it can name an article page, else :class:`RecordError` saying why.

    An id is 1 to 200 characters with no control characters; it may hold ``/`` (a URL path,
    say) but no empty, ``.`` or ``..`` part between slashes, which browsers rewrite, so the
    article's page could never be reached.
    """
    if not article_id:
        raise RecordError("id is empty (or only spaces)")
    if len(article_id) > MAX_ID_CHARS:
        raise RecordError(f"id is {len(article_id)} characters long; at most {MAX_ID_CHARS}")
    if _CONTROL.search(article_id):
        raise RecordError("id holds a control character")
    if any(part in ("", ".", "..") for part in article_id.split("/")):
        raise RecordError(f"id {article_id!r} has an empty, '.' or '..' part between slashes")
    return article_id


def check_unicode(record: object) -> None:
    """Raise :class:`RecordError` when any text in ``record`` holds a lone surrogate (``\\ud800``).

    JSON may escape one, but it is no character: it cannot be stored or shown.
    """
    pending = [record]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise RecordError("text holds a lone surrogate (such as \\ud800), which is not a character")
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def record_id(record: Mapping[str, object], fallback: str) -> str:
    """The record's own ``id``; else one derived from its URL; else ``fallback`` (file and position)."""
    value = record.get("id")
    if value is not None and value != "":
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise RecordError(f"id must be text or a number, not {type(value).__name__}")
        return check_id(str(value).strip())
    url = record.get("url")
    if isinstance(url, str) and url.strip():
        return "u-" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:16]
    return fallback


def _record_date(record: Mapping[str, object], today: dt.date, from_text: Article | None, warnings: list[str],
                 order: DateOrder | None) -> dt.date | None:
    """The record's date field, else the date its text gives; an unreadable field is a warning.

    A date that reads well but cannot be (before 1900, past next year) refuses the record:
    it is never stored under that date, nor quietly under none. An ambiguous numeric date is
    read in the file's ``order``, which is told once per file as a warning.
    """
    try:
        date, assumed = read_record_date(first_field(record, DATE_FIELDS), today, order)
        if assumed and order is not None and (note := order.note()):  # a file's reader says it once; a post reads day first
            warnings.append(note)
    except DateOutOfRange as error:
        raise RecordError(str(error)) from None
    except ValueError as error:
        warnings.append(f"{error}; filed under no date")
        return None
    return date if date is not None or from_text is None else from_text.date


def _outlet(registry: OutletRegistry, name: str | None, url: str | None) -> Outlet | None:
    """The outlet the record names, else the one its address names (where the article lives); else none (its dateline's then)."""
    if name:
        return registry.resolve(name)
    return registry.from_url(url) if url else None


def _texts(record: object) -> tuple[str, str]:
    """The record's text as given, and as the article's body (paragraphs kept, spaces folded); refused without one."""
    if not isinstance(record, Mapping):
        raise RecordError(f"a record must be a JSON object, not {type(record).__name__}")
    check_unicode(record)
    raw_text = first_field(record, TEXT_FIELDS)
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise RecordError("record has no text (expected a non-empty 'text' field)")
    # The site furniture a scraper kept (prompts, adverts, embeds, the editors' initials) is removed as from raw text;
    # a text that is nothing but furniture is kept whole rather than lost.
    body = "\n\n".join(clean_paragraphs(raw_text))
    return raw_text, body or "\n\n".join(" ".join(p.split()) for p in raw_text.replace("\r\n", "\n").split("\n\n") if p.strip())


def article_from_record(
    record: object,
    *,
    fallback_id: str,
    today: dt.date,
    source: str,
    registry: OutletRegistry | None = None,
    strict: bool = False,
    order: DateOrder | None = None,
) -> tuple[Article, list[str]]:
    """Build an Article from one decoded record; returns it with any warnings (:class:`RecordError` without text).

    From a file an unreadable date or a field that is not text is a warning: the article is kept without it.
    ``strict`` (the API, whose sender can mend and resend) refuses the record. ``order``: the file's numeric dates.
    """
    raw_text, body = _texts(record)
    assert isinstance(record, Mapping)  # _texts refused anything else
    registry = registry or default_registry()
    article_id = record_id(record, fallback_id)
    warnings: list[str] = []
    try:
        from_text: Article | None = extract_text(raw_text, article_id=article_id, today=today, registry=registry)
    except ValueError:
        from_text = None
    text = functools.partial(_text, record, problems=warnings, strict=strict)  # a field as text, or a warning

    outlet_name, url = text(OUTLET_FIELDS), text(URL_FIELDS)
    outlet = _outlet(registry, outlet_name, url)
    date = _record_date(record, today, from_text, warnings, order)
    if strict and warnings:
        raise RecordError("; ".join(warnings))
    return (
        Article(
            id=article_id,
            title=text(TITLE_FIELDS),
            body=body,
            outlet=outlet.name if outlet else (from_text.outlet if from_text else None),
            outlet_key=outlet.key if outlet else (from_text.outlet_key if from_text else None),
            outlet_group=outlet.group if outlet else (from_text.outlet_group if from_text else None),
            city=text(CITY_FIELDS) or (from_text.city if from_text else None),
            date=date,
            author=text(AUTHOR_FIELDS),
            editor=text(EDITOR_FIELDS),
            category=text(CATEGORY_FIELDS),
            url=url,
            source=source,
        ),
        warnings,
    )
