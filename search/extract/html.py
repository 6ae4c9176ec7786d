"""Saved HTML pages -> Article, with trafilatura finding the main text and page metadata.

trafilatura separates the article from navigation, related links and comments, and reads
the page's title, canonical URL, site name, author and publication date from its
metadata. The main text then goes through the same raw-text extraction as ``.txt``
articles (dateline city, credits, boilerplate). The outlet is the page's own: its URL's
host, then its declared site name, then its dateline, always normalised by the registry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import trafilatura

from search.domain.article import Article
from search.extract.dates import parse_record_date
from search.extract.outlets import Outlet, OutletRegistry, default_registry, host_of
from search.extract.text import extract_text

# Below this, what trafilatura found is navigation or a teaser, not an article.
MIN_ARTICLE_WORDS = 25


def extract_html(
    html: str,
    *,
    article_id: str,
    today: dt.date,
    source: str | None = None,
    registry: OutletRegistry | None = None,
) -> Article:
    """Build an Article from one saved page. Raises ``ValueError`` when the page holds no article text."""
    registry = registry or default_registry()
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text: str = (getattr(document, "text", None) if document is not None else None) or ""
    words = len(text.split())
    if words < MIN_ARTICLE_WORDS:
        raise ValueError(f"no article text found in the HTML page ({words} words of main text)")
    title = _clean(getattr(document, "title", None))
    lines = text.split("\n")
    if title and lines and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # the headline repeated as the first line of the main text
    inner = extract_text("\n".join(lines), article_id=article_id, today=today, source=source, registry=registry, detect_title=False)

    url = _clean(getattr(document, "url", None))
    outlet = _page_outlet(url, _clean(getattr(document, "sitename", None)), registry)
    try:
        date = parse_record_date(getattr(document, "date", None), today)
    except ValueError:
        date = None
    if date is not None and date > today:
        date = None
    changes: dict[str, Any] = dict(
        title=title or inner.title,
        url=url,
        date=date or inner.date,
        author=inner.author or _clean(getattr(document, "author", None)),
        category=_first(getattr(document, "categories", None)),
    )
    if outlet is not None:
        changes.update(outlet=outlet.name, outlet_key=outlet.key, outlet_group=outlet.group)
    return replace(inner, **changes)


def _page_outlet(url: str | None, sitename: str | None, registry: OutletRegistry) -> Outlet | None:
    host = host_of(url) if url else None
    if host:
        return registry.resolve(host)
    if sitename:
        return registry.resolve(sitename)
    return None


def _first(value: object) -> str | None:
    """The first of a page's categories (trafilatura gives a list, or text separated by commas)."""
    if isinstance(value, (list, tuple)):
        return _clean(value[0]) if value else None
    return _clean(str(value).split(",")[0]) if value else None


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None
