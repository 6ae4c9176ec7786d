"""How a city, a rubrik (category) or an author becomes a facet value: one spelling for one name.

Extraction keeps what the article writes (``MUSI RAWAS``, ``Musi Rawas``; ``Tajuk Utama``,
``tajuk utama``); a facet must count them as one. The value is also what the page shows and
what a URL carries (``city=Musi Rawas``), so it is made readable rather than folded to lower
case: words written all in capitals become capitalised words, except short abbreviations
(``IKN``, ``NTB``, ``DKI``) that stay as they are; rubriks, which outlets write in any case,
are lower case with a capital first letter.
"""

from __future__ import annotations

ABBREVIATION_MAX = 3  # IKN, NTB, DKI, KPK: all-capital words this short are kept as written (MUSI is Musi)


def facet_value(kind: str, text: str | None) -> str | None:
    """The facet value of a ``city``, ``category`` or ``author`` as written; ``None`` when there is none."""
    words = " ".join((text or "").split())
    if not any(c.isalnum() for c in words):  # "-", "…": a scraper's placeholder, not a name
        return None
    if kind == "category":
        lowered = words.lower()
        return lowered[:1].upper() + lowered[1:]
    return " ".join(_name_word(word) for word in words.split(" "))


def _name_word(word: str) -> str:
    if word.isupper() and len(word) > ABBREVIATION_MAX:
        return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
    return word
