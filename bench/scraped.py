"""IndoSum articles as an ordinary scraper saves them: one line, headline glued to the lead.

A scraper that flattens a page's text loses its line breaks: the headline runs into the
dateline (``Banjir Rendam Sampang JAKARTA, KOMPAS.com -Hujan``), outlets that open with a
summary put it before the dateline, app promotions and reporter credits are glued on
without spaces (``Nama WartawanTRIBUNBATAM.id- Empat``), and some pages put a date line
above the headline. Each labelled IndoSum article is rewritten in these shapes, with a
fixed seed, so outlet precision and recall can be measured on them beside the laid-out
originals (``python -m bench.extraction``).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from babel.dates import format_date

SEED = 15
KINDS = ("flat", "teaser", "promotion", "date-above", "date-above-flat")
_SMALL_WORDS = {"di", "ke", "dari", "dan", "yang", "untuk", "dengan", "pada", "atau", "dalam", "oleh"}
_REPORTERS = ["Nama Wartawan", "Rizki Ramadhan", "Dewi Lestari", "Andi Saputra", "Siti Nurhaliza", "Bagus Prasetyo"]
_PROMOTIONS = [
    "Download aplikasi {name} di Play Store atau App Store untuk mendapatkan berita terkini.",
    "Simak berita terkini {name} lainnya di Google News.",
    "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT",
    "Dapatkan update berita pilihan setiap hari dari {name}.",
]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class Variant:
    """One rewritten article: its shape, its text, and the title and date a reader would give it."""

    kind: str
    text: str
    title: str
    date: dt.date | None = None


def headline(slug_title: str) -> str:
    """IndoSum's lower-case titles as outlets write headlines: each word capitalised but the small ones."""
    words = slug_title.split()
    return " ".join(w if w in _SMALL_WORDS and i else w[:1].upper() + w[1:] for i, w in enumerate(words))


def flat(text: str) -> str:
    """Every line break gone, as a scraper that takes a page's text content saves it."""
    return " ".join(text.split())


def _lead_sentence(text: str) -> str:
    """The article's first sentence after its dateline: the teaser an outlet repeats above it."""
    first = flat(text.strip().split("\n", 1)[0])
    dash = re.search(r"\s(?:--|[-–—])\s", first)
    after = first[dash.end():] if dash else first
    return _SENTENCE_END.split(after, maxsplit=1)[0]


def date_line(date: dt.date, rng: random.Random) -> str:
    """``Rabu, 5 Maret 2025 14:20 WIB``."""
    return f"{format_date(date, 'EEEE, d MMMM y', locale='id')} {rng.randrange(6, 23):02d}:{rng.randrange(60):02d} WIB"


def variants(record: dict[str, object], outlet_name: str, rng: random.Random) -> list[Variant]:
    """The record's text in every shape of :data:`KINDS`."""
    text, title = str(record["text"]), headline(str(record["title"]))
    date = dt.datetime.fromisoformat(str(record["date"])).date()
    body = flat(text)
    promotion = " ".join(p.format(name=outlet_name) for p in rng.sample(_PROMOTIONS, 2))
    credit = f"Laporan wartawan {outlet_name} - {rng.choice(_REPORTERS)}"
    stamped = date_line(date, rng)
    return [
        Variant("flat", f"{title} {body}", title),
        Variant("teaser", f"{title} {_lead_sentence(text)} {body}", title),
        Variant("promotion", f"{title} {promotion} {credit}{body}", title),  # the credit glued to the dateline
        Variant("date-above", f"{stamped}\n{title}\n{text}", title, date),
        Variant("date-above-flat", f"{stamped} {title} {body}", title, date),
    ]


def generator() -> random.Random:
    return random.Random(SEED)
