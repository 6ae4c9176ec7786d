"""What stands before a dateline: the headline, and what a scraper glued to it.

Laid-out text has the headline on a line of its own above the dateline, sometimes with a
date line above or below it (``Rabu, 5 Maret 2025 14:20 WIB``): the date line is the
article's date, never its title. Flattened text glues everything before the dateline into
one run: a date stamp, the headline, a teaser sentence (outlets that open with their
summary), app promotions, a reporter's credit. The headline is what is left of that run
once the date stamps, promotions and credit are taken out and the teaser is cut off; the
rest is kept for finding the date, not for the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.extract.dates import date_stamp_at_end, date_stamp_length

_HEADLINE_END_BAD = (".", ",", ":", ";")
# Words Indonesian headlines leave in lower case ("Banjir Rendam Tiga Kecamatan di Sampang").
_SMALL_WORDS = {"di", "ke", "dari", "dan", "yang", "untuk", "dengan", "pada", "atau", "dalam", "oleh", "vs"}
_TO_SENTENCE_END = r".*?(?:[.!?](?=\s|$)|$)"  # "… dari Suara.com." ends at the full stop, not in the domain
_PROMOTIONS = [
    re.compile(r"\b(?:download|unduh)\s+aplikasi\b.{0,70}?\b(?:app\s*store|play\s*store|google\s*play)\b" + _TO_SENTENCE_END, re.I),
    re.compile(
        r"\b(?:simak|ikuti|dapatkan|gabung|baca)\b.{0,70}?\b(?:google news|whatsapp|telegram|channel|update berita|berita pilihan)\b"
        + _TO_SENTENCE_END,
        re.I,
    ),
    re.compile(r"\badvertisement\b|\bscroll to (?:continue with|resume) content\b", re.I),
    re.compile(r"\blaporan\s+(?:wartawan|reporter|jurnalis|kontributor)\b.*$", re.I),
    re.compile(r"\b(?:reporter|penulis|pewarta|editor|kontributor)\s*:.*$", re.I),
]
# "Kompas.com - 05/03/2025, 14:20 WIB" glued after the headline: the page's date stamp.
_GLUED_STAMP = re.compile(r"(?:\S+\s*[-–]\s*)?\d{1,2}/\d{1,2}/\d{4},?\s*\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT)?", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"”’']?(?=\s|$)")
_TEASER_WORDS = 4


@dataclass(frozen=True)
class Header:
    """The headline (if one reads as such); the header text to look for the date in, date stamps
    first; and glued text that is the article's own (a teaser), kept at the top of the body."""

    title: str | None
    lead: list[str]
    kept: list[str]


def split_header(lines: list[str], glued: str, body_start: str, *, detect_title: bool = True) -> Header:
    """The headline and lead of the header: whole ``lines`` above the dateline, ``glued`` text before it on its line.

    ``body_start`` is the text right after the dateline: a teaser that repeats it is cut
    off the headline where it begins.
    """
    stamps: list[str] = []
    whole = [rest for line in lines if (rest := _without_stamp(line, stamps))]
    glued = _without_stamp(glued, stamps)
    title = None
    if detect_title and whole:
        title = whole[0] if is_headline(whole[0]) else None
        whole = whole[1:] if title else whole
    elif glued:
        title, glued = glued_title(glued, body_start, stamps)
        title, glued = (title, glued) if detect_title else (None, " ".join(filter(None, [title, glued])))
    return Header(title, stamps + whole, [glued] if glued else [])


def glued_title(text: str, body_start: str, stamps: list[str]) -> tuple[str | None, str]:
    """``(headline, what else)`` of a run of text a scraper glued before the dateline; its date stamps go to ``stamps``."""
    stamps.extend(stamp.group() for stamp in _GLUED_STAMP.finditer(text))
    cleaned = _GLUED_STAMP.sub(" ", text)
    for pattern in _PROMOTIONS:
        cleaned = pattern.sub(" ", cleaned)
    cleaned = " ".join(cleaned.split())
    if (at := date_stamp_at_end(cleaned)) < len(cleaned):  # "Banjir … di Pati Rabu, 5 Maret 2025 14:20 WIB"
        stamps.append(cleaned[at:])
        cleaned = cleaned[:at].strip()
    if not cleaned:
        return None, ""
    cut = _teaser_start(cleaned, body_start) if _SENTENCE_END.search(cleaned) else len(cleaned)
    title = cleaned[:cut].strip()
    return (title, cleaned[cut:].strip()) if is_headline(title) else (None, cleaned)


def _teaser_start(text: str, body_start: str) -> int:
    """Where a teaser sentence begins after the headline in ``text``.

    Where the teaser repeats the lead, at the lead's first words; otherwise one word before
    the first lower-case word a headline would not write (a sentence's first word is
    capitalised, a headline's words all are).
    """
    opening = " ".join(body_start.split()[:_TEASER_WORDS])
    if len(opening.split()) == _TEASER_WORDS and (at := text.rfind(opening)) > 0:
        return at
    words = list(re.finditer(r"\S+", text))
    for number, word in enumerate(words):
        first = word.group()[0]
        if first.islower() and word.group().lower().strip(",") not in _SMALL_WORDS:
            return words[number - 1].start() if number else 0
    return len(text)


def _without_stamp(line: str, stamps: list[str]) -> str:
    """``line`` without a leading date stamp, which goes to ``stamps``."""
    length = date_stamp_length(line)
    if length:
        stamps.append(line[:length].strip())
    return line[length:].strip()


def is_headline(line: str) -> bool:
    """A short line that does not end like a sentence reads as a headline."""
    words = len(line.split())
    return 3 <= words <= 30 and len(line) <= 250 and not line.endswith(_HEADLINE_END_BAD)
