"""The Whoosh schema, declared once, and its version.

Facet values live in their own sortable columns (``outlet_facet``, ``group_facet``, ``month``) so facet
counting reads compact columns instead of stored documents; unknown outlets and dates
are indexed under :data:`UNKNOWN` so they form honest buckets of their own.
"""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from search.analysis import ANALYZER_VERSION, exact_analyzer, indonesian_analyzer

SCHEMA_VERSION = "5"
# Stored in the index folder; an index written under other versions must be rebuilt.
INDEX_VERSION = f"schema-{SCHEMA_VERSION}+analyzer-{ANALYZER_VERSION}"
UNKNOWN = "_none"
# Stemmed fields find every inflection; exact fields hold the words as written, so a
# document using the word as typed outranks one that only shares its stem.
STEM_FIELDS = ("title", "body")
EXACT_FIELDS = ("title_exact", "body_exact")
SEARCH_FIELDS = STEM_FIELDS


def build_schema() -> Schema:
    """The schema every index is created with."""
    analyzer = indonesian_analyzer()
    exact = exact_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        title_exact=TEXT(analyzer=exact),
        body_exact=TEXT(analyzer=exact),
        outlet=STORED(),
        outlet_key=STORED(),
        outlet_facet=ID(sortable=True),
        outlet_group=STORED(),
        group_facet=ID(sortable=True),
        city=STORED(),
        date=ID(stored=True, sortable=True),
        month=ID(sortable=True),
        author=STORED(),
        editor=STORED(),
        url=STORED(),
        source=STORED(),
        origin=ID(stored=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        # Story grouping (search.stories): the sketch, its words to find candidates by,
        # and the ids of earlier articles of the same story.
        sketch=STORED(),
        story_terms=KEYWORD(scorable=False),
        story_links=COLUMN(VarBytesColumn()),
    )
