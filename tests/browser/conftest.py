"""The browser tests' servers: the search and article pages on every backend, the analyst pages on Whoosh.

``backend_server`` serves the same archive (the IndoSum corpus plus the seeds) on each backend of
:data:`tests.conftest.BACKENDS` in turn, so a test that takes it asserts the same user-visible
behaviour on both. A test that OpenSearch cannot pass yet carries ``@pytest.mark.opensearch_xfail(REASON)``:
on OpenSearch it is expected to fail, strictly (a pass fails the suite, so the mark is removed
the day the feature or the fix lands); on Whoosh it runs as usual.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, SEEDS, Backend, index_into, require_shared, running_server


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "opensearch_xfail(reason): a browser test expected to fail, strictly, on the OpenSearch server only")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        mark = item.get_closest_marker("opensearch_xfail")
        params = getattr(item, "callspec", None)
        if mark and params and params.params.get("backend_server") == "opensearch":
            item.add_marker(pytest.mark.xfail(reason=mark.args[0], strict=True))


@pytest.fixture(scope="session", params=BACKENDS)
def backend_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``berita serve`` over the IndoSum corpus plus the seeds on each backend in turn; its base URL.

    Whoosh is the session's ``server``; OpenSearch indexes the same files through the engine
    interface into a fresh index on the session's three-node cluster and serves it with
    ``--engine opensearch`` (given as its environment variables).
    """
    if request.param == "whoosh":
        yield request.getfixturevalue("server")
        return
    corpus = require_shared("corpus/indosum/articles.jsonl")
    config = Backend("opensearch", request.getfixturevalue("opensearch_url")).fresh(tmp_path_factory.mktemp("indosum-opensearch"))
    report = index_into(config, corpus, SEEDS)
    assert report.ok, report.failed[:3]
    env = {"BERITA_ENGINE": config.name, "BERITA_OPENSEARCH_URL": config.url, "BERITA_OPENSEARCH_INDEX": config.index_name}
    with running_server(config.index_dir, env=env) as base:
        yield base


@pytest.fixture()
def screenshot_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where a test keeps its pictures: ``BERITA_SCREENSHOT_DIR`` (the docs' pictures are retaken so) on Whoosh, the
    backend the docs show; the test's own folder on the others, so a retake does not depend on which backend ran last."""
    params = getattr(request.node, "callspec", None)
    on_whoosh = params is None or params.params.get("backend_server", "whoosh") == "whoosh"
    return Path(os.environ.get("BERITA_SCREENSHOT_DIR") or tmp_path) if on_whoosh else tmp_path
