"""The Whoosh schema, declared once, and its version.

Facet values live in their own sortable columns (``outlet_facet``, ``group_facet``, ``month``) so facet
counting reads compact columns instead of stored documents; unknown outlets and dates
are indexed under :data:`UNKNOWN` so they form honest buckets of their own.
"""

from __future__ import annotations

from whoosh.fields import ID, STORED, TEXT, Schema

from search.analysis import ANALYZER_VERSION, indonesian_analyzer

SCHEMA_VERSION = "3"
# Stored in the index folder; an index written under other versions must be rebuilt.
INDEX_VERSION = f"schema-{SCHEMA_VERSION}+analyzer-{ANALYZER_VERSION}"
UNKNOWN = "_none"
TITLE_BOOST = 2.0
SEARCH_FIELDS = ("title", "body")


def build_schema() -> Schema:
    """The schema every index is created with."""
    analyzer = indonesian_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=analyzer, stored=True),
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
    )
