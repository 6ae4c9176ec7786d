"""A time budget for one search: past its deadline the search stops with :class:`SearchTimeout`.

Caps on words, word length and prefixes (:mod:`search.querylang`) bound what one query can
ask for, but some ordinary-looking queries are still costly (thirty common words joined by
OR rank every article). Whoosh's matching and scoring are loops in Python with no hook to
stop them, and gunicorn's timeout does not stop a thread, so a few such requests could hold
every thread while everyone else waits. The engine therefore checks a deadline inside its
own loops: while collecting matches and while ranking them (a collector that checks the
clock every few hundred documents). The caller sets the budget with :func:`time_budget`
(a context variable, so each thread has its own); the web layer answers a timed-out search
with 503 and a message, and nothing is half-answered.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from whoosh.collectors import WrappingCollector
from whoosh.query import Query
from whoosh.searching import Results, Searcher

CHECK_EVERY = 256  # documents between two looks at the clock (a look costs ~50 ns)


class SearchTimeout(RuntimeError):
    """The search ran past its budget (the message says how long that was)."""


@dataclass(frozen=True)
class Deadline:
    """A moment on the monotonic clock; ``Deadline.none()`` never passes."""

    at: float
    budget: float

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        """A deadline ``seconds`` from now (none at all for ``None`` or 0)."""
        return cls(time.monotonic() + seconds, seconds) if seconds else cls.none()

    @classmethod
    def none(cls) -> Deadline:
        return cls(math.inf, math.inf)

    def check(self) -> None:
        """Raise :class:`SearchTimeout` when the deadline has passed."""
        if time.monotonic() > self.at:
            raise SearchTimeout(f"pencarian melewati batas waktu {self.budget:g} detik")

    def watch(self, items: Iterable[int]) -> Iterator[int]:
        """``items``, checking the deadline every :data:`CHECK_EVERY` of them."""
        for count, item in enumerate(items):
            if not count % CHECK_EVERY:
                self.check()
            yield item


class DeadlineCollector(WrappingCollector):
    """Wraps the innermost Whoosh collector so that every loop over matches stops at the deadline.

    Whoosh's own ``TimeLimitCollector`` needs a timer thread or SIGALRM (neither fits a server
    thread) and, wrapped outermost, would bypass a filter's loop; see :func:`with_deadline`.
    """

    def __init__(self, child: object, deadline: Deadline) -> None:
        super().__init__(child)
        self.deadline = deadline

    def matches(self) -> Iterator[int]:
        return self.deadline.watch(self.child.matches())


def with_deadline(collector: Any, deadline: Deadline) -> Any:
    """``collector`` (as ``Searcher.collector`` builds it) with its innermost collector watched.

    Filtering, collapsing and term-recording collectors wrap the one that scores, and each
    loops over its child's matches: watching the innermost stream reaches every loop.
    """
    if not isinstance(collector, WrappingCollector):
        return DeadlineCollector(collector, deadline)
    parent = collector
    while isinstance(parent.child, WrappingCollector):
        parent = parent.child
    parent.child = DeadlineCollector(parent.child, deadline)
    return collector


_UNLIMITED = Deadline.none()
_current: ContextVar[Deadline] = ContextVar("search_deadline", default=_UNLIMITED)


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[Deadline]:
    """Searches in this block (this thread) stop after ``seconds``; ``None`` or 0: no limit."""
    token = _current.set(Deadline.after(seconds))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current_deadline() -> Deadline:
    """The deadline of the enclosing :func:`time_budget` (none outside one)."""
    return _current.get()


def deadline_search(searcher: Searcher, query: Query, **options: object) -> Results:
    """``searcher.search(query, **options)`` that stops at the current deadline (:mod:`search.budget`)."""
    collector = with_deadline(searcher.collector(**options), current_deadline())
    searcher.search_with_collector(query, collector)
    return collector.results()
