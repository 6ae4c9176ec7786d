"""Shared fixtures: real indexes, built through the same path users take.

Indexes are built once per session into temporary folders from the bundled seeds and a
committed IndoSum sample (tests/data/README.md says where it comes from). The conformance
suite (``tests/conformance/``) runs against every backend in :data:`BACKENDS` through
:class:`Backend`; the rest of the suite uses the embedded Whoosh index directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from search.backends.whoosh.storage import create_generation, publish
from search.domain.article import Article
from search.domain.result import IndexReport
from search.engine import EngineConfig, open_engine
from search.extract import Extracted, read_paths
from web import create_app
from web.index_db import engine_settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
INDOSUM_SAMPLE = DATA / "indosum_sample.jsonl"
# The day the seed expectations were written; year-less dates resolve against it.
EXPECTATIONS_DAY = dt.date(2026, 11, 23)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Examples for each random-input test: thousands in CI, enough locally to catch the common cases fast.
RANDOM_CASES = 1500 if IN_CI else 150


def shared_dir() -> Path:
    """The shared data folder that sits beside the project checkout."""
    return Path(os.environ.get("BERITA_SHARED_DIR", ROOT.parent / "shared"))


def require_shared(relative: str) -> Path:
    """A file from the shared folder; skipped locally when absent, a failure in CI."""
    path = shared_dir() / relative
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing; CI must run with the shared folder beside the checkout")
        pytest.skip(f"{path} not present")
    return path


def create_complete_index(index_dir: Path) -> Path:
    """An empty index whose schema has Whoosh index everything itself, so Whoosh can answer every query (the reference)."""
    publish(index_dir, create_generation(index_dir, whoosh_complete=True))
    return index_dir


def build_index(index_dir: Path, *paths: Path, today: dt.date = EXPECTATIONS_DAY) -> IndexReport:
    """Index ``paths`` into the Whoosh index in ``index_dir`` exactly as ``berita index`` does, with a fixed day."""
    return index_into(EngineConfig("whoosh", index_dir), *paths, today=today)


def index_into(config: EngineConfig, *paths: Path, today: dt.date = EXPECTATIONS_DAY) -> IndexReport:
    """Index ``paths`` through the engine interface into the backend ``config`` names, with a fixed day."""
    folders = [path for path in paths if path.is_dir()]
    return open_engine(config).index(read_paths(list(paths), today=today), folders=folders)


# Names a backend may give its fields, for tests that type them as field operators (``x:date:y``):
# the article's fields, the facet columns, and the index's own. tests/backends/whoosh holds the
# Whoosh schema to this list, so a field added there cannot escape the query language's rules.
INDEX_FIELD_NAMES = (
    "id", "title", "title_exact", "body", "body_exact", "outlet", "outlet_key", "outlet_group", "outlet_facet", "group_facet",
    "city", "city_facet", "date", "month", "author", "author_facet", "editor", "category", "category_facet", "url", "source",
    "origin", "content_hash", "sketch", "story_terms", "story_links",
)

# The backends the conformance suite judges, each by the same tests.
BACKENDS = ("whoosh", "opensearch")


@dataclass(frozen=True)
class Backend:
    """One backend as the tests use it: fresh indexes, an app over one, the CLI's options for one."""

    name: str
    url: str = ""  # the session's cluster, for OpenSearch

    def fresh(self, folder: Path) -> EngineConfig:
        """A new, empty index of this backend: in ``folder`` (Whoosh), or an index named after it on the cluster (OpenSearch)."""
        if self.name == "opensearch":
            return EngineConfig(self.name, folder, url=self.url, index_name="t-" + hashlib.sha1(str(folder).encode()).hexdigest()[:16])
        return EngineConfig(self.name, folder)

    def build(self, folder: Path, *paths: Path, today: dt.date = EXPECTATIONS_DAY) -> EngineConfig:
        """A fresh index holding ``paths`` (asserting nothing failed is the caller's business)."""
        config = self.fresh(folder)
        index_into(config, *paths, today=today)
        return config


def app_for(config: EngineConfig, **settings: object):
    """A test client of the app over the index ``config`` names (``settings`` added to its configuration)."""
    return create_app({**engine_settings(config), "TESTING": True, **settings}).test_client()


def add_articles(config: EngineConfig, articles: Iterable[Article]) -> IndexReport:
    """Write ``articles`` as they are (no file behind them) through the engine interface: one commit."""
    return open_engine(config).index([Extracted(article) for article in articles])


def cli_args(config: EngineConfig) -> list[str]:
    """The ``berita`` options that name the index ``config`` names."""
    return ["--engine", config.name, "--index-dir", str(config.index_dir), "--opensearch-url", config.url,
            "--opensearch-index", config.index_name]


def berita_index(*args: str) -> tuple[int, str]:
    """``berita index ARGS`` as a user runs it: its exit code and what it printed."""
    from click.testing import CliRunner

    from web.cli import main

    result = CliRunner().invoke(main, ["index", *args])
    return result.exit_code, result.output


def indexed_ids(config: EngineConfig) -> set[str]:
    """The ids of every article the index holds (up to 100), as ``berita search --json`` lists them."""
    from click.testing import CliRunner

    from web.cli import main

    result = CliRunner().invoke(main, ["search", "", "--json", "--no-grouping", "--limit", "100", *cli_args(config)])
    return {hit["id"] for hit in json.loads(result.output)["hits"]}


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """A folder holding a copy of the seeds, to change under the index."""
    folder = tmp_path / "arsip"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="session")
def seeds_expected() -> dict[str, dict[str, object]]:
    data = json.loads((DATA / "seeds_expected.json").read_text(encoding="utf-8"))
    return {name: value for name, value in data.items() if not name.startswith("_")}


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("seed-index")
    report = build_index(index_dir, SEEDS)
    assert report.added == 5 and report.ok
    return index_dir


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds plus 240 IndoSum articles: ten outlets, two years, many months."""
    index_dir = tmp_path_factory.mktemp("sample-index")
    report = build_index(index_dir, SEEDS, INDOSUM_SAMPLE)
    assert report.added == 245 and report.ok
    return index_dir


@pytest.fixture()
def seed_client(seed_index_dir: Path):
    return create_app({"INDEX_DIR": str(seed_index_dir), "TESTING": True}).test_client()


@pytest.fixture()
def sample_client(sample_index_dir: Path):
    return create_app({"INDEX_DIR": str(sample_index_dir), "TESTING": True}).test_client()


INGEST_TOKEN = "rahasia-uji"
INGEST_AUTH = {"Authorization": f"Bearer {INGEST_TOKEN}"}


def ingest_client(backend: Backend, tmp_path: Path, **config: object):
    """A test client over a private index of the seeds on ``backend``, taking POSTs with :data:`INGEST_TOKEN`."""
    return app_for(backend.build(tmp_path / "ix", SEEDS), **{"INGEST_TOKEN": INGEST_TOKEN, **config})


@pytest.fixture(scope="session")
def indosum_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole IndoSum development corpus (3,463 articles) plus the seeds."""
    corpus = require_shared("corpus/indosum/articles.jsonl")
    index_dir = tmp_path_factory.mktemp("indosum-index")
    report = build_index(index_dir, corpus, SEEDS)
    assert report.ok, report.failed[:3]
    return index_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(index_dir: Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """``berita serve`` in a real process on a free loopback port (``env`` added to ours); yields its base URL."""
    port = free_port()
    log = (cwd or index_dir.parent) / f"serve-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "web", "serve", "--port", str(port), "--index-dir", str(index_dir)],
            cwd=cwd or ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server exited: {log.read_text()}")
                try:
                    urllib.request.urlopen(base + "/api/search?size=1", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"server did not start: {log.read_text()}") from None
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


# The browser tests (tests/test_browser*.py): Debian's Chromium driven by Playwright, over one server
# on the IndoSum index for the whole session.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium; skipped locally when it is not installed, a failure in CI (CI=true)."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("CI must install Debian's chromium for the browser tests")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium) - browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def server(indosum_index_dir: Path) -> Iterator[str]:
    """``berita serve`` over the IndoSum index (with the seeds); its base URL."""
    with running_server(indosum_index_dir) as base:
        yield base


def shown_number(text: str) -> int:
    """A count as the page writes it, the Indonesian way: ``1.218``."""
    return int(text.replace(".", ""))


def shown_total(page: object) -> int:
    """The number of matching articles the search page states."""
    return shown_number(page.locator("p.total strong").inner_text())  # type: ignore[attr-defined]


def keep_screenshot(page: object, name: str, fallback: Path, **options: object) -> Path:
    """Save a screenshot of ``page`` as ``name`` in ``BERITA_SCREENSHOT_DIR`` (the docs' pictures are retaken so), else in ``fallback``."""
    folder = Path(os.environ.get("BERITA_SCREENSHOT_DIR") or fallback)
    shot = folder / name
    page.screenshot(path=str(shot), **options)  # type: ignore[attr-defined]
    return shot


# A local OpenSearch cluster (web/cluster.py) for the tests that need one, started once per
# session through the command line as a developer starts it: three nodes, each its own JVM.
@dataclass(frozen=True)
class OpenSearchCluster:
    """A running cluster: its URL and the folder ``berita opensearch`` keeps it in (cluster.json, nodeK/)."""

    urls: str  # every node's URL, comma-separated, as ``start`` prints it
    dir: Path

    @property
    def url(self) -> str:
        """The first node's URL."""
        return self.urls.split(",")[0]

    def record(self) -> dict:
        """cluster.json as it stands: name, url, heap, and each node's name, pid, http and transport port."""
        return json.loads((self.dir / "cluster.json").read_text(encoding="utf-8"))


def berita(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """``berita ARGS`` in its own process, as a user runs it; its exit code and what it printed, each stream apart."""
    return subprocess.run([sys.executable, "-m", "web", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def free_base_port(nodes: int) -> int:
    """A port P where P..P+nodes-1 and their transport ports are free on loopback (below the ephemeral range)."""
    from web.cluster import TRANSPORT_OFFSET, port_in_use

    rng = random.Random()
    for _ in range(500):
        base = rng.randrange(20000, 32000)
        if not any(port_in_use(base + shift + k) for shift in (0, TRANSPORT_OFFSET) for k in range(nodes)):
            return base
    raise RuntimeError("no free range of ports for an OpenSearch cluster")


def node_logs(folder: Path, lines: int = 15) -> str:
    """The last lines of each node's log, for a failure's message."""
    return "\n".join(f"--- {log}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
                     for log in sorted(folder.glob("node*/node.log")))


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenSearchCluster]:
    """Three OpenSearch nodes on loopback (``berita opensearch start --nodes 3``), stopped at the session's end.

    Skipped locally without java and mvn, a failure in CI (.ci/run installs both).
    """
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        if IN_CI:
            pytest.fail(f"CI must install {' and '.join(missing)} (maven, openjdk-17-jdk-headless) for the OpenSearch cluster")
        pytest.skip(f"no {' and '.join(missing)} (apt-get install maven openjdk-17-jdk-headless) - OpenSearch cluster tests skipped")
    folder = tmp_path_factory.mktemp("opensearch") / "cluster"
    try:
        started = berita("opensearch", "start", "--nodes", "3", "--dir", str(folder), "--port", str(free_base_port(3)))
        assert started.returncode == 0, f"{started.stdout}{started.stderr}{node_logs(folder)}"
        yield OpenSearchCluster(started.stdout.splitlines()[-1], folder)
    finally:
        if (folder / "cluster.json").exists():
            berita("opensearch", "stop", "--dir", str(folder))


@pytest.fixture(scope="session")
def opensearch_url(opensearch_cluster: OpenSearchCluster) -> str:
    """The session's three-node OpenSearch cluster: every node's URL, comma-separated, as a client is given it."""
    return opensearch_cluster.urls


@contextlib.contextmanager
def running_threads(threads: list[threading.Thread], stop: threading.Event) -> Iterator[None]:
    """Start ``threads`` for the block; at its end (a failure too) set ``stop`` and wait for every one of them."""
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join()
