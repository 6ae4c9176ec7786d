"""The shared handler behind the search page and ``/api/search``: parameters in, envelope out."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from flask import current_app, redirect, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from search.domain.errors import SearchTimeout
from search.engine import answer, time_budget
from web.envelope import search_envelope
from web.facets import url_with
from web.index_db import get_engine
from web.params import parse_search


def envelope_for(args: MultiDict[str, str], base: str) -> dict[str, object]:
    """Run the search the query string asks for (a misspelt query corrected: :func:`search.engine.answer`); URLs point at ``base``.

    Raises ``InvalidRequest`` for bad parameters, ``IndexUnavailable`` when there is no
    index and ``SearchTimeout`` past the time budget (``SEARCH_TIME_BUDGET`` seconds).
    """
    request, notices = parse_search(args, current_app.config["MAX_QUERY_CHARS"])
    with search_time():
        return search_envelope(answer(get_engine(), request), base, notices)


# Set by the front of ``berita serve`` (web.front) when a request arrived: waiting there counts against the budget.
ARRIVAL_HEADER = "X-Berita-Arrival"


def waited() -> float:
    """Seconds since the request arrived at the server (0 when it came straight to the app, as in tests)."""
    try:
        arrival = float(request.headers.get(ARRIVAL_HEADER, ""))
    except ValueError:
        return 0.0
    return max(0.0, time.time() - arrival)  # a clock that says "not yet" never lengthens a budget


@contextlib.contextmanager
def search_time(setting: str = "SEARCH_TIME_BUDGET") -> Iterator[None]:
    """The block runs within the request's time budget (:func:`search_budget`); a message past it names the configured limit."""
    with time_budget(search_budget(setting), budget=current_app.config[setting] or None):
        yield


def search_budget(setting: str = "SEARCH_TIME_BUDGET") -> float | None:
    """The seconds a request's work may still run: the configured budget less the time it waited to be admitted.

    A search that waited out its whole budget is answered 503 at once, as one that ran out of it.
    """
    budget = current_app.config[setting]
    if not budget:
        return None
    remaining = budget - waited()
    if remaining <= 0:
        raise SearchTimeout(f"permintaan menunggu giliran melewati batas waktu {budget:g} detik")
    return float(remaining)


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
