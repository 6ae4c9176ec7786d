"""Export: every match (not a page, no cap) as CSV, JSON and an Excel workbook, with the active filters."""

from __future__ import annotations

import csv
import io

import pytest


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


# The workbook (/api/export.xlsx) and the CSV for a spreadsheet set to Indonesian (/api/export.csv?sep=semicolon).

HEADER = ["id", "title", "headline", "outlet", "outlet_key", "outlet_group", "date", "city", "category", "author", "editor",
          "url", "article_url", "story"]  # as README and docs/API.md list the export's columns


def _workbook(response):
    import openpyxl

    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return openpyxl.load_workbook(io.BytesIO(response.data))


def test_the_workbook_holds_every_match_in_the_exports_order(sample_client) -> None:
    total = sample_client.get("/api/search?q=jakarta&sort=terbaru").get_json()["total"]
    exact = sample_client.get("/api/export.json?q=jakarta&sort=terbaru").get_json()
    response = sample_client.get("/api/export.xlsx?q=jakarta&sort=terbaru")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="cari-berita-jakarta-')
    assert response.headers["Content-Disposition"].endswith('.xlsx"') and int(response.headers["X-Total-Count"]) == total
    header, *rows = list(_workbook(response)["Hasil"].iter_rows(values_only=True))
    assert list(header) == HEADER and len(rows) == total > 10
    texts = [name for name in HEADER if name != "date"]
    assert [{name: value for name, value in zip(HEADER, row, strict=True) if name in texts} for row in rows] == \
        [{name: record[name] for name in texts} for record in exact]  # the JSON export's values, row by row


def test_the_workbooks_dates_are_excel_dates_and_its_counts_numbers(sample_client) -> None:
    import datetime as dt

    exact = sample_client.get("/api/export.json?date=2017").get_json()
    book = _workbook(sample_client.get("/api/export.xlsx?date=2017"))
    dates = [row[HEADER.index("date")] for row in book["Hasil"].iter_rows(min_row=2)]
    assert len(dates) == len(exact) > 0
    assert all(isinstance(cell.value, dt.datetime) and cell.number_format == "dd/mm/yyyy" for cell in dates)
    assert [cell.value.date().isoformat() for cell in dates] == [record["date"] for record in exact]
    about = {label: value for label, value in book["Tentang"].iter_rows(values_only=True)}
    assert about["Jumlah hasil"] == len(exact) and isinstance(about["Jumlah hasil"], int)
    exported = next(value for label, value in about.items() if label.startswith("Diekspor"))
    assert isinstance(exported, dt.datetime) and abs(exported - dt.datetime.now()) < dt.timedelta(hours=15)


def test_the_workbook_says_what_it_holds_and_keeps_its_header_in_view(sample_client) -> None:
    book = _workbook(sample_client.get("/api/export.xlsx?q=jakarta&outlet=cnnindonesia.com&date=2017&sort=terlama"))
    assert book.sheetnames == ["Hasil", "Tentang"]
    sheet = book["Hasil"]
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["G"].width >= 10  # headline wider than the date
    about = list(book["Tentang"].iter_rows(values_only=True))
    assert ("Pencarian", "jakarta") in about and ("Urutan", "terlama") in about
    assert ("Filter", "outlet=cnnindonesia.com") in about and ("Filter", "date=2017") in about
    assert ("Halaman pencarian", "http://localhost/?q=jakarta&outlet=cnnindonesia.com&date=2017&sort=terlama") in about


def test_an_empty_result_is_a_workbook_with_the_header_alone(seed_client) -> None:
    response = seed_client.get("/api/export.xlsx?q=netralitas&date=2019")
    assert [list(row) for row in _workbook(response)["Hasil"].iter_rows(values_only=True)] == [HEADER]
    assert response.headers["X-Total-Count"] == "0"


def test_workbook_errors_are_the_csvs(sample_client, sample_engine, fresh_engine) -> None:
    from tests.conftest import app_for

    for client, path, status in [(sample_client, "?date=kemarin", 400),
                                 (app_for(fresh_engine), "?q=jakarta", 503),  # no index yet
                                 (app_for(sample_engine, SEARCH_TIME_BUDGET=1e-9), "?q=jakarta", 503)]:
        answers = [client.get(f"/api/export.{fmt}{path}") for fmt in ("csv", "xlsx")]
        assert [(a.status_code, a.get_json()) for a in answers] == [(status, answers[0].get_json())] * 2
        assert answers[0].get_json()["error"]


def test_a_workbook_past_its_time_budget_is_a_503_not_a_short_file(sample_engine) -> None:
    from tests.conftest import app_for

    response = app_for(sample_engine, EXPORT_TIME_BUDGET=1e-9).get("/api/export.xlsx?q=jakarta")
    assert response.status_code == 503 and "ekspor melewati batas waktunya" in response.get_json()["error"]


@pytest.fixture(scope="module")
def formula_client(backend, tmp_path_factory: pytest.TempPathFactory):
    """Articles whose fields a spreadsheet would take for formulas or error values."""
    import json

    from tests.conftest import app_for

    records = [{"id": "rumus-1", "date": "2024-03-05", "title": '=HYPERLINK("http://contoh.invalid/","klik") banjir',
                "city": "#N/A", "author": "@SUM(1+1)", "text": "Banjir melanda kota pada malam hari."}]
    data = tmp_path_factory.mktemp("formulas") / "records.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return app_for(backend.build(tmp_path_factory.mktemp("formulas-index"), data))


def test_workbook_text_is_never_a_formula_and_stays_exact(formula_client) -> None:
    exact = formula_client.get("/api/export.json?q=banjir").get_json()[0]
    header, row = _workbook(formula_client.get("/api/export.xlsx?q=banjir"))["Hasil"].iter_rows()
    cells = {name: cell for name, cell in zip(HEADER, row, strict=True)}
    for name in ("title", "city", "author"):
        assert (cells[name].value, cells[name].data_type) == (exact[name], "s")


def test_the_semicolon_csv_opens_in_an_indonesian_spreadsheet(sample_client) -> None:
    comma = sample_client.get("/api/export.csv?q=jakarta&date=2017").data
    response = sample_client.get("/api/export.csv?q=jakarta&date=2017&sep=semicolon")
    body = response.data
    assert response.mimetype == "text/csv" and body.startswith(b"\xef\xbb\xbf") and body.endswith(b"\r\n")
    assert body.count(b"\r\n") == body.count(b"\n")  # every line ends in CRLF
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ";".join(HEADER)
    semicolon_rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert semicolon_rows == list(csv.DictReader(io.StringIO(comma.decode("utf-8-sig"), newline="")))  # the same cells
    assert len(semicolon_rows) == int(response.headers["X-Total-Count"]) > 0


def test_the_default_csv_stays_comma_separated_and_an_unknown_separator_is_named(sample_client) -> None:
    body = sample_client.get("/api/export.csv?q=jakarta").data
    assert body.startswith(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\r\n")
    response = sample_client.get("/api/export.csv?q=jakarta&sep=tab")
    assert response.status_code == 400 and "'sep'" in response.get_json()["error"]


def test_the_envelope_links_the_workbook_and_the_semicolon_csv_of_the_same_search(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&date=2017&page=2").get_json()
    assert envelope["export"]["xlsx"] == "/api/export.xlsx?q=jakarta&date=2017"
    assert envelope["export"]["csv_semicolon"] == "/api/export.csv?q=jakarta&date=2017&sep=semicolon"
    for key in ("xlsx", "csv_semicolon"):
        assert int(sample_client.get(envelope["export"][key]).headers["X-Total-Count"]) == envelope["total"]


def test_a_search_with_characters_a_workbook_cannot_hold_still_gives_one(sample_client) -> None:
    response = sample_client.get("/api/export.xlsx", query_string={"q": "jakarta\x0e\x01"})  # schemathesis found a 500 here
    about = dict(_workbook(response)["Tentang"].iter_rows(values_only=True))
    assert about["Pencarian"] == "jakarta" and about["Jumlah hasil"] == int(response.headers["X-Total-Count"]) > 0
