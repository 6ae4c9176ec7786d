"""A cluster's health as an operator reads it: the cluster, the index, each node's shards and disk.

From ``_cluster/health``, ``_cat/indices`` and ``_cat/allocation`` (three cheap requests that
every OpenSearch 2.x answers, managed or not). Healthy means searches answer whole: a red
cluster or a missing index is not; yellow (a replica unassigned) still serves every article.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search.backends.opensearch.writing import concrete_index
from search.domain.result import IndexStatus


def _mb(value: Any) -> str:
    """A byte count as MB, or GB from ten thousand MB on."""
    size = int(value or 0) / 1e6
    return f"{size / 1e3:,.1f} GB" if size >= 10_000 else f"{size:,.1f} MB"


def cluster_status(client: OpenSearch, alias: str, where: str) -> IndexStatus:
    """The cluster's health, the alias's index (documents, shards, store) and every node's shards and disk."""
    health = client.cluster.health()
    lines: list[tuple[str, str]] = [
        ("cluster", f"{where}: {health['status']}, {health['number_of_nodes']} nodes ({health['number_of_data_nodes']} with data)"),
        ("shards", f"{health['active_primary_shards']} primaries and {health['active_shards'] - health['active_primary_shards']} replicas active, "
                   f"{health['relocating_shards']} relocating, {health['initializing_shards']} initializing, {health['unassigned_shards']} unassigned "
                   f"({float(health['active_shards_percent_as_number']):.0f} % active)"),
    ]
    name = concrete_index(client, alias)
    if name is None:
        lines.append(("index", f"{alias}: none yet (run `berita index`)"))
    else:
        row = client.cat.indices(index=name, format="json", bytes="b", h="health,pri,rep,docs.count,pri.store.size,store.size")[0]
        lines += [
            ("index", f"{alias} -> {name}: {row['health']}, {row['pri']} primary shards, {row['rep']} replica(s) each"),
            ("articles", f"{int(row['docs.count'] or 0):,}"),
            ("store", f"{_mb(row['pri.store.size'])} of primaries, {_mb(row['store.size'])} with replicas"),
        ]
    for node in sorted(client.cat.allocation(format="json", bytes="b"), key=lambda row: str(row.get("node"))):
        if node.get("node") == "UNASSIGNED":
            continue
        lines.append((f"node {node['node']}", f"{node['shards']} shards, indices {_mb(node['disk.indices'])}, disk {_mb(node['disk.used'])} used, "
                                              f"{_mb(node['disk.avail'])} free ({node['disk.percent']} %)"))
    return IndexStatus(health["status"] != "red" and name is not None, tuple(lines))
