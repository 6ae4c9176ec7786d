"""Raw article text -> Article: headline, dateline (outlet and city), date, credits, clean body.

Copied news pages keep their metadata only in the prose: a headline, a dateline such as
``MUSI RAWAS, SUMATERAEKSPRES.ID –`` or ``Jakarta (ANTARA) -`` (:mod:`.datelines`), a lead
that says ``Senin (15/9)``, and credits (``Penulis:``, ``Editor:``, ``Baca artikel
detiknews, …``), wrapped in site furniture (``BACA JUGA``, adverts, view counters, share
and comment blocks). What stands before the dateline is the header (:mod:`.headers`).

No text is refused for what cleaning took away: when nothing is left after the headline
and the furniture are removed, the article keeps its whole text, and a note says so.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from search.domain.article import Article
from search.extract.boilerplate import without_closing_initials, without_furniture
from search.extract.datelines import Dateline, find_dateline
from search.extract.dates import date_stamp_length, find_date
from search.extract.headers import is_headline, split_header
from search.extract.outlets import Outlet, OutletRegistry, default_registry, host_of, looks_like_domain

_LEAD_PARAGRAPHS = 3
# ... each up to this long: a flattened article is one paragraph, and its lead is its opening (about three
# paragraphs' worth), not the whole text, where a date deep in it is not the article's.
_LEAD_CHARS = 900
_CREDIT_SEARCH_LINES = 6
KEPT_WHOLE = "kept its whole text: nothing was left after removing the headline and boilerplate"
_AUTHOR = re.compile(r"^(penulis|pewarta|reporter|wartawan|jurnalis|kontributor)\s*:\s*(?P<name>.{1,60})$", re.I)
_EDITOR = re.compile(r"^(editor|redaktur|penyunting)\s*:\s*(?P<name>.{1,60})$", re.I)
# Credit lines that name the publishing outlet: detik's "Baca artikel detiknews, "…" selengkapnya <url>"
# and Tribun/Kompas's "Artikel ini telah tayang di Kompas.com dengan judul …".
_CREDIT_OUTLET = [
    re.compile(r"^baca artikel (?P<name>[\w.]+)\s*,.*?selengkapnya\b\s*(?P<url>https?://\S+)?", re.I),
    re.compile(r"^artikel ini telah (?:tayang|terbit|dimuat) di (?P<name>[\w. ]+?)\s+dengan judul\b.*?(?P<url>https?://\S+)?$", re.I),
]
# The same credits glued to the end of a flattened article, looked for in its last characters.
_CREDIT_OUTLET_INSIDE = [re.compile(r"(?<![^\s.!?\"”])" + pattern.pattern[1:], re.I) for pattern in _CREDIT_OUTLET]
_CREDIT_TAIL = 400


def extract_text(text: str, **options: Any) -> Article:
    """An Article from one raw news text, without the notes (see :func:`extract_text_noted` for the options)."""
    return extract_text_noted(text, **options)[0]


def extract_text_noted(
    text: str,
    *,
    article_id: str,
    today: dt.date,
    source: str | None = None,
    registry: OutletRegistry | None = None,
    detect_title: bool = True,
) -> tuple[Article, list[str]]:
    """An Article from one raw news text, with notes for the reader of the summary.

    Raises ``ValueError`` only for a text with nothing but white space. ``detect_title=False``
    is for text whose headline is known from elsewhere (HTML metadata), so a short first
    paragraph is never mistaken for one.
    """
    registry = registry or default_registry()
    lines = _clean_lines(text)
    author, editor, credit_outlet, lines = _take_credits(lines, registry)
    dateline = find_dateline(lines, registry)
    title, header, body_lines = _split_title(lines, dateline, detect_title)
    if body_lines:
        body_lines[-1] = without_closing_initials(body_lines[-1])
    body_lines = [line for line in body_lines if line]
    notes: list[str] = []
    if not body_lines:
        body_lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n") if line.strip()]
        if not body_lines:
            raise ValueError("the text is empty")
        notes.append(KEPT_WHOLE)
    lead = "\n".join(header + [paragraph[:_LEAD_CHARS] for paragraph in body_lines[:_LEAD_PARAGRAPHS]])
    outlet = dateline.outlet if dateline and dateline.outlet else credit_outlet
    article = Article(
        id=article_id,
        title=title,
        body="\n\n".join(body_lines),
        outlet=outlet.name if outlet else None,
        outlet_key=outlet.key if outlet else None,
        outlet_group=outlet.group if outlet else None,
        city=dateline.city if dateline else None,
        # Without a dateline a year-less date would be a guess: only explicit years count.
        date=find_date(lead, today, require_year=dateline is None),
        author=author,
        editor=editor,
        source=source,
    )
    return article, notes


def _split_title(lines: list[str], dateline: Dateline | None, detect_title: bool) -> tuple[str | None, list[str], list[str]]:
    """``(title, header, body lines)``: what stands before the dateline is the header (see
    :mod:`.headers`); without a dateline a headline-like first line is the title."""
    if dateline is not None:
        body = ([dateline.rest] if dateline.rest else []) + lines[dateline.line + 1 :]
        header = split_header(lines[: dateline.line], dateline.before, dateline.rest, detect_title=detect_title)
        return header.title, header.lead, header.kept + body
    stamps: list[str] = []
    while len(lines) > 1 and date_stamp_length(lines[0]) >= len(lines[0]):  # a date line above the headline
        stamps, lines = [*stamps, lines[0]], lines[1:]
    if detect_title and len(lines) > 1 and is_headline(lines[0]):
        return lines[0], stamps, lines[1:]
    return None, stamps, lines


def _clean_lines(text: str) -> list[str]:
    """Non-empty lines with site furniture removed and the comment section cut off."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return without_furniture(" ".join(raw.split()) for raw in text.split("\n"))


def _take_credits(lines: list[str], registry: OutletRegistry) -> tuple[str | None, str | None, Outlet | None, list[str]]:
    """Pull author, editor and an outlet-naming credit line out of the text."""
    author = editor = None
    outlet: Outlet | None = None
    kept: list[str] = []
    tail_start = len(lines) - _CREDIT_SEARCH_LINES
    for number, line in enumerate(lines):
        if (match := _AUTHOR.match(line)) and author is None:
            author = match["name"].strip()
            continue
        if (match := _EDITOR.match(line)) and editor is None:
            editor = match["name"].strip()
            continue
        if number >= tail_start:
            at, credited = _credit_outlet(line, registry, inside=number == len(lines) - 1)
            if credited is not None:
                outlet = outlet or credited
                line = line[:at].strip()  # a flattened text's last line is the article with the credit glued on
        if line:
            kept.append(line)
    return author, editor, outlet, kept


def _credit_outlet(line: str, registry: OutletRegistry, *, inside: bool = False) -> tuple[int, Outlet | None]:
    """The outlet a credit line names and where the credit begins; with ``inside``, a credit at the end of a long line."""
    for pattern, within in zip(_CREDIT_OUTLET, _CREDIT_OUTLET_INSIDE, strict=True):
        match = pattern.match(line) or (within.search(line, max(0, len(line) - _CREDIT_TAIL)) if inside else None)
        if match:
            host = host_of(match["url"]) if match["url"] else None
            if host and (known := registry.lookup(host)):
                return match.start(), known
            name = match["name"].strip()
            return match.start(), registry.lookup(name) or (registry.resolve(name) if looks_like_domain(name) else None)
    return 0, None
