"""One article with its marked text, and every match of a search as an export.

An export walks a point in time of the index (``create_pit``) with ``search_after``, a page
of :data:`EXPORT_PAGE` rows at a time: every match, in the request's order, never capped at
the 10,000 a ``from``/``size`` walk allows, and all of one state of the index however long
the download takes. The first page is read before the export is returned, so bad
parameters and an unreachable cluster fail before a byte is sent.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from typing import Any

from opensearchpy import OpenSearch

from search.backends.opensearch.connection import request_timeout, searched
from search.backends.opensearch.grouping import story_of
from search.backends.opensearch.mapping import article_from_source, listing_of
from search.backends.opensearch.searching import SOURCE, by_date_order, search_type_of, sort_of
from search.backends.opensearch.selection import select, words_tree
from search.backends.opensearch.statistics import Statistics
from search.budget import current_deadline
from search.domain.request import SearchRequest
from search.domain.result import ArticleView, Export, Hit
from search.snippets import marked_line, marked_paragraphs, marked_tokens, marked_words

EXPORT_PAGE = 500
KEEP_ALIVE = "5m"  # how long the point in time lives between two pages of an export (a slow download)


def read_article(client: OpenSearch, alias: str, article_id: str, q: str) -> ArticleView | None:
    """The article with that id, its body marked with the search's words when ``q`` is given; ``None`` when there is none."""
    answer = searched(client, index=alias, body={"query": {"term": {"id": article_id}}, "size": 1, "_source": SOURCE},
                           request_timeout=request_timeout())
    found = answer["hits"]["hits"]
    if not found:
        return None
    source = found[0]["_source"]
    article = article_from_source(source)
    story = story_of(client, alias, source)
    tree = words_tree(q) if q.strip() else None
    if tree is None:
        return ArticleView(article, story)
    words = marked_words(tree)
    positions = marked_tokens(article.body, words)
    return ArticleView(article, story, marked_paragraphs(article.body, positions), marked_line(article.headline, words))


def export(client: OpenSearch, alias: str, stats: Statistics, request: SearchRequest) -> Export:
    """Every match of ``request`` in its order (see the module docstring)."""
    selection = select(stats, request)
    if isinstance(selection, str):
        return Export(0, iter(()))
    pit = _PointInTime(client, client.create_pit(index=alias, keep_alive=KEEP_ALIVE)["pit_id"])
    body: dict[str, Any] = {
        "query": selection.filtered_unscored if by_date_order(request, selection.words) else selection.filtered,  # a date order scores nothing
        "size": EXPORT_PAGE, "_source": SOURCE, "track_total_hits": True,
        "sort": sort_of(request, selection.words), "pit": {"id": pit.pit, "keep_alive": KEEP_ALIVE},
    }
    # Relevance is scored with the archive's statistics, as the search page scores it (see search_type_of).
    search_type = search_type_of(request, selection.words, stats)
    try:
        first = searched(client, body=body, request_timeout=request_timeout(), search_type=search_type)
        current_deadline().check()  # finding the matches must fit the budget; the rows stream on without it
    except BaseException:
        pit.close()
        raise
    rows = _rows(client, body, first, pit, search_type)
    weakref.finalize(rows, pit.close)  # rows dropped unread: the point in time is freed all the same
    return Export(int(first["hits"]["total"]["value"]), rows)


def _rows(client: OpenSearch, body: dict[str, Any], page: dict[str, Any], pit: _PointInTime, search_type: str | None) -> Iterator[Hit]:
    """The export's rows page by page from its point in time, which is deleted after the last (or when the rows are closed)."""
    try:
        while True:
            found = page["hits"]["hits"]
            yield from (listing_of(raw["_source"]) for raw in found)
            if len(found) < EXPORT_PAGE:
                return
            body = {**body, "search_after": found[-1]["sort"], "track_total_hits": False}
            page = searched(client, body=body, search_type=search_type)
    finally:
        pit.close()


class _PointInTime:
    """An export's point in time, freed once: after the last row, when the rows are closed, or when they are dropped unread."""

    def __init__(self, client: OpenSearch, pit: str) -> None:
        self.client, self.pit, self.open = client, pit, True

    def close(self) -> None:
        if self.open:
            self.open = False
            with contextlib.suppress(Exception):  # it expires by itself after KEEP_ALIVE
                self.client.delete_pit(body={"pit_id": [self.pit]})
