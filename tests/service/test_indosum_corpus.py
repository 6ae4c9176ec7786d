"""The whole IndoSum development corpus indexes and searches with filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import require_shared
from web.cli import main

pytestmark = pytest.mark.slow


def test_berita_index_takes_all_3463_articles(tmp_path: Path) -> None:
    corpus = require_shared("corpus/indosum/articles.jsonl")
    result = CliRunner().invoke(main, ["index", str(corpus), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "3463 added, 0 updated, 0 unchanged, 0 deleted, 0 failed" in result.output


def test_keyword_with_outlet_and_date_filters(indosum_index_dir: Path) -> None:
    args = ["search", "harga minyak", "--outlet", "cnnindonesia.com", "--from", "2017-01-01", "--to", "2017-06-30",
            "--limit", "100", "--json", "--index-dir", str(indosum_index_dir)]
    envelope = json.loads(CliRunner().invoke(main, args).output)
    assert envelope["total"] > 0
    for hit in envelope["hits"]:
        assert hit["outlet"] == "CNN Indonesia"
        assert "2017-01-01" <= hit["date"] <= "2017-06-30"
    outlets = {v["value"]: v["count"] for v in envelope["facets"]["outlet"]}
    assert outlets["cnnindonesia.com"] == envelope["total"]
    assert len(outlets) > 1  # the other outlets stay visible to switch to


def test_every_outlet_in_the_corpus_is_one_facet_value(indosum_index_dir: Path) -> None:
    envelope = json.loads(CliRunner().invoke(main, ["search", "", "--json", "--index-dir", str(indosum_index_dir)]).output)
    labels = {v["label"]: v["count"] for v in envelope["facets"]["outlet"]}
    assert labels["CNN Indonesia"] == 1239 and labels["kumparan"] == 511 and labels["ANTARA"] == 288
    assert sum(labels.values()) == envelope["total"] == 3468
