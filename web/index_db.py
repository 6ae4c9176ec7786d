"""The index's lifecycle in the web app, after flaskr's ``db.py``.

The app holds one :class:`~search.engine.SearchEngine`, the backend its configuration names. Each worker thread
keeps its searcher open between requests and refreshes it when a commit or a rebuild
happened, so every request sees the newest articles without a restart and without paying
for opening the whole index. Views ask the engine for plain values and never see how the
index stores them.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from search.engine import EngineConfig, SearchEngine, open_engine

_KEY = "berita.engine"


def get_engine() -> SearchEngine:
    """The engine of this app's index (made by :func:`init_app`)."""
    engine: SearchEngine = current_app.extensions[_KEY]
    return engine


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = open_engine(EngineConfig(app.config["ENGINE"], Path(app.config["INDEX_DIR"])))
