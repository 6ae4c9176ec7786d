"""An answer from the cluster without the part such an answer always has is a 503 with one line, never a 500.

Seen in CI while a cluster manager was killed under load: ``msearch`` and ``count`` answered without
``responses`` and ``count``, and the search and ingest endpoints answered 500. The fault tests
(tests/service/test_opensearch_faults.py) meet it only when the timing falls so; this holds the rule
itself, through the same two functions every OpenSearch request goes through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.backends.opensearch.connection import answered, cluster_errors, part
from search.domain.errors import IndexUnavailable
from search.engine import EngineConfig


@pytest.mark.parametrize("answer", [{"error": "node closing", "status": 200}, {}, "", None])
def test_an_answer_without_its_part_says_the_cluster_cannot_serve_now(answer: object, tmp_path: Path) -> None:
    config = EngineConfig("opensearch", tmp_path / "ix", url="http://berita:rahasia@127.0.0.1:9200", index_name="berita")
    with pytest.raises(IndexUnavailable) as raised, cluster_errors(config):
        part(answer, "responses")
    said = str(raised.value)
    assert "cannot serve now" in said and "'responses'" in said and "rahasia" not in said and "\n" not in said


def test_a_whole_answer_gives_its_part() -> None:
    assert part({"count": 12}, "count") == 12


def test_a_search_whose_shard_context_went_away_says_part_of_the_index_is_unavailable(tmp_path: Path) -> None:
    """Seen in CI during a rolling restart: one search of a multi-search answered 404 "No search context found" (its
    shard's node stopped between the query and the fetch), and the search endpoint answered 500."""
    config = EngineConfig("opensearch", tmp_path / "ix", url="http://127.0.0.1:9200", index_name="berita")
    lost = {"status": 404, "error": {"type": "search_phase_execution_exception", "reason": "all shards failed",
                                     "root_cause": [{"type": "search_context_missing_exception", "reason": "No search context found for id [17712]"}]}}
    with pytest.raises(IndexUnavailable) as raised, cluster_errors(config):
        answered(lost)
    said = str(raised.value)
    assert "unavailable" in said and "\n" not in said


def test_a_missing_index_is_still_named_as_such(tmp_path: Path) -> None:
    config = EngineConfig("opensearch", tmp_path / "ix", url="http://127.0.0.1:9200", index_name="berita")
    with pytest.raises(IndexUnavailable) as raised, cluster_errors(config):
        answered({"status": 404, "error": {"type": "index_not_found_exception", "reason": "no such index [berita]"}})
    assert "no index 'berita'" in str(raised.value)
