"""``berita migrate``: an embedded index moved to the cluster and back, every article kept, the counts equal.

The Whoosh index holds the seeds and the IndoSum sample from their files, plus an article
that came over the API (no file: indexing the folders again would lose it). After the
migration the cluster holds the same articles with the same stories, and indexing the same
folders into it finds every article unchanged.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from click.testing import CliRunner

from search.domain.article import API_ORIGIN, Article
from search.domain.request import SearchRequest
from search.engine import EngineConfig, open_engine
from search.extract import Extracted
from tests.conftest import INDOSUM_SAMPLE, SEEDS, Backend, index_into
from web.cli import main


def _migrate(source: EngineConfig, target: EngineConfig) -> tuple[int, str]:
    """``berita migrate`` from ``source`` to ``target`` (one Whoosh, one OpenSearch), as a user types it."""
    whoosh, cluster = (source, target) if source.name == "whoosh" else (target, source)
    result = CliRunner().invoke(main, ["migrate", "--engine", source.name, "--to", target.name, "--index-dir", str(whoosh.index_dir),
                                       "--opensearch-url", cluster.url, "--opensearch-index", cluster.index_name])
    return result.exit_code, result.output


def _stories(config: EngineConfig) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for hit in open_engine(config).export(SearchRequest(grouping=False)).rows:
        groups.setdefault(hit.story, set()).add(hit.id)
    return {frozenset(group) for group in groups.values() if len(group) > 1}


def test_an_embedded_index_moves_to_the_cluster_and_back_with_every_article(opensearch_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "arsip"
    archive.mkdir()
    shutil.copytree(SEEDS, archive / "seeds")
    shutil.copy(INDOSUM_SAMPLE, archive / "sample.jsonl")
    whoosh = Backend("whoosh").build(tmp_path / "whoosh", archive)
    posted = Article(id="kiriman-1", title="Pameran anggrek di Bogor", body="BOGOR - Pameran anggrek dibuka hari ini di Kebun Raya.")
    assert open_engine(whoosh).index([Extracted(posted, origin=API_ORIGIN)]).added == 1
    cluster = Backend("opensearch", opensearch_url).fresh(tmp_path / "cluster")

    count = open_engine(whoosh).count()
    assert count == 246
    code, output = _migrate(whoosh, cluster)
    assert code == 0, output
    assert f"{count} articles in {open_engine(whoosh).describe()}, {count} in {open_engine(cluster).describe()}" in output
    assert open_engine(cluster).article("kiriman-1") is not None
    assert _stories(cluster) == _stories(whoosh) and _stories(whoosh)
    again = index_into(cluster, archive)
    assert (again.added, again.updated, again.deleted, len(again.failed)) == (0, 0, 0, 0)  # the files' articles, found unchanged

    code, output = _migrate(cluster, whoosh)
    assert code == 1 and f"already holds {count} articles" in output  # never mixed into an index that has articles
    back = dataclasses.replace(whoosh, index_dir=tmp_path / "whoosh-again")
    code, output = _migrate(cluster, back)
    assert code == 0 and f"{count} in" in output, output
    assert open_engine(back).search(SearchRequest(q="anggrek")).total == 1
