"""The search page in a real headless Chromium (Debian's), driven by Playwright.

Locally these tests skip when /usr/bin/chromium is missing; in CI (CI=true) they must run. Each runs
on every backend (``backend_server``, tests/browser/conftest.py); story grouping is Whoosh's alone so far.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import shown_number, shown_total

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_type_query_pick_outlet_and_month(browser, backend_server: str) -> None:
    page = browser.new_page()
    page.goto(backend_server + "/")
    page.get_by_label("Kata kunci").fill("harga minyak")
    page.get_by_label("Kata kunci").press("Enter")
    page.wait_for_url(re.compile(r"q=harga\+minyak"))
    everything = shown_total(page)
    assert everything > 10
    assert page.locator("li.hit mark").count() > 0

    cnn = page.locator("#facet-outlet a.facet-value", has_text="CNN Indonesia")
    expected = shown_number(cnn.locator(".count").inner_text())
    cnn.click()
    page.wait_for_url(re.compile(r"outlet=cnnindonesia\.com"))
    assert shown_total(page) == expected < everything
    outlets = page.locator("li.hit .outlet").all_inner_texts()
    assert outlets and set(outlets) == {"CNN Indonesia"}

    year = page.locator("#facet-date > ul > li > .facet-row > a.facet-value", has_text="2017")
    year_count = shown_number(year.locator(".count").first.inner_text())
    year.first.click()
    page.wait_for_url(re.compile(r"date=2017"))
    assert shown_total(page) == year_count
    month = page.locator("#facet-date ul.months a.facet-value").first
    month_count = shown_number(month.locator(".count").inner_text())
    month.click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["outlet"] == ["cnnindonesia.com"] and re.fullmatch(r"2017-\d\d", query["date"][0])
    assert shown_total(page) == month_count
    assert all(re.search(r"\d+ \w+ 2017", d) for d in page.locator("li.hit .date").all_inner_texts())

    page.locator("li.hit h3 a").first.click()
    assert page.locator(".article-side dl.meta").inner_text().count("CNN Indonesia") == 1
    page.close()


def test_date_range_form_without_javascript(browser, backend_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(backend_server + "/?q=presiden")
    page.get_by_label("Dari", exact=True).fill("2017-03-01")  # the ISO form is read too
    page.get_by_label("Sampai", exact=True).fill("2017-03-31")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(r"from=2017-03-01"))
    dates = page.locator("li.hit .date").all_inner_texts()
    assert dates and all(d.endswith("Maret 2017") for d in dates)
    context.close()


def test_phone_width_has_no_sideways_scrolling(browser, backend_server: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 900}, device_scale_factor=2)
    page.goto(backend_server + "/?q=jakarta")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("li.hit").count() == 10
    page.close()


def test_phone_width_unfolds_a_story_without_sideways_scrolling(browser, backend_server: str, screenshot_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 900}, device_scale_factor=2)
    # The README's docs/search-phone.png is this view: the seeds' press release folded under one
    # hit, unfolded. BERITA_SCREENSHOT_DIR keeps a fresh one.
    page.goto(backend_server + "/?q=netralitas+ASN")
    assert page.locator("li.hit details.similar").count() > 0  # counted at once, not waited for
    page.locator("li.hit details.similar summary").first.click()
    assert page.locator("li.hit details.similar ul a").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot = screenshot_dir / "search-phone.png"
    bottom = page.evaluate("document.querySelector('li.hit').getBoundingClientRect().bottom + window.scrollY")
    page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": 375, "height": bottom + 8})
    assert shot.stat().st_size > 10_000
    page.close()


def test_desk_width_puts_the_filters_beside_the_results(browser, backend_server: str, screenshot_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    # The README's docs/search-desk.png is this view: a search narrowed to one outlet and a year.
    page.goto(backend_server + "/?q=harga+minyak&outlet=cnnindonesia.com&date=2017")
    facets = page.locator("aside.facets").bounding_box()
    results = page.locator("section.results").bounding_box()
    chart = page.locator("figure.coverage svg.chart").bounding_box()
    assert facets and results and chart
    assert facets["x"] + facets["width"] <= results["x"] and abs(facets["y"] - results["y"]) < 40  # side by side
    assert chart["width"] >= 0.95 * results["width"]  # the chart spans the results column
    assert page.locator("#facet-outlet a.facet-value").first.is_visible()  # open, no "Saring" to press
    shot = screenshot_dir / "search-desk.png"
    page.screenshot(path=str(shot), clip={"x": 0, "y": 0, "width": 1280, "height": 1000})
    assert shot.stat().st_size > 20_000
    page.close()


def test_two_outlets_chart_bar_sort_and_export(browser, backend_server: str) -> None:
    page = browser.new_page(accept_downloads=True)
    page.goto(backend_server + "/?q=jakarta")
    first, second = (page.locator("#facet-outlet a.facet-value").nth(i) for i in (0, 1))
    names = [first.locator(".label").inner_text(), second.locator(".label").inner_text()]
    counts = [shown_number(first.locator(".count").inner_text()), shown_number(second.locator(".count").inner_text())]
    first.click()
    page.wait_for_url(re.compile(r"outlet="))
    page.locator("#facet-outlet a.facet-value", has_text=names[1]).first.click()
    page.wait_for_url(lambda url: len(parse_qs(urlsplit(url).query).get("outlet", [])) == 2)
    assert shown_total(page) == sum(counts)  # OR within the outlet facet
    assert set(page.locator("li.hit .outlet").all_inner_texts()) <= set(names)

    tallest = page.evaluate(
        "() => { const r = [...document.querySelectorAll('figure.coverage .bars rect')];"
        " return r.indexOf(r.reduce((a, b) => (+b.getAttribute('height') > +a.getAttribute('height') ? b : a))); }"
    )
    bar = page.locator("figure.coverage svg a.col").nth(tallest)
    bar_count = shown_number(re.search(r": ([\d.]+) artikel", bar.locator("title").text_content() or "").group(1))  # type: ignore[union-attr]
    bar.click()
    page.wait_for_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d"))
    assert shown_total(page) == bar_count

    page.goto(backend_server + "/?q=jakarta")
    page.locator("nav.sort a", has_text="Terbaru").click()
    page.wait_for_url(re.compile(r"sort=terbaru"))
    assert page.locator("nav.sort [aria-current]").inner_text() == "Terbaru"

    with page.expect_download() as download:
        page.locator("p.export a", has_text="JSON").click()
    rows = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(rows) == shown_total(page) > 10  # every match, not one page
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_outlet_filter_box_narrows_the_list(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/")
    if page.locator("details.filters > summary").is_visible():  # a phone: the filters open from "Saring"
        page.locator("details.filters > summary").click()
    outlets = page.locator("#facet-outlet li")
    assert outlets.count() >= 8
    box = page.get_by_label("Saring media").bounding_box()
    facet = page.locator("#facet-outlet").bounding_box()
    assert box and facet and box["height"] >= 36 and box["width"] >= 0.9 * facet["width"] - 16  # a proper field, not a sliver
    page.get_by_label("Saring media").fill("cnn")
    visible = [t for t in page.locator("#facet-outlet li:not([hidden]) .label").all_inner_texts()]
    assert "CNN Indonesia" in visible and len(visible) < outlets.count()
    assert all("cnn" in t.lower() or t == "Tidak diketahui" for t in visible)
    page.get_by_label("Saring media").fill("")
    assert page.locator("#facet-outlet li:not([hidden])").count() == outlets.count()
    page.close()


def test_back_and_forward_restore_each_state(browser, backend_server: str) -> None:
    page = browser.new_page()
    page.goto(backend_server + "/?q=jakarta")
    first_total = shown_total(page)
    page.locator("#facet-outlet a.facet-value").first.click()
    page.wait_for_url(re.compile(r"outlet="))
    narrowed_total = shown_total(page)
    assert narrowed_total < first_total
    page.go_back()
    page.wait_for_url(lambda url: "outlet=" not in url)
    assert shown_total(page) == first_total
    page.go_forward()
    page.wait_for_url(re.compile(r"outlet="))
    assert shown_total(page) == narrowed_total
    page.close()


def test_story_copies_fold_under_one_hit_and_open_with_the_keyboard(browser, backend_server: str) -> None:
    page = browser.new_page()
    page.goto(backend_server + "/?q=netralitas+ASN")
    assert re.search(r"dalam \d+ cerita", page.locator("p.total").inner_text())
    folded = page.locator("li.hit details.similar").first
    assert folded.locator("summary").inner_text() == "2 artikel serupa"
    listed = folded.locator("ul a")
    assert not listed.first.is_visible()
    folded.locator("summary").focus()
    page.keyboard.press("Enter")
    assert listed.count() == 2 and listed.first.is_visible()
    shown = {folded.locator("xpath=ancestor::li[contains(@class,'hit')]").locator("h3 a").get_attribute("href"),
             *(listed.nth(i).get_attribute("href") for i in range(2))}
    assert {href.rsplit("/", 1)[1][:3] for href in shown} == {"000", "001", "002"}  # the seeds' press release

    hits = page.locator("li.hit").count()
    page.locator("a.grouping").click()
    page.wait_for_url(re.compile(r"grouping=off"))
    assert page.locator("li.hit").count() == hits + 2 and page.locator("details.similar").count() == 0

    page.goto(backend_server + "/artikel/000_c93cd040e1bf3d10")
    related = page.locator("section.similar li a")
    assert related.count() == 2
    related.first.click()
    page.wait_for_url(re.compile(r"/artikel/00[12]_"))
    assert page.locator("section.similar li a[href='/artikel/000_c93cd040e1bf3d10']").count() == 1
    page.close()


def test_similar_articles_open_without_javascript(browser, backend_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(backend_server + "/?q=netralitas+ASN")
    folded = page.locator("li.hit details.similar").first
    assert folded.count() == 1
    folded.locator("summary").click()
    assert folded.locator("ul a").first.is_visible()
    context.close()


def test_keyboard_focus_and_accessibility_rules(browser, backend_server: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.goto(backend_server + "/?q=jakarta&outlet=cnnindonesia.com")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip").first
    assert page.evaluate("document.activeElement.className") == "skip" and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#konten")
    # Keyboard focus is always visible: a 3 px ring on links, or an outlined bar in the chart.
    page.locator("#facet-outlet a.facet-value").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"
    paths = ("/?q=jakarta&outlet=cnnindonesia.com&chart=share", "/?q=netralitas", "/artikel/000_c93cd040e1bf3d10",
             "/?q=xyzzyqq", "/?q=netralitas+xyzzyqq", "/bantuan", "/?q=jakarta&page=3&size=25",
             "/?q=presiden&outlet=cnnindonesia.com&date=2017&from=2016-01-01&to=2016-03-31",  # chips, zero results
             "/artikel/000_c93cd040e1bf3d10?q=hadir&outlet=kabarkriminal.online",
             "/?q=presiden&outlet=-cnnindonesia.com&category=Tajuk+utama&city=-Jakarta",  # more facets, exclusions
             "/?q=korupsi&date=2017&unit=hari", "/?q=banjr+jakarta", "/?q=outlet%3Akompas+korupsi",  # a correction, an unknown outlet
             "/?q=korupsi&from=2017-06-30&to=2017-01-01", "/?q=zzqxv+wqzzy")  # a reversed range; nothing at all
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(backend_server + path)
            if width < 800 and page.locator("details.filters").count():
                page.locator("details.filters > summary").click()  # the opened filters are checked too
            if page.locator("figure.coverage a.col").count():
                page.locator("figure.coverage a.col").first.focus()  # and a bar's values drawn beside it
            result = Axe().run(page)
            assert result.violations_count == 0, (width, path, result.generate_report())
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_partial_matches_are_listed_apart_and_not_counted(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=netralitas+xyzzyqq")  # no article has the second word
    assert "sebagian kata" in page.locator("body").inner_text()
    assert page.locator("li.hit").count() == 0 and page.locator("p.export").count() == 0  # nothing counted, nothing to export
    heading = page.locator("section.partial h3")
    assert heading.inner_text() == "Cocok sebagian" and heading.is_visible()
    first = page.locator("li.partial-hit h4 a").first
    assert first.is_visible() and "netralitas" in page.locator("li.partial-hit .snippet").first.inner_html().lower()
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_submitted_search_has_a_clean_url_and_no_missing_files(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    page.goto(backend_server + "/")
    page.locator("#q").fill("netralitas")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"q=netralitas"))
    assert page.url == backend_server + "/?q=netralitas"  # the blank date fields are not in the shared URL
    assert page.locator("li.hit").count() > 0
    assert missing == []  # the favicon included
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_numbers_and_percentages_are_written_the_indonesian_way(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?chart=share")  # the whole archive: thousands of articles
    total = page.locator("p.total strong").inner_text()
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", total)
    assert f"Unduh semua {total} hasil" in page.locator("p.export").inner_text()  # one form for the same number
    labels = [page.locator("figure svg a").nth(i).get_attribute("aria-label") or "" for i in range(3)]
    assert all(re.search(r"\(\d+,\d%\)$", label) for label in labels), labels  # "3,6%", not "3.6%"
    assert not any(re.search(r"\d\.\d%", label) for label in labels)
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_chart_has_a_scale_readable_periods_and_one_tab_stop(browser, backend_server: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(backend_server + "/?q=harga+minyak")
    chart = page.locator("figure.coverage svg.chart")
    ticks = chart.locator("g.scale text").all_text_contents()
    assert len(ticks) >= 2 and all(re.fullmatch(r"\d{1,3}(\.\d{3})*", t) for t in ticks), ticks  # a value scale
    periods = [t for t in chart.locator("g.axis text").all_text_contents()]
    shown = [t for i, t in enumerate(periods) if chart.locator("g.axis text").nth(i).is_visible()]
    assert 2 <= len(shown) <= (5 if width > 400 else 3)
    assert all(re.fullmatch(r"(\d{1,2} )?[A-Z][a-z]{2} \d{4}", t) for t in periods), periods  # "19 Sep 2016" or "Sep 2016", no "mg"
    labels = [a.get_attribute("aria-label") or "" for a in chart.locator("a").all()]
    assert re.search(r": [1-9]", labels[0]) and re.search(r": [1-9]", labels[-1])  # the axis spans the matches

    # From the search box to the first result: the filters are skipped with "Lompat ke hasil", and the
    # chart costs one Tab, not one per bar.
    page.locator("#q").focus()
    stops = 0
    while not page.evaluate("document.activeElement.matches('li.hit h3 a')"):
        if page.evaluate("document.activeElement.textContent") == "Lompat ke hasil":
            page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        stops += 1
        assert stops < 20, "the first result is not reachable in a few Tabs"
    in_chart = page.evaluate("document.activeElement.closest('svg') !== null")
    assert not in_chart
    page.locator("#q").focus()
    while not page.evaluate("document.activeElement.closest('svg.chart') !== null"):
        page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("ArrowRight")
    second = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert second != first and page.evaluate("document.activeElement.closest('svg.chart') !== null")
    count = shown_number(re.search(r": ([\d.]+) artikel", second).group(1))  # type: ignore[union-attr]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('svg.chart') === null")  # one stop: Tab leaves the chart
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == second  # and comes back to the same bar
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"from=\d{4}-\d\d-\d\d&to="))
    assert (shown_total(page) if count else 0) == count
    page.close()


def test_chart_periods_are_listed_for_keyboards_without_javascript(browser, backend_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(backend_server + "/?q=harga+minyak&chart=share")
    page.locator("details.chart-data summary").click()
    rows = page.locator("details.chart-data tbody tr")
    assert rows.count() == page.locator("figure.coverage svg.chart a").count()
    assert re.fullmatch(r"\d+,\d%|–", rows.first.locator("td").nth(1).inner_text())
    link = rows.first.locator("a")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"from=\d{4}-\d\d-\d\d&to="))
    context.close()
