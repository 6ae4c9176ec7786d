"""A page by date is its slice of the whole order, though only the page's beginning of the order is sorted."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.domain.request import SearchRequest
from search.engine import EngineConfig, open_engine


@pytest.mark.parametrize("sort", ["terbaru", "terlama"])
@pytest.mark.parametrize("q", ["", "akan", "indonesia OR jakarta"])
def test_every_page_by_date_is_the_slice_of_the_whole_order(sample_index_dir: Path, sort: str, q: str) -> None:
    engine = open_engine(EngineConfig("whoosh", sample_index_dir))
    whole = [hit.id for hit in engine.export(SearchRequest(q=q, sort=sort, grouping=False)).rows]
    assert len(whole) > 40  # past the size from which a page no longer sorts everything
    pages = [[hit.id for hit in engine.search(SearchRequest(q=q, sort=sort, grouping=False, size=10, page=n)).hits]
             for n in range(1, len(whole) // 10 + 1)]

    assert [article for page in pages for article in page] == whole[:len(pages) * 10]


@pytest.mark.parametrize("sort", ["terbaru", "terlama"])
def test_grouped_pages_by_date_show_each_story_once_in_order(sample_index_dir: Path, sort: str) -> None:
    engine = open_engine(EngineConfig("whoosh", sample_index_dir))
    stories = engine.search(SearchRequest(q="", sort=sort, size=10)).stories
    assert stories is not None and stories > 40
    pages = [engine.search(SearchRequest(q="", sort=sort, size=10, page=n)) for n in range(1, stories // 10 + 1)]
    shown = [hit for page in pages for hit in page.hits]
    whole = [hit.id for hit in engine.export(SearchRequest(q="", sort=sort, grouping=False)).rows]

    assert len({hit.story for hit in shown}) == len(shown)  # one hit per story
    assert [whole.index(hit.id) for hit in shown] == sorted(whole.index(hit.id) for hit in shown)
