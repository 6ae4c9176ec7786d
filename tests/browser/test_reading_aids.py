"""The results page's reading aids in a real Chromium at desk and phone width: the "Saring" control,
the active-filter chips, zero results that name the hiding filter, numbered pages and page sizes; each on every
backend (``backend_server``, tests/browser/conftest.py)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import shown_number, shown_total

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WIDTHS = [1280, 375]


@pytest.mark.parametrize("width", WIDTHS)
def test_filters_open_from_a_saring_control_above_the_results_without_javascript(browser, backend_server: str, width: int) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(backend_server + "/?q=jakarta&outlet=cnnindonesia.com")
    control = page.locator("details.filters > summary")
    outlet = page.locator("#facet-outlet a.facet-value", has_text="ANTARA")
    if width > 800:  # a sidebar: always open, no control
        assert not control.is_visible() and outlet.is_visible()
    else:
        assert control.is_visible() and not outlet.is_visible()
        assert " ".join(control.inner_text().split()) == "Saring (1 aktif) media, tanggal, kota"
        first_hit = page.locator("li.hit").first.bounding_box()
        box = control.bounding_box()
        assert box and first_hit and box["y"] < first_hit["y"] and box["y"] < 400  # at the top, not after the results
        control.focus()
        page.keyboard.press("Enter")
        assert outlet.is_visible()
    expected = shown_number(outlet.locator(".count").inner_text())
    before = shown_total(page)
    outlet.click()
    page.wait_for_url(lambda url: len(parse_qs(urlsplit(url).query).get("outlet", [])) == 2)
    assert shown_total(page) == before + expected
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_active_filter_chips_remove_one_filter_or_all_of_them(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=presiden")
    everything = shown_total(page)
    page.goto(backend_server + "/?q=presiden&outlet=cnnindonesia.com&date=2017&from=2017-01-01&to=2017-06-30")
    chips = page.locator("nav.active-filters a.chip")
    assert [" ".join(text.split()) for text in chips.all_inner_texts()] == ["CNN Indonesia ×", "2017 ×", "1 Jan–30 Jun 2017 ×"]
    narrowed = shown_total(page)
    page.locator("nav.active-filters a.chip", has_text="1 Jan–30 Jun 2017").focus()
    page.keyboard.press("Enter")  # keyboard only
    page.wait_for_url(lambda url: "from=" not in url)
    assert shown_total(page) >= narrowed and chips.count() == 2
    page.get_by_role("link", name="Hapus semua").click()
    page.wait_for_url(lambda url: "outlet=" not in url and "date=" not in url)
    assert shown_total(page) == everything and chips.count() == 0
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_zero_results_name_the_filter_that_hides_matches(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=presiden&outlet=cnnindonesia.com&from=2016-01-01&to=2016-03-31")
    assert page.locator("li.hit").count() == 0
    box = page.locator("section.relax")
    assert box.is_visible() and "Saringan menyembunyikan hasil" in box.inner_text()
    line = box.locator("li", has_text="Tanpa saringan tanggal 1 Jan–31 Mar 2016")
    promised = shown_number(line.locator("strong").inner_text())
    assert promised > 0
    line.locator("a").click()
    page.wait_for_url(lambda url: "from=" not in url)
    assert shown_total(page) == promised
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_misspelt_search_with_no_match_is_searched_as_corrected_and_says_so(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=presidn")
    corrected = page.locator("p.corrected")
    assert "Menampilkan hasil untuk" in corrected.inner_text() and corrected.locator("a").first.inner_text() == "presiden"
    assert shown_total(page) > 100 and page.locator("#q").input_value() == "presiden"
    corrected.get_by_role("link", name="presidn").click()  # the words as typed, once more, without the correction
    page.wait_for_url(re.compile(r"q=presidn&correction=off"))
    assert page.locator("li.hit").count() == 0
    assert page.locator("p.suggestion a").inner_text() == "presiden"
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_numbered_pages_reach_the_last_page_and_page_size_changes(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=jakarta")
    pager = page.locator("nav.pager")
    numbers = pager.locator("li a")
    last = shown_number(numbers.last.inner_text())
    assert last > 10 and numbers.first.get_attribute("aria-current") == "page"
    pager_box = pager.bounding_box()
    assert pager_box and pager_box["width"] <= width
    numbers.last.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"page={last}\b"))
    assert shown_number(pager.locator("li a[aria-current=page]").inner_text()) == last
    assert pager.locator("a[rel=next]").count() == 0 and page.locator("li.hit").count() >= 1
    page.locator("nav.sizes a", has_text="50").click()
    page.wait_for_url(re.compile(r"size=50"))
    assert "page=" not in page.url and page.locator("li.hit").count() == 50
    assert page.locator("nav.sizes [aria-current]").inner_text() == "50"
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_article_opened_from_a_search_marks_its_words_and_leads_back(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    results = backend_server + "/?q=presiden+jokowi&outlet=cnnindonesia.com&page=2"
    page.goto(results)
    page.locator("li.hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/artikel/.+\?q=presiden\+jokowi&outlet=cnnindonesia\.com&page=2$"))
    marks = page.locator("article.article .body mark")
    assert marks.count() >= 2 and marks.first.is_visible()
    marked = {m.lower() for m in marks.all_inner_texts()}
    assert {"presiden", "jokowi"} <= marked and all("presiden" in m or m == "jokowi" for m in marked)  # every inflection (kepresidenan)
    assert page.locator("#q").input_value() == "presiden jokowi"
    original = page.locator("p.original a")
    assert original.get_attribute("href", timeout=2000).startswith("http") and "cnnindonesia.com" in original.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    text = page.locator("article.article").bounding_box()
    side = page.locator("aside.article-side").bounding_box()
    assert text and side
    if width > 800:  # the width is used: a reading column of about 44rem and the details beside it
        assert text["width"] >= 600 and side["x"] >= text["x"] + text["width"]
    else:
        assert side["y"] >= text["y"] + text["height"] - 1
    back = page.get_by_role("link", name="← Kembali ke hasil")
    back.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(results)
    assert page.locator("nav.pager a[aria-current=page]").inner_text() == "2"
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_date_presets_count_back_from_the_archives_newest_article(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=netralitas")
    if page.locator("details.filters > summary").is_visible():  # on a phone the date control is among the filters
        page.locator("details.filters > summary").click()
    week = page.get_by_role("link", name="7 hari terakhir arsip")
    assert week.is_visible()
    week.click()
    page.wait_for_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d"))
    query = parse_qs(urlsplit(page.url).query)
    assert shown_total(page) > 0  # the archive's last week has articles, whatever today's date
    assert page.locator("p.presets strong[aria-current]").text_content() == "7 hari terakhir arsip"
    chip = page.locator("nav.active-filters a.chip").inner_text()
    assert query["to"][0][:4] in chip
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bad_date_is_named_as_the_page_labels_its_field(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    response = page.goto(backend_server + "/?q=presiden&from=2017-02-30")
    assert response is not None and response.status == 400
    message = page.locator("p.error[role=alert]")
    assert message.is_visible() and "'dari' (from)" in message.inner_text() and "2017-02-30" in message.inner_text()
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_csv_export_is_named_after_the_search_and_links_back_absolutely(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    page.goto(backend_server + "/?q=harga+minyak&outlet=cnnindonesia.com")
    with page.expect_download() as download:
        page.locator("p.export").get_by_role("link", name="CSV", exact=True).click()
    assert re.fullmatch(r"cari-berita-harga-minyak-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == shown_total(page) and {"category", "author", "editor"} <= set(rows[0])
    assert all(row["article_url"].startswith(backend_server + "/artikel/") for row in rows)
    assert all(row["category"] for row in rows)  # IndoSum records carry their rubrik
    opened = page.goto(rows[0]["article_url"])
    assert opened is not None and opened.status == 200
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_kecuali_leaves_one_outlet_out_and_the_total_drops_by_its_count(browser, backend_server: str, width: int, screenshot_dir: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=presiden")
    before = shown_total(page)
    if page.locator("details.filters > summary").is_visible():
        page.locator("details.filters > summary").click()
    row = page.locator("#facet-outlet .facet-row").first
    name = row.locator(".label").inner_text()
    count = shown_number(row.locator(".count").inner_text())
    page.locator("#facet-outlet details.leave-out > summary").click()  # one folded list per facet, not a link on every row
    page.locator("#facet-outlet details.leave-out").get_by_role("link", name=f"kecuali {name}", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"outlet=-"))
    assert shown_total(page) == before - count
    assert name not in page.locator("li.hit .outlet").all_inner_texts()
    assert f"bukan {name}" in " ".join(page.locator("nav.active-filters").inner_text().split())
    city = page.locator("#facet-city")
    if width < 800:  # a phone reopens the filters where the reader left them
        assert page.evaluate("document.querySelector('details.filters').open")
    assert city.is_visible() and city.locator("h2").text_content() == "Kota"
    if width > 800:  # docs/analysis-facets.png
        shot = screenshot_dir / "analysis-facets.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000
    page.close()
