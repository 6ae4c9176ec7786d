"""The shared handler behind the search page and ``/api/search``: parameters in, envelope out."""

from __future__ import annotations

from flask import current_app
from werkzeug.datastructures import MultiDict

from search.budget import time_budget
from search.envelope import search_envelope
from search.query import run_search
from web.index_db import get_searcher, reset_searcher
from web.params import parse_search_args

SEARCH_ATTEMPTS = 3


def envelope_for(args: MultiDict[str, str], base: str) -> dict[str, object]:
    """Run the search the query string asks for; facet and paging URLs point at ``base``.

    Raises ``InvalidRequest`` for bad parameters, ``IndexUnavailable`` when there is no
    index and ``SearchTimeout`` past the time budget (``SEARCH_TIME_BUDGET`` seconds). A search
    that loses a file to a concurrent merge is run again on a fresh searcher.
    """
    request = parse_search_args(args, current_app.config["MAX_QUERY_CHARS"])
    for attempt in range(SEARCH_ATTEMPTS):
        try:
            with time_budget(current_app.config["SEARCH_TIME_BUDGET"]):
                return search_envelope(run_search(get_searcher(), request), base)
        except OSError:
            if attempt == SEARCH_ATTEMPTS - 1:
                raise
            reset_searcher()
    raise AssertionError("unreachable")
