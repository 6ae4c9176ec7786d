"""``berita opensearch start|stop|status``: a local OpenSearch cluster (:mod:`web.cluster`) at the terminal.

A failure is one line on stderr and exit 1 (click's ``Error: ...``), never a stack trace:
the commands are run by developers and by the tests' fixture, who both act on the message.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import click

from search.engine import DEFAULT_INDEX_NAME, EngineConfig
from web import cluster
from web.cli_status import show_status

DIR_OPTION = click.option("--dir", "directory", required=True, type=click.Path(file_okay=False, path_type=Path),
                          help="The cluster's folder: cluster.json, and nodeK/ per node with its data, logs and node.log.")


@contextlib.contextmanager
def _one_line_errors() -> Iterator[None]:
    """A ClusterError as click's one-line error (exit 1)."""
    try:
        yield
    except cluster.ClusterError as error:
        raise click.ClickException(str(error)) from None


@click.group("opensearch")
def opensearch_group() -> None:
    """A local OpenSearch cluster for development and tests: N nodes on 127.0.0.1, each its own JVM.

    Needs java (a JDK 17) and, for the first start or after opensearch/ changed, mvn.
    """


@opensearch_group.command("start")
@click.option("--nodes", type=click.IntRange(1, cluster.MAX_NODES),
              help="How many nodes, each its own JVM.  [default: 1 for a new cluster; a recorded one keeps its own]")
@DIR_OPTION
@click.option("--port", type=click.IntRange(1024, 65535),
              help=f"HTTP port of node1; nodeK listens on PORT+K-1, its transport on PORT+{cluster.TRANSPORT_OFFSET}+K-1.  "
                   f"[default: {cluster.DEFAULT_PORT}]")
@click.option("--heap", help=f"Java heap of each node (-Xms and -Xmx).  [default: {cluster.DEFAULT_HEAP}]")
@click.option("--timeout", default=180.0, show_default=True, type=click.FloatRange(1), help="Seconds to wait for green.")
def start_command(nodes: int | None, directory: Path, port: int | None, heap: str | None, timeout: float) -> None:
    """Start the cluster in --dir and wait until it is green (yellow will do for one node); print its URL last.

    A folder that already holds a cluster keeps its nodes, ports, heap and data: only the
    nodes whose process is gone are started again (after a crash, a kill or stop).
    """
    began = time.monotonic()
    with _one_line_errors():
        record = cluster.start(directory, nodes, port, heap, timeout, progress=click.echo)
    click.echo(f"{len(record.nodes)} node(s) of {record.name} ready after {time.monotonic() - began:.0f} s")
    click.echo(record.urls)


@opensearch_group.command("stop")
@DIR_OPTION
def stop_command(directory: Path) -> None:
    """Stop the cluster in --dir: SIGTERM each node, SIGKILL one still running 30 s later.

    Its record and data stay: start brings the same cluster back.
    """
    with _one_line_errors():
        stopped = cluster.stop(directory)
    click.echo(f"stopped {', '.join(stopped)}" if stopped else "no node was running")


@opensearch_group.command("status")
@DIR_OPTION
@click.option("--opensearch-index", "index_name", default=DEFAULT_INDEX_NAME, show_default=True, help="The index (an alias) whose figures to show.")
def status_command(directory: Path, index_name: str) -> None:
    """The cluster in --dir: its health, whether each node's process runs, then its shards, the index and each node's disk.

    Exits 1 when the cluster is red or cannot be reached (an index not made yet is no fault of the cluster's).
    """
    with _one_line_errors():
        state = cluster.status(directory)
    click.echo(f"url: {state.record.urls}")
    click.echo(f"health: {state.health}")
    click.echo(f"nodes: {state.nodes_in_cluster} of {len(state.record.nodes)} in the cluster")
    for node, running in zip(state.record.nodes, state.alive, strict=True):
        click.echo(f"{node.name}: {'alive' if running else 'gone'}, pid {node.pid}, http {node.http_port}, "
                   f"transport {node.transport_port}")
    details = show_status(EngineConfig("opensearch", url=state.record.urls, index_name=index_name))
    if details is None or state.health not in ("green", "yellow"):
        raise click.exceptions.Exit(1)
