"""A local OpenSearch cluster for developers and tests: N nodes on loopback, each its own JVM.

``berita opensearch start|stop|status`` (:mod:`web.cli_opensearch`) is this module at the
terminal; nothing here prints. The nodes run the Maven project in ``opensearch/`` (the server's
jars from Maven Central and a main that loads the plugins from the classpath). A cluster lives in one
folder: ``cluster.json`` records its name, URL, heap and each node's pid and ports, and each
node has ``nodeK/`` for its data, logs and ``node.log``. So ``stop``, ``status`` and a second
``start`` find the cluster again, and that second ``start`` brings back only the nodes whose
process is gone, on the same ports over the same data: a node killed by a test rejoins as it was.
Building the Java side is :mod:`web.cluster_build`'s job.

Everything binds 127.0.0.1 only: the nodes run without the security plugin, so nothing but
this machine may reach them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from web.cluster_build import MAIN_CLASS, ClusterError, Progress, build, find_tool, quiet

RECORD = "cluster.json"
HOST = "127.0.0.1"
DEFAULT_PORT = 9200
DEFAULT_HEAP = "512m"
TRANSPORT_OFFSET = 100  # node K's transport port is its HTTP port plus this
MAX_NODES = TRANSPORT_OFFSET - 1  # more would run the HTTP ports into the transport ports
STOP_GRACE = 30.0  # seconds a node has to close its shards after SIGTERM, before SIGKILL
HEAP = re.compile(r"[1-9][0-9]*[kKmMgG]?")


@dataclass(frozen=True)
class NodeRecord:
    """One node as ``cluster.json`` keeps it; pid 0 is a node never started."""

    name: str
    pid: int
    http_port: int
    transport_port: int


@dataclass(frozen=True)
class ClusterRecord:
    """The cluster as ``cluster.json`` keeps it: what a later ``start``, ``stop`` or ``status`` needs."""

    name: str
    url: str
    heap: str
    nodes: tuple[NodeRecord, ...]

    @property
    def urls(self) -> str:
        """Every node's URL, comma-separated: what a client is given, so it reaches the cluster while any node is up."""
        return ",".join(f"http://{HOST}:{node.http_port}" for node in self.nodes)


@dataclass(frozen=True)
class ClusterStatus:
    """What ``status`` reports: the record, the health (``unreachable`` when no node answers) with how many nodes
    the cluster counts, and whether each recorded node's JVM runs (in the record's order)."""

    record: ClusterRecord
    health: str
    nodes_in_cluster: int
    alive: tuple[bool, ...]


def read_record(directory: Path) -> ClusterRecord | None:
    """The cluster recorded in ``directory``, or None when there is none."""
    path = directory / RECORD
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return ClusterRecord(data["name"], data["url"], data["heap"], tuple(NodeRecord(**node) for node in data["nodes"]))


def write_record(directory: Path, record: ClusterRecord) -> None:
    """Record the cluster, replacing the file whole so a reader never sees half of it."""
    path = directory / RECORD
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(asdict(record), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def alive(pid: int, home: Path) -> bool:
    """Whether ``pid`` is still the JVM of the node in ``home``.

    Not just "a process ``pid`` exists": pids are reused, and a killed node whose parent
    has exited may linger as a zombie nobody reaps; both would count as alive otherwise.
    Where there is no /proc, existence is all that can be asked.
    """
    if pid <= 0:
        return False
    if Path("/proc/self").exists():
        try:
            return f"\0path.home={home}\0".encode() in b"\0" + Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def port_in_use(port: int) -> bool:
    """Whether a server could not listen on ``port`` of 127.0.0.1 now.

    SO_REUSEADDR as the JVM sets it: connections still in TIME_WAIT after a node died do
    not keep it from listening again.
    """
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def _cluster_dir(directory: Path) -> Path:
    """``directory`` made absolute (the nodes' pids are told apart by it), refused when it cannot hold a cluster."""
    directory = directory.expanduser().resolve()
    if not directory.parent.is_dir():
        raise ClusterError(f"{directory.parent} does not exist: --dir must name a folder inside an existing one")
    if directory.exists() and not directory.is_dir():
        raise ClusterError(f"{directory} is a file, not a folder")
    return directory


def _new_record(directory: Path, nodes: int, port: int, heap: str) -> ClusterRecord:
    """The record of a cluster not started yet: names, ports, heap checked."""
    if not 1 <= nodes <= MAX_NODES:
        raise ClusterError(f"a cluster has 1 to {MAX_NODES} nodes, not {nodes}")
    if not 1024 <= port <= 65535 - TRANSPORT_OFFSET - nodes + 1:
        raise ClusterError(f"port {port} does not leave room for {nodes} HTTP and transport ports below 65536")
    if not HEAP.fullmatch(heap):
        raise ClusterError(f"heap {heap!r} is not a Java size such as 512m or 1g")
    name = "berita-" + re.sub(r"[^A-Za-z0-9_-]", "-", directory.name)
    members = tuple(NodeRecord(f"node{k + 1}", 0, port + k, port + TRANSPORT_OFFSET + k) for k in range(nodes))
    return ClusterRecord(name, f"http://{HOST}:{port}", heap, members)


def _check_same(directory: Path, record: ClusterRecord, nodes: int | None, port: int | None, heap: str | None) -> None:
    """Refuse a ``start`` that asks a recorded cluster to be another size, on other ports or with other heaps."""
    asked = (nodes, port, heap)
    has = (len(record.nodes), record.nodes[0].http_port, record.heap)
    if any(given is not None and given != kept for given, kept in zip(asked, has, strict=True)):
        raise ClusterError(f"{directory} holds a cluster of {has[0]} nodes from port {has[1]} with {has[2]} heaps: "
                           "leave those options out to start it again, or use another --dir")


SNAPSHOTS = "snapshots"  # the cluster folder's snapshot repository (path.repo)


def _node_settings(home: Path, record: ClusterRecord, node: NodeRecord) -> list[str]:
    """The ``key=value`` arguments BeritaNode turns into the node's settings."""
    settings: dict[str, object] = {
        "path.home": home, "path.data": home / "data", "path.logs": home / "logs",
        "cluster.name": record.name, "node.name": node.name, "network.host": HOST,
        "http.port": node.http_port, "transport.port": node.transport_port,
        # A developer's disk may be fuller than OpenSearch's watermarks allow; this cluster holds test data.
        "cluster.routing.allocation.disk.threshold_enabled": "false",
        # Where snapshots may be written (a repository of type fs), one folder every node of this machine shares.
        "path.repo": home.parent / SNAPSHOTS,
    }
    if len(record.nodes) == 1:
        settings["discovery.type"] = "single-node"
    else:
        settings["discovery.seed_hosts"] = ",".join(f"{HOST}:{other.transport_port}" for other in record.nodes)
        settings["cluster.initial_cluster_manager_nodes"] = ",".join(other.name for other in record.nodes)
    return [f"{key}={value}" for key, value in settings.items()]


def _spawn(directory: Path, record: ClusterRecord, node: NodeRecord, java: str, classpath: str) -> int:
    """Start one node's JVM detached from us (its own session: it outlives the command), output to its node.log; its pid."""
    home = directory / node.name
    for folder in ("config", "data", "logs"):  # path.home must hold a config folder, even an empty one
        (home / folder).mkdir(parents=True, exist_ok=True)
    command = [java, f"-Xms{record.heap}", f"-Xmx{record.heap}", "-cp", classpath, MAIN_CLASS, *_node_settings(home, record, node)]
    with (home / "node.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=home, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return process.pid


def _ask(record: ClusterRecord, path: str) -> object | None:
    """The JSON the first answering node gives for ``path``, or None when none answers."""
    for node in record.nodes:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{node.http_port}{path}", timeout=5) as answer:
                return json.load(answer)
        except (OSError, ValueError):
            continue
    return None


def _ready(record: ClusterRecord) -> tuple[bool, str]:
    """Whether the cluster is green (yellow will do for one node) with exactly the recorded JVMs as its nodes, and its state in words.

    The members are compared by pid: right after a node was killed the cluster may still
    report it, and the old answer must not pass for the restarted node's.
    """
    health = _ask(record, "/_cluster/health")
    if not isinstance(health, dict):
        return False, "no node answers"
    state = f"{health.get('status')} with {health.get('number_of_nodes')} of {len(record.nodes)} nodes"
    if health.get("status") not in (("green", "yellow") if len(record.nodes) == 1 else ("green",)):
        return False, state
    members = _ask(record, "/_cat/nodes?h=name,pid&format=json")
    found = {(m.get("name"), str(m.get("pid"))) for m in members} if isinstance(members, list) else set()
    return found == {(node.name, str(node.pid)) for node in record.nodes}, state


def _still_alive(pid: int, home: Path, looks: int = 3) -> bool:
    """:func:`alive`, asked again before a starting JVM is given up for gone.

    A process's command line reads empty for a moment while it executes a new program (the
    ``java`` launcher may run itself again as it starts), so one empty read is not an exit.
    """
    for look in range(looks):
        if alive(pid, home):
            return True
        if look < looks - 1:
            time.sleep(0.5)
    return False


def wait_until_ready(directory: Path, record: ClusterRecord, timeout: float) -> None:
    """Wait until :func:`_ready`; a ClusterError naming the node's log if a JVM exits first, or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        for node in record.nodes:
            if not _still_alive(node.pid, directory / node.name):
                raise ClusterError(f"{node.name} exited before the cluster was ready: see {directory / node.name / 'node.log'}")
        ready, state = _ready(record)
        if ready:
            return
        if time.monotonic() > deadline:
            raise ClusterError(f"the cluster was not ready after {timeout:g} s ({state}): see {directory}/node*/node.log")
        time.sleep(1)


def start(directory: Path, nodes: int | None = None, port: int | None = None, heap: str | None = None,
          timeout: float = 180.0, progress: Progress = quiet) -> ClusterRecord:
    """Start the cluster in ``directory`` (a new one of ``nodes`` nodes, 1 unless given) and wait until it is green.

    A cluster already recorded there keeps its size, ports, heap and data: only nodes whose
    JVM is gone are started again. If the cluster does not get ready, the JVMs this call
    started are stopped again, so a failed start leaves nothing running that it added.
    """
    directory = _cluster_dir(directory)
    record = read_record(directory)
    if record is None:
        record = _new_record(directory, nodes or 1, port or DEFAULT_PORT, heap or DEFAULT_HEAP)
    else:
        _check_same(directory, record, nodes, port, heap)
    gone = [node for node in record.nodes if not alive(node.pid, directory / node.name)]
    busy = [str(p) for node in gone for p in (node.http_port, node.transport_port) if port_in_use(p)]
    if busy:
        raise ClusterError(f"port {', '.join(busy)} of {HOST} already in use: choose another --port "
                           f"(HTTP ports count up from it, transport ports from it + {TRANSPORT_OFFSET})")
    started: list[NodeRecord] = []
    try:
        if gone:
            java = find_tool("java", "install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless)")
            classpath = build(progress=progress)
            directory.mkdir(exist_ok=True)
            for node in gone:
                started.append(replace(node, pid=_spawn(directory, record, node, java, classpath)))
                record = replace(record, nodes=tuple(started[-1] if n.name == node.name else n for n in record.nodes))
                write_record(directory, record)
                progress(f"started {node.name}: pid {started[-1].pid}, http {node.http_port}, transport {node.transport_port}")
        progress(f"waiting for {len(record.nodes)} node(s) to be green (at most {timeout:g} s)")
        wait_until_ready(directory, record, timeout)
    except BaseException:
        _terminate(directory, started, STOP_GRACE)
        raise
    return record


def _signal(nodes: list[NodeRecord], signum: int) -> None:
    """Send ``signum`` to each node's JVM, one already gone being no error."""
    for node in nodes:
        try:
            os.kill(node.pid, signum)
        except ProcessLookupError:
            pass


def _terminate(directory: Path, nodes: list[NodeRecord], grace: float) -> None:
    """SIGTERM the nodes (OpenSearch closes its shards cleanly), SIGKILL those still running after ``grace`` seconds."""
    running = [node for node in nodes if alive(node.pid, directory / node.name)]
    _signal(running, signal.SIGTERM)
    for signum, wait in ((signal.SIGKILL, grace), (None, 10.0)):
        deadline = time.monotonic() + wait
        while running and time.monotonic() < deadline:
            time.sleep(0.2)
            running = [node for node in running if alive(node.pid, directory / node.name)]
        if signum is not None:
            _signal(running, signum)


def _recorded(directory: Path) -> tuple[Path, ClusterRecord]:
    """``directory`` made absolute and the cluster recorded in it, or a ClusterError saying there is none."""
    directory = directory.expanduser().resolve()
    record = read_record(directory)
    if record is None:
        raise ClusterError(f"no cluster is recorded in {directory} (no {RECORD}): start one with berita opensearch start")
    return directory, record


def stop(directory: Path, grace: float = STOP_GRACE) -> list[str]:
    """Stop every running node of the cluster in ``directory``; the names of those that were running.

    The record and the data stay, so the next ``start`` brings the same cluster back.
    """
    directory, record = _recorded(directory)
    running = [node for node in record.nodes if alive(node.pid, directory / node.name)]
    _terminate(directory, running, grace)
    return [node.name for node in running]


def status(directory: Path) -> ClusterStatus:
    """The health of the cluster in ``directory``, how many nodes it counts, and whether each recorded JVM runs."""
    directory, record = _recorded(directory)
    answer = _ask(record, "/_cluster/health")
    health: dict[str, Any] = answer if isinstance(answer, dict) else {"status": "unreachable", "number_of_nodes": 0}
    running = tuple(alive(node.pid, directory / node.name) for node in record.nodes)
    return ClusterStatus(record, str(health["status"]), int(health["number_of_nodes"]), running)
