"""Hits as pages show them: stored articles with snippets of the matched words, date order, stories.

Only the page of hits is read from the stored fields; each becomes a plain
:class:`~search.domain.request.Hit` with its snippet (:mod:`search.backends.whoosh.snippets`) and, when grouping,
the other matching articles of its story.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from whoosh.searching import Searcher

from search.backends.whoosh.columns import Columns
from search.backends.whoosh.postings import generation_of
from search.backends.whoosh.schema import article_from_stored
from search.backends.whoosh.snippets import marked_positions_of
from search.domain.facets import UNKNOWN
from search.domain.result import MAX_SIMILAR_LISTED, Hit
from search.snippets import Marked, plain_snippet, snippet
from search.spans import token_spans_of

if TYPE_CHECKING:
    from search.backends.whoosh.snapshot import Snapshot

def stored_articles(snapshot: Snapshot, docnums: list[int]) -> list[Hit]:
    """The stored articles at ``docnums`` as hits without snippet, each with its story (for export)."""
    searcher, stories = snapshot.searcher, snapshot.story_keys
    hits = []
    for docnum in docnums:
        hit = listing_from_stored(searcher.stored_fields(docnum))
        hit.story = _story_id(searcher, stories, docnum)
        hits.append(hit)
    return hits


def _story_id(searcher: Searcher, stories: np.ndarray, docnum: int) -> str:
    """A story's name: the id of its first article (the smallest document number)."""
    return str(searcher.stored_fields(int(stories[docnum]))["id"])


def first_of_each_story(order: np.ndarray, stories: np.ndarray) -> np.ndarray:
    """``order`` keeping only the first article of each story (the rest are listed under it)."""
    _, first = np.unique(stories[order], return_index=True)
    return order[np.sort(first)]


def attach_similar(snapshot: Snapshot, selected: np.ndarray, numbered: list[tuple[int, Hit]]) -> None:
    """Give each hit its story's name and the other matching articles of the story, oldest first."""
    if not numbered:
        return
    searcher, columns, stories = snapshot.searcher, snapshot.columns, snapshot.story_keys
    shown = np.zeros(len(stories), dtype=bool)  # a mark per story key (a document number): one look-up per match
    shown[[stories[n] for n, _ in numbered]] = True
    members = selected[shown[stories[selected]]]
    member_keys = stories[members]
    for docnum, hit in numbered:
        key = stories[docnum]
        # Most articles are the first (or only) of their story: their own id, no second read.
        hit.story = hit.id if int(key) == docnum else _story_id(searcher, stories, docnum)
        others = by_date(columns, members[(member_keys == key) & (members != docnum)], oldest_first=True)
        hit.similar_count = len(others)
        hit.similar = [listing_from_stored(searcher.stored_fields(int(n))) for n in others[:MAX_SIMILAR_LISTED]]


def story_of(snapshot: Snapshot, docnum: int) -> list[Hit]:
    """Every other article of the story of ``docnum`` in the whole index, oldest first (the article page)."""
    columns, stories = snapshot.columns, snapshot.story_keys
    others = np.flatnonzero((stories == stories[docnum]) & columns.live)
    ordered = by_date(columns, others[others != docnum], oldest_first=True)
    return [listing_from_stored(snapshot.searcher.stored_fields(int(n))) for n in ordered]


def with_snippets(snapshot: Snapshot, page: np.ndarray, marked: Marked, scores: np.ndarray | None) -> list[tuple[int, Hit]]:
    """Hits for the documents of ``page``, in that order, with snippets of the marked words (and scores, if given)."""
    docnums = page.tolist()
    positions = marked_positions_of(snapshot.arrays, docnums, marked) if marked and docnums else []
    stored = [snapshot.searcher.stored_fields(docnum) for docnum in docnums]
    bodies = [str(fields.get("body") or "") for fields in stored]
    shown = [place for place, places in enumerate(positions) if len(places)]  # the hits with a snippet to cut
    spans = dict(zip(shown, token_spans_of([bodies[place] for place in shown]), strict=True))
    hits = []
    for place, (docnum, fields) in enumerate(zip(docnums, stored, strict=True)):
        score = None if scores is None else float(scores[place])
        text = snippet(bodies[place], positions[place], spans[place]) if place in spans else ""
        hits.append((docnum, hit_from_stored(fields, text, score)))
    return hits


def by_date(columns: Columns, selected: np.ndarray, *, oldest_first: bool, first: int | None = None) -> np.ndarray:
    """``selected`` newest (or oldest) first; undated articles last either way, then by document number.

    With ``first``, only the beginning of that order: at least its ``first`` articles (all
    of ``selected`` when there are fewer), found without sorting the rest (a page of the
    newest articles of a million no longer sorts the million).
    """
    days = columns.arrays["date"][selected].astype(np.int64)
    if oldest_first:
        key = np.where(days == 0, np.iinfo(np.int64).max, days)
    else:
        key = -days
    if first is not None and 0 < first < len(selected) // 4:
        bound = np.partition(key, first - 1)[first - 1]
        near = np.flatnonzero(key <= bound)  # every article up to the first-th one's date, ties included
        selected, key = selected[near], key[near]
    return selected[np.lexsort((selected, key))]


def hit_from_stored(fields: dict[str, object], snippet: str, score: float | None) -> Hit:
    """A hit of a page: ``snippet``, or the body's start when it marks nothing."""
    article = article_from_stored(fields)
    return Hit.of(article, snippet or plain_snippet(article.body), score)


def listing_from_stored(fields: dict[str, object]) -> Hit:
    """An article listed without a snippet (:meth:`~search.domain.result.Hit.listing`)."""
    return Hit.listing(article_from_stored(fields))


def outlet_labels(searcher: Searcher, keys: set[str]) -> dict[str, str]:
    """Display names for outlet keys, as stored with the articles themselves.

    Each key is looked up once per process, not once per commit: a key names one outlet,
    and looking up the few dozen of a page's facets took tens of milliseconds after every commit.
    """
    labels: dict[str, str] = {}
    leaves = searcher.reader().leaf_readers()
    index = str(generation_of(leaves[0][0])) if leaves else ""
    for key in keys:
        if key == UNKNOWN:
            continue
        label = _labels.get((index, key))
        if label is None:
            stored = searcher.document(outlet_facet=key)
            if stored is None:  # its articles are gone: show the key, look again next time
                labels[key] = key
                continue
            label = _labels[index, key] = str(stored.get("outlet") or key)
        labels[key] = label
    return labels


# (index folder, outlet key) -> display name, for the life of the process (a dict's get and set are atomic).
_labels: dict[tuple[str, str], str] = {}


def get_article(searcher: Searcher, article_id: str) -> tuple[int, dict[str, object]] | None:
    """The document number and stored fields of one article, or ``None`` when no article has that id."""
    docnum = searcher.document_number(id=article_id)
    return None if docnum is None else (docnum, searcher.stored_fields(docnum))
