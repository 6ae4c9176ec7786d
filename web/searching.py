"""The shared handler behind the search page and ``/api/search``: parameters in, envelope out."""

from __future__ import annotations

from flask import current_app, redirect, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from search.engine import time_budget
from web.envelope import search_envelope
from web.facets import url_with
from web.index_db import get_engine
from web.params import parse_search_args


def envelope_for(args: MultiDict[str, str], base: str) -> dict[str, object]:
    """Run the search the query string asks for; facet and paging URLs point at ``base``.

    Raises ``InvalidRequest`` for bad parameters, ``IndexUnavailable`` when there is no
    index and ``SearchTimeout`` past the time budget (``SEARCH_TIME_BUDGET`` seconds).
    """
    request = parse_search_args(args, current_app.config["MAX_QUERY_CHARS"])
    with time_budget(current_app.config["SEARCH_TIME_BUDGET"]):
        return search_envelope(get_engine().search(request), base)


def site_address() -> str:
    """This service's address as readers reach it, for links used outside the app (exports, feeds).

    ``PUBLIC_URL`` when set (behind a proxy), else the request's own scheme and host.
    """
    return str(current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/")


def without_blank_params(base: str) -> Response | None:
    """A redirect to the same URL without its empty parameters (what a GET form sends for fields left blank), else ``None``.

    Shared URLs then carry only what is set: ``/?q=harga`` rather than ``/?q=harga&from=&to=``.
    """
    given = list(request.args.items(multi=True))
    if not any(not value.strip() for _, value in given):
        return None
    return redirect(url_with(base, [(key, value) for key, value in given if value.strip()]))
