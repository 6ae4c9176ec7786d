"""Coverage over time: bars per day, week or month that add up to the dated matches and narrow on click."""

from __future__ import annotations


def test_bars_add_up_and_each_bar_narrows_to_its_count(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta").get_json()
    chart = envelope["coverage"]
    undated = next((d["count"] for d in envelope["facets"]["date"] if d["value"] == "_none"), 0)
    assert sum(b["count"] for b in chart["buckets"]) == envelope["total"] - undated
    assert all(b["count"] <= b["all"] for b in chart["buckets"])
    busiest = max(chart["buckets"], key=lambda b: b["count"])
    narrowed = sample_client.get(busiest["url"]).get_json()
    assert narrowed["total"] == busiest["count"] and narrowed["filters"]["from"] == busiest["from"]


def test_bucket_size_fits_the_range(sample_client) -> None:
    month = sample_client.get("/api/search?q=jakarta&from=2017-03-01&to=2017-03-31").get_json()["coverage"]
    assert month["unit"] == "hari" and len(month["buckets"]) == 31
    year = sample_client.get("/api/search?q=jakarta&from=2017-01-01&to=2017-12-31").get_json()["coverage"]
    assert year["unit"] == "minggu"
    wide = sample_client.get("/api/search?from=2010-01-01&to=2018-12-31").get_json()["coverage"]
    assert wide["unit"] == "bulan" and len(wide["buckets"]) == 9 * 12


def test_page_draws_the_chart_as_links_without_javascript(sample_client) -> None:
    html = sample_client.get("/?q=jakarta").get_data(as_text=True)
    bars = len(sample_client.get("/api/search?q=jakarta").get_json()["coverage"]["buckets"])
    assert "<svg" in html and html.count('<a class="col" href="/?q=jakarta&amp;from=') == bars  # a link per bar
    drawn = html[html.index('<g class="bars"'):]
    assert drawn[:drawn.index("</g>")].count("<rect") == bars
    share = sample_client.get("/?q=jakarta&chart=share").get_data(as_text=True)
    assert "persen dari semua artikel" in share and '<strong aria-current="true">jumlah</strong>' in html


def test_the_share_view_survives_every_link_until_switched_back(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&chart=share").get_json()
    assert envelope["chart"] == "share"
    links = [v["toggle_url"] for v in envelope["facets"]["outlet"]]
    links += [b["url"] for b in envelope["coverage"]["buckets"][:3]]
    links += [s["url"] for s in envelope["sorts"]] + [p["url"] for p in envelope["date_presets"]]
    links += [envelope["next_url"], envelope["grouping"]["toggle_url"]]
    for url in links:
        assert "chart=share" in url, url
        assert sample_client.get(url).get_json()["chart"] == "share"
    counts = envelope["coverage"]["count_url"]
    assert "chart" not in counts and sample_client.get(counts).get_json()["chart"] == "count"
    page = sample_client.get("/?q=jakarta&chart=share").get_data(as_text=True)
    assert "persen dari semua artikel" in page and 'name="chart" value="share"' in page  # a new search keeps it too
    assert sample_client.get("/api/search?chart=pie").status_code == 400


def test_few_matches_over_a_long_span_get_wider_bars_that_start_and_end_with_a_match(seed_client) -> None:
    chart = seed_client.get("/api/search").get_json()["coverage"]  # five seeds, January 2024 to September 2025
    assert chart["unit"] == "bulan" and len(chart["buckets"]) == 21  # not 88 slivers of weeks
    assert chart["buckets"][0]["count"] and chart["buckets"][-1]["count"]  # the axis spans the matches
    chosen = seed_client.get("/api/search?from=2024-01-01&to=2024-02-29").get_json()["coverage"]
    assert chosen["unit"] == "hari"  # a range the reader chose keeps its own unit
