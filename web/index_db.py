"""The index's lifecycle in the web app, after flaskr's ``db.py``.

One shared index object per app; a fresh searcher per request (so every request sees
the latest commit), closed when the request ends.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from search.indexer import open_index

_KEY = "berita.index"


def get_index() -> FileIndex:
    """The app's index, opened on first use. Raises ``IndexUnavailable`` while there is none."""
    ix = current_app.extensions.get(_KEY)
    if ix is None:
        ix = open_index(Path(current_app.config["INDEX_DIR"]))
        current_app.extensions[_KEY] = ix
    return ix


def get_searcher() -> Searcher:
    """This request's searcher (opened once per request, at the newest index generation)."""
    if "searcher" not in g:
        g.searcher = get_index().searcher()
    return g.searcher


def close_searcher(_error: BaseException | None = None) -> None:
    searcher = g.pop("searcher", None)
    if searcher is not None:
        searcher.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_searcher)
