"""Every search has an Atom feed, read here as a feed reader reads it (feedparser)."""

from __future__ import annotations

import html

import feedparser


def test_a_search_feed_lists_its_newest_articles_with_links_and_snippets(sample_client) -> None:
    newest = sample_client.get("/api/search?q=jakarta&outlet=cnnindonesia.com&sort=terbaru&grouping=off").get_json()
    response = sample_client.get("/feed.atom?q=jakarta&outlet=cnnindonesia.com")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception  # well-formed Atom
    assert feed.version == "atom10" and feed.feed.title == "Cari Berita: jakarta"
    assert [e.link for e in feed.entries][:5] == [h["url"] for h in newest["hits"]][:5]  # the article at its outlet, newest first
    assert len(feed.entries) == min(30, newest["total"])
    first, hit = feed.entries[0], newest["hits"][0]
    assert first.title == hit["headline"] and first.id == "http://localhost" + hit["article_url"]
    assert first.updated.startswith(hit["date"]) and first.author == "CNN Indonesia"
    assert "jakarta" in first.summary.lower()  # the search's snippet (a feed reader drops the <mark> tags)
    assert "&lt;mark " in response.get_data(as_text=True)  # sent marked, as HTML in the summary
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    alternate = next(link.href for link in feed.feed.links if link.rel == "alternate")
    assert alternate.startswith("http://localhost/?q=jakarta&outlet=cnnindonesia.com")


def test_the_search_page_announces_its_feed(sample_client) -> None:
    page = sample_client.get("/?q=jakarta&date=2017&page=2&size=5").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml" title="Cari Berita: jakarta" href="/feed.atom?q=jakarta&amp;date=2017">' in page
    assert "Ikuti pencarian ini (Atom)" in page


def test_a_feed_with_nothing_to_list_or_a_bad_parameter(sample_client) -> None:
    empty = feedparser.parse(sample_client.get("/feed.atom?q=xyzzyqq").get_data())
    assert not empty.bozo and empty.entries == [] and empty.feed.title == "Cari Berita: xyzzyqq"
    bad = sample_client.get("/feed.atom?q=jakarta&from=2017-02-30")
    assert bad.status_code == 400 and "'dari' (from)" in html.unescape(bad.get_data(as_text=True))
    hostile = feedparser.parse(sample_client.get("/feed.atom", query_string={"q": '"]]></title><script>x</script>'}).get_data())
    assert not hostile.bozo and "<script>" in hostile.feed.title  # text, escaped in the XML, never markup
