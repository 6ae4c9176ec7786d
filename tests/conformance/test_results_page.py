"""The search page's reading aids as the API and the page render them: numbered pages, page sizes,
the active-filter summary, zero results that say which filter hides the matches, exports."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

from tests.conftest import app_for
from web.formatting import ribuan


def test_pager_numbers_the_first_the_last_and_the_pages_around_this_one(sample_client) -> None:
    first = sample_client.get("/api/search?q=jakarta&size=1").get_json()
    last = first["pages"]
    assert last > 8
    middle = sample_client.get(f"/api/search?q=jakarta&size=1&page={last // 2}").get_json()
    shown = [item["page"] if not item.get("gap") else "…" for item in middle["pager"]]
    assert shown == [1, "…", last // 2 - 1, last // 2, last // 2 + 1, "…", last]
    assert [item["page"] for item in middle["pager"] if item.get("current")] == [last // 2]
    last_url = next(item["url"] for item in middle["pager"] if item.get("page") == last and not item.get("gap"))
    end = sample_client.get(last_url.replace("/api/search?", "/?", 1))
    assert end.status_code == 200 and 'aria-current="page"' in end.get_data(as_text=True)
    assert 'rel="next"' not in end.get_data(as_text=True)  # nothing past the last page
    near = sample_client.get("/api/search?q=jakarta&size=1&page=4").get_json()["pager"]
    assert [item.get("page") for item in near][:5] == [1, 2, 3, 4, 5] and not near[1].get("gap")  # a gap of one page is that page


def test_page_size_choice_keeps_the_search_and_returns_to_page_one(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&outlet=cnnindonesia.com&page=2").get_json()
    sizes = {option["size"]: option for option in envelope["sizes"]}
    assert list(sizes) == [10, 25, 50, 100] and sizes[10]["selected"]
    bigger = sample_client.get(sizes[25]["url"]).get_json()
    assert bigger["size"] == 25 and bigger["page"] == 1 and bigger["filters"]["outlet"] == ["cnnindonesia.com"]
    assert len(bigger["hits"]) == min(25, bigger["stories"] or bigger["total"])
    page = sample_client.get(sizes[25]["url"].replace("/api/search?", "/?", 1)).get_data(as_text=True)
    assert '<strong aria-current="true">25</strong>' in page


def test_active_filters_are_listed_each_with_the_url_that_removes_it(sample_client) -> None:
    url = "/api/search?q=jakarta&outlet=cnnindonesia.com&date=2017&from=2017-01-01&to=2017-06-30&size=25"
    envelope = sample_client.get(url).get_json()
    chips = {item["label"]: item["remove_url"] for item in envelope["active_filters"]}
    assert list(chips) == ["CNN Indonesia", "2017", "1 Jan–30 Jun 2017"]
    without_outlet = sample_client.get(chips["CNN Indonesia"]).get_json()
    assert without_outlet["filters"]["outlet"] == [] and without_outlet["filters"]["date"] == "2017" and without_outlet["size"] == 25
    assert without_outlet["total"] >= envelope["total"]
    without_range = sample_client.get(chips["1 Jan–30 Jun 2017"]).get_json()["filters"]
    assert without_range["from"] is None and without_range["to"] is None and without_range["outlet"] == ["cnnindonesia.com"]
    cleared = sample_client.get(envelope["clear_filters_url"]).get_json()
    assert cleared["query"] == "jakarta" and cleared["active_filters"] == [] and cleared["size"] == 25
    html = sample_client.get(url.replace("/api/search?", "/?")).get_data(as_text=True)
    assert "Hapus semua" in html and 'aria-label="CNN Indonesia: hapus saringan ini"' in html


def test_zero_results_say_which_filter_hides_the_matches(sample_client) -> None:
    everything = sample_client.get("/api/search?q=presiden").get_json()["total"]
    in_2017 = sample_client.get("/api/search?q=presiden&date=2017").get_json()["total"]
    cnn = sample_client.get("/api/search?q=presiden&outlet=cnnindonesia.com").get_json()["total"]
    envelope = sample_client.get("/api/search?q=presiden&outlet=cnnindonesia.com&date=2017&from=2016-09-01&to=2016-09-30").get_json()
    assert envelope["total"] == 0 and 0 < in_2017 < everything
    found = {item["filter"]: item for item in envelope["relaxations"]}
    assert found["all"]["count"] == everything and found["all"]["label"] == "Tanpa saringan apa pun"
    assert found["range"]["label"] == "Tanpa saringan tanggal 1–30 Sep 2016"
    dropped_range = sample_client.get(found["range"]["url"]).get_json()
    assert dropped_range["total"] == found["range"]["count"]  # the count it promises is the count it gives
    assert found["date"]["label"] == "Tanpa saringan tahun 2017"
    assert sample_client.get(found["date"]["url"]).get_json()["total"] == found["date"]["count"]
    assert found["outlet"]["label"] == "Tanpa saringan media CNN Indonesia"
    html = sample_client.get("/?q=presiden&outlet=cnnindonesia.com&date=2017&from=2016-09-01&to=2016-09-30").get_data(as_text=True)
    assert "Saringan menyembunyikan hasil" in html and f"<strong>{ribuan(everything)}</strong> artikel" in html
    assert cnn > 0 and '<figure class="coverage"' not in html  # no empty chart over nothing
    plain = sample_client.get("/api/search?q=presiden&outlet=cnnindonesia.com").get_json()
    assert plain["relaxations"] == []  # results: nothing to explain


def test_hits_open_their_article_within_the_search(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=harga&outlet=cnnindonesia.com&page=2&size=1").get_json()
    hit = envelope["hits"][0]
    assert hit["article_url"] == "/artikel/" + hit["id"]  # the article's own address stays what it was
    assert hit["read_url"] == hit["article_url"] + "?q=harga&outlet=cnnindonesia.com&size=1&page=2"
    page = sample_client.get(hit["read_url"]).get_data(as_text=True)
    assert '<a href="/?q=harga&amp;outlet=cnnindonesia.com&amp;size=1&amp;page=2">← Kembali ke hasil</a>' in page
    assert 'value="harga"' in page and '<input type="hidden" name="outlet" value="cnnindonesia.com">' in page
    assert 'name="page"' not in page  # a new search from the article starts on page 1
    body = page.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    marks = body.count("<mark ")
    assert marks >= 1 and "ditandai" in page
    assert all("harga" in word for word in re.findall(r"<mark [^>]*>([^<]+)</mark>", body.lower()))
    assert "Baca artikel asli di cnnindonesia.com" in page
    plain = sample_client.get(hit["article_url"]).get_data(as_text=True)
    assert "<mark " not in plain and "← Kembali ke pencarian" in plain  # opened on its own: no search to carry


def test_article_page_marks_every_inflection_and_survives_a_bad_search(seed_client) -> None:
    page = seed_client.get("/artikel/000_c93cd040e1bf3d10?q=hadir").get_data(as_text=True)
    body = page.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert {"hadir", "kehadiran"} <= {word.lower() for word in re.findall(r"<mark [^>]*>([^<]+)</mark>", body)}  # Sastrawi: one stem
    headline = page.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert '<mark class="match term0">hadir</mark>' in headline  # the headline (here the first sentence) is marked too
    for bad in ('"unclosed (', "-", "a" * 2000, "page=abc"):
        response = seed_client.get("/artikel/000_c93cd040e1bf3d10", query_string={"q": bad, "page": "x"})
        assert response.status_code == 200 and "Kembali ke hasil" in response.get_data(as_text=True)


def test_exports_carry_category_author_editor_and_absolute_article_links(sample_client, sample_engine) -> None:
    response = sample_client.get("/api/export.csv?q=jakarta&outlet=cnnindonesia.com")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and {"category", "author", "editor", "article_url"} <= set(rows[0])
    assert all(row["article_url"] == "http://localhost/artikel/" + quote(row["id"], safe="") for row in rows)
    assert {row["category"] for row in rows} & {"tajuk utama", "teknologi", "olahraga", "hiburan"}  # IndoSum's own rubrik
    assert 'filename="cari-berita-jakarta-' in response.headers["Content-Disposition"]
    proxied = app_for(sample_engine, PUBLIC_URL="https://berita.example/")
    records = proxied.get("/api/export.json?q=jakarta&outlet=cnnindonesia.com").get_json()
    assert records[0]["article_url"] == "https://berita.example/artikel/" + quote(records[0]["id"], safe="")
    assert records[0]["category"] == rows[0]["category"]


def test_a_record_category_is_kept_and_shown_on_the_article_page(sample_client) -> None:
    hit = sample_client.get("/api/search?q=jakarta&outlet=cnnindonesia.com&size=1").get_json()["hits"][0]
    record = sample_client.get("/api/artikel/" + quote(hit["id"], safe="")).get_json()
    assert record["category"] == hit["category"] and record["category"]
    page = sample_client.get(hit["article_url"]).get_data(as_text=True)
    assert f"<dt>Rubrik</dt><dd>{record['category']}</dd>" in page
