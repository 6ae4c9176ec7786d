"""Datelines: where a news text names its outlet and city, at a line's start or glued mid-line.

A dateline is ``MUSI RAWAS, SUMATERAEKSPRES.ID –``, ``Jakarta (ANTARA) -``,
``Liputan6.com, Garut -`` or ``KOMPAS.com-``. Laid-out text has it at the start of a line.
An ordinary scraper flattens a page's text, so the headline, a teaser sentence, app
promotions or a reporter's credit run straight into it: ``Banjir Rendam Sampang JAKARTA,
KOMPAS.com -Hujan``, ``… Nama WartawanTRIBUNBATAM.id- Empat``. Precision comes first: a
head is a dateline only when its parts are recognisably an outlet (a registered name, a
domain, or a name in brackets) and a place; mid-line it must name an outlet, and a city
before the outlet must be a known place, written in capitals or a single word, because the
words before it are the headline's. Anything else leaves outlet and city unknown; the outlet never
comes from a mention in the body. A place alone before the dash must be a known place (or end in a
comma); which place part is the city, if any, is :mod:`.places`' rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from search.extract.dates import MONTHS, WEEKDAYS
from search.extract.outlets import Outlet, OutletRegistry, default_registry, known_places, looks_like_domain
from search.extract.places import city_of, is_country, is_known_place, is_place

DASH = re.compile(r"--|[-–—‒―]")
_HEAD_MAX = 80
_DATE_ONLY = re.compile(r"(?=.*\d)[\d\s/.,:|-]*(?:WIB|WITA|WIT)?\s*", re.I)
_DATE_STAMP_AFTER = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*,?\s*\d{1,2}[:.]\d{2}")
_NUMERIC_DAY = re.compile(r"^\d{1,2}\s*/\s*\d{1,2}(\s*/\s*\d{2,4})?$")
_BRACKETED = re.compile(r"^(?P<pre>[^()]*?)\s*\((?P<name>[^()]{2,40})\)$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9.&'’-]*(?:\s+[A-Za-z0-9][A-Za-z0-9.&'’-]*){0,2}$")
_NOT_NAMES = set(WEEKDAYS) | set(MONTHS) | {"kamis", "hari", "kemarin", "selasa", "rabu", "sore", "pagi", "malam", "siang"}
DATELINE_SEARCH_LINES = 4
# How far into a text (characters) a dateline glued mid-line is looked for: a headline, a
# teaser sentence and a promotion or two fit; the body's mentions of an outlet mostly do not.
INLINE_WINDOW = 700
# Words before a dash that may still belong to a glued dateline's head ("Sukabumi, Jawa Barat (ANTARA News)").
_INLINE_HEAD_WORDS = 8
# Inside a word, where a glued head may begin: "WartawanTRIBUNBATAM.id", "bandang.Liputan6.com".
# (a capitalised word then a capital: "blokTuban.com" and "detikNews" are names written so).
_GLUED = re.compile(r"(?<![^\s.!?\"“”])[A-Z][a-z]+(?=[A-Z])|[a-z][.!?\"”](?=[A-Z][a-z])")
_CITY_AFTER = re.compile(r"(?P<city>[A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+){0,2})\.\s+(?=\S)")
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?][\"”]?\s")
# A reporter's credit ends at a dash that is not a dateline's: "Laporan wartawan Tribun Batam - Nama".
_CREDIT_BEFORE = re.compile(
    r"\b(?i:laporan\s+(?:wartawan|reporter|jurnalis|kontributor)\s+|(?:reporter|penulis|pewarta|kontributor)\s*:\s*)"
    r"(?:[^\s–—-]+\s+){0,3}[^\s–—-]+\s*$"
)


@dataclass(frozen=True)
class Dateline:
    """What a dateline says, and where the body text on its line begins.

    ``before`` is what stands before it on its line when it was found mid-line (the
    headline, teaser or promotions a scraper glued on).
    """

    line: int
    outlet: Outlet | None
    city: str | None
    rest: str
    before: str = ""


def find_dateline(lines: list[str], registry: OutletRegistry) -> Dateline | None:
    """The article's dateline among its opening lines, or ``None``.

    In order: a dateline naming an outlet at the start of a line (the first); one glued
    mid-line, within :data:`INLINE_WINDOW` characters and before any place-only dateline
    that is written in capitals; the first place-only one. Preferring outlets keeps a
    headline such as ``Bali - Lombok Diguncang Gempa`` from being read as a place-only
    dateline above the real one.
    """
    found = [
        replace(parsed, line=number)
        for number, line in enumerate(lines[:DATELINE_SEARCH_LINES])
        if (parsed := parse_dateline(line, registry)) is not None
    ]
    with_outlet = [dateline for dateline in found if dateline.outlet]
    if with_outlet:
        first = with_outlet[0]
        if first.city and _headline_in(first.city):  # "Ceo Starbucks Mundur Jakarta (ANTARA News) -": a glued headline
            return _inline_in(lines[first.line], INLINE_WINDOW, registry) or first
        return first
    place_only = found[0] if found else None
    if place_only is not None and _firm_place_only(lines[place_only.line]):
        return _find_inline(lines[: place_only.line], registry) or place_only  # what follows it is body
    return _find_inline(lines, registry) or place_only or _capital_place_inline(lines[:1])


def without_dateline(text: str, registry: OutletRegistry | None = None) -> str:
    """``text`` without its dateline's head: a record's body keeps its dateline (``JAKARTA, KOMPAS.com - …``),
    whose place is where the story was filed, not a place the story mentions."""
    lines = [line for line in text.split("\n") if line.strip()]
    dateline = find_dateline(lines, registry or default_registry())
    if dateline is None:
        return text
    kept = [*lines[: dateline.line], dateline.before, dateline.rest, *lines[dateline.line + 1 :]]
    return "\n".join(line for line in kept if line)


def _capital_place_inline(lines: list[str]) -> Dateline | None:
    """A place-only dateline in capitals glued after a headline: ``Polisi Kerahkan 2.000 Personel JAKARTA - Kepolisian``.

    Only a known place in capitals, the dash set off by spaces, not inside a sentence.
    """
    for line in lines:
        for match in DASH.finditer(line[:INLINE_WINDOW]):
            head, rest = line[: match.start()], line[match.end() :]
            words = head.split()
            if not (head[-1:].isspace() and rest[:1].isspace()) or _DATE_ONLY.fullmatch(rest):
                continue
            for size in (3, 2, 1):
                place = " ".join(words[-size:])
                if len(words) > size and place.isupper() and place.lower() in known_places() and not _mid_sentence(" ".join(words[:-size])):
                    return Dateline(line=0, outlet=None, city=city_of([place]), rest=rest.strip(), before=" ".join(words[:-size]))
    return None


def _headline_in(city: str) -> bool:
    """A city of three or more words that no place list knows, or with a dotted word, has a headline glued before it."""
    words = city.split()
    return city.lower() not in known_places() and not city.isupper() and (len(words) >= 3 or any("." in word for word in words))


def _firm_place_only(line: str) -> bool:
    """A place-only dateline that no headline writes: ``JAKARTA -``, ``Pamekasan,-``."""
    dash = DASH.search(line)
    head = line[: dash.start()].strip() if dash else ""
    return head.isupper() or head.endswith(",")


def parse_dateline(line: str, registry: OutletRegistry | None = None) -> Dateline | None:
    """Read a dateline at the start of ``line``: the outlet, the city, and the text after the dash.

    Every dash near the start is tried as the separator, left to right, so hyphenated
    domains (``pikiran-rakyat.com``) and glued dashes (``KOMPAS.com-Pemerintah``) both
    work. A place-only head needs the dash set off by a space, or a comma before it.
    """
    registry = registry or default_registry()
    for match in DASH.finditer(line[: _HEAD_MAX + 3]):
        head, rest = line[: match.start()].strip(), line[match.end() :].strip()
        if not head or len(head) > _HEAD_MAX or _inside_domain(line, match):
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
        if _DATE_STAMP_AFTER.match(rest):
            return None  # the same, with the article glued after it: the dateline is further on
        return _with_city_after(Dateline(line=0, outlet=outlet, city=city, rest=rest))
    return None


def _parse_head(head: str, registry: OutletRegistry) -> tuple[Outlet | None, str | None] | None:
    """Outlet and city named by the part of a dateline before its dash, or ``None`` if it is not one."""
    if bracketed := _BRACKETED.match(head):  # "Jakarta (ANTARA)", "Sukabumi, Jawa Barat (ANTARA News)"
        name = bracketed["name"].strip()
        # Antara's older style puts the day in the dateline: "Jeddah, Saudi Arabia, 27/11 (Antara) -".
        pre = [part.strip() for part in bracketed["pre"].split(",") if part.strip() and not _NUMERIC_DAY.match(part.strip())]
        outlet = _as_outlet(name, registry)
        if outlet is None and _is_name(name) and pre and all(is_known_place(part) for part in pre):
            outlet = registry.resolve(name)  # "SEMARANG (Suarabaru) -": a bracketed name after a known place
        if outlet is None or not all(is_place(part) for part in pre):
            return None
        return outlet, city_of(pre)

    parts = [part.strip() for part in head.split(",")]
    comma_before_dash = parts[-1] == ""
    if comma_before_dash:
        parts.pop()
    if not parts or len(parts) > 3 or any(not part for part in parts):
        return None
    outlets = [(i, o) for i, part in enumerate(parts) if (o := _as_outlet(part, registry))]
    others = [part for i, part in enumerate(parts) if i not in {j for j, _ in outlets}]
    if len(outlets) == 1:
        if not all(is_place(part) for part in others):
            return None
        return outlets[0][1], city_of(others)
    if outlets:
        return None
    places = known_places()
    if len(parts) == 1:
        part = parts[0]
        # Alone, a place must be one the lists know ("OPINI -", "SIMAK JUGA -" are rubrics), or end in a comma ("Pamekasan,-").
        if is_place(part) and (comma_before_dash or part.lower() in places or (part.isupper() and is_country(part))):
            return None, city_of([part])
        return None
    # "Balikpapan, Beritaku -": one known place and one name -> an outlet the registry lacks.
    known = [part for part in parts if part.lower() in places]
    unknown = [part for part in parts if part.lower() not in places]
    if len(parts) == 2 and len(known) == 1 and _is_name(unknown[0]) and not is_country(known[0]):
        return registry.resolve(unknown[0]), city_of(known)
    if len(unknown) == 0:  # "Sukabumi, Jawa Barat -"
        return None, city_of(parts)
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


def _is_name(part: str) -> bool:
    """A short proper name (an outlet's), not a weekday, month or common time word."""
    return bool(_NAME.match(part)) and part[0].isupper() and part.lower() not in _NOT_NAMES


def _find_inline(lines: list[str], registry: OutletRegistry) -> Dateline | None:
    """The first dateline naming an outlet that is glued mid-line in the text's opening characters."""
    remaining = INLINE_WINDOW
    for number, line in enumerate(lines[:DATELINE_SEARCH_LINES]):
        found = _inline_in(line, remaining, registry)
        if found is not None:
            return replace(found, line=number)
        remaining -= len(line) + 1
        if remaining <= 0:
            break
    return None


def _inline_in(line: str, limit: int, registry: OutletRegistry) -> Dateline | None:
    for match in DASH.finditer(line[:limit]):
        head, rest = line[: match.start()], line[match.end() :]
        if not head.strip() or _CREDIT_BEFORE.search(head) or _inside_domain(line, match) or _DATE_STAMP_AFTER.match(rest):
            continue
        found = _inline_head(head.rstrip(), registry)
        if found is None:
            continue
        start, outlet, city = found
        if not (head[-1:].isspace() or rest[:1].isspace() or head.rstrip().endswith(",")) and not (outlet.known and "." in head[start:]):
            continue  # only an outlet written as its domain may glue the dash on both sides ("detik-detik" is a word)
        if _mid_sentence(head[:start]) and not any(place.isupper() for place in _places_of(head[start:].strip(), outlet, registry)):
            continue  # "… disiarkan KOMPAS.com - sebuah media …" mentions an outlet; "… JAKARTA, KOMPAS.com -" is a dateline
        return _with_city_after(Dateline(line=0, outlet=outlet, city=city, rest=rest.strip(), before=head[:start].strip()))
    return None


def _with_city_after(dateline: Dateline) -> Dateline:
    """Kontan's ``KONTAN.CO.ID - JAKARTA. Harga …``: a known place in capitals and a full stop right after the dash is the city."""
    if dateline.city is None and dateline.outlet is not None and (match := _CITY_AFTER.match(dateline.rest)):
        if match["city"].lower() in known_places():
            return replace(dateline, city=city_of([match["city"]]), rest=dateline.rest[match.end() :])
    return dateline


def _mid_sentence(before: str) -> bool:
    """Whether ``before`` ends inside a sentence: its last word is lower-case and ends no sentence."""
    words = before.split()
    return bool(words) and words[-1][:1].islower() and not words[-1].endswith((".", "!", "?", '"', "”"))


def _inline_head(head: str, registry: OutletRegistry) -> tuple[int, Outlet, str | None] | None:
    """Where a dateline naming an outlet begins in ``head`` (the text before a dash), with its outlet and city.

    A city before the outlet must be a known place, in capitals, or one capitalised word:
    the words before it are the headline's. Of the heads that parse, a registered outlet
    wins, then a known place among the places, then having a city, then not starting inside
    a glued word (``PrasetyoMerdeka.com``), then the longest.
    """
    valid: list[tuple[tuple[bool, bool, bool, bool, int], int, Outlet, str | None]] = []
    for start in _starts(head):
        candidate = head[start:]
        if len(candidate) > _HEAD_MAX or _SENTENCE_INSIDE.search(candidate):
            continue  # "Thielitz. Magelang (ANTARA)": a head never spans the end of a sentence
        parsed = _parse_head(candidate, registry)
        outlet, city = parsed or (None, None)
        if outlet is None:
            continue
        places = _places_of(candidate, outlet, registry)
        known = any(place.lower() in known_places() for place in places)
        first = places[0] if places else ""
        plain = first.lower() in known_places() or first.isupper() or (len(first.split()) == 1 and first[:1].isupper())
        if places and _city_first(candidate, registry) and not plain:
            continue
        if not outlet.known and not looks_like_domain(outlet.name) and not (known and first.isupper() and candidate.lstrip().startswith(first)):
            continue  # a name the registry lacks, mid-line, only after a place in capitals: "BALIKPAPAN, Beritaku -"
        glued_on = bool(_GLUED.search(candidate.split()[0]))
        valid.append(((outlet.known, known, city is not None, not glued_on, -start), start, outlet, city))
    if not valid:
        return None
    _rank, start, outlet, city = max(valid, key=lambda v: v[0])
    return start, outlet, city


def _places_of(candidate: str, outlet: Outlet, registry: OutletRegistry) -> list[str]:
    """The place parts of a dateline head, in order (the city first)."""
    if bracketed := _BRACKETED.match(candidate):
        return [part.strip() for part in bracketed["pre"].split(",") if part.strip() and not _NUMERIC_DAY.match(part.strip())]
    return [part.strip() for part in candidate.split(",") if part.strip() and registry.resolve(part.strip()).key != outlet.key]


def _starts(head: str) -> list[int]:
    """Where a head may begin: the starts of the last few words, and inside a word where a
    capitalised word or a sentence's full stop meets a capital (``WartawanTRIBUNBATAM.id``)."""
    starts = [m.start() for m in re.finditer(r"(?<!\S)\S", head)][-_INLINE_HEAD_WORDS:]
    if not starts:
        return []
    glued = [m.end() for m in _GLUED.finditer(head[starts[0] :])]
    return sorted(set(starts) | {starts[0] + g for g in glued})


def _city_first(candidate: str, registry: OutletRegistry) -> bool:
    if _BRACKETED.match(candidate):
        return True
    return _as_outlet(candidate.split(",")[0].strip(), registry) is None


def _inside_domain(line: str, match: re.Match[str]) -> bool:
    """A dash inside a word that reads as a domain (``TRIBUN-MALUKU.COM``) is part of it, not a dateline's."""
    left = re.search(r"\S*$", line[: match.start()])
    right = re.match(r"\S*", line[match.end() :])
    if not left or not right or not left.group() or not right.group():
        return False
    return looks_like_domain((left.group() + match.group() + right.group()).strip(",.;:"))
