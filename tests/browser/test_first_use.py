"""What a media analyst new to the archive meets, at a desk (1280 px), on a phone (375 px) and on a small phone (320 px).

Each test holds one thing that got in such a reader's way: filters an analyst page applied without
showing them, charts whose values could not be read, a phone whose first screen held no result, a
headline that widened the page, long snippets, a keyboard path through every facet, a reversed date
range answered with an error, dates written month first. Each runs on every backend.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import shown_number, shown_total

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WIDTHS = [1280, 375]
LONG_HEADLINE = "lilipaly.kirim.pesan.dukungan.buat.jakarta"  # an IndoSum title written with dots: one unbreakable word
ANALYST_LINKS = {"/banding": "bandingkan", "/media": "siapa meliput", "/tentang": "tentang apa"}


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", list(ANALYST_LINKS))
def test_an_analyst_page_shows_the_searchs_filters_as_chips_and_leads_back_to_it(browser, backend_server: str, width: int, path: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=korupsi&outlet=cnnindonesia.com&date=2017")
    total = shown_total(page)
    page.get_by_role("link", name=ANALYST_LINKS[path], exact=True).click()
    page.wait_for_url(re.compile(re.escape(path) + r"\?"))
    chips = page.locator("nav.active-filters a.chip")
    assert [text.replace("×", "").strip() for text in chips.all_inner_texts()] == ["CNN Indonesia", "2017"]
    analyst_url = page.url
    page.locator("p.back a").click()
    page.wait_for_url(re.compile(r"/\?"))
    assert _query(page.url) == {"q": ["korupsi"], "outlet": ["cnnindonesia.com"], "date": ["2017"]}
    assert shown_total(page) == total
    page.goto(analyst_url)
    page.locator("nav.active-filters a.chip", has_text="2017").click()  # a chip removes its filter on the analyst page itself
    page.wait_for_url(re.compile(re.escape(path)))
    assert "date" not in _query(page.url) and _query(page.url)["outlet"] == ["cnnindonesia.com"]
    assert page.locator("nav.active-filters a.chip").count() == 1
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_chart_value_is_read_by_focusing_its_point(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/banding?q=korupsi&q=narkoba")
    page.locator("details.chart-data summary").click()
    last_row = page.locator("details.chart-data tbody tr").last
    period = last_row.locator("th").inner_text()
    korupsi, narkoba = (cell.strip() for cell in last_row.locator("td").all_inner_texts()[:2])
    page.locator("figure.lines svg.chart a.col").first.focus()
    page.keyboard.press("End")  # one tab stop; arrow keys, Home and End move between periods
    tip = page.locator("figure.lines svg.chart a.col:focus .tip")
    assert tip.is_visible()
    said = tip.text_content() or ""
    assert said.startswith(period) and f"korupsi: {korupsi}" in said and f"narkoba: {narkoba}" in said
    box = tip.locator("rect").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width  # the last period's tip opens inwards, inside the screen
    page.close()


def test_the_charts_unit_can_be_changed_and_is_kept(browser, backend_server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(backend_server + "/banding?q=korupsi&q=narkoba&date=2017")
    weeks = page.locator("figure.lines svg.chart a.col").count()
    page.locator("nav.switch a", has_text="bulan").click()
    page.wait_for_url(re.compile(r"unit=bulan"))
    assert page.locator("figure.lines svg.chart a.col").count() == 12 < weeks
    assert "per bulan" in page.locator("figure.lines figcaption").inner_text()
    page.locator("nav.switch a", has_text="persen").click()  # the other switch keeps the unit
    page.wait_for_url(re.compile(r"chart=share"))
    assert _query(page.url)["unit"] == ["bulan"] and page.locator("figure.lines svg.chart a.col").count() == 12
    page.goto(backend_server + "/?q=korupsi&from=2017-01-01&to=2017-12-31&unit=hari")
    assert page.locator("figure.coverage svg.chart a.col").count() == 365
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_who_covers_draws_one_small_chart_per_outlet_on_one_scale(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/media?q=presiden")
    panels = page.locator("ul.multiples > li")
    assert panels.count() >= 3
    assert all(panels.nth(i).locator("polyline").count() == 1 for i in range(panels.count()))  # no line over another
    scales = {tuple(panels.nth(i).locator(".scale text").all_text_contents()) for i in range(panels.count())}
    assert len(scales) == 1  # one scale, so the panels compare at a glance
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_a_phones_first_screen_shows_the_first_result(browser, backend_server: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    page.goto(backend_server + "/?q=banjir")
    first = page.locator("li.hit h3 a").first.bounding_box()
    assert first and first["y"] <= 812 / 2
    page.close()


def test_a_phone_picks_two_outlets_without_reopening_the_filters(browser, backend_server: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(backend_server + "/?q=presiden")
    page.locator("details.filters > summary").click()
    outlets = page.locator("#facet-outlet > ul > li a.facet-value")
    first, second = outlets.nth(0), outlets.nth(1)
    expected = shown_number(first.locator(".count").inner_text()) + shown_number(second.locator(".count").inner_text())
    second_name = second.get_attribute("data-value")
    first.click()
    page.wait_for_url(re.compile(r"outlet="))
    assert page.evaluate("document.querySelector('details.filters').open")  # still open, at the outlets
    page.locator(f'#facet-outlet a.facet-value[data-value="{second_name}"]').click()
    page.wait_for_url(lambda url: len(_query(url).get("outlet", [])) == 2)
    assert shown_total(page) == expected
    page.close()


@pytest.mark.parametrize("path", ["/?q=lilipaly", "/?q=banjr+jakarta", "/banding?q=lilipaly&q=jakarta", "/media?q=lilipaly",
                                  "/tentang?q=lilipaly", "/bantuan", "/?q=outlet%3Akompas+korupsi"])
def test_nothing_is_wider_than_a_320_px_screen(browser, backend_server: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 700})
    page.goto(backend_server + path)
    if path == "/?q=lilipaly":
        assert page.get_by_text(LONG_HEADLINE).count()
        page.locator("li.hit h3 a").first.click()  # and its article page
        page.wait_for_url(re.compile(r"/artikel/"))
    if page.locator("details.filters").count():
        page.locator("details.filters > summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.close()


@pytest.mark.parametrize("q", ["banjir jakarta", "presiden", "harga minyak", "korupsi e ktp"])
def test_snippets_are_at_most_three_lines_at_a_desk(browser, backend_server: str, q: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(backend_server + "/?" + "q=" + q.replace(" ", "+"))
    lines = page.evaluate("""() => [...document.querySelectorAll('li.hit .snippet')].map(s =>
        s.scrollHeight / parseFloat(getComputedStyle(s).lineHeight))""")  # the whole text, not what a clamp shows
    assert lines and max(lines) <= 3.2, lines
    page.close()


def test_the_first_result_is_a_few_tab_presses_from_the_search_box(browser, backend_server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(backend_server + "/?q=banjir&outlet=cnnindonesia.com")
    first = page.locator("li.hit h3 a").first.element_handle()
    page.locator("#q").focus()
    presses = 0
    while not page.evaluate("element => element === document.activeElement", first):
        page.keyboard.press("Tab")
        presses += 1
        assert page.evaluate("document.activeElement.className") != "skip"
        assert presses <= 25, "the first result is more than 25 Tab presses from the search box"
    for item in page.locator("#facet-outlet > ul > li").all():  # and one stop per facet value
        assert item.locator("a").count() == 1
    page.close()


def test_a_from_date_after_the_to_date_is_swapped_with_a_notice(browser, backend_server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(backend_server + "/?q=korupsi")
    page.get_by_label("Dari", exact=True).fill("30/06/2017")
    page.get_by_label("Sampai", exact=True).fill("01/01/2017")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(r"from="))
    assert "ditukar" in page.locator(".notice").inner_text()
    assert page.get_by_label("Dari", exact=True).input_value() == "01/01/2017"
    assert page.get_by_label("Sampai", exact=True).input_value() == "30/06/2017"
    dates = page.locator("li.hit .date").all_inner_texts()
    assert dates and all(d.endswith("2017") for d in dates)
    page.close()


def test_the_date_fields_read_day_first_in_an_english_language_browser(browser, backend_server: str) -> None:
    context = browser.new_context(locale="en-US", viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(backend_server + "/?q=presiden")
    page.locator("details.filters > summary").click()
    assert page.get_by_label("Dari", exact=True).get_attribute("placeholder") == "hh/bb/tttt"
    page.get_by_label("Dari", exact=True).fill("01/03/2017")
    page.get_by_label("Sampai", exact=True).fill("31/03/2017")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(r"from="))
    dates = page.locator("li.hit .date").all_inner_texts()
    assert dates and all(d.endswith("Maret 2017") for d in dates)
    context.close()
