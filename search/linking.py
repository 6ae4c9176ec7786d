"""Story links, found as articles are written: the earlier articles each new one tells the story of.

Every backend links the same way. A new article's sketch (:mod:`search.sketches`) is
compared with earlier articles sharing its most distinctive words: those written before it
in the same run (kept in memory, since a bulk build makes them searchable only at its end)
and those already in the index (found by the backend, :data:`IndexedCandidates`). The
article keeps the ids of the earlier ones it matches; the stories are the connected groups
of those links, which each backend keeps in its own way (the Whoosh backend per commit in
:mod:`search.backends.whoosh.stories`, the OpenSearch backend as a key on each document in
:mod:`search.backends.opensearch.stories`). Links go from the later article to the earlier
one, but a group is the same whichever arrived first.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from search.domain.article import Article
from search.sketches import MIN_WORDS, Sketch, close_in_time, same_story, sketch

LOOKUP_TERMS = 12  # a new article looks for earlier ones sharing one of its best words
CANDIDATES = 20  # earlier articles compared in full, the ones sharing the most weight
LOOKUP_BUDGET = 600  # earlier articles visited per new article, through its rarest words first
EXPECTED_KEPT = 4_096  # sketches computed ahead and not taken yet, at most
RECENT_PER_WORD = 500  # in one indexing run: the latest articles kept per sketch word
RECENT_ARTICLES = 20_000  # in one indexing run: how many of the latest articles are kept to compare with
MAX_LINKS = 5


@dataclass(frozen=True)
class StoryFields:
    """What the index keeps of an article's story: its sketch and the earlier articles it matches."""

    sketch: Sketch
    links: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        """The words later articles find this one by; none for a text too short to be a candidate."""
        return list(self.sketch) if len(self.sketch) >= MIN_WORDS else []


@dataclass(frozen=True)
class Seen:
    """An earlier article as the linker compares with it."""

    id: str
    sketch: Sketch
    date: dt.date | None
    outlet: str | None = None  # the outlet's key: one outlet's articles join only as near copies


# The index's earlier articles worth comparing with a new one: given its id, its lookup words
# (its best first), its sketch and its date, at most CANDIDATES of them, those sharing the most weight
# (each with its outlet key).
IndexedCandidates = Callable[[str, list[str], Sketch, dt.date | None], Iterable[Seen]]


def lookup_words(own: Sketch) -> list[str]:
    """The words a new article's earlier copies are looked for by: its best :data:`LOOKUP_TERMS`."""
    return list(own)[:LOOKUP_TERMS]


class StoryLinker:
    """Finds, for each article of an indexing run, the earlier articles telling its story.

    Earlier articles are those already in the index (through ``indexed``, the backend's
    lookup) and those this run wrote before (kept in memory).
    """

    def __init__(self, indexed: IndexedCandidates | None = None) -> None:
        self.indexed = indexed
        # Memory stays bounded in a bulk build of any size: only the latest RECENT_ARTICLES
        # sketches are kept, and per word only the latest RECENT_PER_WORD articles.
        self.seen: dict[int, Seen] = {}
        self.count = 0
        self.latest: dict[str, int] = {}  # article id -> its newest entry in ``seen``
        self.by_word: dict[str, list[int]] = {}
        self.expected: dict[int, tuple[Article, Sketch]] = {}  # sketches computed ahead (search.ahead), by article

    def expect(self, article: Article, own: Sketch) -> None:
        """``own`` is ``article``'s sketch, computed elsewhere: :meth:`fields` takes it instead of sketching again."""
        if len(self.expected) >= EXPECTED_KEPT:  # articles that were never written (a duplicate id, unchanged)
            self.expected.clear()
        self.expected[id(article)] = (article, own)

    def take(self, article: Article) -> Sketch | None:
        """The sketch :meth:`expect`-ed for ``article``, if one was (then forgotten)."""
        ahead = self.expected.pop(id(article), None)
        return ahead[1] if ahead is not None and ahead[0] is article else None

    def fields(self, article: Article, own: Sketch | None = None) -> StoryFields:
        """Sketch the article (unless ``own`` is its sketch, or one was :meth:`expect`-ed), link it to the earlier articles
        of its story, remember it."""
        if own is None:
            own = self.take(article) or sketch(article.title, article.body)
        if len(own) < MIN_WORDS:
            return StoryFields(own, ())
        this = Seen(article.id, own, article.date, article.outlet_key)
        links = self._links(this)
        self._remember(this)
        return StoryFields(own, links)

    def _remember(self, this: Seen) -> None:
        index = self.count
        self.count += 1
        self.seen[index] = this
        self.seen.pop(index - RECENT_ARTICLES, None)
        self.latest[this.id] = index
        for word in this.sketch:
            recent = self.by_word.setdefault(word, [])
            recent.append(index)
            if len(recent) >= 2 * RECENT_PER_WORD:
                del recent[:-RECENT_PER_WORD]

    def _links(self, this: Seen) -> tuple[str, ...]:
        article_id, own, date = this.id, this.sketch, this.date
        lookup = lookup_words(own)
        shared: dict[int, float] = {}
        budget = LOOKUP_BUDGET
        for word in sorted(lookup, key=lambda w: len(self.by_word.get(w, ()))):  # rarest first: names, places
            recent = self.by_word.get(word, [])[-min(RECENT_PER_WORD, budget):] if budget > 0 else []
            budget -= len(recent)
            weight = own[word]
            for index in recent:
                shared[index] = shared.get(index, 0.0) + weight
        found: dict[str, float] = {}
        for index in heapq.nlargest(CANDIDATES, shared, key=shared.__getitem__):
            other = self.seen.get(index)
            if other is not None and other.id != article_id and self.latest.get(other.id) == index:
                self._judge(found, other, this)
        if self.indexed is not None:
            for other in self.indexed(article_id, lookup, own, date):
                if other.id != article_id and other.id not in self.latest:  # re-written in this run: judged above
                    self._judge(found, other, this)
        best = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:MAX_LINKS]
        return tuple(other_id for other_id, _ in best)

    @staticmethod
    def _judge(found: dict[str, float], other: Seen, this: Seen) -> None:
        if close_in_time(this.date, other.date):
            score = same_story(this.sketch, other.sketch, (this.outlet, other.outlet))
            if score:
                found[other.id] = max(score, found.get(other.id, 0.0))
