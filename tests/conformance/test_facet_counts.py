"""Facet counts are exactly the number of hits each value leads to, in the API and the page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

URLS = [
    "/api/search",
    "/api/search?q=jakarta",
    "/api/search?q=harga",
    "/api/search?q=netralitas",
    "/api/search?q=jakarta&outlet=cnnindonesia.com",
    "/api/search?q=jakarta&outlet=cnnindonesia.com&outlet=kumparan.com",
    "/api/search?q=pemerintah&date=2017",
    "/api/search?q=pemerintah&date=2016-09",
    "/api/search?outlet=_none",
    "/api/search?date=_none",
    "/api/search?q=presiden&from=2017-01-01&to=2017-06-30",
    "/api/search?q=jakarta&group=ct-corp",
    "/api/search?group=_none&date=2017",
]


def _values(envelope: dict) -> list[tuple[str, dict]]:
    values = [("outlet", v) for v in envelope["facets"]["outlet"]] + [("group", v) for v in envelope["facets"]["group"]]
    for year in envelope["facets"]["date"]:
        values.append(("date", year))
        values.extend(("date", month) for month in year.get("months", []))
    return values


@pytest.mark.parametrize("url", URLS)
def test_every_count_equals_the_hits_its_link_leads_to(sample_client, url: str) -> None:
    envelope = sample_client.get(url).get_json()
    values = _values(envelope)
    assert values, "a facet should have values for this query"
    for facet, value in values:
        followed = sample_client.get(value["toggle_url"]).get_json()
        assert followed["page"] == 1
        adds_an_outlet = facet == "outlet" and envelope["filters"]["outlet"] and not value["selected"]
        if adds_an_outlet:  # multi-select: the outlet's articles join the chosen outlets' (an article has one outlet)
            assert followed["total"] == envelope["total"] + value["count"], value
        elif not value["selected"]:
            assert followed["total"] == value["count"], value


def test_selecting_an_outlet_narrows_the_hits(sample_client) -> None:
    everything = sample_client.get("/api/search?q=jakarta").get_json()
    cnn = next(v for v in everything["facets"]["outlet"] if v["value"] == "cnnindonesia.com")
    assert cnn["label"] == "CNN Indonesia"
    narrowed = sample_client.get(cnn["toggle_url"]).get_json()
    assert 0 < narrowed["total"] < everything["total"]
    assert {hit["outlet_key"] for hit in narrowed["hits"]} == {"cnnindonesia.com"}
    selected = [v for v in narrowed["facets"]["outlet"] if v["selected"]]
    assert [v["value"] for v in selected] == ["cnnindonesia.com"]
    assert dict(parse_qsl(urlsplit(selected[0]["toggle_url"]).query)) == {"q": "jakarta"}


def test_outlets_are_multi_select_and_other_counts_stay(sample_client) -> None:
    one = sample_client.get("/api/search?q=jakarta&outlet=cnnindonesia.com").get_json()
    others = {v["value"]: v["count"] for v in one["facets"]["outlet"] if not v["selected"]}
    assert sum(c > 0 for c in others.values()) >= 2  # choosing one outlet does not zero the others
    kumparan = next(v for v in one["facets"]["outlet"] if v["value"] == "kumparan.com")
    two = sample_client.get(kumparan["toggle_url"]).get_json()
    assert two["filters"]["outlet"] == ["cnnindonesia.com", "kumparan.com"]
    assert {h["outlet_key"] for h in sample_client.get(kumparan["toggle_url"] + "&size=100").get_json()["hits"]} == {
        "cnnindonesia.com", "kumparan.com"}
    cnn = next(v for v in two["facets"]["outlet"] if v["value"] == "cnnindonesia.com")
    assert dict(parse_qsl(urlsplit(cnn["toggle_url"]).query)) == {"q": "jakarta", "outlet": "kumparan.com"}


def test_unknown_outlet_and_date_are_buckets_of_their_own(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=netralitas").get_json()
    outlets = {v["value"]: v for v in envelope["facets"]["outlet"]}
    assert outlets["_none"]["label"] == "Tidak diketahui" and outlets["_none"]["count"] == 1
    dates = {v["value"]: v for v in envelope["facets"]["date"]}
    assert dates["_none"]["label"] == "Tanpa tanggal" and dates["_none"]["count"] == 1
    assert envelope["facets"]["outlet"][-1]["value"] == "_none"  # unknown comes last


def test_date_facet_has_years_with_months(sample_client) -> None:
    envelope = sample_client.get("/api/search").get_json()
    years = [v for v in envelope["facets"]["date"] if v["value"] != "_none"]
    assert [y["value"] for y in years] == sorted((y["value"] for y in years), reverse=True)
    assert {"2016", "2017"} <= {y["value"] for y in years}
    for year in years:
        assert year["count"] == sum(m["count"] for m in year["months"])
        assert all(m["value"].startswith(year["value"] + "-") for m in year["months"])
    september = next(m for y in years for m in y["months"] if m["value"] == "2016-09")
    assert september["label"] == "September 2016"


def test_from_to_range_keeps_only_dates_inside(sample_client) -> None:
    envelope = sample_client.get("/api/search?from=2017-03-01&to=2017-03-31&size=100").get_json()
    assert envelope["total"] > 0
    assert all("2017-03-01" <= hit["date"] <= "2017-03-31" for hit in envelope["hits"])
    months = [m["value"] for y in envelope["facets"]["date"] for m in y.get("months", [])]
    assert months == ["2017-03"]


def test_page_renders_the_same_facet_links(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta").get_json()
    html = sample_client.get("/?q=jakarta").get_data(as_text=True)
    for value in envelope["facets"]["outlet"]:
        page_link = value["toggle_url"].replace("/api/search", "/", 1).replace("/?", "/?", 1)
        assert f'href="{page_link.replace("&", "&amp;")}"' in html
        assert f'<span class="count">{value["count"]}</span>' in html


def test_group_facet_gathers_a_network(sample_client) -> None:
    envelope = sample_client.get("/api/search").get_json()
    groups = {v["value"]: v for v in envelope["facets"]["group"]}
    outlets = {v["value"]: v["count"] for v in envelope["facets"]["outlet"]}
    # CNN Indonesia is the only CT Corp outlet in the sample; Kompas Gramedia holds Juara.net
    assert groups["ct-corp"]["label"] == "CT Corp (Trans Media)"
    assert groups["ct-corp"]["count"] == outlets["cnnindonesia.com"]
    assert groups["kompas-gramedia"]["count"] == outlets["juara.net"]
    assert groups["_none"]["label"] == "Tanpa grup"
    html = sample_client.get("/").get_data(as_text=True)
    assert "Jaringan media" in html and "CT Corp (Trans Media)" in html


def test_undated_bucket_stays_in_view_under_a_date_range(seed_client) -> None:
    ranged = seed_client.get("/api/search?from=2024-01-01&to=2024-12-31").get_json()
    assert {hit["id"][:3] for hit in ranged["hits"]} == {"003", "004"}
    undated = next(v for v in ranged["facets"]["date"] if v["value"] == "_none")
    assert undated["label"] == "Tanpa tanggal" and undated["count"] == 1
    assert "from=" not in undated["toggle_url"] and "to=" not in undated["toggle_url"]
    chosen = seed_client.get(undated["toggle_url"]).get_json()
    assert chosen["total"] == 1 and chosen["hits"][0]["id"].startswith("002") and chosen["hits"][0]["date"] is None


def test_a_chosen_network_without_matches_is_named_in_the_list_as_in_its_chip(seed_client) -> None:
    envelope = seed_client.get("/api/search?q=netralitas&group=tribun-network").get_json()
    listed = {value["value"]: value["label"] for value in envelope["facets"]["group"]}
    chips = [chip["label"] for chip in envelope["active_filters"]]
    assert envelope["total"] == 0 and listed["tribun-network"] == "Tribun Network" and "Tribun Network" in chips
