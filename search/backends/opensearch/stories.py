"""Story grouping on the cluster: links found as articles are written, and a story key on every document.

The links are the Whoosh backend's (:mod:`search.linking`): a new article is compared with
the earlier articles of its run (in memory) and with the index's articles sharing its best
sketch words, found here by one multi-search per bulk request (:class:`IndexedCandidates`,
each article's lookup words as weighted ``story_terms`` clauses, within its days). The
article keeps the ids it matches in ``story_links`` and its sketch in ``_source``.

Searches group by field collapsing, which needs the story on each document: ``story`` is
the key of the article's connected group of links, and ``grouped`` says whether the group
has another article (so a search counts its stories exactly: the articles alone, plus the
distinct keys of the few grouped ones). A key is a property of the group alone, never of
the order articles came in: the id of its oldest article (undated last, then the smallest
id). Every document is written with its own id as key; when a run ends, :class:`StoryKeys`
gathers every group the run may have joined or split (the groups of the articles it linked,
linked to, replaced or deleted, and of the articles linking to those), works out their
connected parts from the members' links again and updates the documents whose key changed.
Those updates are serialised between writers by a lock of their own, and each reads the
groups as they are when it holds it, so two writers' updates never leave a group with two keys.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from opensearchpy import OpenSearch, TransportError

from search.analyst.periods import day_number
from search.backends.opensearch.connection import multi_searched, scan
from search.backends.opensearch.mapping import article_from_source, document, document_id
from search.domain.article import Article
from search.domain.errors import IndexUnavailable
from search.linking import CANDIDATES, Seen, StoryFields, StoryLinker, lookup_words
from search.sketches import DAYS_APART, MIN_WORDS, Sketch, sketch

LOOKUPS_PER_REQUEST = 500
IDS_PER_REQUEST = 1_000
KEYS_PER_QUERY = 10_000
TIMEOUT_S = 120.0
SETTLE_ATTEMPTS = 3


def story_source(article: Article, story: StoryFields) -> dict[str, Any]:
    """An article's story fields as written: its sketch, its words and links, and its own id as key until the run ends."""
    return {
        "linking": {"words": list(story.sketch), "weights": list(story.sketch.values())},
        "story_terms": story.words,
        "story_links": list(story.links),
        "story": article.id,
        "grouped": False,
    }


def _sketch_of(source: dict[str, Any]) -> Sketch:
    linking = source.get("linking") or {}
    return dict(zip(linking.get("words") or [], linking.get("weights") or [], strict=True))


def _date_of(source: dict[str, Any]) -> dt.date | None:
    date = (source.get("article") or {}).get("date")
    return dt.date.fromisoformat(date) if date else None


class IndexedCandidates:
    """The index's earlier articles sharing a new article's best words, asked for a bulk request's articles at once.

    Each article's lookup words are ``story_terms`` clauses weighted by the sketch, so an
    article's score is the weight the two share, as the Whoosh backend counts it; the
    :data:`~search.linking.CANDIDATES` best within :data:`~search.sketches.DAYS_APART` days
    (or undated) are compared in full.
    """

    def __init__(self, client: OpenSearch, index: str) -> None:
        self.client, self.index = client, index
        self.found: dict[str, list[Seen]] = {}

    def prefetch(self, wanted: list[tuple[str, Sketch, dt.date | None]]) -> None:
        for start in range(0, len(wanted), LOOKUPS_PER_REQUEST):
            chunk = wanted[start:start + LOOKUPS_PER_REQUEST]
            answers = multi_searched(self.client, [({"index": self.index}, self._query(own, date)) for _, own, date in chunk])
            for (article_id, _, _), answer in zip(chunk, answers, strict=True):
                self.found[article_id] = [seen for hit in answer["hits"]["hits"] if len((seen := _seen(hit["_source"])).sketch) >= MIN_WORDS]

    @staticmethod
    def _query(own: Sketch, date: dt.date | None) -> dict[str, Any]:
        words = [{"constant_score": {"filter": {"term": {"story_terms": word}}, "boost": own[word]}} for word in lookup_words(own)]
        near: list[dict[str, Any]] = []
        if date is not None:
            day = day_number(date)
            near = [{"bool": {"should": [{"range": {"day": {"gte": day - DAYS_APART, "lte": day + DAYS_APART}}},
                                         {"bool": {"must_not": [{"exists": {"field": "day"}}]}}], "minimum_should_match": 1}}]
        return {"size": CANDIDATES, "_source": ["id", "linking", "article.date", "article.outlet_key"], "track_total_hits": False,
                "query": {"bool": {"should": words, "minimum_should_match": 1, "filter": near}}}

    def __call__(self, article_id: str, lookup: list[str], own: Sketch, date: dt.date | None) -> Iterable[Seen]:
        return self.found.pop(article_id, [])


def _seen(source: dict[str, Any]) -> Seen:
    return Seen(str(source["id"]), _sketch_of(source), _date_of(source), (source.get("article") or {}).get("outlet_key"))


class StoryWrites:
    """One write run's story work: links for each bulk request's articles, and the keys settled at the end."""

    def __init__(self, client: OpenSearch, index: str, *, empty: bool) -> None:
        self.candidates = None if empty else IndexedCandidates(client, index)
        self.linker = StoryLinker(self.candidates)
        self.keys = StoryKeys(client, index, empty=empty)

    def link(self, articles: list[Article]) -> list[StoryFields]:
        """Each article's sketch and links, in order (an article links to the ones before it in the run)."""
        sketches = [self.linker.take(article) or sketch(article.title, article.body) for article in articles]
        if self.candidates is not None:
            self.candidates.prefetch([(a.id, own, a.date) for a, own in zip(articles, sketches, strict=True) if len(own) >= MIN_WORDS])
        fields = []
        for article, own in zip(articles, sketches, strict=True):
            story = self.linker.fields(article, own=own)
            self.keys.wrote(article.id, story.links)
            fields.append(story)
        return fields


class StoryKeys:
    """What a run's writes may have done to the groups, and the keys put right when it ends (see the module docstring)."""

    def __init__(self, client: OpenSearch, index: str, *, empty: bool) -> None:
        self.client, self.index, self.empty = client, index, empty
        self.touched: set[str] = set()  # articles whose group may have changed: linked, linked to, neighbours of removed ones
        self.written: set[str] = set()  # ids written or removed where earlier articles may link to them

    def wrote(self, article_id: str, links: tuple[str, ...]) -> None:
        if links:
            self.touched.add(article_id)
            self.touched.update(links)
        if not self.empty:
            self.written.add(article_id)

    def removing(self, article_ids: list[str]) -> None:
        """Before the articles are replaced or deleted: the ones they linked to may now stand apart."""
        for start in range(0, len(article_ids), IDS_PER_REQUEST):
            chunk = article_ids[start:start + IDS_PER_REQUEST]
            answer = self.client.mget(index=self.index, body={"ids": [document_id(i) for i in chunk]},
                                      _source_includes=["story_links", "grouped"], request_timeout=TIMEOUT_S)
            for article_id, doc in zip(chunk, answer["docs"], strict=True):
                if doc.get("found") and doc["_source"].get("grouped"):
                    self.touched.update(doc["_source"].get("story_links") or [])
                    self.written.add(article_id)

    def settle(self, lock: Callable[[], AbstractContextManager[None]]) -> int:
        """Re-key every group the run touched, holding ``lock``; the number of documents updated (visible when this returns).

        A run whose articles linked to none and that no article links to changed no group:
        it settles nothing and takes no lock (most daily runs, and every post of a new story).
        Tried three times over a few seconds: a node restarting can refuse a request or two,
        and the articles are written already (what is left is their groups' keys).
        """
        if not self.touched and not self._linking_to(self.written):
            self.written = set()
            return 0
        with lock():
            for attempt in range(SETTLE_ATTEMPTS):
                try:
                    return self._settle()
                except (TransportError, StoryKeysFailed):  # a lost connection is a TransportError too
                    if attempt == SETTLE_ATTEMPTS - 1:
                        raise
                    time.sleep(2 ** attempt)
        raise AssertionError("unreachable")

    def _settle(self) -> int:
        linking_in = self._linking_to(self.written)
        linked_to = {target for source in self._holding("id", linking_in, ["story_links"]) for target in source.get("story_links") or []}
        seeds = self.touched | linking_in | (self.written & linked_to)
        keys = {str(source["story"]) for source in self._holding("id", seeds, ["story"])}
        members = {str(m["id"]): m for m in self._holding("story", keys, ["id", "story", "grouped", "story_links", "article.date"])}
        changed = {article_id: story for article_id, story in _groups(list(members.values())).items()
                   if (members[article_id]["story"], bool(members[article_id].get("grouped"))) != story}
        rewritten = self._rekey(changed)
        self.touched, self.written = set(), set()
        return rewritten

    def _rekey(self, changed: dict[str, tuple[str, bool]]) -> int:
        """Write the documents of ``changed`` again with their new keys; the number written.

        A whole document, analysed again from its ``_source``: a partial update would rebuild
        it from ``_source``, which leaves the searched texts out. Each is written only if no
        one wrote it since it was read (the sequence number), so a newer version of the
        article is never overwritten; the writer of that version settles its keys next.
        """
        ids = sorted(changed)
        written = 0
        for start in range(0, len(ids), IDS_PER_REQUEST):
            chunk = ids[start:start + IDS_PER_REQUEST]
            answer = self.client.mget(index=self.index, body={"ids": [document_id(i) for i in chunk]},
                                      _source_includes=["article", "origin", "content_hash", "linking", "story_links"], request_timeout=TIMEOUT_S)
            actions: list[dict[str, Any]] = []
            for article_id, doc in zip(chunk, answer["docs"], strict=True):
                if not doc.get("found"):
                    continue
                source = doc["_source"]
                key, grouped = changed[article_id]
                article = article_from_source(source)
                links = StoryFields(_sketch_of(source), tuple(source.get("story_links") or ()))
                story = {**story_source(article, links), "story": key, "grouped": grouped}
                actions += [{"index": {"_index": self.index, "_id": doc["_id"], "if_seq_no": doc["_seq_no"], "if_primary_term": doc["_primary_term"]}},
                            document(article, str(source.get("content_hash") or ""), str(source.get("origin") or ""), story)]
            if not actions:
                continue
            result = self.client.bulk(body=actions, request_timeout=TIMEOUT_S)
            items = [item["index"] for item in result["items"]]
            refused = [item for item in items if item.get("error") and item.get("status") not in (404, 409)]
            if refused:  # gone (404) or written meanwhile (409): the newer writer settles it; anything else is an error
                raise StoryKeysFailed(f"the cluster refused {len(refused)} story keys: {str(refused[0]['error'])[:200]}")
            written += sum(1 for item in items if not item.get("error"))
        if written:
            self.client.indices.refresh(index=self.index)
        return written

    def _linking_to(self, ids: Iterable[str]) -> set[str]:
        """The articles whose links point at one of ``ids`` (an article replaced, deleted or indexed again)."""
        return {str(source["id"]) for source in self._holding("story_links", ids, ["id"])}

    def _holding(self, field: str, values: Iterable[str], fields: list[str]) -> Iterator[dict[str, Any]]:
        """The ``fields`` of every document whose ``field`` holds one of ``values``, a ``terms`` query of at most
        :data:`KEYS_PER_QUERY` values at a time."""
        ordered = sorted(values)
        for start in range(0, len(ordered), KEYS_PER_QUERY):
            yield from scan(self.client, self.index, {"terms": {field: ordered[start:start + KEYS_PER_QUERY]}}, fields)


class StoryKeysFailed(IndexUnavailable):
    """The cluster refused some story keys: the articles are written, some copies may show apart until the next run."""


def _groups(members: list[dict[str, Any]]) -> dict[str, tuple[str, bool]]:
    """Each member's key and whether it has company, from the members' links among themselves."""
    by_id = {str(m["id"]): m for m in members}
    parent = {article_id: article_id for article_id in by_id}

    def root(article_id: str) -> str:
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    for article_id, member in by_id.items():
        for target in member.get("story_links") or []:
            if target in parent:
                a, b = root(article_id), root(str(target))
                if a != b:
                    parent[max(a, b)] = min(a, b)
    parts: dict[str, list[str]] = {}
    for article_id in by_id:
        parts.setdefault(root(article_id), []).append(article_id)
    keys: dict[str, tuple[str, bool]] = {}
    for part in parts.values():
        key = min(part, key=lambda i: (_date_of(by_id[i]) or dt.date.max, i))
        for article_id in part:
            keys[article_id] = (key, len(part) > 1)
    return keys
