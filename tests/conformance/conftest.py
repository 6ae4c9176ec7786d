"""The conformance suite's fixtures: the same indexes, built on every backend of :data:`tests.conftest.BACKENDS`.

Every test in this folder says what any backend must do (totals, facets, filters, pages,
sorts, exports, feeds, analyst views, stories, writes); it reaches the index only through the
engine interface, the app and the CLI, so the next backend is judged by the same tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.engine import EngineConfig
from tests.conftest import BACKENDS, INDOSUM_SAMPLE, SEEDS, Backend, app_for, index_into


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    """Each backend in turn; OpenSearch on the session's three-node cluster."""
    if request.param == "opensearch":
        return Backend("opensearch", request.getfixturevalue("opensearch_url"))
    return Backend(request.param)


@pytest.fixture(scope="session")
def seed_engine(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    """The five bundled seeds."""
    config = backend.fresh(tmp_path_factory.mktemp(f"seed-{backend.name}"))
    report = index_into(config, SEEDS)
    assert report.added == 5 and report.ok
    return config


@pytest.fixture(scope="session")
def sample_engine(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    """Seeds plus 240 IndoSum articles: ten outlets, two years, many months."""
    config = backend.fresh(tmp_path_factory.mktemp(f"sample-{backend.name}"))
    report = index_into(config, SEEDS, INDOSUM_SAMPLE)
    assert report.added == 245 and report.ok
    return config


@pytest.fixture()
def seed_client(seed_engine: EngineConfig):
    return app_for(seed_engine)


@pytest.fixture()
def sample_client(sample_engine: EngineConfig):
    return app_for(sample_engine)


@pytest.fixture()
def fresh_engine(backend: Backend, tmp_path: Path) -> EngineConfig:
    """A new, empty index of the backend under test."""
    return backend.fresh(tmp_path / f"ix-{backend.name}")


# What a backend does not do yet, by test module or by test ("module::test"): those tests are
# expected to fail on it, strictly (a pass fails the suite, so the entry is removed the day the
# feature lands).
NOT_YET: dict[str, dict[str, str]] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        params = getattr(item, "callspec", None)
        name = params.params.get("backend") if params else None
        not_yet = NOT_YET.get(str(name), {})
        reason = not_yet.get(item.path.name) or not_yet.get(f"{item.path.name}::{getattr(item, 'originalname', item.name)}")
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
