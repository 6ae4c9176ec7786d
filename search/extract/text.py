"""Raw article text -> Article: headline, dateline (outlet and city), date, credits, clean body.

Copied news pages keep their metadata only in the prose: a headline line, a dateline such
as ``MUSI RAWAS, SUMATERAEKSPRES.ID –`` or ``Jakarta (ANTARA) -``, a lead that says
``Senin (15/9)``, and credits (``Penulis:``, ``Editor:``, ``Baca artikel detiknews, …``),
wrapped in site furniture (``BACA JUGA``, adverts, view counters, share and comment
blocks). Precision comes first: a line is a dateline only when its parts are recognisably
an outlet (a registered name, a domain, or a name in brackets) and a place, or the line
has an unmistakable place-only shape (``JAKARTA -``, ``Pamekasan,-``). Anything else
leaves outlet and city unknown. The outlet never comes from a mention in the body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from search.articles import Article
from search.extract.dates import MONTHS, WEEKDAYS, find_date
from search.extract.outlets import Outlet, OutletRegistry, default_registry, host_of, known_places, looks_like_domain

_DASH = re.compile(r"--|[-–—‒―]")
_HEAD_MAX = 80
_DATE_ONLY = re.compile(r"(?=.*\d)[\d\s/.,:|-]*(?:WIB|WITA|WIT)?\s*", re.I)
_NUMERIC_DAY = re.compile(r"^\d{1,2}\s*/\s*\d{1,2}(\s*/\s*\d{2,4})?$")
_BRACKETED = re.compile(r"^(?P<pre>[^()]*?)\s*\((?P<name>[^()]{2,40})\)$")
_PLACE = re.compile(r"^[A-Z][A-Za-z.'’-]*(?:\s+[A-Za-z][A-Za-z.'’-]*){0,3}$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9.&'’-]*(?:\s+[A-Za-z0-9][A-Za-z0-9.&'’-]*){0,2}$")
_DATELINE_SEARCH_LINES = 4
_LEAD_PARAGRAPHS = 3
_CREDIT_SEARCH_LINES = 6
_NOT_NAMES = set(WEEKDAYS) | set(MONTHS) | {"kamis", "hari", "kemarin", "selasa", "rabu", "sore", "pagi", "malam", "siang"}

_DROP_EXACT = {
    "advertisement",
    "scroll to resume content",
    "scroll to continue with content",
    "iklan",
    "bagikan",
    "share",
    "tweet",
    "loading...",
    "lihat foto",
    "copy link",
    "link copied!",
}
_DROP_LINE = [
    re.compile(r"^baca\s+(juga|selengkapnya)\b", re.I),
    re.compile(r"^(simak|lihat|tonton)\s+(juga|video)\b.*:", re.I),
    re.compile(r"^tonton juga\b", re.I),
    re.compile(r"^pilihan\s+editor\s*:", re.I),
    re.compile(r"^\[gambas:[^\]]*\]$", re.I),
    re.compile(r"^\S*?\d[\d.]*\s+(kali\s+)?dilihat$", re.I),  # "Balikpapan3 Dilihat"
    re.compile(r"^dibaca\s+[\d.]+\s*(kali)?$", re.I),
    re.compile(r"^[\d.]+\s+(views?|kali dibaca)$", re.I),
    re.compile(r"^\(?(foto|photo|ilustrasi|sumber foto)\s*:", re.I),
    re.compile(r"\b(foto|photo)\s*:\s*[^.]{0,60}$", re.I),  # caption ending in a photo credit
    re.compile(r"^(bagikan|share)( (artikel|berita) ini)?\s*:", re.I),
    re.compile(r"^klik (untuk|di sini)\b", re.I),
    re.compile(r"^(scroll|gulir) (untuk|to|ke bawah)\b", re.I),
    re.compile(r"^(ikuti|simak|follow|dapatkan|gabung|download|unduh)\b.{0,120}"
               r"\b(google news|whatsapp|telegram|instagram|channel|aplikasi|update berita)\b", re.I),
    re.compile(r"^(copyright|hak cipta)\b|^©", re.I),
    re.compile(r"^alamat email anda tidak akan dipublikasikan", re.I),
    re.compile(r"^ruas yang wajib ditandai", re.I),
    re.compile(r"^simpan nama, email", re.I),
    re.compile(r"^[(\[]\s*[a-z]{2,6}(\s*/\s*[a-z]{2,6})*\s*[)\]]$", re.I),  # "(arb)", "[tyo]" initials
]
# Everything after these belongs to the comment section.
_COMMENTS_START = re.compile(r"^(tinggalkan (balasan|komentar)|berikan komentar|kirim komentar|tulis komentar)\b", re.I)
_TRAILING_INITIALS = re.compile(r"\s*[(\[]\s*[a-z]{2,6}(?:\s*/\s*[a-z]{2,6})*\s*[)\]]\s*$", re.I)
_AUTHOR = re.compile(r"^(penulis|pewarta|reporter|wartawan|jurnalis|kontributor)\s*:\s*(?P<name>.{1,60})$", re.I)
_EDITOR = re.compile(r"^(editor|redaktur|penyunting)\s*:\s*(?P<name>.{1,60})$", re.I)
# Credit lines that name the publishing outlet: detik's "Baca artikel detiknews, "…" selengkapnya <url>"
# and Tribun/Kompas's "Artikel ini telah tayang di Kompas.com dengan judul …".
_CREDIT_OUTLET = [
    re.compile(r"^baca artikel (?P<name>[\w.]+)\s*,.*?selengkapnya\b\s*(?P<url>https?://\S+)?", re.I),
    re.compile(r"^artikel ini telah (?:tayang|terbit|dimuat) di (?P<name>[\w. ]+?)\s+dengan judul\b.*?(?P<url>https?://\S+)?$", re.I),
]
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
    detect_title: bool = True,
) -> Article:
    """Build an Article from one raw news text. Raises ``ValueError`` when no body text remains.

    ``detect_title=False`` is for text whose headline is known from elsewhere (HTML
    metadata), so a short first paragraph is never mistaken for one.
    """
    registry = registry or default_registry()
    lines = _clean_lines(text)
    author, editor, credit_outlet, lines = _take_credits(lines, registry)
    dateline = _find_dateline(lines, registry)

    title, header, body_lines = _split_title(lines, dateline, detect_title)
    body_lines = [line for line in body_lines if line]
    if body_lines:
        body_lines[-1] = _TRAILING_INITIALS.sub("", body_lines[-1])
    body_lines = [line for line in body_lines if line]
    if not body_lines:
        raise ValueError("no article text after removing the headline and boilerplate")
    lead = "\n".join(header + body_lines[:_LEAD_PARAGRAPHS])
    outlet = dateline.outlet if dateline and dateline.outlet else credit_outlet
    return Article(
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


def _split_title(lines: list[str], dateline: Dateline | None, detect_title: bool) -> tuple[str | None, list[str], list[str]]:
    """``(title, header, body lines)``: what stands before the dateline is the header (its first
    line the title when it reads like one); without a dateline a headline-like first line is."""
    if dateline is not None:
        header = lines[: dateline.line]
        body = ([dateline.rest] if dateline.rest else []) + lines[dateline.line + 1 :]
        if detect_title and header and _is_headline(header[0]):
            return header[0], header[1:], body
        return None, header, body
    if detect_title and len(lines) > 1 and _is_headline(lines[0]):
        return lines[0], [], lines[1:]
    return None, [], lines


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
            credited = _credit_outlet(line, registry)
            if credited is not None:
                outlet = outlet or credited
                continue
        kept.append(line)
    return author, editor, outlet, kept


def _credit_outlet(line: str, registry: OutletRegistry) -> Outlet | None:
    for pattern in _CREDIT_OUTLET:
        if match := pattern.match(line):
            host = host_of(match["url"]) if match["url"] else None
            if host and (known := registry.lookup(host)):
                return known
            name = match["name"].strip()
            return registry.lookup(name) or (registry.resolve(name) if looks_like_domain(name) else None)
    return None


def _find_dateline(lines: list[str], registry: OutletRegistry) -> Dateline | None:
    """The first dateline naming an outlet in the opening lines, else the first place-only one.

    Preferring outlet datelines keeps a headline such as ``Bali - Lombok Diguncang Gempa``
    from being read as a place-only dateline above the real one.
    """
    found = [
        Dateline(number, parsed.outlet, parsed.city, parsed.rest)
        for number, line in enumerate(lines[:_DATELINE_SEARCH_LINES])
        if (parsed := parse_dateline(line, registry)) is not None
    ]
    with_outlet = [dateline for dateline in found if dateline.outlet]
    return (with_outlet or found)[0] if found else None


def parse_dateline(line: str, registry: OutletRegistry | None = None) -> Dateline | None:
    """Read a dateline at the start of ``line``: the outlet, the city, and the text after the dash.

    Every dash near the start is tried as the separator, left to right, so hyphenated
    domains (``pikiran-rakyat.com``) and glued dashes (``KOMPAS.com-Pemerintah``) both
    work. A place-only head needs the dash set off by a space, or a comma before it.
    """
    registry = registry or default_registry()
    for match in _DASH.finditer(line[: _HEAD_MAX + 3]):
        head, rest = line[: match.start()].strip(), line[match.end() :].strip()
        if not head or len(head) > _HEAD_MAX:
            continue
        parsed = _parse_head(head, registry)
        if parsed is None:
            continue
        outlet, city = parsed
        before = line[match.start() - 1] if match.start() else " "
        after = line[match.end()] if match.end() < len(line) else " "
        spaced = before.isspace() or after.isspace() or head.endswith(",")
        if not spaced and (outlet is None or not outlet.known):
            continue  # only a recognised outlet may glue its dash to the text
        if _DATE_ONLY.fullmatch(rest):
            return None  # "Kompas.com - 05/03/2025, 14:20 WIB" is a date line, not a dateline
        return Dateline(line=0, outlet=outlet, city=city, rest=rest)
    return None


def _parse_head(head: str, registry: OutletRegistry) -> tuple[Outlet | None, str | None] | None:
    """Outlet and city named by the part of a dateline before its dash, or ``None`` if it is not one."""
    if bracketed := _BRACKETED.match(head):  # "Jakarta (ANTARA)", "Sukabumi, Jawa Barat (ANTARA News)"
        name = bracketed["name"].strip()
        # Antara's older style puts the day in the dateline: "Jeddah, Saudi Arabia, 27/11 (Antara) -".
        pre = [part.strip() for part in bracketed["pre"].split(",") if part.strip() and not _NUMERIC_DAY.match(part.strip())]
        outlet = _as_outlet(name, registry)
        if outlet is None and _is_name(name) and pre and all(_is_known_place(part) for part in pre):
            outlet = registry.resolve(name)  # "SEMARANG (Suarabaru) -": a bracketed name after a known place
        if outlet is None or not all(_is_place(part) for part in pre):
            return None
        return outlet, _place_name(pre[0]) if pre else None

    parts = [part.strip() for part in head.split(",")]
    comma_before_dash = parts[-1] == ""
    if comma_before_dash:
        parts.pop()
    if not parts or len(parts) > 3 or any(not part for part in parts):
        return None
    outlets = [(i, o) for i, part in enumerate(parts) if (o := _as_outlet(part, registry))]
    others = [part for i, part in enumerate(parts) if i not in {j for j, _ in outlets}]
    if len(outlets) == 1:
        if not all(_is_place(part) for part in others):
            return None
        return outlets[0][1], _place_name(others[0]) if others else None
    if outlets:
        return None
    places = known_places()
    if len(parts) == 1:
        part = parts[0]
        if _is_place(part) and (comma_before_dash or part.isupper() or part.lower() in places):
            return None, _place_name(part)
        return None
    # "Balikpapan, Beritaku -": one known place and one name -> an outlet the registry lacks.
    known = [part for part in parts if part.lower() in places]
    unknown = [part for part in parts if part.lower() not in places]
    if len(parts) == 2 and len(known) == 1 and _is_name(unknown[0]):
        return registry.resolve(unknown[0]), _place_name(known[0])
    if len(unknown) == 0:  # "Sukabumi, Jawa Barat -"
        return None, _place_name(parts[0])
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


def _is_known_place(part: str) -> bool:
    return part.lower() in known_places() or (part.isupper() and _is_place(part))


def _is_name(part: str) -> bool:
    """A short proper name (an outlet's), not a weekday, month or common time word."""
    return bool(_NAME.match(part)) and part[0].isupper() and part.lower() not in _NOT_NAMES


def _place_name(part: str) -> str:
    """``PANGKALAN BUN`` -> ``Pangkalan Bun``; mixed case is kept as written."""
    return part.title() if part.isupper() else part


def _is_headline(line: str) -> bool:
    """A short line that does not end like a sentence reads as a headline."""
    words = len(line.split())
    return 3 <= words <= 30 and len(line) <= 250 and not line.endswith(_HEADLINE_END_BAD)
