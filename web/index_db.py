"""The index's lifecycle in the web app, after flaskr's ``db.py``.

The app holds one :class:`~search.engine.SearchEngine`, the backend its configuration names. Each worker thread
keeps its searcher open between requests and refreshes it when a commit or a rebuild
happened, so every request sees the newest articles without a restart and without paying
for opening the whole index. Views ask the engine for plain values and never see how the
index stores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from search.engine import DEFAULT_INDEX_NAME, EngineConfig, SearchEngine, open_engine

_KEY = "berita.engine"


def get_engine() -> SearchEngine:
    """The engine of this app's index (made by :func:`init_app`)."""
    engine: SearchEngine = current_app.extensions[_KEY]
    return engine


def engine_config(settings: Mapping[str, Any]) -> EngineConfig:
    """The engine an app's settings name: the backend, its index folder, or its cluster and index name."""
    return EngineConfig(
        name=settings["ENGINE"],
        index_dir=Path(settings["INDEX_DIR"]),
        url=settings.get("OPENSEARCH_URL") or "",
        index_name=settings.get("OPENSEARCH_INDEX") or DEFAULT_INDEX_NAME,
        ca_certs=settings.get("OPENSEARCH_CA_CERTS") or "",
        verify_certs=bool(settings.get("OPENSEARCH_VERIFY_CERTS", True)),
    )


def engine_settings(config: EngineConfig) -> dict[str, Any]:
    """The app settings that name the engine ``config`` names (:func:`engine_config`'s inverse)."""
    return {"ENGINE": config.name, "INDEX_DIR": str(config.index_dir), "OPENSEARCH_URL": config.url,
            "OPENSEARCH_INDEX": config.index_name, "OPENSEARCH_CA_CERTS": config.ca_certs,
            "OPENSEARCH_VERIFY_CERTS": config.verify_certs}


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = open_engine(engine_config(app.config))
