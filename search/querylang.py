"""The query language's surface: what the user typed -> text the Whoosh parser reads, plus filters.

Supported (documented on the help page and in the README): words (all required), ``OR``,
``NOT`` and ``-word``, ``"exact phrase"``, ``judul:``/``title:`` for the headline,
``outlet:kompas`` (any spelling the outlet registry knows), and ``awal*`` prefixes of at
least three letters. Mistakes are repaired, never turned into errors: unbalanced quotes or
brackets, a dangling operator or a too-short prefix become plain words, each with a notice
saying what was done. Only a query over the limits below is refused, with a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.domain.request import InvalidRequest
from search.extract.outlets import default_registry

_FIELD = re.compile(r'(?<![\w"])(?P<name>[A-Za-z_]+):(?P<value>"[^"]*"|[^\s()"]+)')
_SHORT_PREFIX = re.compile(r'(?<![^\s(-])(?P<word>[^\s*"()\-:]{1,2})\*+')
_STRAY_STARS = re.compile(r"(?<![^\s(])\*+|\*{2,}")
_OPERATORS = {"AND", "OR", "NOT"}
_PREFIX = re.compile(r"(?<![^\s(-])(?P<word>[^\s*\"()\-:]+)\*")
MIN_PREFIX = 3
# Limits that bound a query's work whatever is typed (a search for one 490-letter word, or
# sixty prefixes, took tens of seconds): a query with longer words, more words or more
# prefixes than these is refused with a message (QueryTooLarge).
MAX_WORD_LETTERS = 40
MAX_WORDS = 32
MAX_PREFIXES = 5


@dataclass
class Prepared:
    """The parser's text, outlet names from ``outlet:``, and notices for the user."""

    text: str
    outlets: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


_E_SPACED = re.compile(r"(?<![\w-])e(?:\s*-\s*|\s+)(?=[A-Z]{2})")


def prepare(text: str) -> Prepared:
    """Normalise a user query for the parser (see the module docstring)."""
    prepared = Prepared(text=_E_SPACED.sub("e", " ".join(text.split())))  # "e KTP", "e - KTP": one word, as the index holds it
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


# What one part of a query costs, against a plain word's 1: a prefix stands for up to two hundred words,
# a phrase checks positions, an alternative keeps articles with any one of its words.
PREFIX_COST = 8
PHRASE_COST = 2
OR_COST = 1


def query_cost(text: str) -> int:
    """A rough measure of a query's work, before it runs: words, plus prefixes, phrases and OR weighed as above.

    ``harga minyak`` costs 2; thirty-two words, a few short prefixes or a long OR list cost
    tens. The server admits costly queries as it admits exports (a few at a time).
    """
    words = [word for word in text.replace("(", " ").replace(")", " ").split() if word not in ("AND", "NOT")]
    return (sum(word != "OR" for word in words) + OR_COST * words.count("OR") + PREFIX_COST * len(_PREFIX.findall(text))
            + PHRASE_COST * (text.count('"') // 2))


class QueryTooLarge(ValueError):
    """The query asks for more than the limits allow (the message names the limit)."""


def _limit(prepared: Prepared) -> None:
    """Refuse a query over :data:`MAX_WORD_LETTERS`, :data:`MAX_WORDS` or :data:`MAX_PREFIXES`.

    Refused, not cut down: running what is left of such a query still costs, and the user
    should see at once what to change.
    """
    words = prepared.text.split()
    if any(len(run) > MAX_WORD_LETTERS for word in words for run in re.findall(r"\w+", word)):
        raise QueryTooLarge(f"kata lebih dari {MAX_WORD_LETTERS} huruf tidak bisa dicari")
    if sum(word not in _OPERATORS for word in words) > MAX_WORDS:
        raise QueryTooLarge(f"kueri terlalu panjang: paling banyak {MAX_WORDS} kata")
    if len(_PREFIX.findall(prepared.text)) > MAX_PREFIXES:
        raise QueryTooLarge(f"paling banyak {MAX_PREFIXES} pencarian awalan (kata*) dalam satu kueri")


def _field(match: re.Match[str], prepared: Prepared) -> str:
    """A field operator of the language as the parser's field, anything else as plain words.

    Only ``outlet:``/``media:`` and ``judul:``/``title:`` are fields; ``x:date:y`` or
    ``body:harga`` are words (the index's own fields are never reached), and a value's further
    colons are word breaks too, since this text is not scanned again.
    """
    name, value = match["name"].lower(), match["value"]
    if name in ("outlet", "media"):
        prepared.outlets.append(value.strip('"'))
        return " "
    if not value.startswith('"'):
        value, _, rest = value.partition(":")
        rest = " " + rest.replace(":", " ") if rest else ""
    else:
        rest = ""
    if name in ("judul", "title") and value.strip('"'):
        if value.startswith('"'):
            return f"title_exact:{value}{rest}"
        return f"(title:{value} OR title_exact:{value}){rest}"
    return f"{match['name']} {value}{rest}"  # not a field of ours: the words themselves


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


# Up to this many words a query is keywords (each one chosen); longer, a pasted sentence.
KEYWORDS_MAX = 3


def plain_tokens(text: str) -> list[str] | None:
    """The words of a query of two or more plain words (brackets and lone dashes are punctuation), else ``None``.

    ``-word``, ``"phrases"``, ``field:word``, ``prefix*`` and operators say exactly what
    must match: such a query gets no partial matches.
    """
    tokens = [token for token in text.replace("(", " ").replace(")", " ").split() if token not in ("-", "–", "—")]
    syntax = any(t in ("AND", "OR", "NOT") or t.startswith(("-", "+", '"')) or '"' in t or ":" in t or t.endswith("*") for t in tokens)
    return None if syntax or len(tokens) < 2 else tokens


NOTHING_SEARCHABLE = "Kueri tidak berisi kata yang bisa dicari."


def read_query(q: str) -> Prepared:
    """A request's query as every backend reads it: :func:`prepare`'s text and notices, with ``outlet:`` names as outlet keys.

    A query over the limits is the request's error (:class:`~search.domain.request.InvalidRequest`, shown to the user).
    """
    if not q.strip():
        return Prepared(text="")
    try:
        prepared = prepare(q)
    except QueryTooLarge as error:
        raise InvalidRequest(str(error)) from None
    prepared.outlets = [default_registry().resolve(name).key for name in prepared.outlets]
    return prepared
