"""HTML pages: the search page and one page per article. No JavaScript needed."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from search.domain.errors import IndexUnavailable
from search.domain.request import InvalidRequest, PageOutOfRange, query_text
from web import urls
from web.envelope import article_fields
from web.facets import page_url, url_with
from web.index_db import get_engine
from web.searching import envelope_for, without_blank_params

bp = Blueprint("pages", __name__)


@bp.get(urls.SEARCH_PAGE)
def search_page():
    """Search box, hits, facet sidebar and paging; every state is in the query string.

    A URL with empty parameters (what a GET form sends for fields left blank) is redirected
    to the same search without them, so shared URLs carry only what is set.
    """
    base = url_for("pages.search_page")
    cleaned = without_blank_params(base)  # the form sends its empty fields: "?q=harga&from=&to="
    if cleaned is not None:
        return cleaned
    form = {"q": request.args.get("q", ""), "from": request.args.get("from", ""), "to": request.args.get("to", "")}
    try:
        envelope = envelope_for(request.args, base)
    except PageOutOfRange as error:  # past the end: show the last page, at its own URL
        return redirect(page_url(base, list(request.args.items(multi=True)), error.last))
    except InvalidRequest as error:
        return render_template("pages/search.html", env=None, form=form, error=str(error)), 400
    except IndexUnavailable as error:
        return render_template("pages/search.html", env=None, form=form, error=f"Indeks belum tersedia: {error}"), 503
    # A new search keeps every filter, exclusion and setting; the form's own fields and the page are its own,
    # and it is corrected again when misspelt. The box holds the words searched: the correction, when one was.
    form_args = [(key, value) for key, value in request.args.items(multi=True) if key not in ("q", "page", "from", "to", "correction")]
    if envelope["corrected"]:
        form["q"] = str(envelope["query"])
    return render_template("pages/search.html", env=envelope, form=form, error=None, form_args=form_args)


@bp.get(urls.ARTICLE_PAGE + "<path:article_id>")
def article_page(article_id: str):
    """One article with all its metadata; opened from a search (``?q=…`` and its filters), within it.

    Within a search the page marks the search's words in the text, keeps the search box
    filled, leads "back to the results" at the same URL (page included), and its similar
    articles carry the search too.
    """
    search_args = [(key, value) for key, value in request.args.items(multi=True) if value.strip()]
    try:
        q = query_text(request.args.get("q", ""), current_app.config["MAX_QUERY_CHARS"])
    except InvalidRequest:
        q = ""  # a query too long to search is not marked either; the way back still says why
    found = get_engine().article(article_id, q)
    if found is None:
        abort(404, description=f"Artikel {article_id!r} tidak ditemukan.")
    search = url_with("", search_args)
    similar = [article_fields(hit, search) for hit in found.similar]
    back = url_with(url_for("pages.search_page"), search_args) if search_args else None
    kept = [(key, value) for key, value in search_args if key not in ("q", "page")]
    return render_template("pages/article.html", article=found.article, similar=similar, marked=found.marked,
                           marked_headline=found.marked_headline, q=q,
                           back_url=back, form_args=kept)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links to: the same icon, not a 404."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/bantuan")
def help_page():
    """The query language, in Indonesian."""
    return render_template("pages/help.html")
