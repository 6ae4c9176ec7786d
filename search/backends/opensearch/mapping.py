"""The index on the cluster: its settings and mapping, an article as a document, and back.

The cluster runs no analysis of its own (a stock cluster, managed or not, allows no
plugin): each article is analysed here by :mod:`search.analyzer`, the same Sastrawi stems as
the Whoosh backend, and sent pre-analysed as space-separated tokens, which a whitespace
tokenizer splits again with their positions (the analyzer drops no token, so positions are
the same as the Whoosh backend's and phrases match alike). ``title``/``body`` hold stems,
``title_exact``/``body_exact`` the forms as written; the article itself is kept in
``_source`` (``article``), not indexed, and the analysed texts are left out of ``_source``.
Facet values are keywords (:data:`~search.domain.facets.UNKNOWN` where unknown, so they form
honest buckets) and the date is a day number, absent when the article has none.

For *what it is about* (:mod:`.terms`) a document also carries its body's distinct listable
stems (``stems``, indexed: the archive's document frequency of each) and adjacent pairs of
listable forms (``pairs``, doc values only: counted in a sample, never searched), both left out
of ``_source``, and ``sample``, a number drawn from its id that orders the archive at random
for the samples (the same order every time, whatever the shards).

For story grouping (:mod:`.stories`) a document carries its sketch (``linking``, kept in
``_source`` only), its sketch words (``story_terms``, indexed: later articles find it by
them), the ids of the earlier articles of its story it matched (``story_links``), its
story's key (``story``, what searches collapse on) and whether the story has other articles
(``grouped``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
from typing import Any

from search.analyst.keyness import useful
from search.analyst.periods import day_number
from search.analyzer import ANALYZER_VERSION, analyze_exact, stem_word
from search.domain.article import FIELDS, Article
from search.domain.facets import FACETS
from search.domain.result import Hit
from search.snippets import Marked, marked_tokens, plain_snippet, snippet

MAPPING_VERSION = "3"
# Kept in the index's ``_meta``: an index written under other versions must be rebuilt.
INDEX_VERSION = f"opensearch-{MAPPING_VERSION}+analyzer-{ANALYZER_VERSION}"
TEXT_FIELDS = ("title", "body", "title_exact", "body_exact")
KEYNESS_FIELDS = ("stems", "pairs")
FACET_COLUMNS = tuple(facet.column for facet in FACETS)
# Media Cloud rolls an index over at 50 GB a primary shard; at the measured size of an
# article on disk as built (5.8 KB, docs/SCALING.md) eight million articles are about 46 GB.
ARTICLES_PER_SHARD = 8_000_000
MAX_ID_BYTES = 512  # OpenSearch's limit on a document's _id
# Results a search may page through with from/size (the exports walk every match with search_after).
MAX_RESULT_WINDOW = 100_000
# Oldest article first, undated last, then by id: a story's articles, and what a rebuild carries over.
OLDEST_FIRST: list[dict[str, Any]] = [{"day": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]


def shards_for(expected_articles: int, data_nodes: int) -> tuple[int, int]:
    """Primary shards and replicas for an index expected to hold ``expected_articles``.

    One primary per data node, so every node searches its share, and more when the archive
    would put more than :data:`ARTICLES_PER_SHARD` on one; one replica when there are two
    nodes or more, so losing a node loses no article.
    """
    primaries = max(1, data_nodes, math.ceil(expected_articles / ARTICLES_PER_SHARD))
    return primaries, 1 if data_nodes >= 2 else 0


def index_body(shards: int, replicas: int) -> dict[str, Any]:
    """The settings and mapping a new index is created with."""
    text = {"type": "text", "analyzer": "pre_analysed", "norms": True}
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas, "max_result_window": MAX_RESULT_WINDOW},
            "analysis": {
                "tokenizer": {"tokens": {"type": "whitespace", "max_token_length": 4096}},
                "analyzer": {"pre_analysed": {"type": "custom", "tokenizer": "tokens"}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"version": INDEX_VERSION},
            "_source": {"excludes": [*TEXT_FIELDS, *KEYNESS_FIELDS, "story_terms"]},
            "properties": {
                "id": {"type": "keyword"},
                # Stems of the title are never searched as a phrase: frequencies are enough.
                "title": {**text, "index_options": "freqs"},
                "body": {**text, "index_options": "positions"},
                "title_exact": {**text, "index_options": "positions"},
                "body_exact": {**text, "index_options": "positions"},
                "article": {"type": "object", "enabled": False},
                **{column: {"type": "keyword"} for column in FACET_COLUMNS},
                "day": {"type": "integer"},
                "stems": {"type": "keyword"},
                "pairs": {"type": "keyword", "index": False},
                "sample": {"type": "integer"},
                "linking": {"type": "object", "enabled": False},
                "story_terms": {"type": "keyword", "doc_values": False},
                "story_links": {"type": "keyword", "doc_values": False},
                "story": {"type": "keyword"},
                "grouped": {"type": "boolean"},
                "origin": {"type": "keyword"},
                "content_hash": {"type": "keyword", "index": False, "doc_values": False},
            },
        },
    }


def document_id(article_id: str) -> str:
    """The document's ``_id``: the article's id, or its digest when longer than the cluster allows."""
    if len(article_id.encode("utf-8")) <= MAX_ID_BYTES:
        return article_id
    return "sha256-" + hashlib.sha256(article_id.encode("utf-8")).hexdigest()


def analysed(text: str) -> tuple[list[str], list[str]]:
    """``text``'s stems and exact forms, each in order (one analysis for both)."""
    forms = analyze_exact(text)
    return [stem_word(form) for form in forms], forms


def sample_key(article_id: str) -> int:
    """A number from 0 to 2**31 - 1 drawn from the id: the archive's random order for samples, the same on every run."""
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=4).digest(), "big") >> 1


def document(article: Article, content_hash: str, origin: str, story: dict[str, Any]) -> dict[str, Any]:
    """The document the cluster indexes for ``article``, with its story fields (:func:`.stories.story_source`)."""
    title_stems, title_forms = analysed(article.title or "")
    body_stems, body_forms = analysed(article.body)
    doc: dict[str, Any] = {
        "id": article.id,
        "title": " ".join(title_stems),
        "body": " ".join(body_stems),
        "title_exact": " ".join(title_forms),
        "body_exact": " ".join(body_forms),
        "stems": sorted({stem for stem in body_stems if useful(stem)}),
        "pairs": sorted({f"{a} {b}" for a, b in itertools.pairwise(body_forms) if useful(a) and useful(b)}),
        "sample": sample_key(article.id),
        "article": article.to_dict(),
        **{facet.column: facet.value_of(article) for facet in FACETS},
        "origin": origin,
        "content_hash": content_hash,
        **story,
    }
    if article.date:
        doc["day"] = day_number(article.date)
    return doc


def article_from_source(source: dict[str, Any]) -> Article:
    """The article a document holds (its ``_source``)."""
    stored = source["article"]
    values = {name: stored.get(name) for name in FIELDS}
    date = values.pop("date")
    return Article(**{**values, "date": dt.date.fromisoformat(date) if date else None})


def listing_of(source: dict[str, Any]) -> Hit:
    """A stored document listed with its story and without a snippet (:meth:`~search.domain.result.Hit.listing`)."""
    return Hit.listing(article_from_source(source), story=str(source.get("story") or source["article"]["id"]))


def hit_of(source: dict[str, Any], marked: Marked | None = None, score: float | None = None) -> Hit:
    """A stored document as a hit with its story, a snippet of the ``marked`` words (the body's start when none is marked)."""
    article = article_from_source(source)
    text = snippet(article.body, marked_tokens(article.body, marked)) if marked else ""
    return Hit.of(article, text or plain_snippet(article.body), None if score is None else float(score), story=str(source.get("story") or article.id))
