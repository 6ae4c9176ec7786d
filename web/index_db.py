"""The index's lifecycle in the web app, after flaskr's ``db.py``.

One shared index object per app and live generation; a fresh searcher per request, so
every request sees the newest commit without a restart, and a rebuild's swap is picked up
on the next request. A searcher whose files a concurrent merge just removed is reopened
rather than turned into an error.
"""

from __future__ import annotations

import time
from pathlib import Path

from flask import Flask, current_app, g
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from search.storage import current_generation, open_index

_KEY = "berita.index"
OPEN_ATTEMPTS = 5


def get_index() -> FileIndex:
    """The live generation's index. Raises ``IndexUnavailable`` while there is none."""
    index_dir = Path(current_app.config["INDEX_DIR"])
    live = current_generation(index_dir)
    cached: tuple[Path | None, FileIndex] | None = current_app.extensions.get(_KEY)
    if cached is None or cached[0] != live:
        ix = open_index(index_dir)
        cached = (Path(ix.storage.folder), ix)
        current_app.extensions[_KEY] = cached
    return cached[1]


def get_searcher() -> Searcher:
    """This request's searcher (opened once per request, at the newest commit)."""
    if "searcher" not in g:
        for attempt in range(OPEN_ATTEMPTS):
            try:
                g.searcher = get_index().searcher()
                break
            except OSError:  # a segment merged away between reading the table of contents and opening it
                current_app.extensions.pop(_KEY, None)
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
    return g.searcher


def reset_searcher() -> None:
    """Drop this request's searcher so the next :func:`get_searcher` opens a fresh one."""
    close_searcher()
    current_app.extensions.pop(_KEY, None)


def close_searcher(_error: BaseException | None = None) -> None:
    searcher = g.pop("searcher", None)
    if searcher is not None:
        searcher.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_searcher)
