"""One writer at a time on an index of the cluster: a lock document with a heartbeat.

Two writes at once would race (a rebuild copying the old index while a post lands in it
would lose the post when the alias moves), so every write run (``berita index``, ``watch``,
``POST /api/articles``, a rebuild) first creates the document ``<alias>`` in the index
:data:`LOCK_INDEX` with ``op_type=create``, which the cluster lets exactly one writer do, and
deletes it when done. While it writes, a thread renews the document's heartbeat every
:data:`HEARTBEAT_S`; a lock whose heartbeat is older than :data:`STALE_S` belongs to a writer
that died (a killed process, a lost machine) and is taken over, with the cluster's
optimistic concurrency control so two waiting writers cannot both take it. A writer that
cannot get the lock within its timeout gets :class:`~search.domain.errors.IndexBusy`, as on
the Whoosh backend.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConflictError, NotFoundError

from search.domain.errors import IndexBusy

LOCK_INDEX = "berita-write-locks"
HEARTBEAT_S = 10.0
STALE_S = 60.0
_POLL_S = 0.25


@contextlib.contextmanager
def write_lock(client: OpenSearch, alias: str, timeout: float) -> Iterator[None]:
    """Hold the write lock of ``alias`` for the block (see the module docstring); :class:`IndexBusy` after ``timeout`` seconds."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    _acquire(client, alias, owner, timeout)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(client, alias, owner, stop), name="write-lock", daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()
        with contextlib.suppress(Exception):  # an unreachable cluster: the lock goes stale and is taken over
            client.delete(index=LOCK_INDEX, id=alias, refresh="true")


def _acquire(client: OpenSearch, alias: str, owner: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.index(index=LOCK_INDEX, id=alias, op_type="create", refresh="true", body={"owner": owner, "heartbeat": time.time()})
            return
        except ConflictError:
            pass
        holder = client.get(index=LOCK_INDEX, id=alias, ignore=404)
        if holder.get("found") and time.time() - float(holder["_source"].get("heartbeat", 0)) > STALE_S:
            with contextlib.suppress(ConflictError, NotFoundError):  # another waiter took it over first
                client.delete(index=LOCK_INDEX, id=alias, if_seq_no=holder["_seq_no"], if_primary_term=holder["_primary_term"])
            continue
        if time.monotonic() >= deadline:
            who = holder.get("_source", {}).get("owner", "another writer") if holder.get("found") else "another writer"
            raise IndexBusy(f"the index {alias!r} is being written by {who}; try again when it is done")
        time.sleep(_POLL_S)


def _heartbeat(client: OpenSearch, alias: str, owner: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_S):
        with contextlib.suppress(Exception):  # a missed beat is caught up by the next one
            client.update(index=LOCK_INDEX, id=alias, body={"doc": {"owner": owner, "heartbeat": time.time()}})
