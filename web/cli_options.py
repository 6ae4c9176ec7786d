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
from search.engine import DEFAULT_ENGINE, DEFAULT_INDEX_DIR, ENGINES, EngineConfig
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


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--engine`` and ``--index-dir``; the command receives them as one ``engine`` (:class:`EngineConfig`)."""

    @functools.wraps(command)
    def with_engine(*args: Any, engine_name: str, index_dir: Path, **kwargs: Any) -> Any:
        return command(*args, engine=EngineConfig(engine_name, index_dir), **kwargs)

    return _engine_name_option(index_dir_option(with_engine))


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
