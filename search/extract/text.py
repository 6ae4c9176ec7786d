"""Raw article text -> Article: headline, dateline (outlet and city), date, credits, clean body.

Copied news pages keep their metadata only in the prose: a headline line, a dateline such
as ``MUSI RAWAS, SUMATERAEKSPRES.ID –``, a lead that says ``Senin (15/9)``, and
``Penulis:``/``Editor:`` credits, wrapped in site furniture (``BACA JUGA``, adverts,
view counters, comment forms). Precision comes first: a line only counts as a dateline
when one part is recognisably an outlet (a registered name or a domain) or the line has
the unmistakable ``City,-`` shape; otherwise outlet and city stay unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from search.articles import Article
from search.extract.dates import find_date
from search.extract.outlets import Outlet, OutletRegistry, default_registry, looks_like_domain

_DASH = r"(?:--|[-–—‒―])"
# "A, B –" with the dash set off by a space on at least one side.
_TWO_PART = re.compile(
    r"^(?P<a>[^,\n]{2,40}?)\s*,\s*(?P<b>[^,\n]{2,40}?)(?:\s+" + _DASH + r"|" + _DASH + r"(?=\s|$))\s*(?P<rest>.*)$"
)
# "Pamekasan,- ..." : a comma glued to the dash.
_COMMA_DASH = re.compile(r"^(?P<a>[^,\n]{2,40}?)\s*,\s*" + _DASH + r"\s*(?P<rest>.*)$")
# "JAKARTA - ..." or "Suara.com - ...".
_ONE_PART = re.compile(r"^(?P<a>[^,\n]{2,40}?)\s+" + _DASH + r"(?:\s+(?P<rest>.*)|$)")

_PLACE = re.compile(r"^[A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3}$")
_DATELINE_SEARCH_LINES = 4
_LEAD_PARAGRAPHS = 3

_DROP_EXACT = {
    "advertisement",
    "scroll to resume content",
    "scroll to continue with content",
    "iklan",
    "bagikan",
    "share",
    "tweet",
    "loading...",
}
_DROP_LINE = [
    re.compile(r"^baca\s+(juga|selengkapnya)\b", re.I),
    re.compile(r"^(simak|lihat|tonton)\s+(juga|video)\b.*:", re.I),
    re.compile(r"^\S*?\d[\d.]*\s+(kali\s+)?dilihat$", re.I),  # "Balikpapan3 Dilihat"
    re.compile(r"^dibaca\s+[\d.]+\s*(kali)?$", re.I),
    re.compile(r"^[\d.]+\s+(views?|kali dibaca)$", re.I),
    re.compile(r"^\(?(foto|photo|ilustrasi|sumber foto)\s*:", re.I),
    re.compile(r"\b(foto|photo)\s*:\s*[^.]{0,60}$", re.I),  # caption ending in a photo credit
    re.compile(r"^alamat email anda tidak akan dipublikasikan", re.I),
    re.compile(r"^ruas yang wajib ditandai", re.I),
    re.compile(r"^simpan nama, email", re.I),
    re.compile(r"^\(\s*[a-z]{2,6}(\s*/\s*[a-z]{2,6})*\s*\)$", re.I),  # "(arb)" initials
]
# Everything after these belongs to the comment section.
_COMMENTS_START = re.compile(r"^(tinggalkan (balasan|komentar)|berikan komentar|kirim komentar)\b", re.I)
_AUTHOR = re.compile(r"^(penulis|pewarta|reporter|wartawan|jurnalis)\s*:\s*(?P<name>.{1,60})$", re.I)
_EDITOR = re.compile(r"^(editor|redaktur|penyunting)\s*:\s*(?P<name>.{1,60})$", re.I)
_HEADLINE_END_BAD = (".", ",", ":", ";")


@dataclass(frozen=True)
class Dateline:
    """What a dateline line says, and where the body text on that line begins."""

    line: int
    outlet: Outlet | None
    city: str | None
    rest: str


def extract_text(
    text: str,
    *,
    article_id: str,
    today: dt.date,
    source: str | None = None,
    registry: OutletRegistry | None = None,
) -> Article:
    """Build an Article from one raw news text. Raises ``ValueError`` when no body text remains."""
    registry = registry or default_registry()
    lines = _clean_lines(text)
    author, editor, lines = _take_credits(lines)
    dateline = _find_dateline(lines, registry)

    title: str | None = None
    header: list[str] = []
    if dateline is not None:
        header = lines[: dateline.line]
        if header and _is_headline(header[0]):
            title = header[0]
        body_lines = ([dateline.rest] if dateline.rest else []) + lines[dateline.line + 1 :]
    else:
        if len(lines) > 1 and _is_headline(lines[0]):
            title, lines = lines[0], lines[1:]
        body_lines = lines

    body_lines = [line for line in body_lines if line]
    if not body_lines:
        raise ValueError("no article text after removing the headline and boilerplate")
    lead = "\n".join(header[1:] if title else header) + "\n" + "\n".join(body_lines[:_LEAD_PARAGRAPHS])
    return Article(
        id=article_id,
        title=title,
        body="\n\n".join(body_lines),
        outlet=dateline.outlet.name if dateline and dateline.outlet else None,
        outlet_key=dateline.outlet.key if dateline and dateline.outlet else None,
        city=dateline.city if dateline else None,
        date=find_date(lead, today),
        author=author,
        editor=editor,
        source=source,
    )


def _clean_lines(text: str) -> list[str]:
    """Non-empty lines with site furniture removed and the comment section cut off."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    kept: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if _COMMENTS_START.match(line):
            break
        if line.lower() in _DROP_EXACT or any(pattern.search(line) for pattern in _DROP_LINE):
            continue
        kept.append(line)
    return kept


def _take_credits(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Pull ``Penulis:``/``Editor:`` lines out of the text as author and editor."""
    author = editor = None
    kept: list[str] = []
    for line in lines:
        if (match := _AUTHOR.match(line)) and author is None:
            author = match["name"].strip()
        elif (match := _EDITOR.match(line)) and editor is None:
            editor = match["name"].strip()
        else:
            kept.append(line)
    return author, editor, kept


def _find_dateline(lines: list[str], registry: OutletRegistry) -> Dateline | None:
    for number, line in enumerate(lines[:_DATELINE_SEARCH_LINES]):
        found = _parse_dateline(line, registry)
        if found is not None:
            outlet, city, rest = found
            return Dateline(line=number, outlet=outlet, city=city, rest=rest)
    return None


def _parse_dateline(line: str, registry: OutletRegistry) -> tuple[Outlet | None, str | None, str] | None:
    if match := _TWO_PART.match(line):
        a, b = match["a"].strip(), match["b"].strip()
        outlet_a, outlet_b = _as_outlet(a, registry), _as_outlet(b, registry)
        if outlet_b and not outlet_a and _is_place(a):
            return outlet_b, _place_name(a), match["rest"].strip()
        if outlet_a and not outlet_b and _is_place(b):
            return outlet_a, _place_name(b), match["rest"].strip()
    if match := _COMMA_DASH.match(line):
        a = match["a"].strip()
        if outlet := _as_outlet(a, registry):
            return outlet, None, match["rest"].strip()
        if _is_place(a):
            return None, _place_name(a), match["rest"].strip()
    if match := _ONE_PART.match(line):
        a = match["a"].strip()
        if outlet := _as_outlet(a, registry):
            return outlet, None, (match["rest"] or "").strip()
        if a.isupper() and _is_place(a):  # okezone-style "JAKARTA -"
            return None, _place_name(a), (match["rest"] or "").strip()
    return None


def _as_outlet(part: str, registry: OutletRegistry) -> Outlet | None:
    """The outlet a dateline part names: a registry alias, or any domain-shaped name."""
    if len(part.split()) > 4:
        return None
    known = registry.lookup(part)
    if known:
        return known
    if looks_like_domain(part):
        return registry.resolve(part)
    return None


def _is_place(part: str) -> bool:
    return bool(_PLACE.match(part)) and not looks_like_domain(part)


def _place_name(part: str) -> str:
    """``PANGKALAN BUN`` -> ``Pangkalan Bun``; mixed case is kept as written."""
    return part.title() if part.isupper() else part


def _is_headline(line: str) -> bool:
    """A short line that does not end like a sentence reads as a headline."""
    words = len(line.split())
    return 3 <= words <= 30 and len(line) <= 250 and not line.endswith(_HEADLINE_END_BAD)
