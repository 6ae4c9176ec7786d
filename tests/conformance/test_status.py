"""``berita status`` on every backend: how many articles the index holds and where, and exit 1 when there is none to serve."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from search.engine import EngineConfig
from tests.conftest import berita_index, cli_args
from web.cli import main


def _status(config: EngineConfig) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["status", *cli_args(config)])
    return result.exit_code, result.output


def test_status_counts_the_articles_of_the_index(archive: Path, fresh_engine: EngineConfig) -> None:
    assert berita_index(str(archive), *cli_args(fresh_engine))[0] == 0
    code, output = _status(fresh_engine)
    assert code == 0, output
    assert re.search(r"^articles: +5$", output, re.M), output
    assert re.search(r"^(disk|store): +[\d.,]+ MB", output, re.M), output  # what it takes, on disk or in the cluster


def test_status_of_an_index_not_made_yet_says_so_and_exits_1(fresh_engine: EngineConfig) -> None:
    code, output = _status(fresh_engine)
    assert code == 1 and "none yet" in output and "berita index" in output, output
