"""``berita status``: the index's health and figures at the terminal, on either backend (and for ``berita opensearch status``).

Exit status 0 when the index can serve every article, 1 when it cannot (an unreachable or
red cluster, a missing index), so a monitoring script or a cron job can act on it.
"""

from __future__ import annotations

import click

from search.domain.errors import IndexUnavailable
from search.domain.result import IndexStatus
from search.engine import EngineConfig, open_engine
from web.cli_options import engine_options


def show_status(engine: EngineConfig) -> IndexStatus | None:
    """Print the index's status lines and return them; None, after one line on stderr, when the index cannot be reached."""
    try:
        status = open_engine(engine).status()
    except IndexUnavailable as error:
        click.echo(f"Error: {error}", err=True)
        return None
    width = max(len(label) for label, _ in status.lines)
    for label, value in status.lines:
        click.echo(f"{label + ':':<{width + 1}} {value}")
    return status


@click.command("status")
@engine_options
def status_command(engine: EngineConfig) -> None:
    """The index's health and figures: its articles and disk; on OpenSearch, the cluster's health, shards and each node's disk.

    Exits 1 when the index cannot serve every article (missing, or an unreachable or red cluster).
    """
    status = show_status(engine)
    if status is None or not status.healthy:
        raise click.exceptions.Exit(1)
