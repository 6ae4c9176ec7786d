"""The Article record that flows from extraction to the index and back out to pages.

One plain dataclass is the contract between the stages: extractors produce it, the
indexer stores it, the query layer rebuilds it from stored fields. Unknown metadata is
``None`` everywhere; the facet layer, not the article, decides how to label it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, fields

# A sentence ends at . ! ? (optionally followed by a closing quote) and whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+")
FIRST_SENTENCE_MAX = 200


@dataclass(frozen=True)
class Article:
    """One news article, with the metadata that extraction could establish.

    ``source`` says where the article was read from (a path, or ``path:line`` for a
    JSONL record) so failures and the article page can point back to the input.
    """

    id: str
    body: str
    title: str | None = None
    outlet: str | None = None
    outlet_key: str | None = None
    outlet_group: str | None = None
    city: str | None = None
    date: dt.date | None = None
    author: str | None = None
    editor: str | None = None
    category: str | None = None  # the outlet's section (rubrik), where the record says
    url: str | None = None
    source: str | None = None

    @property
    def headline(self) -> str:
        """The title, or the first sentence when the article has no headline."""
        return self.title or first_sentence(self.body)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (date as ISO text, ``None`` where unknown)."""
        data: dict[str, object] = {name: getattr(self, name) for name in FIELDS}  # every field is a plain value: no deep copy
        data["date"] = self.date.isoformat() if self.date else None
        data["body"] = data.pop("body")  # last: the long field reads best at the end
        return data

    def content_hash(self) -> str:
        """A digest of the article's content and metadata, to tell a changed article from an unchanged one.

        Where it was read from (``source``) is left out: the same article posted twice,
        or listed at another line of a file, is unchanged.
        """
        data = self.to_dict()
        data.pop("source")
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


# The article's fields, in the order the dataclass declares them: what an index stores and a
# sidecar may set is derived from this rather than listed again.
FIELDS: tuple[str, ...] = tuple(item.name for item in fields(Article))


def first_sentence(text: str, limit: int = FIRST_SENTENCE_MAX) -> str:
    """The first sentence of ``text``, cut at a word boundary with an ellipsis if long."""
    text = " ".join(text.split())
    if not text:
        return ""
    parts = _SENTENCE_END.split(text, maxsplit=1)
    sentence = parts[0].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# Articles that came in over the API have no file; they are never deleted by a folder scan.
API_ORIGIN = "api"
