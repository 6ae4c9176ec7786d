"""Match and score a parsed query with array arithmetic over the posting arrays.

The query tree is the one :mod:`search.backends.whoosh.parsing` builds for Whoosh (terms with their
boosts, ``Or``, ``And``, ``AndNot``, ``Not``, ``AndMaybe``, phrases, constant-scored
prefixes), and every node means here what it means to Whoosh's matchers: a term scores
BM25F with Whoosh's idf, average length and one-byte field lengths; ``And`` and ``Or`` add
their parts' scores; ``AndMaybe`` adds the optional part where it matches; a phrase
scores the sum of its words times its boost where the words stand in order within its
slop. What differs is how: whole posting lists at a time in numpy instead of one posting
at a time in Python. Tests hold the two to the same matches, totals and order.

The proximity bonus (``AndMaybe(words, Phrase(...))``) never changes what matches, and
checking positions is the costly part, so it is kept pending (:class:`Bonus`) with its
upper bound, and :func:`top` checks it only for the documents that can still reach the
requested page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from whoosh.query import And, AndMaybe, AndNot, ConstantScoreQuery, Every, Not, NullQuery, Or, Phrase, Query, Term

from search.backends.whoosh.columns import CODED
from search.backends.whoosh.layout import call_memo
from search.backends.whoosh.mapped import release_over_budget
from search.backends.whoosh.postings import FIELDS, FieldArrays, SegmentArrays
from search.backends.whoosh.scored import Bonus, Scored, add_where, boosted, intersect, member, union
from search.backends.whoosh.termscores import IndexArrays
from search.budget import current_deadline

_STREAM_OF = {"title": "title_exact", "body": "body_exact", "title_exact": "title_exact", "body_exact": "body_exact"}
_EMPTY = np.zeros(0, dtype=np.int64)
# Documents whose token streams are read at a time when checking a phrase (about a million tokens).
_CHAIN_BATCH = 2048


class Unsupported(ValueError):
    """A query node the array engine does not evaluate (the caller falls back to Whoosh)."""


def evaluate(ix: IndexArrays, query: Query) -> Scored:
    """Every live document ``query`` matches with its score; proximity bonuses pending (see :func:`top`)."""
    scored = _evaluate(ix, query)
    live = ix.columns.live
    return scored.keep(live[scored.docs]) if len(scored.docs) and not live[scored.docs].all() else scored


def _evaluate(ix: IndexArrays, node: Query) -> Scored:
    """``node`` matched and scored; a compound node once per engine call (a word's fields are unioned once for the
    search, each of its partial matches' searches and its spelling suggestion)."""
    current_deadline().check()
    handler = _HANDLERS.get(type(node))
    if handler is None:
        if node is NullQuery:
            return Scored.empty()
        raise Unsupported(f"{type(node).__name__} is not evaluated with arrays")
    memo = call_memo() if isinstance(node, _COMPOUND) else None
    if memo is None:
        return handler(ix, node)
    key = ("node", id(ix), node)
    found: Scored | None = memo.get(key)
    if found is None:
        found = memo[key] = handler(ix, node)
    return found


def _term(ix: IndexArrays, node: Term) -> Scored:
    text = node.text if isinstance(node.text, str) else node.text.decode("utf-8")
    if node.fieldname in FIELDS:
        return ix.term(node.fieldname, text, node.boost)
    if node.fieldname in CODED:  # outlet:..., a facet column: Whoosh scores its postings' weight, 1
        codes = ix.columns.codes_of(node.fieldname, [text])
        docs = np.flatnonzero(ix.columns.arrays[node.fieldname] == codes[0]) if len(codes) else _EMPTY
        return Scored(docs.astype(np.int64), np.full(len(docs), float(node.boost)))
    raise Unsupported(f"field {node.fieldname!r}")


def _or(ix: IndexArrays, node: Or) -> Scored:
    parts = [_evaluate(ix, q) for q in node.subqueries]
    if len(parts) == 1:  # Whoosh hands a single part's matcher on as it is, without the boost
        return parts[0]
    united = union(parts, ix.doc_count_all)
    return boosted(united, node.boost)


def _and(ix: IndexArrays, node: And) -> Scored:
    positive = [q for q in node.subqueries if not isinstance(q, Not)]
    negative = [q.query for q in node.subqueries if isinstance(q, Not)]
    parts = sorted((_evaluate(ix, q) for q in positive), key=lambda s: len(s.docs))
    if not parts:
        return Scored.empty()
    result = parts[0]
    for part in parts[1:]:
        result = intersect(result, part)
    for q in negative:
        result = result.keep(~member(result.docs, _evaluate(ix, q).docs))
    return result if len(node.subqueries) == 1 else boosted(result, node.boost)


def _and_not(ix: IndexArrays, node: AndNot) -> Scored:
    positive = _evaluate(ix, node.a)
    if not len(positive.docs):
        return positive
    return positive.keep(~member(positive.docs, _evaluate(ix, node.b).docs))


def _not(ix: IndexArrays, node: Not) -> Scored:
    excluded = _evaluate(ix, node.query).docs
    docs = np.setdiff1d(np.arange(ix.doc_count_all, dtype=np.int64), excluded, assume_unique=True)
    return Scored(docs, np.ones(len(docs)))  # Whoosh's inverse matcher weighs every document 1


def _and_maybe(ix: IndexArrays, node: AndMaybe) -> Scored:
    required = _evaluate(ix, node.a)
    if isinstance(node.b, Phrase) and len(required.docs):
        candidate = _phrase_candidates(ix, node.b, required.docs)
        return replace(required, bonuses=(*required.bonuses, candidate))
    optional = _evaluate(ix, node.b)
    return add_where(required, optional)


def _constant(ix: IndexArrays, node: ConstantScoreQuery) -> Scored:
    docs = _evaluate(ix, node.child).docs
    return Scored(docs, np.full(len(docs), float(node.score)))


def _every(ix: IndexArrays, node: Every) -> Scored:
    return Scored(np.arange(ix.doc_count_all, dtype=np.int64), np.ones(ix.doc_count_all))


def _phrase(ix: IndexArrays, node: Phrase) -> Scored:
    candidate = _phrase_candidates(ix, node, None)
    held = phrase_holds(ix, node, candidate.docs)
    return Scored(candidate.docs[held], candidate.amounts[held])


def _phrase_candidates(ix: IndexArrays, node: Phrase, within: np.ndarray | None) -> Bonus:
    """Documents with every word of the phrase (in ``within``), and the phrase's score for each."""
    if node.fieldname not in _STREAM_OF or not node.words:
        raise Unsupported(f"phrase in {node.fieldname!r}")
    words = [ix.term(node.fieldname, w if isinstance(w, str) else w.decode("utf-8"), 1.0) for w in node.words]
    # Within the required matches (a few thousand of the words' tens of thousands), look the words up from there;
    # the scores add up in the same order either way, 0 + a being a.
    result = words[0] if within is None else Scored(within, np.zeros(len(within)))
    for word in words[1:] if within is None else words:
        result = intersect(result, word)
    return Bonus(node, result.docs, result.scores * node.boost)


def phrase_holds(ix: IndexArrays, phrase: Phrase, docs: np.ndarray) -> np.ndarray:
    """Which of ``docs`` have the phrase's words in order, each within ``slop`` places of the one before.

    Whoosh's span matching, in arrays: the positions where the first ``i`` words can end a
    chain are carried to the next word, which must follow the nearest of them by 1..slop.
    """
    held = np.zeros(len(docs), dtype=bool)
    if len(phrase.words) == 1:
        held[:] = True
        return held
    bounds = np.searchsorted(docs, [offset for offset, _ in ix.segments] + [ix.doc_count_all])
    for number, (offset, arrays) in enumerate(ix.segments):
        for lo in range(int(bounds[number]), int(bounds[number + 1]), _CHAIN_BATCH):  # bounded memory however many match
            hi = min(lo + _CHAIN_BATCH, int(bounds[number + 1]))
            current_deadline().check()
            held[lo:hi] = _chains(arrays, phrase, docs[lo:hi] - offset)
            release_over_budget()  # a common phrase reads the token streams of most of a million articles
    return held


def _chains(arrays: SegmentArrays, phrase: Phrase, local: np.ndarray) -> np.ndarray:
    """Which of ``local`` (ascending) hold the phrase, from its words' positions in them alone."""
    target: FieldArrays = arrays.fields[phrase.fieldname]
    ids = [target.find(w if isinstance(w, str) else w.decode("utf-8")) for w in phrase.words]
    if min(ids) < 0:
        return np.zeros(len(local), dtype=bool)
    places: dict[int, np.ndarray] = {}
    for word in set(ids):
        owner, position = target.positions_in(word, local)
        places[word] = np.sort(owner * (1 << 32) + position)
    reach = places[ids[0]]
    for word in ids[1:]:
        following = places[word]
        before = np.searchsorted(reach, following) - 1
        ok = before >= 0
        ok[ok] = following[ok] - reach[before[ok]] <= phrase.slop
        reach = following[ok]
        if not len(reach):
            break
    held = np.zeros(len(local), dtype=bool)
    held[np.unique(reach >> 32)] = True
    return held


_COMPOUND = (Or, And, AndNot, AndMaybe, Phrase)
_HANDLERS: dict[type, Callable[[IndexArrays, Query], Scored]] = {
    Term: _term, Or: _or, And: _and, AndNot: _and_not, Not: _not, AndMaybe: _and_maybe,
    ConstantScoreQuery: _constant, Every: _every, Phrase: _phrase,
}
