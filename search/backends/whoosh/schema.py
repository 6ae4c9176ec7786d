"""The Whoosh schema, declared once, and its version.

Facet values live in their own sortable columns (one per definition of :mod:`search.domain.facets`:
``outlet_facet``, ``month``, ``city_facet``…) so facet counting reads compact columns instead of
stored documents; unknown outlets and dates are indexed under
:data:`~search.domain.facets.UNKNOWN` so they form honest buckets of their own.
"""

from __future__ import annotations

import datetime as dt
import sys

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, FieldType, Schema

from search import analyzer
from search.analyzer import ANALYZER_VERSION, exact_analyzer, indonesian_analyzer
from search.backends.whoosh.stories import story_document
from search.domain.article import FIELDS, Article
from search.domain.facets import FACETS
from search.linking import StoryLinker

# Whoosh pickles the schema, with the analyzer's parts, into every index. Indexes written before
# the analyzer's module was named search.analyzer name it search.analysis: they must still open
# (to be searched, and to be read by a rebuild), so the old name stays an alias of the module.
sys.modules.setdefault("search.analysis", analyzer)

SCHEMA_VERSION = "8"  # 6: the stored category; 7: city, category and author facet columns; 8: texts stored, not indexed
# Stored in the index folder; an index written under other versions must be rebuilt.
INDEX_VERSION = f"schema-{SCHEMA_VERSION}+analyzer-{ANALYZER_VERSION}"
# Article fields stored as written and read back as they were: all but the id, the texts and the date, which
# have fields of their own.
AS_WRITTEN = tuple(name for name in FIELDS if name not in ("id", "title", "body", "date"))


def build_schema(*, whoosh_complete: bool = False) -> Schema:
    """The schema every index is created with.

    Whoosh stores the texts and indexes only the ids and facet values (what it looks
    articles up by). Every word of the texts, stems and exact forms, with their positions and
    the field lengths the ranking uses, is what :mod:`search.backends.whoosh.derivation`
    reads from the stored text for the array engine. ``title``, ``body``, ``title_exact`` and
    ``body_exact`` stay declared as text fields, for the query parser.

    ``whoosh_complete`` makes Whoosh index all of it too (exact forms, positions), so that
    Whoosh's own query evaluation answers every query the array engine does: the reference
    the equivalence tests compare against, and the plain-Whoosh benchmark peer.
    """
    analyzer = indonesian_analyzer()
    exact = exact_analyzer()
    positions = whoosh_complete
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=_indexed_if(whoosh_complete, TEXT(analyzer=analyzer, stored=True, phrase=positions)),
        body=_indexed_if(whoosh_complete, TEXT(analyzer=analyzer, stored=True, phrase=positions)),
        title_exact=TEXT(analyzer=exact, phrase=positions),
        body_exact=TEXT(analyzer=exact, phrase=positions),
        date=ID(stored=True, sortable=True),
        **{name: STORED() for name in AS_WRITTEN},
        # Each facet's value (search.domain.facets), UNKNOWN where the article has none: what filters and counts read.
        **{facet.column: ID(sortable=True) for facet in FACETS},
        origin=ID(stored=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        # Story grouping (search.backends.whoosh.stories): the sketch, its words to find candidates by,
        # and the ids of earlier articles of the same story.
        sketch=STORED(),
        story_terms=_indexed_if(whoosh_complete, KEYWORD(scorable=False)),
        story_links=COLUMN(VarBytesColumn()),
    )


def _indexed_if(indexed: bool, field: FieldType) -> FieldType:
    """``field`` as declared (its analyzer still parses queries), Whoosh writing postings for it only when ``indexed``.

    The posting arrays hold every word of the texts and the story words; Whoosh indexing
    them again was most of a build's time and a fifth of the index's disk.
    """
    if not indexed:
        field.indexed = False
        field.scorable = False
    return field


def whoosh_complete(schema: Schema) -> bool:
    """Whether an index's schema has Whoosh index the exact forms and positions too (see :func:`build_schema`)."""
    return bool(schema["body"].indexed and schema["body"].format.supports("positions"))


def document_fields(article: Article, content_hash: str, origin: str, stories: StoryLinker | None,
                    *, complete: bool = False) -> dict[str, object]:
    """The Whoosh document for an article (facet columns filled with UNKNOWN where unknown).

    ``complete`` fills the exact-form fields, for a schema that indexes them (:func:`whoosh_complete`).

    ``stories`` links the article to the earlier articles of its story (and remembers it
    for the later ones), so documents must be made in the order they are written; without
    it the article is left out of story grouping (a benchmark peer that does no such work).
    """
    date = article.date.isoformat() if article.date else ""
    story = story_document(stories.fields(article)) if stories else {}
    exact = {"title_exact": article.title or "", "body_exact": article.body} if complete else {}
    return {
        **story,
        **exact,
        "id": article.id,
        "title": article.title or "",
        "body": article.body,
        "date": date,
        **{name: getattr(article, name) for name in AS_WRITTEN},
        **{facet.column: facet.value_of(article) for facet in FACETS},
        "origin": origin,
        "content_hash": content_hash,
    }


def article_from_stored(stored: dict[str, object]) -> Article:
    """Rebuild an Article from an indexed document's stored fields."""
    date = str(stored.get("date") or "")

    def text(name: str) -> str | None:
        value = stored.get(name)
        return str(value) if value else None

    return Article(
        id=str(stored["id"]),
        body=str(stored.get("body") or ""),
        title=text("title"),
        date=dt.date.fromisoformat(date) if date else None,
        **{name: text(name) for name in AS_WRITTEN},
    )

