"""HTML pages: the search page and one page per article. No JavaScript needed."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request, url_for

from search.indexer import IndexUnavailable
from search.query import InvalidRequest, get_article
from web.index_db import get_searcher
from web.searching import envelope_for

bp = Blueprint("pages", __name__)


@bp.get("/")
def search_page():  # type: ignore[no-untyped-def]
    """Search box, hits, facet sidebar and paging; every state is in the query string."""
    form = {"q": request.args.get("q", ""), "from": request.args.get("from", ""), "to": request.args.get("to", ""),
            "chart": request.args.get("chart", "")}
    others = [(k, v) for k, v in request.args.items(multi=True) if k != "chart"]
    form["chart_share_url"] = "?" + urlencode([*others, ("chart", "share")])
    form["chart_count_url"] = "?" + urlencode(others)
    try:
        envelope = envelope_for(request.args, url_for("pages.search_page"))
    except InvalidRequest as error:
        return render_template("pages/search.html", env=None, form=form, error=str(error)), 400
    except IndexUnavailable as error:
        return render_template("pages/search.html", env=None, form=form, error=f"Indeks belum tersedia: {error}"), 503
    return render_template("pages/search.html", env=envelope, form=form, error=None)


@bp.get("/artikel/<path:article_id>")
def article_page(article_id: str):  # type: ignore[no-untyped-def]
    """One article with all its metadata."""
    try:
        article = get_article(get_searcher(), article_id)
    except IndexUnavailable:
        abort(503, description="Indeks belum tersedia.")
    if article is None:
        abort(404, description=f"Artikel {article_id!r} tidak ditemukan.")
    return render_template("pages/article.html", article=article)


@bp.get("/bantuan")
def help_page():  # type: ignore[no-untyped-def]
    """The query language, in Indonesian."""
    return render_template("pages/help.html")
