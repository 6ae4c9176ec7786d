"""Which part of a dateline is its city: a place's name, never a country, an acronym or a misspelling.

The city is a facet value a reader filters by, so a word that only stands where a dateline's
place would (a rubric's ``OPINI -``, ``SIMAK JUGA -``, ``S - 400``) or a misspelt place
(``AKARTA (Pos Kota)``, ``MADIRD, JUARA.net``) must not become one. A place abroad is an
honest city (``GLASGOW, JUARA.net -``); a country alone is not a city
(``search/data/countries.txt``), and beside a city it only says where the city is. A place
the lists do not know is a city when the dateline's shape vouches for it; one that is a
known place with a letter lost or two letters swapped is a misspelling, and the city is
left unknown rather than guessed: a letter changed is not, as real places differ so
(``Sepang`` and ``Serang``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from search.extract.outlets import known_places, looks_like_domain

_PLACE = re.compile(r"^[A-Z][A-Za-z.'’-]*(?:\s+[A-Za-z][A-Za-z.'’-]*){0,3}$")
_MIN_LETTERS = 3  # no place's name is shorter; "S - 400", "H - 2 lebaran" and "Co - Founder" are not datelines
# Short names differ by a letter too often to call one a misspelling: Solo and Solok, Karo and Kairo, Luwu and Luwuk.
_MISSPELT_LETTERS = 5


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    """Lower-cased names of countries and continents (``search/data/countries.txt``)."""
    lines = resources.files("search").joinpath("data/countries.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_place(part: str) -> bool:
    """Shaped like a place's name: capitalised words, at least three letters, not a domain."""
    return bool(_PLACE.match(part)) and sum(c.isalpha() for c in part) >= _MIN_LETTERS and not looks_like_domain(part)


def is_known_place(part: str) -> bool:
    """A place the list knows, or a place's name in capitals (``SEMARANG (Suarabaru)``)."""
    return part.lower() in known_places() or (part.isupper() and is_place(part))


def is_country(part: str) -> bool:
    return part.lower() in known_countries()


def place_name(part: str) -> str:
    """``PANGKALAN BUN`` -> ``Pangkalan Bun``; mixed case is kept as written."""
    return part.title() if part.isupper() else part


def city_of(parts: Sequence[str]) -> str | None:
    """The city among a dateline's place parts, in order: the first that is not a country, nor an
    acronym in capitals among places written in mixed case (``PBB, New York``); ``None`` when there
    is none, or when it is a misspelt known place."""
    mixed = any(not part.isupper() for part in parts)
    for part in parts:
        if is_country(part) or (mixed and part.isupper() and part.lower() not in known_places()):
            continue
        return None if misspelt(part) else place_name(part)
    return None


def misspelt(part: str) -> bool:
    """A place the list does not know that is a known one with a letter lost or two neighbours swapped (``Jakart``, ``Madird``)."""
    written = _letters(part)
    known = _known_letters()
    if written in known or len(written) < _MISSPELT_LETTERS:
        return False
    swapped = {written[:i] + written[i + 1] + written[i] + written[i + 2:] for i in range(len(written) - 1)}
    return bool(swapped & known) or any(len(place) == len(written) + 1 and _one_lost(place, written) for place in known)


def _one_lost(longer: str, shorter: str) -> bool:
    """Whether ``shorter`` is ``longer`` with one letter left out."""
    i = next((i for i, (a, b) in enumerate(zip(longer, shorter, strict=False)) if a != b), len(shorter))
    return longer[i + 1:] == shorter[i:]


def _letters(part: str) -> str:
    return "".join(c for c in part.lower() if c.isalpha())


@lru_cache(maxsize=1)
def _known_letters() -> frozenset[str]:
    """The known places as their letters alone: ``Bandar Lampung`` and ``Bandarlampung`` are one place."""
    return frozenset(_letters(place) for place in known_places())
