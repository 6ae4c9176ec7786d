"""Which tokens of a body a search marks, read from the segment's token stream.

Whoosh's highlighter ran the whole analyzer (Sastrawi included) over every hit's body on
every search, about 3 ms a hit. Here the tokens to mark are found in the segment's token
stream (:mod:`search.backends.whoosh.postings`: each token's form and stem are already numbers);
:mod:`search.snippets` cuts the passages and renders them.
"""

from __future__ import annotations

import numpy as np

from search.backends.whoosh.postings import SegmentArrays
from search.backends.whoosh.scored import among
from search.backends.whoosh.termscores import IndexArrays
from search.snippets import Marked


def marked_positions(ix: IndexArrays, docnum: int, marked: Marked) -> np.ndarray:
    """The places of the body's tokens that ``marked`` marks, read from the segment's token stream (no analysis)."""
    return marked_positions_of(ix, [docnum], marked)[0]


def marked_positions_of(ix: IndexArrays, docnums: list[int], marked: Marked) -> list[np.ndarray]:
    """:func:`marked_positions` of each of ``docnums``: a page's token streams read and compared together, a few
    array operations per segment instead of a dozen per hit."""
    found: dict[int, np.ndarray] = {}
    by_segment: dict[int, tuple[SegmentArrays, list[int]]] = {}
    for docnum in docnums:
        offset, arrays = ix.segment_of(docnum)
        by_segment.setdefault(offset, (arrays, []))[1].append(docnum)
    for offset, (arrays, numbers) in by_segment.items():
        body = arrays.fields["body_exact"]
        assert body.stems is not None
        tokens, bounds = body.tokens_of(np.array(numbers, dtype=np.int64) - offset)
        forms = [i for i in (body.find(w) for w in marked.forms) if i >= 0]
        stems = [i for i in (arrays.fields["body"].find(w) for w in marked.stems) if i >= 0]
        hit = among(tokens, forms)
        if stems:
            hit |= (tokens >= 0) & among(body.stems[np.maximum(tokens, 0)], stems)
        places = np.flatnonzero(hit)
        cuts = np.searchsorted(places, bounds)
        for place, docnum in enumerate(numbers):
            found[docnum] = places[cuts[place]:cuts[place + 1]] - bounds[place]
    return [found[docnum] for docnum in docnums]
