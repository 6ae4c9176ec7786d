"""Export: every match (not a page, no cap) as CSV and JSON, with the active filters."""

from __future__ import annotations

import csv
import io


def test_json_export_has_every_match_in_order(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&sort=terbaru").get_json()
    assert envelope["total"] > envelope["size"]  # more than one page
    response = sample_client.get("/api/export.json?q=jakarta&sort=terbaru")
    rows = response.get_json()
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert len(rows) == envelope["total"] == int(response.headers["X-Total-Count"])
    assert [r["id"] for r in rows[: envelope["size"]]] == [h["id"] for h in envelope["hits"]]


def test_csv_export_keeps_the_filters(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&outlet=cnnindonesia.com&date=2017").get_json()
    response = sample_client.get("/api/export.csv?q=jakarta&outlet=cnnindonesia.com&date=2017")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == envelope["total"] > 0
    assert {r["outlet_key"] for r in rows} == {"cnnindonesia.com"} and all(r["date"].startswith("2017") for r in rows)
    relevance = sample_client.get("/api/search?q=jakarta&outlet=cnnindonesia.com&date=2017").get_json()["hits"]
    assert [r["id"] for r in rows[: len(relevance)]] == [h["id"] for h in relevance]  # relevance order by default


def test_export_of_everything_and_bad_parameters(sample_client) -> None:
    total = sample_client.get("/api/search").get_json()["total"]
    assert len(sample_client.get("/api/export.json").get_json()) == total
    response = sample_client.get("/api/export.csv?date=kemarin")
    assert response.status_code == 400 and "error" in response.get_json()


def test_page_and_envelope_link_the_export_of_the_same_search(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&date=2017&page=2").get_json()
    assert envelope["export"]["csv"] == "/api/export.csv?q=jakarta&date=2017"
    html = sample_client.get("/?q=jakarta&date=2017").get_data(as_text=True)
    assert 'href="/api/export.json?q=jakarta&amp;date=2017"' in html


def test_the_file_name_names_the_search_and_the_day(sample_client) -> None:
    import datetime as dt

    today = dt.date.today().isoformat()
    named = sample_client.get('/api/export.csv?q=Harga+"Minyak"+Goreng!&outlet=kompas.com').headers["Content-Disposition"]
    assert named == f'attachment; filename="cari-berita-harga-minyak-goreng-{today}.csv"'
    everything = sample_client.get("/api/export.json").headers["Content-Disposition"]
    assert everything == f'attachment; filename="cari-berita-{today}.json"'
    odd = sample_client.get("/api/export.json?q=ré%C2%A0sumé+%E2%80%94+../..").headers["Content-Disposition"]
    assert odd == f'attachment; filename="cari-berita-re-sume-{today}.json"'  # ASCII letters and digits only
