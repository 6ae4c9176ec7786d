"""Writers of an index of the cluster: many incremental writers at once, a rebuild alone; lock documents with a heartbeat.

Incremental writes (``berita index``, ``watch``, ``POST /api/articles``) may run side by
side: each article is one document the cluster writes atomically, so two of them only race
on the same article, where the last write wins as it would one after the other. A rebuild
may not run beside any of them: it copies the old index into a new one and moves the alias,
so a post that lands in the old index after the copy would be lost. Hence two kinds of lock
on an alias, as a reader-writer lock: *shared* for incremental writes, *exclusive* for a
rebuild (and for creating the index, which two first writers must not both do).

Both are documents in the index :data:`LOCK_INDEX`:

* the exclusive lock is the document ``<alias>``, created with ``op_type=create``, which the
  cluster lets exactly one writer do;
* each shared holder creates a document of its own (``<alias>:shared:<random>``) and makes it
  visible to searches (``refresh``) *before* it reads whether ``<alias>`` exists, while the
  rebuild creates ``<alias>`` *before* it searches for shared holders. Whichever of the two
  steps comes second sees the other's document, so a rebuild and an incremental writer never
  both go on: the writer steps back and waits for the rebuild to end, the rebuild waits for
  the writers in progress to end (new ones wait behind it).

While it writes, a thread renews each holder's heartbeat every :data:`HEARTBEAT_S`; a lock
whose heartbeat is older than :data:`STALE_S` belongs to a writer that died (a killed
process, a lost machine) and is taken over, with the cluster's optimistic concurrency
control so two waiting writers cannot both take it. A writer that cannot get its lock
within its timeout gets :class:`~search.domain.errors.IndexBusy`, as on the Whoosh backend.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConflictError, NotFoundError

from search.domain.errors import IndexBusy

LOCK_INDEX = "berita-write-locks"
HEARTBEAT_S = 10.0
STALE_S = 60.0
_POLL_S = 0.25
_HOLDERS_MAX = 1000  # shared holders looked at once: far more writers than any archive runs at a time


@contextlib.contextmanager
def write_lock(client: OpenSearch, alias: str, timeout: float, *, exclusive: bool = True) -> Iterator[None]:
    """Hold a lock of ``alias`` for the block, exclusive or shared (see the module docstring); :class:`IndexBusy` after ``timeout`` seconds."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    deadline = time.monotonic() + timeout
    if exclusive:
        lock_id = alias
        _acquire_exclusive(client, alias, owner, deadline)
    else:
        lock_id = f"{alias}:shared:{uuid.uuid4().hex}"
        _acquire_shared(client, alias, lock_id, owner, deadline)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(client, lock_id, owner, stop), name="write-lock", daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()
        _release(client, lock_id)


def _release(client: OpenSearch, lock_id: str) -> None:
    with contextlib.suppress(Exception):  # an unreachable cluster: the lock goes stale and is taken over
        client.delete(index=LOCK_INDEX, id=lock_id, refresh="true")


def _stale(source: dict[str, Any]) -> bool:
    return time.time() - float(source.get("heartbeat", 0)) > STALE_S


def _take_over(client: OpenSearch, holder: dict[str, Any]) -> None:
    """Delete a dead writer's lock document, unless another waiter did first or its writer beat again."""
    with contextlib.suppress(ConflictError, NotFoundError):
        client.delete(index=LOCK_INDEX, id=holder["_id"], if_seq_no=holder["_seq_no"], if_primary_term=holder["_primary_term"], refresh="true")


def _busy(alias: str, who: str) -> IndexBusy:
    return IndexBusy(f"the index {alias!r} is being written by {who}; try again when it is done")


def _exclusive_holder(client: OpenSearch, alias: str) -> dict[str, Any] | None:
    """The rebuild's lock document of ``alias`` when a live writer holds it (a stale one is taken over)."""
    holder = client.get(index=LOCK_INDEX, id=alias, ignore=404)
    if not holder.get("found"):
        return None
    if _stale(holder["_source"]):
        _take_over(client, holder)
        return None
    return dict(holder)


def _acquire_exclusive(client: OpenSearch, alias: str, owner: str, deadline: float) -> None:
    while True:
        try:
            client.index(index=LOCK_INDEX, id=alias, op_type="create", refresh="true", body={"owner": owner, "heartbeat": time.time()})
            break
        except ConflictError:
            pass
        holder = _exclusive_holder(client, alias)
        if holder is None:
            continue
        if time.monotonic() >= deadline:
            raise _busy(alias, holder["_source"].get("owner", "another writer"))
        time.sleep(_POLL_S)
    while (writer := _shared_holder(client, alias)) is not None:  # the incremental writes in progress end first
        if time.monotonic() >= deadline:
            _release(client, alias)
            raise _busy(alias, writer)
        time.sleep(_POLL_S)


def _shared_holder(client: OpenSearch, alias: str) -> str | None:
    """The owner of a live shared lock of ``alias``, if any (stale ones are taken over)."""
    found = client.search(index=LOCK_INDEX, body={"query": {"term": {"shared_of.keyword": alias}}, "size": _HOLDERS_MAX,
                                                  "seq_no_primary_term": True}, ignore_unavailable=True)
    for holder in found["hits"]["hits"]:
        if _stale(holder["_source"]):
            _take_over(client, holder)
        else:
            return str(holder["_source"].get("owner", "another writer"))
    return None


def _acquire_shared(client: OpenSearch, alias: str, lock_id: str, owner: str, deadline: float) -> None:
    while True:
        client.index(index=LOCK_INDEX, id=lock_id, refresh="true", body={"owner": owner, "shared_of": alias, "heartbeat": time.time()})
        holder = _exclusive_holder(client, alias)
        if holder is None:
            return
        _release(client, lock_id)  # a rebuild runs or waits for the writers before it: step back behind it
        if time.monotonic() >= deadline:
            raise _busy(alias, holder["_source"].get("owner", "another writer"))
        time.sleep(_POLL_S)


def _heartbeat(client: OpenSearch, lock_id: str, owner: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_S):
        with contextlib.suppress(Exception):  # a missed beat is caught up by the next one
            client.update(index=LOCK_INDEX, id=lock_id, body={"doc": {"owner": owner, "heartbeat": time.time()}})
