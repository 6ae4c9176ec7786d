"""The analyst views in a real Chromium at desk and phone width: compare, who covers, what it is about (each on both backends), the feed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import keep_screenshot, shown_number, shown_total

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WIDTHS = [1280, 375]


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_two_searches_from_a_search(browser, backend_server: str, width: int, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=presiden")
    presiden = shown_total(page)
    page.get_by_role("link", name="bandingkan", exact=True).click()
    page.wait_for_url(re.compile(r"/banding\?q=presiden$"))
    page.get_by_label("Pencarian 2").fill("jokowi")
    page.get_by_label("Pencarian 2").press("Enter")  # keyboard only
    page.wait_for_url(re.compile(r"q=presiden&q=jokowi"))
    assert page.url == backend_server + "/banding?q=presiden&q=jokowi"  # the empty boxes are not in the shared URL
    legend = page.locator("ul.legend li")
    assert legend.count() == 2 and page.locator("svg.chart polyline").count() == 2
    assert shown_number(re.search(r"([\d.]+) artikel", legend.first.inner_text()).group(1)) == presiden  # type: ignore[union-attr]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("details.chart-data summary").click()
    header = page.locator("details.chart-data thead th").all_inner_texts()
    assert header == ["Periode", "presiden", "jokowi", "Semua artikel"]
    if width > 800:  # docs/analysis-compare.png
        page.goto(backend_server + "/banding?q=presiden&q=jokowi&q=harga+minyak")
        assert keep_screenshot(page, "analysis-compare.png", tmp_path, full_page=True).stat().st_size > 20_000
        page.go_back()
    legend.nth(1).get_by_role("link").click()
    page.wait_for_url(re.compile(r"/\?q=jokowi$"))
    assert shown_total(page) > 0
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_who_covers_a_search(browser, backend_server: str, width: int, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=presiden")
    total = shown_total(page)
    page.get_by_role("link", name="siapa meliput").click()
    page.wait_for_url(re.compile(r"/media\?q=presiden$"))
    assert shown_number(page.locator("p.total strong").inner_text()) == total
    rows = page.locator("table.outlets tbody tr")
    first = rows.first
    name, count = first.locator("th").inner_text(), shown_number(first.locator("td").first.inner_text())
    assert re.fullmatch(r"\d+,\d%", first.locator("td").nth(1).inner_text())
    assert page.locator("ul.multiples > li h2").first.inner_text().startswith(name)  # a small chart per outlet, the largest first
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the table scrolls inside its box
    if width > 800:  # docs/analysis-coverers.png
        assert keep_screenshot(page, "analysis-coverers.png", tmp_path, full_page=True).stat().st_size > 20_000
    first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"outlet="))
    assert shown_total(page) == count
    page.close()


def test_the_analyst_pages_follow_the_accessibility_rules(browser, server: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/banding", "/banding?q=presiden&q=jokowi&chart=share", "/media?q=presiden", "/media?q=xyzzyqq",
                     "/tentang?q=presiden", "/tentang?q=xyzzyqq", "/banding?q=korupsi&q=narkoba&outlet=cnnindonesia.com&date=2017&unit=bulan",
                     "/media?q=korupsi&date=2017&chart=share", "/tentang?q=korupsi&outlet=cnnindonesia.com&outlet=-antaranews.com"):
            page.goto(server + path)
            if page.locator("details.chart-data").count():
                page.locator("details.chart-data summary").first.click()
            if page.locator("svg.chart a.col").count():
                page.locator("svg.chart a.col").first.focus()  # a period's values drawn beside it are checked too
            result = Axe().run(page)
            assert result.violations_count == 0, (width, path, result.generate_report())
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_what_a_search_is_about_and_a_name_narrows_it(browser, backend_server: str, width: int, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=presiden")
    total = shown_total(page)
    page.get_by_role("link", name="tentang apa").click()
    page.wait_for_url(re.compile(r"/tentang\?q=presiden$"))
    assert page.locator("#words-heading + p + ol li a").first.inner_text() not in ("", "presiden")  # the searched word: in every match
    if width > 800:  # docs/analysis-terms.png
        assert keep_screenshot(page, "analysis-terms.png", tmp_path, clip={"x": 0, "y": 0, "width": 1280, "height": 900}).stat().st_size > 20_000
    link = page.locator("#names-heading + p + ol li a").filter(has_text=re.compile(r"^\S+ \S+")).first  # a name of two words or more
    text = link.inner_text()
    docs = shown_number(link.locator("xpath=following-sibling::span").inner_text().split()[0])
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=presiden\+%22"))
    assert page.locator("#q").input_value() == f'presiden "{text}"'
    assert docs <= shown_total(page) <= total  # at least the articles counted (names are read from a sample of at most 200)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_the_search_page_offers_its_feed(browser, server: str, tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(server + "/?q=presiden&date=2017")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    assert href == "/feed.atom?q=presiden&date=2017"
    response = page.request.get(server + href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    assert "<entry>" in response.text()
    page.goto(server + href)  # docs/analysis-feed.png: the feed as a browser shows it
    assert keep_screenshot(page, "analysis-feed.png", tmp_path, clip={"x": 0, "y": 0, "width": 1280, "height": 720}).stat().st_size > 10_000
    page.close()
