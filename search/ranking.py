"""How words as written and their stems share a document's score.

Every query word is looked for four times: in ``title_exact``/``body_exact`` (the word as
typed, lower-cased) and in ``title``/``body`` (its Sastrawi stem). The stem fields find
every inflection; the exact fields add a bonus to documents that use the very form typed.

That bonus must be worth something only when the form says more than its stem. A user who
types a rare form (``ditetapkan``, whose stem ``tetap`` is in a third of the archive) is
pointing at the articles that use it; a user who types the stem's everyday form
(``harga``) says nothing the stem did not. So each exact term is weighed by its *excess*
inverse document frequency over its stem's, less a threshold: ``idf(form) - idf(stem) -
EXACT_THRESHOLD``, never below a small tie-breaking floor. BM25 is linear in idf, so this is a per-term boost.
With a plain additive bonus the two kinds of query traded against each other (exact-heavy
weights won words typed as in the article and lost re-inflected ones); see
docs/RELEVANCE.md for the measured table and ``python -m bench.relevance`` to rerun it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.query import And, AndMaybe, Or, Phrase, Prefix, Query, Term

from search.analyzer import stem_word

# The stemmed field each exact field shadows.
STEM_OF_FIELD = {"title_exact": "title", "body_exact": "body"}


@dataclass(frozen=True)
class Ranking:
    """Field weights, and whether the exact bonus is weighed by excess idf and nearness counts."""

    weights: dict[str, float] = field(default_factory=dict)
    excess_idf: bool = False
    proximity: bool = False
    any_word: bool = False  # a document with any of the words matches (the OR baselines)


# The service's ranking ("combined"): titles count twice the body, exact-form terms are
# weighed by their excess idf (see weigh_exact_forms), and articles whose body has the
# query's words near each other get a bonus (see with_proximity); all tuned on the dev set.
# The single methods, ablations and baselines it is measured against live with the
# benchmark (bench/rankings.py).
COMBINED_WEIGHTS = {"title_exact": 16.0, "body_exact": 8.0, "title": 2.0, "body": 1.0}
COMBINED = Ranking(COMBINED_WEIGHTS, excess_idf=True, proximity=True)
# Natural-log idf units: a form must be rarer than its stem by a factor of about e before
# it earns more than a tie-breaking bonus (the floor keeps the typed form first when all
# else is equal, however common it is).
EXACT_THRESHOLD = 1.0
EXACT_FLOOR = 0.1
# In a query of more words than this (a pasted sentence rather than chosen keywords) the
# forms are set by the sentence's grammar (passive di- or active me-, as the sentence's
# voice demands) more than by the reader's choice, so the exact-form bonus is halved.
LONG_QUERY_WORDS = 4
LONG_QUERY_EXACT_SCALE = 0.5
# Query words at most this many positions apart, in order, in the body (stems).
PROXIMITY_SLOP = 10
PROXIMITY_BOOST = 3.0


def weigh_exact_forms(query: Query, idf: Callable[[str, str], float], weights: dict[str, float]) -> Query:
    """``query`` with every exact-form term's boost scaled by its excess idf (see the module docstring).

    ``idf(field, word)`` is the index's idf (Whoosh's formula). Only for rankings that also
    score stems: alone, the exact fields keep plain BM25.
    Phrases and prefixes exist only in the exact fields (they match words as written), so
    they are the whole match, not a bonus: they get the weight of the stemmed field instead.
    """
    words = {t.text for t in query.leaves() if isinstance(t, Term) and t.fieldname == "body_exact"}
    length_scale = LONG_QUERY_EXACT_SCALE if len(words) > LONG_QUERY_WORDS else 1.0

    def scale(node: Query) -> Query:
        field_name = getattr(node, "fieldname", None)
        if field_name not in STEM_OF_FIELD:
            return node.apply(scale)
        if isinstance(node, Term) and isinstance(node.text, str):
            form_idf = idf(field_name, node.text)
            stem_idf = idf(STEM_OF_FIELD[field_name], stem_word(node.text))
            factor = max(EXACT_FLOOR, form_idf - stem_idf - EXACT_THRESHOLD) / form_idf
            return Term(field_name, node.text, boost=node.boost * factor * length_scale)
        if isinstance(node, (Phrase, Prefix)):
            stem_weight = weights.get(STEM_OF_FIELD[field_name], 1.0)
            scaled = copy.copy(node)
            scaled.boost = node.boost * stem_weight / weights.get(field_name, 1.0)
            return scaled
        return node.apply(scale)

    return scale(query)


def with_proximity(query: Query, *, any_word: bool = False) -> Query:
    """``query`` plus a bonus (never a requirement) for bodies with its words close together.

    Applies to plain word queries (all words, or the any-word fallback) of two words or
    more: a reader who remembers a story types words that stand near each other in it, and
    news leads pack the story's key words into one sentence. Queries with OR, NOT, phrases
    or prefixes are left alone: nearness of alternatives or exclusions means nothing.
    """
    words = _plain_body_words(query, Or if any_word else And)
    if len(words) < 2:
        return query
    return AndMaybe(query, Phrase("body", words, slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST))


def _plain_body_words(query: Query, connective: type[Query]) -> list[str]:
    """The body stems of ``connective``(word, word, ...), in order; [] for any other shape."""
    if type(query) is not connective:
        return []
    words = []
    for word in query.subqueries:
        terms = word.subqueries if type(word) is Or else [word]
        body = [t.text for t in terms if isinstance(t, Term) and t.fieldname == "body"]
        if len(body) != 1 or not all(isinstance(t, Term) for t in terms):
            return []
        words.append(body[0])
    return words
