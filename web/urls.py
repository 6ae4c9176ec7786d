"""The paths of the app, spelled once: the routes are declared with them and the envelope links
with them, so a page, an API answer and the command line's JSON can never point elsewhere.

(Plain strings rather than Flask's ``url_for``: the envelope is also built outside a request,
by ``berita search --json``.)
"""

from __future__ import annotations

from urllib.parse import quote

SEARCH_PAGE = "/"
API_SEARCH = "/api/search"
ARTICLE_PAGE = "/artikel/"
API_ARTICLE = "/api/artikel/"
EXPORT = "/api/export.{fmt}"
EXPORT_FORMATS = ("csv", "json", "xlsx")
FEED = "/feed.atom"
COMPARE = "/banding"
API_COMPARE = "/api/banding"
API_COMPARE_CSV = "/api/banding.csv"
COVERERS = "/media"
API_COVERERS = "/api/media"
API_COVERERS_CSV = "/api/media.csv"
ABOUT = "/tentang"
API_ABOUT = "/api/tentang"
API_ARTICLES = "/api/articles"  # POST: new articles
API_OPENAPI = "/api/openapi.json"
# Exports and the analyst views: the work that reads every match, which the server admits a few at a time.
HEAVY = frozenset({*(EXPORT.format(fmt=fmt) for fmt in EXPORT_FORMATS), COMPARE, API_COMPARE, API_COMPARE_CSV, COVERERS,
                   API_COVERERS, API_COVERERS_CSV, ABOUT, API_ABOUT})


def article_page(article_id: str) -> str:
    """The article page's path for an id (ids may hold any character, ``/`` included)."""
    return ARTICLE_PAGE + quote(article_id, safe="")


def export(fmt: str) -> str:
    """The path of the export in ``fmt`` (one of :data:`EXPORT_FORMATS`)."""
    return EXPORT.format(fmt=fmt)
