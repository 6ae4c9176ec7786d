"""What the service's ranking is measured against, and the ids a ranking puts first (what relevance evaluation scores).

Only the benchmark needs these: the product ranks with
:data:`search.ranking.COMBINED` alone. "exact" and "stem" are the single
methods it combines, the ablations drop one of its parts, and the baselines are plain BM25
over the article's text with any of the words (as written, or as Sastrawi stems).
"""

from __future__ import annotations

import numpy as np

from search.backends.whoosh.evaluation import evaluate
from search.backends.whoosh.parsing import NullQuery, parse_user_query
from search.backends.whoosh.partial import partial_matches
from search.backends.whoosh.snapshot import Snapshot
from search.backends.whoosh.topk import ranked
from search.domain.result import PARTIAL_BELOW
from search.partials import PARTIAL_AMONG, in_page_order, placed
from search.querylang import KEYWORDS_MAX, plain_tokens
from search.ranking import COMBINED, COMBINED_WEIGHTS, Ranking

RANKINGS: dict[str, Ranking] = {
    "exact": Ranking({"title_exact": 2.0, "body_exact": 1.0}),
    "stem": Ranking({"title": 2.0, "body": 1.0}),
    "combined": COMBINED,
}
ABLATIONS: dict[str, Ranking] = {
    "stem + proximity": Ranking({"title": 2.0, "body": 1.0}, proximity=True),
    "combined without proximity": Ranking(COMBINED_WEIGHTS, excess_idf=True),
}
BASELINES: dict[str, Ranking] = {
    "exact OR": Ranking({"body_exact": 1.0}, any_word=True),
    "stem OR": Ranking({"body": 1.0}, any_word=True),
}


def ranking_named(name: str) -> Ranking:
    """A ranking of :data:`RANKINGS`, :data:`ABLATIONS` or :data:`BASELINES` by name."""
    return RANKINGS.get(name) or ABLATIONS.get(name) or BASELINES[name]


def ranked_ids(snapshot: Snapshot, text: str, *, ranking: str = "combined", limit: int = 10, partial_below: int = PARTIAL_BELOW) -> list[str]:
    """The ids of the first ``limit`` results for ``text`` as the page lists them, partial matches at their place: what evaluation measures."""
    ix = snapshot.arrays
    rank = ranking_named(ranking)
    query = parse_user_query(text, snapshot, ranking=rank, require_all=not rank.any_word)
    if query is NullQuery:
        return []
    scored = evaluate(ix, query)
    docs, scores = ranked(ix, scored, limit) if len(scored.docs) else (np.zeros(0, dtype=np.int64), np.zeros(0))
    shown = docs.tolist()
    tokens = plain_tokens(text)
    room = limit - len(docs) if len(scored.docs) < partial_below else 0
    among = tokens is not None and len(tokens) <= KEYWORDS_MAX
    if not rank.any_word and (room or among):
        everything = lambda found: np.ones(len(found), dtype=bool)  # noqa: E731
        found = partial_matches(snapshot, text, exclude=scored.docs, allowed=everything, limit=room + (PARTIAL_AMONG if among else 0), ranking=rank)
        places = placed([float(s) if among else None for s in scores], [p.score for p in found], room)
        shown = in_page_order(shown, [(place, p.doc) for p, place in zip(found, places, strict=True) if place is not None])
    return [str(snapshot.searcher.stored_fields(int(n))["id"]) for n in shown[:limit]]
