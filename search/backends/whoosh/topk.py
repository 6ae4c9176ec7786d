"""The best of the matches in Whoosh's order (score, then document number), pending bonuses checked only where needed.

A pending proximity bonus (:class:`search.backends.whoosh.evaluation.Bonus`) can only raise a score, by at
most its amount. So the matches are ranked by what they could still reach; when a
document on the requested page has an unchecked bonus, a batch of the leading unchecked
ones is checked and the ranking repeated. Usually that settles the page, and only a few
dozen documents' positions are read. When it does not (common words whose phrase rarely
holds), every match whose reach is not below the page's lowest certain score is checked
at once; every other could at best reach its upper bound, already below the page: the
page is exact.
"""

from __future__ import annotations

import numpy as np

from search.backends.whoosh.evaluation import phrase_holds
from search.backends.whoosh.kernels import best_places
from search.backends.whoosh.scored import Scored
from search.backends.whoosh.termscores import IndexArrays
from search.budget import current_deadline

# Documents checked in the first round beyond the page: enough that one round usually settles it.
_CHECK_BATCH = 64
# Up to this many of the best are picked in one compiled pass (search.backends.whoosh.kernels.best_places); more are sorted.
_FEW = 256


def ranked(ix: IndexArrays, scored: Scored, count: int | None, stories: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The best ``count`` matches (all with ``None``), best first: (global document numbers, exact scores).

    With ``stories`` (a story key per global document number), only the best document of
    each story is kept, in its place (as Whoosh's collapse does).
    """
    docs = scored.docs
    exact = scored.scores.copy()
    upper, pending, places = _reachable(scored)
    if count is None:
        _settle(ix, scored, places, np.flatnonzero(pending), exact, pending)
        order = _order(docs, exact, len(docs), stories)
        return docs[order], exact[order]
    for attempt in range(2):
        current_deadline().check()
        current = np.where(pending, upper, exact)
        order = _order(docs, current, count, stories)
        if not pending[order].any():
            return docs[order], exact[order]
        if attempt == 0:  # the leading unchecked ones: usually enough
            ahead = _order(docs, current, count + _CHECK_BATCH, stories)
            _settle(ix, scored, places, ahead[pending[ahead]], exact, pending)
        else:  # every match that could still reach the page, at once (rounds of a few dozen cost more)
            best = _order(docs, exact, count, stories)
            floor = exact[best[-1]] if len(best) == count else -np.inf
            _settle(ix, scored, places, np.flatnonzero(pending & (upper >= floor)), exact, pending)
        upper = np.where(pending, upper, exact)
    order = _order(docs, np.where(pending, upper, exact), count, stories)
    assert not pending[order].any()
    return docs[order], exact[order]


def reachable(scored: Scored) -> np.ndarray:
    """The score each match would have if every pending bonus of it held: what it can reach at most."""
    return _reachable(scored)[0]


def _reachable(scored: Scored) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Each match's reachable score, whether it has a pending bonus, and where each bonus's documents are in ``scored``."""
    upper = scored.scores.copy()
    pending = np.zeros(len(scored.docs), dtype=bool)
    places = []
    for bonus in scored.bonuses:
        place = np.searchsorted(scored.docs, bonus.docs)
        upper[place] += bonus.amounts
        pending[place] = True
        places.append(place)
    return upper, pending, places


def _settle(ix: IndexArrays, scored: Scored, places: list[np.ndarray], which: np.ndarray, exact: np.ndarray, pending: np.ndarray) -> None:
    """Check the bonuses of the matches at ``which`` (indexes into ``scored.docs``) and add those that hold."""
    checking = np.zeros(len(scored.docs), dtype=bool)
    checking[which] = True
    for bonus, place in zip(scored.bonuses, places, strict=True):
        mine = checking[place]
        if not mine.any():
            continue
        held = phrase_holds(ix, bonus.phrase, bonus.docs[mine])
        exact[place[mine][held]] += bonus.amounts[mine][held]
    pending[which] = False


def _order(docs: np.ndarray, scores: np.ndarray, count: int, stories: np.ndarray | None) -> np.ndarray:
    """Indexes of the best ``count`` (per story) by score, ties to the lower document number."""
    total = len(docs)
    want = count if stories is None else max(count * 2, count + 16)
    while True:
        if want <= _FEW:  # docs ascend: the earlier place is the lower document number
            chosen = best_places(scores, want)
        else:
            if want >= total:
                chosen = np.arange(total)
            else:
                threshold = np.partition(scores, total - want)[total - want]
                chosen = np.flatnonzero(scores >= threshold)
            chosen = chosen[np.lexsort((docs[chosen], -scores[chosen]))]
        if stories is None:
            return chosen[:count]
        _, first = np.unique(stories[docs[chosen]], return_index=True)
        if len(first) >= count or want >= total:
            return chosen[np.sort(first)][:count]
        want *= 4
