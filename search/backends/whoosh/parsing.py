"""The user's words -> a Whoosh query: fields and weights, phrases as written, bounded prefixes.

Every word is required by default and ``"quoted phrases"`` match in order; both go through
the same Indonesian analyzer as the index.
"""

from __future__ import annotations

import heapq
import re
from typing import TYPE_CHECKING

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.query import And, ConstantScoreQuery, NullQuery, Or, Phrase, Prefix, Query, Term

from search.analyzer import TOKEN_PATTERN, stem_word
from search.backends.whoosh.evaluation import IndexArrays
from search.backends.whoosh.ranking import COMBINED, Ranking, weigh_exact_forms, with_proximity
from search.backends.whoosh.schema import STEM_FIELDS

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot

# Parser features: words, "phrases", AND/OR/NOT, -word, brackets, field prefixes (only the
# ones search.querylang writes) and word* prefixes. Wildcards inside words, ranges and
# boosts would turn ordinary text into syntax.
_REMOVED_PLUGINS = (
    qparser.WildcardPlugin,
    qparser.RangePlugin,
    qparser.BoostPlugin,
    qparser.EveryPlugin,
    qparser.SingleQuotePlugin,
)
# ``-word`` and ``+word`` only at the start of a word: ``buka-bukaan`` and ``e-KTP`` are words,
# and a dash standing alone (``Jakarta - Bandung``) is punctuation.
_WORD_START = r"(?<![^\s(])"
_QUERY_FIELDS = r"(?P<text>title_exact|title):"
_APOSTROPHES = re.compile(r"['’]")


def parse_user_query(text: str, snapshot: Snapshot, *, ranking: Ranking = COMBINED, require_all: bool = True) -> Query:
    """The Whoosh query for the user's words (NullQuery when nothing searchable remains).

    Every word is looked for in each field of the ranking, weighted; a quoted phrase
    matches the words as written (its stemmed variants are dropped). The parser is
    lenient; if it still fails on odd input we fall back to plain words, so a strange
    query never becomes an error page.
    """
    rank = ranking
    weights = rank.weights
    query = _plain_query(text, weights, require_all)
    if query is None:
        query = _parsed(text, snapshot.searcher.schema, weights, require_all)
        if query is NullQuery:
            return NullQuery
    if any(name not in STEM_FIELDS for name in weights):
        query = _phrases_as_written(query)
    ix = snapshot.arrays
    if rank.excess_idf:
        query = weigh_exact_forms(query, ix.idf_of, weights)
    if rank.proximity:
        query = with_proximity(query, any_word=not require_all)
    return _bounded_prefixes(query, ix)


_PLAIN_WORD = re.compile(TOKEN_PATTERN)
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
# A query's pieces: a "quoted phrase" or a run of characters without quotes or spaces.
_PIECE = re.compile(r'"([^"]*)"|[^\s"]+')


def _plain_query(text: str, weights: dict[str, float], require_all: bool) -> Query | None:
    """The parser's query for words and ``"quoted phrases"`` without other syntax, built directly.

    ``None`` when there is syntax (operators, ``-word``, fields, ``word*``, brackets, a stray
    quote, a quoted single word, which the parser reads without field weights) or a word
    the analyzers would not keep as one token: the parser reads those.
    Whoosh's query parser costs two to five milliseconds a query, as much as the search
    itself; most queries are a few plain words or a phrase. A test holds this to the
    parser's own result.
    """
    parts: list[Query] = []
    end = 0
    for piece in _PIECE.finditer(text):
        if text[end:piece.start()].strip() or (parts and piece.start() == end):
            return None  # a quote glued to a word: the parser's business
        end = piece.end()
        quoted = piece.group(1) is not None
        words = piece.group(1).split() if quoted else [piece.group()]
        if len(words) < (2 if quoted else 1) or any(word in _OPERATOR_WORDS or not _PLAIN_WORD.fullmatch(word) for word in words):
            return None
        forms = [_APOSTROPHES.sub("", word.lower()) for word in words]
        stems = [stem_word(form) for form in forms]
        if len(words) == 1:
            parts.append(Or([Term(name, stems[0] if name in STEM_FIELDS else forms[0], boost=boost) for name, boost in weights.items()]))
        else:
            parts.append(Or([Phrase(name, stems if name in STEM_FIELDS else forms, slop=1, boost=boost) for name, boost in weights.items()]))
    if not parts or text[end:].strip():
        return None
    return (And(parts) if require_all else Or(parts)).normalize()


def _parsed(text: str, schema: Schema, weights: dict[str, float], require_all: bool) -> Query:
    """The query parser's reading of ``text``, or of its plain words when it cannot read it (NullQuery for nothing)."""
    group = qparser.AndGroup if require_all else qparser.OrGroup
    parser = qparser.MultifieldParser(list(weights), schema, fieldboosts=weights, group=group)
    for plugin in _REMOVED_PLUGINS:
        parser.remove_plugin_class(plugin)
    # Field prefixes reach only the fields search.querylang writes: any other ``name:`` is words.
    parser.replace_plugin(qparser.FieldsPlugin(expr=_QUERY_FIELDS))
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=_WORD_START + r"\+(?=[\w\"(])", minusexpr=_WORD_START + r"-(?=[\w\"(])"))
    parser.add_plugin(qparser.PrefixPlugin())
    try:
        return parser.parse(text)
    except Exception:  # noqa: BLE001 - any parser failure degrades to plain words, without operators
        words = [w for w in re.split(r"[^\w-]+", text) if w and w not in ("AND", "OR", "NOT")]
        try:
            return parser.parse(" ".join(w.lstrip("-+") for w in words))
        except Exception:  # noqa: BLE001 - nothing searchable is a message, never an error page
            return NullQuery


# A prefix stands for at most this many words, the most frequent it starts (``pe*`` starts thousands).
MAX_PREFIX_WORDS = 200
MAX_PREFIX_SCANNED = 50_000


def _bounded_prefixes(query: Query, ix: IndexArrays) -> Query:
    """Each ``word*`` as its :data:`MAX_PREFIX_WORDS` most frequent words, scored as one constant like Whoosh's prefix.

    Whoosh expands a prefix to every word it starts and merges all their postings, so a few
    short prefixes made one query run for tens of seconds.
    """
    if not any(isinstance(leaf, Prefix) for leaf in query.leaves()):
        return query

    def bound(node: Query) -> Query:
        if not isinstance(node, Prefix):
            return node.apply(bound)
        frequent = heapq.nlargest(MAX_PREFIX_WORDS, ix.prefixed(node.fieldname, node.text, MAX_PREFIX_SCANNED))
        if not frequent:
            return NullQuery
        words = Or([Term(node.fieldname, term) for _, term in frequent])
        return ConstantScoreQuery(words, node.boost)

    return bound(query).normalize()


def _phrases_as_written(query: Query) -> Query:
    def drop(node: Query) -> Query:
        if isinstance(node, (Phrase, Prefix)):  # phrases and word* prefixes work on words as written
            return NullQuery if node.fieldname in STEM_FIELDS else node
        return node.apply(drop)

    return drop(query).normalize()
