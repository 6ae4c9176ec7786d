"""A server lets go of the index pages it has read, and its answers never change for it.

Over a large archive each worker would otherwise come to hold most of the memory-mapped
index as its own memory (see :mod:`search.backends.whoosh.mapped`). Letting the pages go while other threads
read the same arrays must be invisible: the pages come back from the page cache unchanged.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from search.backends.whoosh import mapped as pages
from search.backends.whoosh.engine import WhooshEngine as Engine
from search.domain.request import SearchRequest

QUERIES = [
    "presiden", "harga minyak", '"piala dunia"', "bank OR saham", "jakarta -banjir", "judul:gempa",
    '"pertumbuhan ekonomi" indonesia', "pemerintah daerah", "sepak bola", "korupsi",
]


def _answers(engine: Engine, queries: list[str]) -> list[tuple[int, list[str], list[str], dict[str, int]]]:
    answers = []
    for text in queries:
        result = engine.search(SearchRequest(q=text))
        answers.append((result.total, [hit.id for hit in result.hits], [hit.snippet for hit in result.hits], result.counts["outlet"]))
    return answers


def test_letting_pages_go_under_concurrent_searches_changes_no_answer(indosum_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _answers(Engine(indosum_index_dir), QUERIES)
    assert sum(total for total, *_ in expected) > 1000  # the queries do read postings and token streams

    monkeypatch.setattr(pages, "BUDGET_BYTES", 0)  # every call, and every phrase batch, lets every page go
    engine = Engine(indosum_index_dir)
    with ThreadPoolExecutor(max_workers=4) as pool:
        rounds = list(pool.map(lambda shift: _answers(engine, QUERIES[shift:] + QUERIES[:shift]), range(8)))
    for shift, answers in enumerate(rounds):
        assert answers[len(QUERIES) - shift:] + answers[:len(QUERIES) - shift] == expected


def test_the_pages_read_are_let_go_once_over_budget(indosum_index_dir: Path) -> None:
    engine = Engine(indosum_index_dir)
    pages.release_over_budget(0)
    before = pages.file_pages_held()
    if before is None:
        pytest.skip("this system does not report a process's pages")
    for text in QUERIES:
        engine.search(SearchRequest(q=text))
    held = pages.file_pages_held()
    assert held is not None and held > before  # searching mapped index pages
    assert not pages.release_over_budget(held + 2**30)  # within budget: kept for the next search
    assert pages.release_over_budget(0)
    after = pages.file_pages_held()
    assert after is not None and after < held
