"""What the engine answers, as plain values: no backend object and no document number in here.

A :class:`SearchResult` holds one page of :class:`Hit` records with the total, raw facet
counts and the chart; an :class:`ArticleView` is one article with its story; an
:class:`Export` is every match, read as it is consumed; an :class:`IndexReport` says what
one indexing run did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, fields

from search.domain.analyst import Coverage
from search.domain.article import Article
from search.domain.request import SearchRequest
from search.extract import Failed


@dataclass(kw_only=True)
class Listing:
    """An article as a list of them shows it: its metadata, in the order the API, the exports and the CLI's JSON list it.

    The one place that order is written: the envelope, the export's columns and the article
    record of the API read :data:`LISTED` rather than keep lists of field names of their own.
    """

    id: str
    title: str | None
    headline: str
    outlet: str | None
    outlet_key: str | None
    outlet_group: str | None
    date: dt.date | None
    city: str | None
    category: str | None = None
    author: str | None = None
    editor: str | None = None
    url: str | None


LISTED: tuple[str, ...] = tuple(item.name for item in fields(Listing))


# Articles of one story listed under its hit; ``similar_count`` says how many there are in all.
MAX_SIMILAR_LISTED = 50


@dataclass(kw_only=True)
class Hit(Listing):
    """One result as pages and the API show it; ``snippet`` is safe HTML."""

    snippet: str
    score: float | None
    story: str = ""  # the story's name, an id of one of its articles (its own id when alone; which one is the backend's)
    similar: list[Hit] = field(default_factory=list)  # other matching articles of the story
    similar_count: int = 0  # how many there are, when more than the listed ones
    # A partial match (search.partials): the query word the article lacks, and the all-words hit it is shown before
    # (its index in the page's hits; their count when it follows them).
    missing: str = ""
    before: int = 0

    @classmethod
    def listing(cls, article: Article, story: str = "") -> Hit:
        """``article`` listed without a snippet: another article of a hit's story, an article page's story, an export's row.

        None of them is shown with a snippet (the API lists them by :data:`LISTED` only), and
        cutting the body's start was most of the cost of reading one.
        """
        return cls.of(article, "", None, story)

    @classmethod
    def of(cls, article: Article, snippet: str, score: float | None, story: str = "") -> Hit:
        """``article`` as a hit with ``snippet`` (safe HTML; every backend builds its hits here)."""
        return cls(id=article.id, title=article.title, headline=article.headline, outlet=article.outlet, outlet_key=article.outlet_key,
                   outlet_group=article.outlet_group, date=article.date, city=article.city, url=article.url, snippet=snippet, score=score,
                   author=article.author, editor=article.editor, category=article.category, story=story)


# A short list gets more: partial matches while the all-words list is shorter than a page
# (PARTIAL_BELOW), and a spelling suggestion when it has fewer hits than SUGGEST_BELOW.
PARTIAL_BELOW = 10
SUGGEST_BELOW = 3
PARTIAL_NOTICE = "Tidak ada artikel yang memuat semua kata; di bawah ini artikel yang memuat sebagian kata (tidak dihitung)."


@dataclass(frozen=True)
class Archive:
    """What the whole archive holds: what a search that found nothing tells the reader (:mod:`search.answering`)."""

    articles: int
    first: dt.date | None  # the oldest and the newest article's date (None when no article is dated)
    last: dt.date | None
    outlets: tuple[tuple[str, int], ...]  # every known outlet's key with its articles, most first
    outlet_labels: dict[str, str] = field(default_factory=dict)  # the outlets' names as their articles write them


@dataclass
class SearchResult:
    """Hits of one page, the total, and raw facet counts (``facet -> value -> count``).

    Each facet's counts ignore that facet's own selection (see the module docstring).
    """

    request: SearchRequest
    total: int
    hits: list[Hit]
    counts: dict[str, dict[str, int]]
    outlet_labels: dict[str, str]
    notice: str | None = None
    suggestion: str | None = None
    coverage: Coverage | None = None
    stories: int | None = None  # distinct stories among the matches, when grouping
    partial: list[Hit] = field(default_factory=list)  # articles with all but one of the words, each at its place: never counted
    newest: dt.date | None = None  # the archive's newest article date: quick date ranges count back from it
    # When nothing matches: how many would with one filter dropped (a facet's name, or "range" for from/to),
    # and with none ("all"), so the page can say which filter hides the matches.
    without_filter: dict[str, int] = field(default_factory=dict)
    # The commit the result was read from, as the backend names it ("" when it cannot say): what is derived from the
    # whole archive (search.answering's facts) is the same for every result of one commit.
    commit: str = ""
    # Set above the backends (search.answering): the query as typed when this is the result of its spelling
    # suggestion, the archive's facts when nothing matched (or an outlet was asked for), and the outlets asked
    # for (``outlet=`` or ``outlet:``, as keys) that have no article in the archive.
    corrected_from: str | None = None
    archive: Archive | None = None
    unknown_outlets: tuple[str, ...] = ()
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = page_count(self.total if self.stories is None else self.stories, self.request.size)


def page_count(listed: int, size: int) -> int:
    """Pages needed for ``listed`` hits; an empty result is one (empty) page."""
    return max(1, -(-listed // size))


@dataclass(frozen=True)
class ArticleView:
    """One article as its page shows it, with the other articles of its story (oldest first)."""

    article: Article
    similar: list[Hit]
    marked: list[str] | None = None  # the body's paragraphs as HTML with the search's words marked, when asked with a query
    marked_headline: str | None = None  # the headline (title, else first sentence) likewise


@dataclass(frozen=True)
class Export:
    """Every match of a search: how many, and the rows, read one at a time as they are consumed."""

    total: int
    rows: Iterator[Hit]


@dataclass
class IndexReport:
    """What one indexing run did, for the summary line and the exit status."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: list[Failed] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.deleted} deleted, {len(self.failed)} failed"
        )


@dataclass(frozen=True)
class IndexStatus:
    """What a backend says of its index's health, as labelled lines (``berita status``): whether it can serve, and its figures.

    ``healthy`` is false when searches would fail or miss articles (an unreachable or red
    cluster, a missing index), so a monitoring script can act on the command's exit status.
    """

    healthy: bool
    lines: tuple[tuple[str, str], ...]
