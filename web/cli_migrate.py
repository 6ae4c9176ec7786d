"""``berita migrate``: every article of one backend's index copied into an empty index of the other.

Indexing the same folders again would lose what came over the API (it has no file) and
what was indexed from files since moved; a migration reads the articles the source index
stores, each with the file it came from, so later runs of ``berita index`` over those
folders find them unchanged. It writes through the target's ordinary incremental writes
(stories linked again, as they are written) and ends by comparing the two counts.
"""

from __future__ import annotations

import dataclasses
import sys

import click

from search.domain.errors import IndexUnavailable
from search.engine import ENGINES, EngineConfig, open_engine
from web.cli_options import engine_options


@click.command("migrate")
@click.option("--to", "target_name", type=click.Choice(ENGINES), required=True, help="The backend to copy the articles into.")
@engine_options
def migrate_command(target_name: str, engine: EngineConfig) -> None:
    """Copy every article of the --engine index into an empty index of the --to backend, and compare the counts.

    Both indexes are named by the usual options: --index-dir for Whoosh, --opensearch-url and
    --opensearch-index for OpenSearch. For example, from the embedded index to a cluster:
    berita migrate --index-dir index --to opensearch --opensearch-url http://127.0.0.1:9200
    """
    if target_name == engine.name:
        raise click.UsageError(f"--to {target_name} is the backend the articles come from; choose the other one with --engine")
    source, target = open_engine(engine), open_engine(dataclasses.replace(engine, name=target_name))
    try:
        if not source.exists() or not source.count():
            raise click.ClickException(f"no articles to migrate in {source.describe()}")
        if target.exists() and target.count():
            raise click.ClickException(f"{target.describe()} already holds {target.count()} articles: migrate into an empty index")
        report = target.index(source.stored())
        expected, found = source.count(), target.count()
    except IndexUnavailable as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())
    for failure in report.failed:
        click.echo(f"  failed: {failure.source}: {failure.reason}", err=True)
    click.echo(f"{expected} articles in {source.describe()}, {found} in {target.describe()}")
    sys.exit(0 if report.ok and found == expected else 1)
