"""The Flask application: search page, article pages and the JSON API.

Built by :func:`create_app` (Flask's application-factory pattern) so tests and the
``berita serve`` command each get their own app with their own index folder. Nothing
happens at import time.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from web import index_db
from web.errors import register_error_handlers
from web.facet_labels import template_globals as facet_template_globals
from web.formatting import register_filters
from web.security import register_security_headers

# Settings taken from the environment exactly as written, never decoded as JSON.
LITERAL_SETTINGS = ("ENGINE", "INDEX_DIR", "INGEST_TOKEN", "PUBLIC_URL", "OPENSEARCH_URL", "OPENSEARCH_INDEX", "OPENSEARCH_CA_CERTS")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Make the app. Config layers: defaults, ``instance/config.py``, ``BERITA_*`` env, then ``config``
    (what ``berita serve`` and the tests pass)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        ENGINE="whoosh",  # BERITA_ENGINE: which backend (search.engine.ENGINES)
        INDEX_DIR="index",
        OPENSEARCH_URL="",  # BERITA_OPENSEARCH_URL: the cluster, when ENGINE is opensearch (several URLs comma-separated)
        OPENSEARCH_INDEX="berita",  # BERITA_OPENSEARCH_INDEX: the alias searches read
        OPENSEARCH_CA_CERTS="",  # BERITA_OPENSEARCH_CA_CERTS: a CA bundle for a TLS cluster
        OPENSEARCH_VERIFY_CERTS=True,  # BERITA_OPENSEARCH_VERIFY_CERTS=false for a test cluster's own certificate
        MAX_QUERY_CHARS=500,
        INGEST_TOKEN=None,  # BERITA_INGEST_TOKEN turns POST /api/articles on
        INGEST_LOCK_TIMEOUT=10.0,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,  # a larger POST is refused with 413
        SEARCH_TIME_BUDGET=5.0,  # seconds from a request's arrival a search may run before it answers 503 (search.budget)
        EXPORT_TIME_BUDGET=120.0,  # seconds from its arrival an export may stream before it breaks off
        PUBLIC_URL="",  # BERITA_PUBLIC_URL=https://berita.example: exports' article links, behind a proxy
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BERITA")  # numbers such as BERITA_MAX_QUERY_CHARS=300 are read as JSON
    for key in LITERAL_SETTINGS:  # ... but a token or a folder is the literal text ("true", "null", "007")
        if f"BERITA_{key}" in os.environ:
            app.config[key] = os.environ[f"BERITA_{key}"]
    app.url_map.merge_slashes = False  # its redirect would be built from the client's Host header
    if config:
        app.config.update(config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    index_db.init_app(app)
    register_filters(app)
    app.jinja_env.globals.update(facet_template_globals())
    register_error_handlers(app)
    register_security_headers(app)

    from web.views import analyst, api, export, feed, ingest, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(ingest.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(feed.bp)
    app.register_blueprint(analyst.bp)
    return app
