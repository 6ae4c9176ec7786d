"""The JSON API: the search page's twin (same parameters, same envelope) and article records."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for

from search.domain.article import FIELDS
from search.domain.request import InvalidRequest, PageOutOfRange
from search.domain.result import LISTED
from web import urls
from web.envelope import article_fields
from web.facets import page_url
from web.index_db import get_engine
from web.openapi import description
from web.searching import envelope_for

bp = Blueprint("api", __name__)

# An article's record: the fields a search lists of it (search.domain.result.LISTED) that the article
# itself holds, all but its network, then the text.
ARTICLE_FIELDS = (*(name for name in LISTED if name in FIELDS and name != "outlet_group"), "body")


@bp.get(urls.API_SEARCH)
def search():
    """``GET /api/search?q=&outlet=&date=&from=&to=&page=&size=``."""
    base = url_for("api.search")
    try:
        return jsonify(envelope_for(request.args, base))
    except PageOutOfRange as error:  # never an empty page that pretends to be one: 404 naming the last page
        response = jsonify({"error": str(error), "status": 404, "last_page": error.last,
                            "last_page_url": page_url(base, list(request.args.items(multi=True)), error.last)})
        response.status_code = 404
        return response
    except InvalidRequest as error:
        abort(400, description=str(error))


@bp.get(urls.API_ARTICLE + "<path:article_id>")
def article(article_id: str):
    """One article's stored record (``null`` where a field is unknown)."""
    found = get_engine().article(article_id)
    if found is None:
        abort(404, description=f"Artikel {article_id!r} tidak ditemukan.")
    fields = found.article.to_dict()
    record: dict[str, object] = {name: fields.get(name) or None for name in ARTICLE_FIELDS}
    record["article_url"] = url_for("pages.article_page", article_id=article_id)
    record["similar"] = [article_fields(hit) for hit in found.similar]
    return jsonify(record)


@bp.get(urls.API_OPENAPI)
def openapi():
    """The API described in OpenAPI 3.1 (:mod:`web.openapi`)."""
    return jsonify(description())
