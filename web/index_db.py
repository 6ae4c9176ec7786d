"""The index's lifecycle in the web app, after flaskr's ``db.py``.

The app holds one :class:`~search.searchers.SearcherCache`: each worker thread keeps its
searcher open between requests and refreshes it when a commit or a rebuild happened, so
every request sees the newest articles without a restart and without paying for opening
the whole index. A searcher whose files a concurrent merge just removed is dropped and
reopened rather than turned into an error.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from whoosh.searching import Searcher

from search.searchers import SearcherCache

_KEY = "berita.searchers"


def _cache() -> SearcherCache:
    cache: SearcherCache = current_app.extensions[_KEY]  # made by init_app
    return cache


def get_searcher() -> Searcher:
    """A searcher at the newest commit (kept open for this thread's next request)."""
    return _cache().get()


def reset_searcher() -> None:
    """Drop this thread's searcher so the next :func:`get_searcher` opens a fresh one."""
    _cache().discard()


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = SearcherCache(Path(app.config["INDEX_DIR"]))
