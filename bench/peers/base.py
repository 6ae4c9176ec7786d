"""What every engine in the performance benchmark does, and the query it is given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from search.domain.article import Article


@dataclass(frozen=True)
class BenchQuery:
    """One benchmark query: words (or a phrase), optionally one outlet and one year."""

    words: tuple[str, ...]
    phrase: bool = False
    outlet: str | None = None
    year: str | None = None

    @property
    def text(self) -> str:
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined


@dataclass
class Answer:
    """What a query returned: the total, the first page's ids and snippets, and facet counts."""

    total: int
    ids: list[str]
    snippets: list[str]
    outlets: dict[str, int]
    months: dict[str, int]


class Peer(Protocol):
    name: str

    def build(self, articles: Iterable[Article]) -> None:
        """Index every article from scratch."""

    def add(self, articles: list[Article]) -> None:
        """Add a few articles and make them searchable (committed, visible to new searches)."""

    def search(self, query: BenchQuery) -> Answer:
        """Ten hits with snippets, plus outlet and month counts over all matches."""

    def size_bytes(self) -> int:
        """Bytes on disk."""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
