"""The query language's surface: what the user typed -> text the Whoosh parser reads, plus filters.

Supported (documented on the help page and in the README): words (all required), ``OR``,
``NOT`` and ``-word``, ``"exact phrase"``, ``judul:``/``title:`` for the headline,
``outlet:kompas`` (any spelling the outlet registry knows), and ``awal*`` prefixes of at
least three letters. Mistakes are repaired, never turned into errors: unbalanced quotes or
brackets, a dangling operator or a too-short prefix become plain words, each with a notice
saying what was done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FIELD = re.compile(r'(?<![\w"])(?P<name>[A-Za-z_]+):(?P<value>"[^"]*"|[^\s()"]+)')
_SHORT_PREFIX = re.compile(r'(?<![^\s(-])(?P<word>[^\s*"()\-:]{1,2})\*+')
_STRAY_STARS = re.compile(r"(?<![^\s(])\*+|\*{2,}")
_OPERATORS = {"AND", "OR", "NOT"}
_PREFIX = re.compile(r"(?<![^\s(-])(?P<word>[^\s*\"()\-:]+)\*")
MIN_PREFIX = 3
# Limits that bound a query's work whatever is typed (a search for one 490-letter word, or
# sixty prefixes, took tens of seconds): longer words, more words and more prefixes than
# these are dropped or searched as plain words, with a notice.
MAX_WORD_LETTERS = 40
MAX_WORDS = 32
MAX_PREFIXES = 5


@dataclass
class Prepared:
    """The parser's text, outlet names from ``outlet:``, and notices for the user."""

    text: str
    outlets: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def prepare(text: str) -> Prepared:
    """Normalise a user query for the parser (see the module docstring)."""
    prepared = Prepared(text=" ".join(text.split()))
    if prepared.text.count('"') % 2:
        prepared.text = prepared.text.replace('"', " ")
        prepared.notices.append("Tanda kutip tidak berpasangan, jadi diabaikan.")
    if prepared.text.count("(") != prepared.text.count(")"):
        prepared.text = prepared.text.replace("(", " ").replace(")", " ")
        prepared.notices.append("Tanda kurung tidak berpasangan, jadi diabaikan.")
    prepared.text = _FIELD.sub(lambda match: _field(match, prepared), prepared.text)
    if _SHORT_PREFIX.search(prepared.text):
        prepared.text = _SHORT_PREFIX.sub(lambda match: match["word"], prepared.text)
        prepared.notices.append(f"Pencarian awalan kata (kata*) perlu sedikitnya {MIN_PREFIX} huruf.")
    prepared.text = _STRAY_STARS.sub(" ", prepared.text)
    _limit(prepared)
    words = prepared.text.split()
    trimmed = _trim_operators(words)
    if trimmed != words:
        prepared.notices.append("Operator AND/OR/NOT perlu kata di kedua sisinya; yang berlebih diabaikan.")
    prepared.text = " ".join(trimmed)
    return prepared


def _limit(prepared: Prepared) -> None:
    """Apply :data:`MAX_WORD_LETTERS`, :data:`MAX_PREFIXES` and :data:`MAX_WORDS`, saying what was dropped."""
    words = prepared.text.split()
    short = [w for w in words if max(map(len, re.findall(r"\w+", w)), default=0) <= MAX_WORD_LETTERS]
    if len(short) < len(words):
        prepared.notices.append(f"Kata yang lebih dari {MAX_WORD_LETTERS} huruf diabaikan.")
    positions = [i for i, w in enumerate(short) if w not in _OPERATORS]
    if len(positions) > MAX_WORDS:
        short = short[:positions[MAX_WORDS]]
        prepared.notices.append(f"Kueri dipotong: paling banyak {MAX_WORDS} kata.")
    prepared.text = " ".join(short)
    seen = 0

    def count(match: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return match[0] if seen <= MAX_PREFIXES else match["word"]

    prepared.text = _PREFIX.sub(count, prepared.text)
    if seen > MAX_PREFIXES:
        prepared.notices.append(f"Paling banyak {MAX_PREFIXES} pencarian awalan (kata*); sisanya dicari sebagai kata biasa.")


def _field(match: re.Match[str], prepared: Prepared) -> str:
    name, value = match["name"].lower(), match["value"]
    if name in ("outlet", "media"):
        prepared.outlets.append(value.strip('"'))
        return " "
    if name in ("judul", "title"):
        if value.startswith('"'):
            return f"title_exact:{value}"
        return f"(title:{value} OR title_exact:{value})"
    return f"{match['name']} {value}"  # not a field of ours: the words themselves


def _trim_operators(words: list[str]) -> list[str]:
    """Drop operators with nothing to combine: at the ends, or two in a row."""
    kept: list[str] = []
    for word in words:
        if word in _OPERATORS and (not kept or kept[-1] in _OPERATORS) and word != "NOT":
            continue
        if word in ("AND", "OR") and kept and kept[-1] == "NOT":
            continue
        kept.append(word)
    while kept and kept[-1] in _OPERATORS:
        kept.pop()
    return kept
