"""``berita opensearch``: a real three-node cluster on loopback, each node its own JVM, that survives a killed node.

The cluster is the session's (``opensearch_cluster`` in tests/conftest.py), started through the
command line; these tests read it as a developer would (``status``) and as the machine sees it
(pids, listening sockets), then kill a node with SIGKILL and bring it back with ``start``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS, Backend, OpenSearchCluster, app_for, berita, cli_args, free_port
from web.cluster import SNAPSHOTS, alive

# The first test to use the cluster pays for it (a Maven build on a cold ~/.m2, three JVMs) within its own timeout.
CLUSTER_TIMEOUT = pytest.mark.timeout(900)
LOOPBACK = {"127.0.0.1", "::ffff:127.0.0.1"}


def get(url: str, method: str = "GET", body: object = None) -> Any:
    """The JSON answer of the cluster to one request."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def status_lines(cluster: OpenSearchCluster) -> list[str]:
    """What ``berita opensearch status`` prints, line by line (asserting it succeeded)."""
    shown = berita("opensearch", "status", "--dir", str(cluster.dir))
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.splitlines()


def listening(port: int) -> set[str]:
    """The addresses a socket listens on ``port`` at, from /proc/net/tcp and tcp6 (Linux)."""
    found: set[str] = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = b"".join(bytes.fromhex(address[i:i + 8])[::-1] for i in range(0, 2 * width, 8))
                text = socket.inet_ntop(socket.AF_INET if width == 4 else socket.AF_INET6, raw)
                found.add(text)
    return found


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_the_cluster_is_green_with_three_nodes(opensearch_cluster: OpenSearchCluster) -> None:
    lines = status_lines(opensearch_cluster)
    assert "health: green" in lines and "nodes: 3 of 3 in the cluster" in lines
    assert sum(line.startswith("node") and ": alive," in line for line in lines) == 3
    health = get(opensearch_cluster.url + "/_cluster/health")
    assert (health["status"], health["number_of_nodes"]) == ("green", 3)
    assert any(line.startswith("cluster:") and ": green, 3 nodes (3 with data)" in line for line in lines), lines
    assert any(line.startswith("shards:") and " 0 unassigned" in line for line in lines), lines
    assert sum(line.startswith("node node") and " free (" in line for line in lines) == 3  # each node's disk


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_each_node_is_its_own_jvm_listening_on_loopback_only(opensearch_cluster: OpenSearchCluster) -> None:
    nodes = opensearch_cluster.record()["nodes"]
    pids = {node["name"]: node["pid"] for node in nodes}
    assert len(set(pids.values())) == 3
    assert all(alive(node["pid"], opensearch_cluster.dir / node["name"]) for node in nodes)
    reported = list(get(opensearch_cluster.url + "/_nodes/process,http,transport")["nodes"].values())
    assert {node["name"]: node["process"]["id"] for node in reported} == pids  # each node says it is that JVM
    bound = {address.rsplit(":", 1)[0].strip("[]") for node in reported for layer in ("http", "transport")
             for address in node[layer]["bound_address"]}
    assert bound <= LOOPBACK
    for node in nodes:
        for port in (node["http_port"], node["transport_port"]):
            assert listening(port) and listening(port) <= LOOPBACK, port


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Poll ``condition`` until it is true, failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still not {what} after {seconds:g} s"
        time.sleep(0.5)


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_a_killed_node_comes_back_with_start_over_its_data(opensearch_cluster: OpenSearchCluster) -> None:
    url = opensearch_cluster.url
    get(url + "/killed-node-probe", "PUT", {"settings": {"number_of_shards": 1, "number_of_replicas": 2}})  # a copy on every node
    get(url + "/killed-node-probe/_doc/1?refresh=true", "PUT", {"judul": "banjir"})
    get(url + "/_cluster/health/killed-node-probe?wait_for_status=green&timeout=60s")
    before = {node["name"]: node["pid"] for node in opensearch_cluster.record()["nodes"]}
    victim = "node3"
    os.kill(before[victim], signal.SIGKILL)
    wait_for(lambda: not alive(before[victim], opensearch_cluster.dir / victim), "gone")
    wait_for(lambda: get(url + "/_cluster/health")["number_of_nodes"] == 2, "noticed by the cluster")
    assert any(line.startswith(f"{victim}: gone") for line in status_lines(opensearch_cluster))

    restarted = berita("opensearch", "start", "--dir", str(opensearch_cluster.dir))
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout.splitlines()[-1] == opensearch_cluster.urls
    after = {node["name"]: node["pid"] for node in opensearch_cluster.record()["nodes"]}
    assert after[victim] != before[victim] and {n: p for n, p in after.items() if n != victim} == {
        n: p for n, p in before.items() if n != victim}  # only the killed node was started again
    lines = status_lines(opensearch_cluster)
    assert "health: green" in lines and "nodes: 3 of 3 in the cluster" in lines
    assert get(url + "/killed-node-probe/_doc/1")["_source"] == {"judul": "banjir"}
    shards = get(url + "/_cat/shards/killed-node-probe?format=json&h=node,state")
    assert sorted((shard["node"], shard["state"]) for shard in shards) == [(f"node{k}", "STARTED") for k in (1, 2, 3)]
    get(url + "/killed-node-probe", "DELETE")


@pytest.mark.parametrize("case", ["missing parent", "port in use", "no cluster"])
def test_a_start_or_stop_that_cannot_work_says_why_in_one_line(tmp_path: Path, case: str) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", free_port()))
        held.listen()
        port = held.getsockname()[1]
        folder = tmp_path / ("missing" if case == "missing parent" else "") / "cluster"
        command = ["stop"] if case == "no cluster" else ["start", "--nodes", "1", "--port", str(port)]
        done = berita("opensearch", *command, "--dir", str(folder), timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert {"missing parent": f"{folder.parent} does not exist", "port in use": f"port {port} of 127.0.0.1 already in use",
            "no cluster": "no cluster is recorded"}[case] in done.stderr
    assert not folder.exists()  # refused before anything was made


@pytest.mark.slow
@CLUSTER_TIMEOUT
def test_a_snapshot_brings_back_a_deleted_index(opensearch_cluster: OpenSearchCluster, tmp_path: Path) -> None:
    """The backup docs/SCALING.md describes: snapshot the index behind the alias to the cluster's path.repo, lose the index,
    restore it, and the archive searches as before (the alias comes back with it)."""
    config = Backend("opensearch", opensearch_cluster.urls).build(tmp_path / "ix", SEEDS)
    url, repository = opensearch_cluster.url, f"{config.index_name}-cadangan"
    concrete = next(iter(get(f"{url}/_alias/{config.index_name}")))
    before = app_for(config).get("/api/search?q=netralitas").get_json()["total"]
    get(f"{url}/_snapshot/{repository}", "PUT", {"type": "fs", "settings": {"location": str(opensearch_cluster.dir / SNAPSHOTS / repository)}})
    try:
        taken = get(f"{url}/_snapshot/{repository}/satu?wait_for_completion=true", "PUT", {"indices": concrete})
        assert taken["snapshot"]["state"] == "SUCCESS" and taken["snapshot"]["shards"]["failed"] == 0
        get(f"{url}/{concrete}", "DELETE")
        assert app_for(config).get("/api/search?q=netralitas").status_code == 503  # lost: one clear line, not an empty answer
        get(f"{url}/_snapshot/{repository}/satu/_restore?wait_for_completion=true", "POST", {"indices": concrete})
        get(f"{url}/_cluster/health/{concrete}?wait_for_status=green&timeout=60s")
        assert app_for(config).get("/api/search?q=netralitas").get_json()["total"] == before == 5
        shown = berita("status", *cli_args(config))
        assert shown.returncode == 0 and f"-> {concrete}: green" in shown.stdout, shown.stdout
    finally:
        get(f"{url}/_snapshot/{repository}", "DELETE")
        get(f"{url}/{concrete}?ignore_unavailable=true", "DELETE")
