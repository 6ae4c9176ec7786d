"""What the index already holds, looked up per article: the writer's view of the live index.

A run that adds a hundred articles to an index of 100,000 asks about those hundred ids,
the files it re-read and the folders it scanned, so its cost follows the size of the
change, not of the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from search.backends.whoosh import postings
from search.backends.whoosh.columns import column_text
from search.backends.whoosh.derivation import STORY_FIELD
from search.backends.whoosh.stories import linker_for
from search.incremental import Indexed


class KnownArticles:
    """The index through one pinned reader (see the module docstring); ``extra`` holds the
    articles a rebuild copied in this run, which the new generation's reader cannot see yet."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.extra: dict[str, Indexed] = {}
        self.stories = linker_for(reader, postings.live_postings(reader, STORY_FIELD))

    @property
    def empty(self) -> bool:
        return self.reader.doc_count() == 0 and not self.extra

    def _at(self, docnum: int) -> tuple[str, Indexed]:
        stored = self.reader.stored_fields(docnum)
        return str(stored["id"]), Indexed(str(stored.get("content_hash") or ""), str(stored.get("origin") or ""))

    def get(self, article_id: str) -> Indexed | None:
        if article_id in self.extra:
            return self.extra[article_id]
        if not self.reader.doc_count() or ("id", article_id) not in self.reader:
            return None
        for docnum in self.reader.postings("id", article_id).all_ids():  # deleted documents are skipped
            return self._at(docnum)[1]
        return None

    def from_origins(self, origins: Iterable[str], roots: list[str]) -> Iterator[tuple[str, Indexed]]:
        """Articles whose file is one of ``origins`` or lies under one of ``roots``."""
        wanted = set(origins)
        if self.reader.doc_count():
            for root in roots:
                wanted.update(column_text(term)
                              for term in self.reader.expand_prefix("origin", root))
            for origin in sorted(wanted):
                if origin and self.reader.doc_frequency("origin", origin):
                    for docnum in self.reader.postings("origin", origin).all_ids():
                        if not self.reader.is_deleted(docnum):
                            yield self._at(docnum)
        for article_id, indexed in self.extra.items():
            if indexed.origin in wanted or any(indexed.origin.startswith(root) for root in roots):
                yield article_id, indexed
