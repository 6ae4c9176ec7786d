"""An Atom feed for every search, so a feed reader or a monitoring tool can follow a query without an account.

``/feed.atom`` takes the search page's parameters (``q``, ``outlet``, ``group``, ``date``,
``from``, ``to``); it always lists the newest articles first, each copy of a story on its own
(a feed reader wants every new article), :data:`FEED_ENTRIES` of them. An entry links to the
article at its outlet when its address is known (else to its page here), carries the search's
snippet as its summary, and is dated by the article's date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from flask import Blueprint, Response, current_app, render_template, request

from search.domain.request import SearchRequest
from web import urls
from web.envelope import search_args
from web.facets import url_with
from web.formatting import web_url
from web.index_db import get_engine
from web.params import parse_search_args
from web.searching import search_time, site_address

bp = Blueprint("feed", __name__)
FEED_ENTRIES = 30


def feed_request(args: SearchRequest) -> SearchRequest:
    """The search as a feed asks it: newest first, every article on its own, the first :data:`FEED_ENTRIES`."""
    return dataclasses.replace(args, sort="terbaru", grouping=False, page=1, size=FEED_ENTRIES, chart="")


@bp.get(urls.FEED)
def search_feed():
    """The search's newest articles as Atom 1.0 (RFC 4287)."""
    asked = parse_search_args(request.args, current_app.config["MAX_QUERY_CHARS"])  # a bad one: 400 (web.errors)
    with search_time():
        result = get_engine().search(feed_request(asked))
    site = site_address()
    kept = search_args(asked)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    entries = [
        {
            "id": site + urls.article_page(hit.id),
            "title": xml_text(hit.headline),
            "link": web_url(hit.url) or site + urls.article_page(hit.id),
            "page": site + urls.article_page(hit.id) + url_with("", kept),  # the article within the search
            "updated": _timestamp(hit.date) if hit.date else now.isoformat().replace("+00:00", "Z"),
            "outlet": xml_text(hit.outlet or ""),
            "summary": xml_text(hit.snippet),
        }
        for hit in result.hits
    ]
    dated = [hit.date for hit in result.hits if hit.date]
    body = render_template(
        "feeds/search.xml",
        title=xml_text(f"Cari Berita: {asked.q}" if asked.q else "Cari Berita: artikel terbaru"),
        feed_id=site + url_with(urls.FEED, kept),
        self_url=site + url_with(urls.FEED, kept),
        page_url=site + url_with(urls.SEARCH_PAGE, [*kept, ("sort", "terbaru")]),
        updated=_timestamp(max(dated)) if dated else now.isoformat().replace("+00:00", "Z"),
        entries=entries,
    )
    return Response(body, mimetype="application/atom+xml")


# Characters XML 1.0 forbids even escaped (C0 controls but tab, newline, carriage return): one in a
# scraped headline would make the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document may not hold."""
    return _NOT_XML.sub("", text)


def _timestamp(date: dt.date) -> str:
    """An article date as an RFC 3339 instant (articles carry a day, not a time: midnight UTC)."""
    return f"{date.isoformat()}T00:00:00Z"
