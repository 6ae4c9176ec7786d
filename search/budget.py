"""A time budget for one search: past its deadline the search stops with :class:`SearchTimeout`.

Caps on words, word length and prefixes (:mod:`search.querylang`) bound what one query can
ask for, but some ordinary-looking queries are still costly (thirty common words joined by
OR rank every article), and gunicorn's timeout does not stop a thread, so a few such
requests could hold every thread while everyone else waits. The engine therefore checks a
deadline in its own loops: at every node of the query tree (:mod:`search.backends.whoosh.evaluation`),
between batches of phrase checks, and at every round of ranking (:mod:`search.backends.whoosh.topk`).
The caller sets the budget with :func:`time_budget`
(a context variable, so each thread has its own); the web layer answers a timed-out search
with 503 and a message, and nothing is half-answered.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from search.domain.errors import SearchTimeout


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


_UNLIMITED = Deadline.none()
_current: ContextVar[Deadline] = ContextVar("search_deadline", default=_UNLIMITED)


@contextlib.contextmanager
def time_budget(seconds: float | None, *, budget: float | None = None) -> Iterator[Deadline]:
    """Searches in this block (this thread) stop after ``seconds``; ``None`` or 0: no limit.

    ``budget`` is the limit a message names when it is more than ``seconds`` (what is left of
    it after the request waited): the user is told the limit they can act on, not the remainder.
    """
    deadline = Deadline.after(seconds)
    token = _current.set(Deadline(deadline.at, budget) if seconds and budget else deadline)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current_deadline() -> Deadline:
    """The deadline of the enclosing :func:`time_budget` (none outside one)."""
    return _current.get()
