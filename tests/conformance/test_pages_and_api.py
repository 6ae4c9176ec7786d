"""The Flask app through its test client: pages, article pages, the JSON API and its errors."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engine import EngineConfig
from tests.conftest import INDEX_FIELD_NAMES, RANDOM_CASES, Backend, app_for


def test_search_page_shows_hits_with_metadata(seed_client) -> None:
    response = seed_client.get("/?q=ikrar")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Hadapi Tahun Politik, Jajaran Lapas Balikpapan Ikrar Netralitas" in html
    assert "Metro IKN" in html and "17 Januari 2024" in html and "Balikpapan" in html
    assert '<mark class="match term0">' in html
    assert "Media" in html and "Tanggal" in html  # the facet sidebar


def test_hit_without_title_shows_its_first_sentence(seed_client) -> None:
    html = seed_client.get("/?q=pamekasan").get_data(as_text=True)
    assert "Pegawai Lapas Narkotika Kelas IIA Pamekasan, Jawa Timur, ikuti apel virtual" in html
    assert "Tidak diketahui" in html  # no outlet in that seed


def test_no_results_says_so(seed_client) -> None:
    html = seed_client.get("/?q=kriptografi").get_data(as_text=True)
    assert "Tidak ada artikel yang cocok" in html


def test_pagination_links(sample_client) -> None:
    first = sample_client.get("/api/search?q=jakarta&size=5").get_json()
    assert first["pages"] > 1 and first["next_url"] and first["prev_url"] is None
    second = sample_client.get(first["next_url"]).get_json()
    assert second["page"] == 2 and second["prev_url"]
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    html = sample_client.get("/?q=jakarta&size=5").get_data(as_text=True)
    assert 'rel="next"' in html and f'aria-label="Halaman {first["pages"]}, terakhir"' in html


def test_article_page(seed_client) -> None:
    response = seed_client.get("/artikel/004_4b79b38a60d88022")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("Intimnews", "29 Januari 2024", "Pangkalan Bun", "Yusro", "Andrian", "Doni Hendriansyah"):
        assert text in html


def test_article_json(seed_client) -> None:
    record = seed_client.get("/api/artikel/002_c097343379e9adb5").get_json()
    assert record["title"] == "Wamenko Imipas Tekankan Netralitas ASN di Tengah Dinamika Demokrasi"
    assert record["date"] is None and record["outlet_key"] == "sumateraekspres.id"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/artikel/tidak-ada", 404),
        ("/api/artikel/tidak-ada", 404),
        ("/api/tidak-ada", 404),
        ("/api/search?page=dua", 400),
        ("/api/search?page=0", 400),
        ("/api/search?size=5000", 400),
        ("/api/search?from=2024-02-30", 400),
        ("/api/search?date=minggu-lalu", 400),
        ("/api/search?q=" + "kata%20" * 200, 400),
    ],
)
def test_errors_are_json_with_4xx(seed_client, url: str, status: int) -> None:
    response = seed_client.get(url)
    assert response.status_code == status
    if url.startswith("/api/"):
        body = response.get_json()
        assert body["status"] == status and body["error"]


def test_bad_parameter_on_the_page_is_a_message_not_a_crash(seed_client) -> None:
    response = seed_client.get("/?q=apel&from=kemarin")
    assert response.status_code == 400
    assert "tidak valid" in response.get_data(as_text=True)


def test_post_to_search_is_refused_as_json(seed_client) -> None:
    response = seed_client.post("/api/search")
    assert response.status_code == 405 and response.get_json()["status"] == 405


def test_missing_index_is_503_with_instructions(fresh_engine: EngineConfig) -> None:
    client = app_for(fresh_engine)
    response = client.get("/api/search?q=apa")
    assert response.status_code == 503
    assert "berita index" in response.get_json()["error"]


def test_javascript_urls_from_records_are_not_links(backend: Backend, tmp_path: Path) -> None:
    data = tmp_path / "r.jsonl"
    data.write_text('{"id": "x", "text": "Isi berita.", "url": "javascript:alert(1)"}\n', encoding="utf-8")
    client = app_for(backend.build(tmp_path / "ix", data))
    html = client.get("/artikel/x").get_data(as_text=True)
    assert 'href="javascript' not in html and "javascript:alert(1)" in html


NASTY = st.text(alphabet=st.sampled_from(list('ab "()*:-+~^!?&|\\/<>[]{}\'OR AND NOT') + ["\x00", "é", "٣"]), max_size=40)
WORDS = st.sampled_from(["", "netralitas", "netralitas asn", "menegaskan", "asn -lapas", "\"netralitas asn\"", "netr*", "minyk",
                         "outlet:metroikn", "judul:netralitas", "balikpapan OR banjarmasin"])
SOUP_TOKENS = ["netralitas", "asn", "NOT", "OR", "AND", "(", ")", "))", "\"", "-", "+", "-asn", "+lapas", "outlet:", "outlet:metroikn",
               "judul:", "title:", "netr*", "*", ":", "NOT(", "a", "é",
               # every field name an index may have, as an operator, behind another one (``x:date:y``) and as a value
               *(token for name in INDEX_FIELD_NAMES for token in (f"{name}:", f"x:{name}:", f"judul:{name}:", f"{name}:2024"))]
# Operator soups: words, operators, brackets and field prefixes in any order, spaced or glued together.
SOUPS = st.builds(lambda words, glue: glue.join(words), st.lists(st.sampled_from(SOUP_TOKENS), min_size=1, max_size=10),
                  st.sampled_from([" ", ""]))
# The seeds hold 2024, 2025 and undated articles from five outlets: most combinations below match nothing.
PAGES = st.sampled_from(["", "1", "2", "3", "999", "0", "-1", "x", "99999999999999999999"])
SIZES = st.sampled_from(["", "1", "2", "10", "100", "0", "101", "x"])
SORTS = st.sampled_from(["", "relevansi", "terbaru", "terlama", "acak"])
DATES = st.sampled_from(["", "2024", "2024-01", "2025-09", "2019", "_none", "20x4", "2024-00"])
DAYS = st.sampled_from(["", "2024-01-01", "2024-01-31", "2019-05-05", "2025-12-31", "2024-02-30", "kemarin"])
OUTLETS = st.lists(st.sampled_from(["metroikn", "intimnews.com", "_none", "tidak-ada.example"]), max_size=2)
STATUSES = {"/api/search": {200, 400, 404}, "/": {200, 302, 400}, "/api/export.csv": {200, 400}, "/api/export.json": {200, 400}}


@settings(max_examples=RANDOM_CASES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.one_of(WORDS, NASTY, SOUPS), page=PAGES, size=SIZES, sort=SORTS, date=DATES, date_from=DAYS, date_to=DAYS, outlets=OUTLETS,
       group=st.sampled_from(["", "tidak-ada"]), grouping=st.sampled_from(["", "off", "on", "OFF", "\x00"]),
       chart=st.sampled_from(["", "share", "pie"]))
def test_no_query_or_parameter_gives_a_500(seed_client, q: str, page: str, size: str, sort: str, date: str, date_from: str,
                                           date_to: str, outlets: list[str], group: str, grouping: str, chart: str) -> None:
    params = {"q": q, "page": page, "size": size, "sort": sort, "date": date, "from": date_from, "to": date_to,
              "outlet": outlets, "group": group, "grouping": grouping, "chart": chart}
    for path, allowed in STATUSES.items():
        response = seed_client.get(path, query_string=params)
        response.get_data()  # an export streams: a failure half-way must show here too
        assert response.status_code in allowed, (path, params, response.status_code)
        if path == "/api/search" and response.status_code == 200:
            envelope = response.get_json()
            assert envelope["hits"] or envelope["total"] == 0, params  # a page in range is never empty
            assert len(envelope["hits"]) <= envelope["total"]


def test_help_page_documents_the_query_language(seed_client) -> None:
    html = seed_client.get("/bantuan").get_data(as_text=True)
    for example in ("mentah OR listrik", "minyak -goreng", "judul:minyak", "outlet:kompas", "penj*", "\"minyak goreng\""):
        assert example in html
    assert 'href="/bantuan"' in seed_client.get("/").get_data(as_text=True)


def test_partial_matches_are_shown_apart_on_the_page_and_in_the_api(seed_client) -> None:
    api = seed_client.get("/api/search?q=pamekasan+kriptografi").get_json()  # no article has both words
    assert api["total"] == 0 and api["hits"] == [] and api["facets"]["outlet"] == []
    assert [hit["id"] for hit in api["partial"]] == [hit["id"] for hit in seed_client.get("/api/search?q=pamekasan").get_json()["hits"]]
    html = seed_client.get("/?q=pamekasan+kriptografi").get_data(as_text=True)
    assert "Cocok sebagian" in html and "sebagian kata" in html
    assert api["partial"][0]["article_url"] in html


def test_empty_form_fields_are_dropped_from_the_url(seed_client) -> None:
    response = seed_client.get("/?q=ikrar&from=&to=&outlet=")
    assert response.status_code == 302 and response.headers["Location"] == "/?q=ikrar"
    assert seed_client.get("/?q=&from=").headers["Location"] == "/"


def test_the_favicon_is_served(seed_client) -> None:
    assert seed_client.get("/favicon.ico").headers["Location"].endswith("/static/favicon.svg")
    icon = seed_client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data
    assert 'rel="icon"' in seed_client.get("/").get_data(as_text=True)


def test_messages_name_each_field_as_the_page_labels_it(seed_client) -> None:
    bad_from = seed_client.get("/api/search?from=kemarin").get_json()["error"]
    bad_to = html.unescape(seed_client.get("/?to=2025-13-01").get_data(as_text=True))
    assert "'dari' (from)" in bad_from and "'sampai' (to)" in bad_to
    assert "'from'" not in bad_from
    assert "'halaman' (page)" in seed_client.get("/api/search?page=dua").get_json()["error"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("POST", "/", {"GET", "HEAD"}), ("PUT", "/api/articles", {"POST"}), ("DELETE", "/api/search", {"GET", "HEAD"}),
    ("POST", "/feed.atom", {"GET", "HEAD"}),
])
def test_a_method_not_allowed_says_which_are(seed_client, method: str, path: str, allowed: set[str]) -> None:
    response = seed_client.open(path, method=method)
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}
