"""Options the ``berita`` commands share: the engine and its index, and the search filters.

The filters become the same query parameters the page and the API take, read by the same
parser (:func:`web.params.parse_search_args`), so ``--outlet=-kompas.com`` means what
``outlet=-kompas.com`` means in a URL.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from search.domain.facets import PARAMETER_ORDER, Facet
from search.engine import DEFAULT_ENGINE, DEFAULT_INDEX_DIR, DEFAULT_INDEX_NAME, ENGINES, EngineConfig
from web.facet_labels import labels_of

CLI_QUERY_CHARS = 10_000  # a pasted paragraph is a fair query at the terminal

index_dir_option = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX_DIR,
    envvar="BERITA_INDEX_DIR",
    show_default=True,
    help="Index folder (or set BERITA_INDEX_DIR).",
)
_engine_name_option = click.option(
    "--engine",
    "engine_name",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    envvar="BERITA_ENGINE",
    show_default=True,
    help="Search backend (or set BERITA_ENGINE).",
)


_CLUSTER_OPTIONS = (
    click.option("--opensearch-url", "opensearch_url", default="", envvar="BERITA_OPENSEARCH_URL", metavar="URL",
                 help="OpenSearch cluster, with --engine opensearch: http(s)://[user:password@]host:9200, several comma-separated "
                      "(or set BERITA_OPENSEARCH_URL)."),
    click.option("--opensearch-index", "opensearch_index", default=DEFAULT_INDEX_NAME, envvar="BERITA_OPENSEARCH_INDEX",
                 show_default=True, help="The index (an alias) on the cluster (or set BERITA_OPENSEARCH_INDEX)."),
    click.option("--opensearch-ca-certs", "opensearch_ca_certs", default="", envvar="BERITA_OPENSEARCH_CA_CERTS", metavar="FILE",
                 help="CA bundle to verify the cluster's TLS certificate (or set BERITA_OPENSEARCH_CA_CERTS)."),
    click.option("--opensearch-no-verify", "opensearch_no_verify", is_flag=True, envvar="BERITA_OPENSEARCH_NO_VERIFY",
                 help="Do not verify the cluster's TLS certificate (a test cluster's own)."),
)


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--engine``, ``--index-dir`` and the cluster's options; the command receives them as one ``engine`` (:class:`EngineConfig`)."""

    @functools.wraps(command)
    def with_engine(*args: Any, engine_name: str, index_dir: Path, opensearch_url: str, opensearch_index: str,
                    opensearch_ca_certs: str, opensearch_no_verify: bool, **kwargs: Any) -> Any:
        config = EngineConfig(engine_name, index_dir, url=opensearch_url, index_name=opensearch_index,
                              ca_certs=opensearch_ca_certs, verify_certs=not opensearch_no_verify)
        return command(*args, engine=config, **kwargs)

    decorated = index_dir_option(with_engine)
    for option in reversed(_CLUSTER_OPTIONS):
        decorated = option(decorated)
    return _engine_name_option(decorated)


_FACET_KEY = "facet_"  # the keyword argument of a facet's option: facet_city


def _facet_option(facet: Facet) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--city NAME``: a facet's option, repeatable, named, described and keyed as its definition and labels say."""
    words = labels_of(facet)
    return click.option(f"--{facet.name}", _FACET_KEY + facet.name, multiple=True, metavar=words.metavar, help=words.help)


_FILTERS = (
    *(_facet_option(facet) for facet in PARAMETER_ORDER),
    click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Earliest date, YYYY-MM-DD."),
    click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Latest date, YYYY-MM-DD."),
)


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the search filters: an option per facet (``--outlet``, ``--city``, ``--date``…), then ``--from`` and ``--to``."""
    for option in reversed(_FILTERS):
        command = option(command)
    return command


def filter_params(options: dict[str, Any]) -> list[tuple[str, str]]:
    """The filters given on the command line (the keyword arguments :func:`filter_options` adds) as query parameters."""
    params = [(facet.name, value) for facet in PARAMETER_ORDER for value in options.pop(_FACET_KEY + facet.name)]
    for option, name in (("date_from", "from"), ("date_to", "to")):
        when: dt.datetime | None = options.pop(option)
        if when:
            params.append((name, when.date().isoformat()))
    return params
