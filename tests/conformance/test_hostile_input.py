"""What an attacker or a careless client can send, and what must hold: no 5xx, no silent loss.

Each test here failed on the code before it (issue "Hardening").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from search.domain.article import Article
from search.engine import EngineConfig
from tests.conftest import EXPECTATIONS_DAY, INDEX_FIELD_NAMES, INGEST_AUTH, Backend, add_articles, app_for, cli_args, ingest_client

AUTH = INGEST_AUTH


@pytest.fixture()
def client(backend: Backend, tmp_path: Path):
    return ingest_client(backend, tmp_path)


@pytest.mark.parametrize("params", [
    {"to": "9999-12-31"}, {"from": "0001-01-01"}, {"from": "0001-01-01", "to": "9999-12-31"},
    {"q": "netralitas", "to": "9999-12-31", "sort": "terlama"}, {"from": "9999-12-31", "to": "9999-12-31"},
    {"date": "9999-12"}, {"date": "1000"},
])
def test_dates_at_the_calendars_ends_are_answered(client, params: dict[str, str]) -> None:
    for path in ("/api/search", "/", "/api/export.csv"):
        response = client.get(path, query_string=params)
        assert response.status_code == 200, (path, params)
    chart = client.get("/api/search", query_string=params).get_json()["coverage"]
    assert chart is None or len(chart["buckets"]) < 2000  # bounded by the dates articles may carry


@pytest.mark.parametrize(("date", "reason"), [
    ("9999-12-31", "outside 1900-01-01"), ("1899-12-31", "outside 1900-01-01"), ("0001-01-01T00:00:00+05:00", "outside"),
    (1e20, "outside the calendar"), (-1e15, "outside the calendar"),
])
def test_impossible_dates_are_refused_at_ingest_with_the_records_position(client, date: object, reason: str) -> None:
    records = [{"id": "baik", "text": "Berita baik tentang panen padi.", "date": "2024-05-01"},
               {"id": "jauh", "text": "Berita dari ujung kalender.", "date": date}]
    response = client.post("/api/articles", json=records, headers=AUTH)
    body = response.get_json()
    assert response.status_code == 400 and body["added"] == 1
    assert [e["position"] for e in body["errors"]] == [1] and reason in body["errors"][0]["error"]
    assert client.get("/api/artikel/jauh").status_code == 404
    assert client.get("/").status_code == 200 and client.get("/api/search?q=panen").get_json()["total"] == 1


def test_an_article_already_stored_at_the_calendars_end_breaks_nothing(fresh_engine: EngineConfig) -> None:
    """An index written before dates were checked may hold one; every page must still answer."""
    articles = [Article(id="akhir", body="Berita banjir dari akhir zaman.", date=dt.date(9999, 12, 31)),
                Article(id="awal", body="Berita banjir dari awal zaman.", date=dt.date(1, 1, 1)),
                Article(id="kini", body="Berita banjir hari ini.", date=EXPECTATIONS_DAY)]
    add_articles(fresh_engine, articles)
    client = app_for(fresh_engine)
    for path in ("/", "/?q=banjir", "/api/search?q=banjir&sort=terbaru", "/api/search?sort=terlama&chart=share",
                 "/artikel/akhir", "/api/export.json?q=banjir", "/?date=9999", "/api/search?from=9999-12-30"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/search?q=banjir").get_json()["total"] == 3


@pytest.mark.parametrize("q", ["harga NOT NOT minyak", "NOT NOT minyak))", "outlet: NOT NOT outlet:", "NOT NOT", "-NOT NOT -"])
def test_operator_soups_the_parser_cannot_read_are_a_message_not_a_500(client, q: str) -> None:
    for path in ("/api/search", "/", "/api/export.json"):
        assert client.get(path, query_string={"q": q}).status_code == 200, (path, q)


HOSTILE_QUERIES = {
    "one 490-letter word": "a" * 490,
    "sixty prefixes joined by OR": " OR ".join(f"{a}{b}k*" for a in "aiueo" for b in "bcdfghjklmnp"),
    "a hundred prefixes": " ".join(f"{a}{b}n*" for a in "aiueo" for b in "bcdfghjklmnpqrstvwxyz")[:500],
    "four 100-letter words": " ".join(letter * 100 for letter in "bcde"),
}


@pytest.mark.parametrize("q", list(HOSTILE_QUERIES.values()), ids=list(HOSTILE_QUERIES))
def test_queries_that_ask_for_unbounded_work_are_refused_with_a_message(sample_client, q: str) -> None:
    response = sample_client.get("/api/search", query_string={"q": q})
    assert response.status_code == 400
    assert any(word in response.get_json()["error"] for word in ("huruf", "awalan", "paling banyak"))
    page = sample_client.get("/", query_string={"q": q})
    assert page.status_code == 400 and "paling banyak" in page.get_data(as_text=True) or "huruf" in page.get_data(as_text=True)


def test_queries_within_the_limits_still_run(sample_client) -> None:
    within = " ".join(["jakarta"] * 27) + " " + " OR ".join(["har*", "pem*", "pen*", "ber*", "dik*"])
    assert sample_client.get("/api/search", query_string={"q": within}).status_code == 200
    assert sample_client.get("/api/search", query_string={"q": "a" * 40}).status_code == 200


def test_a_search_past_its_time_budget_answers_503_with_a_message(sample_engine: EngineConfig) -> None:
    client = app_for(sample_engine, SEARCH_TIME_BUDGET=1e-9)
    for path in ("/api/search?q=jakarta+OR+harga", "/?q=jakarta+OR+harga", "/api/export.csv?q=jakarta+OR+harga"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "terlalu berat" in response.get_data(as_text=True)
    patient = app_for(sample_engine)
    assert patient.get("/api/search?q=jakarta+OR+harga").status_code == 200


@pytest.mark.parametrize(("body", "message"), [
    ("[" * 100_000, "bersarang terlalu dalam"),
    ('{"id": "a", "text": ' + "[" * 100_000 + "}\n" + '{"id": "b", "text": "Berita baik."}', "bersarang terlalu dalam"),
])
def test_deeply_nested_json_is_a_400_not_a_500(client, body: str, message: str) -> None:
    response = client.post("/api/articles", data=body, headers=AUTH)
    assert response.status_code == 400 and message in json.dumps(response.get_json(), ensure_ascii=False)


@pytest.mark.parametrize(("record", "reason"), [
    ({"id": "a", "text": "Berita \ud800 aneh."}, "lone surrogate"),
    ({"id": "b", "title": "Judul \udfff", "text": "Berita."}, "lone surrogate"),
    ({"id": "   ", "text": "Berita tanpa id."}, "id is empty"),
    ({"id": ".", "text": "Berita."}, "'.' or '..'"),
    ({"id": "..", "text": "Berita."}, "'.' or '..'"),
    ({"id": "a/../b", "text": "Berita."}, "'.' or '..'"),
    ({"id": "/awal", "text": "Berita."}, "empty"),
    ({"id": "x" * 100_000, "text": "Berita."}, "at most 200"),
    ({"id": "baris\nbaru", "text": "Berita."}, "control character"),
    ({"id": True, "text": "Berita."}, "not bool"),
])
def test_bad_records_are_400_with_their_position_and_the_rest_is_kept(client, record: dict[str, object], reason: str) -> None:
    body = json.dumps([{"id": "baik", "text": "Berita baik tentang panen."}, record])
    response = client.post("/api/articles", data=body, headers=AUTH)
    result = response.get_json()
    assert response.status_code == 400 and result["ids"] == ["baik"]
    assert [e["position"] for e in result["errors"]] == [1] and reason in result["errors"][0]["error"]
    assert client.get("/api/search?q=panen").get_json()["total"] == 1


def test_an_id_with_slashes_has_a_page_browsers_reach(client) -> None:
    record = {"id": "kompas.com/read/2024/01/17/banjir", "text": "Banjir melanda kota."}
    assert client.post("/api/articles", json=record, headers=AUTH).status_code == 201
    hit = client.get("/api/search?q=banjir").get_json()["hits"][0]
    assert hit["article_url"] == "/artikel/kompas.com%2Fread%2F2024%2F01%2F17%2Fbanjir"
    assert "Banjir melanda kota." in client.get(hit["article_url"]).get_data(as_text=True)


def test_symbolic_links_out_of_a_folder_are_not_followed_and_are_reported(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    secret = tmp_path / "rahasia.txt"
    secret.write_text("Dokumen rahasia tentang kata sandi server.\n", encoding="utf-8")
    elsewhere = tmp_path / "lain"
    elsewhere.mkdir()
    (elsewhere / "jauh.txt").write_text("Berita dari folder lain tentang gajah.\n", encoding="utf-8")
    folder = tmp_path / "masuk"
    folder.mkdir()
    (folder / "biasa.txt").write_text("Berita biasa tentang panen padi.\n", encoding="utf-8")
    (folder / "bocor.txt").symlink_to(secret)
    (folder / "map").symlink_to(elsewhere, target_is_directory=True)
    (folder / "salinan.txt").symlink_to(folder / "biasa.txt")  # inside the folder: still read
    out = subprocess.run([sys.executable, "-m", "web", "index", str(folder), *cli_args(fresh_engine)],
                         cwd=ROOT, capture_output=True, text=True)
    assert "bocor.txt: symbolic link to a file outside the folder; not followed" in out.stderr
    assert "map: symbolic link to a folder; not followed" in out.stderr
    client = app_for(fresh_engine)
    assert client.get("/api/search?q=rahasia").get_json()["total"] == 0
    assert client.get("/api/search?q=gajah").get_json()["total"] == 0
    assert client.get("/api/search?q=panen").get_json()["total"] >= 1


FIELD_PATHS = ("/api/search", "/", "/feed.atom", "/banding", "/media", "/tentang", "/api/export.csv", "/api/export.json",
               "/api/banding.csv", "/api/media.csv", "/api/tentang")


@pytest.mark.parametrize("name", INDEX_FIELD_NAMES)
def test_a_field_operator_reaches_only_the_fields_the_query_language_documents(sample_client, name: str) -> None:
    """``x:date:y`` gave 500 on every page, and ``x:city_facet:Jakarta`` searched an internal field: the index's fields are words."""
    for q in (f"x:{name}:y", f"harga a:{name}:1", f"{name}:harga", f"judul:{name}:harga", f"{name}:2024 OR {name}:_none"):
        for path in FIELD_PATHS:
            response = sample_client.get(path, query_string={"q": q})
            response.get_data()
            assert response.status_code in (200, 400), (path, q, response.status_code)
    words_only = sample_client.get("/api/search", query_string={"q": f"{name} jakarta", "grouping": "off"}).get_json()["total"]
    as_operator = sample_client.get("/api/search", query_string={"q": f"x:{name}:jakarta", "grouping": "off"}).get_json()["total"]
    assert as_operator <= words_only  # never more than its words find: no internal field answers


def test_an_internal_field_is_never_searched(sample_client) -> None:
    jakarta = sample_client.get("/api/search?q=x:city_facet:Jakarta").get_json()
    assert jakarta["total"] == 0  # no article says "x", "city_facet" and "jakarta" (it found 27 through the city field)
    body = sample_client.get("/api/search?q=x:body:harga").get_json()
    assert body["total"] == sample_client.get("/api/search?q=x+body+harga").get_json()["total"]


def test_the_command_line_reads_a_field_operator_as_words_too(sample_engine: EngineConfig) -> None:
    from click.testing import CliRunner

    from web.cli import main

    result = CliRunner().invoke(main, ["search", "x:date:y", *cli_args(sample_engine)])
    assert result.exit_code == 0 and result.exception is None and "hasil" in result.output
