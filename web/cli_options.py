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

from search.engine import DEFAULT_ENGINE, DEFAULT_INDEX_DIR, ENGINES, EngineConfig

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

_FILTERS = (
    click.option("--outlet", "outlets", multiple=True, metavar="KEY",
                 help="Only this outlet (repeat for any of several); --outlet=-KEY leaves it out (so for every filter)."),
    click.option("--group", "groups", multiple=True, metavar="KEY", help="Only outlets of this network, e.g. tribun-network."),
    click.option("--city", "cities", multiple=True, metavar="NAME", help="Only articles from this city (dateline), e.g. Jakarta."),
    click.option("--category", "categories", multiple=True, metavar="NAME", help="Only this rubrik, where records carry one."),
    click.option("--author", "authors", multiple=True, metavar="NAME", help="Only this author."),
    click.option("--date", "dates", multiple=True, metavar="YYYY[-MM]",
                 help="Only this year or month ('_none' for undated; -YYYY leaves a year out)."),
    click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Earliest date, YYYY-MM-DD."),
    click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Latest date, YYYY-MM-DD."),
)
_FILTER_PARAMS = (("outlets", "outlet"), ("groups", "group"), ("cities", "city"), ("categories", "category"),
                  ("authors", "author"), ("dates", "date"))


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the search filters (``--outlet``, ``--group``, ``--city``, ``--category``, ``--author``, ``--date``, ``--from``, ``--to``)."""
    for option in reversed(_FILTERS):
        command = option(command)
    return command


def filter_params(options: dict[str, Any]) -> list[tuple[str, str]]:
    """The filters given on the command line (the keyword arguments :func:`filter_options` adds) as query parameters."""
    params = [(name, value) for option, name in _FILTER_PARAMS for value in options.pop(option)]
    for option, name in (("date_from", "from"), ("date_to", "to")):
        when: dt.datetime | None = options.pop(option)
        if when:
            params.append((name, when.date().isoformat()))
    return params
