"""The user's words -> a query tree, the same for every backend: fields and weights, phrases as written.

Every word is required by default and ``"quoted phrases"`` match in order; both go through
the same Indonesian analyzer as the index. The tree is Whoosh's query objects (``Term``,
``Phrase``, ``Prefix``, ``And``, ``Or``, ``Not``), read by Whoosh's query parser: the
Whoosh backend evaluates it over its arrays and the OpenSearch backend translates it into
the cluster's query DSL, so both backends read a query alike and find the same articles.
What depends on an index (the exact forms' idf, the words a prefix stands for) is added by
each backend.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh import qparser
from whoosh.fields import TEXT, Schema
from whoosh.query import And, NullQuery, Or, Phrase, Prefix, Query, Term

from search.analyzer import TOKEN_PATTERN, exact_analyzer, fold, indonesian_analyzer, stem_word

# Stemmed fields find every inflection; exact fields hold the words as written, so a
# document using the word as typed outranks one that only shares its stem.
STEM_FIELDS = ("title", "body")
EXACT_FIELDS = ("title_exact", "body_exact")

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


@lru_cache(maxsize=1)
def query_schema() -> Schema:
    """The searched fields with their analyzers: all the query parser needs to know of an index."""
    stems, exact = indonesian_analyzer(), exact_analyzer()
    return Schema(title=TEXT(analyzer=stems), body=TEXT(analyzer=stems), title_exact=TEXT(analyzer=exact),
                  body_exact=TEXT(analyzer=exact))


def parse_words(text: str, weights: dict[str, float], *, require_all: bool = True, schema: Schema | None = None) -> Query:
    """The query tree for the user's words (NullQuery when nothing searchable remains).

    Every word is looked for in each field of ``weights``, weighted; a quoted phrase
    matches the words as written (its stemmed variants are dropped). The parser is
    lenient; if it still fails on odd input we fall back to plain words, so a strange
    query never becomes an error page.
    """
    query = _plain_query(text, weights, require_all)
    if query is None:
        query = _parsed(text, schema or query_schema(), weights, require_all)
        if query is NullQuery:
            return NullQuery
    if any(name not in STEM_FIELDS for name in weights) and any(isinstance(leaf, (Phrase, Prefix)) for leaf in query.leaves()):
        query = _phrases_as_written(query)  # nothing to drop otherwise, and the tree is already normalized
    return query


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
        forms = [fold(word) for word in words]
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


def _phrases_as_written(query: Query) -> Query:
    def drop(node: Query) -> Query:
        if isinstance(node, (Phrase, Prefix)):  # phrases and word* prefixes work on words as written
            return NullQuery if node.fieldname in STEM_FIELDS else node
        return node.apply(drop)

    return drop(query).normalize()
