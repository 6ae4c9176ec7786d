"""The search page's reading aids as the API and the page render them: numbered pages, page sizes,
the active-filter summary, zero results that say which filter hides the matches, exports."""

from __future__ import annotations

import csv
import io


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
