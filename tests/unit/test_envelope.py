"""The one JSON envelope (the API's answer, the page's data, ``berita search --json``) from a real search.

Each search runs through the engine interface on the five seeds (``tests/conftest.py``), as the
app runs it, and the envelope is compared as JSON: the filters as the URL wrote them, the chips,
each facet's values with the links that toggle and leave them out, the hints of a search that
found nothing, and each hit's fields in the order every listing writes them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import MultiDict

from search.domain.facets import FACETS
from search.domain.result import LISTED
from search.engine import EngineConfig, open_engine
from web.envelope import search_envelope
from web.params import parse_search_args

BASE = "/api/search"
# Two cities chosen (either matches) and a year left out.
TWO_CITIES = "q=netralitas&city=Musi+Rawas&city=Banjarmasin&date=-2024"


def _envelope(index_dir: Path, url: str) -> dict:
    """The envelope of the search ``url`` (a query string, or a path with one) asks for, as the API builds it."""
    query = urlsplit(url).query if "?" in url else url
    request = parse_search_args(MultiDict(parse_qsl(query)), 500)
    return search_envelope(open_engine(EngineConfig("whoosh", index_dir)).search(request), BASE)


def test_the_filters_are_stated_as_the_url_wrote_them(seed_index_dir: Path) -> None:
    envelope = _envelope(seed_index_dir, TWO_CITIES)
    assert envelope["total"] == 2
    assert envelope["filters"] == {"outlet": [], "group": [], "city": ["Musi Rawas", "Banjarmasin"], "category": [], "author": [],
                                   "excluded": {"date": ["2024"]}, "date": None, "from": None, "to": None, "sort": None}
    assert list(envelope["filters"]) == ["outlet", "group", "city", "category", "author", "excluded", "date", "from", "to", "sort"]


def test_each_filter_in_force_is_a_chip_whose_link_removes_it(seed_index_dir: Path) -> None:
    assert _envelope(seed_index_dir, TWO_CITIES)["active_filters"] == [
        {"name": "city", "label": "Musi Rawas", "excluded": False, "remove_url": "/api/search?q=netralitas&city=Banjarmasin&date=-2024"},
        {"name": "city", "label": "Banjarmasin", "excluded": False, "remove_url": "/api/search?q=netralitas&city=Musi+Rawas&date=-2024"},
        {"name": "date", "label": "bukan 2024", "excluded": True,
         "remove_url": "/api/search?q=netralitas&city=Musi+Rawas&city=Banjarmasin"},
    ]


def test_a_city_facet_lists_the_chosen_cities_and_the_others_with_their_links(seed_index_dir: Path) -> None:
    chosen = "/api/search?q=netralitas&city=Musi+Rawas&city=Banjarmasin&date=-2024"
    assert _envelope(seed_index_dir, TWO_CITIES)["facets"]["city"] == [
        {"value": "Banjarmasin", "label": "Banjarmasin", "count": 1, "selected": True, "excluded": False,
         "toggle_url": "/api/search?q=netralitas&city=Musi+Rawas&date=-2024", "exclude_url": chosen.replace("city=Banjarmasin&", "")
         + "&city=-Banjarmasin"},
        {"value": "Musi Rawas", "label": "Musi Rawas", "count": 1, "selected": True, "excluded": False,
         "toggle_url": "/api/search?q=netralitas&city=Banjarmasin&date=-2024", "exclude_url": chosen.replace("city=Musi+Rawas&", "")
         + "&city=-Musi+Rawas"},
        # Another city adds to the choice; leaving it out beside chosen ones would change nothing, so no link.
        {"value": "Pamekasan", "label": "Pamekasan", "count": 1, "selected": False, "excluded": False,
         "toggle_url": chosen + "&city=Pamekasan", "exclude_url": None},
    ]


def test_the_date_facet_lists_years_with_their_months_and_the_undated_last(seed_index_dir: Path) -> None:
    dates = _envelope(seed_index_dir, "q=netralitas")["facets"]["date"]
    assert [(year["label"], year["count"], [(m["label"], m["count"]) for m in year.get("months", [])]) for year in dates] == [
        ("2025", 2, [("September 2025", 2)]), ("2024", 2, [("Januari 2024", 2)]), ("Tanpa tanggal", 1, [])]
    assert dates[0]["toggle_url"] == "/api/search?q=netralitas&date=2025"  # a year replaces any date chosen before
    assert dates[-1]["exclude_url"] == "/api/search?q=netralitas&date=-_none"


def test_the_facets_come_in_the_pages_order_and_one_no_article_has_is_empty(seed_index_dir: Path) -> None:
    facets = _envelope(seed_index_dir, "q=netralitas")["facets"]
    assert list(facets) == [facet.name for facet in FACETS] == ["outlet", "group", "date", "city", "category", "author"]
    assert facets["category"] == []  # the seeds name no rubrik
    assert [(value["label"], value["count"]) for value in facets["author"]] == [("Red", 1), ("Yusro", 1), ("Tanpa penulis", 3)]
    assert [value["label"] for value in facets["group"]] == ["Tanpa grup"]


def test_every_count_is_what_following_its_link_gives(seed_index_dir: Path) -> None:
    envelope = _envelope(seed_index_dir, "q=netralitas")
    for name, values in envelope["facets"].items():
        for item in [*values, *(month for year in values for month in year.get("months", []))]:
            assert _envelope(seed_index_dir, item["toggle_url"])["total"] == item["count"], (name, item["label"])
            left_out = _envelope(seed_index_dir, item["exclude_url"])["total"]
            assert left_out == envelope["total"] - item["count"], (name, item["label"])


def test_a_hit_lists_the_articles_fields_in_the_order_the_exports_write_them(seed_index_dir: Path, seed_client) -> None:
    [hit] = _envelope(seed_index_dir, TWO_CITIES)["hits"]  # two copies of one story: one hit, the other beside it
    assert list(hit) == [*LISTED, "article_url", "read_url", "snippet", "story", "similar_count", "similar"]
    assert {name: hit[name] for name in LISTED} == {
        "id": "002_c097343379e9adb5", "title": "Wamenko Imipas Tekankan Netralitas ASN di Tengah Dinamika Demokrasi",
        "headline": "Wamenko Imipas Tekankan Netralitas ASN di Tengah Dinamika Demokrasi", "outlet": "Sumatera Ekspres",
        "outlet_key": "sumateraekspres.id", "outlet_group": None, "date": None, "city": "Musi Rawas", "category": None,
        "author": None, "editor": None, "url": None}
    assert hit["read_url"] == "/artikel/002_c097343379e9adb5?q=netralitas&city=Musi+Rawas&city=Banjarmasin&date=-2024"
    [similar] = hit["similar"]
    assert (similar["outlet"], similar["date"], similar["city"]) == ("Kabarkriminal.online", "2025-09-15", "Banjarmasin")
    exported = seed_client.get("/api/export.csv?q=netralitas&city=Musi+Rawas").get_data(as_text=True)
    assert next(csv.reader(io.StringIO(exported.lstrip("\ufeff")))) == [*LISTED, "article_url", "story"]


def test_a_search_that_finds_nothing_offers_each_filter_dropped_with_what_it_would_find(seed_index_dir: Path) -> None:
    envelope = _envelope(seed_index_dir, "q=netralitas&city=Musi+Rawas&date=2024")
    assert envelope["total"] == 0
    assert envelope["relaxations"] == [
        {"filter": "city", "label": "Tanpa saringan kota Musi Rawas", "count": 2, "url": "/api/search?q=netralitas&date=2024"},
        {"filter": "date", "label": "Tanpa saringan tahun 2024", "count": 1, "url": "/api/search?q=netralitas&city=Musi+Rawas"},
        {"filter": "all", "label": "Tanpa saringan apa pun", "count": 5, "url": "/api/search?q=netralitas"},
    ]
    assert envelope["clear_filters_url"] == "/api/search?q=netralitas"
