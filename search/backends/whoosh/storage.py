"""Where the index lives on disk: generations, an atomic pointer, versions and the write lock.

``index/`` holds one or more complete Whoosh indexes (``gen-000001/``, ``gen-000002/``…)
and a ``CURRENT`` file naming the live one. A rebuild fills a new generation beside the
live one and then replaces ``CURRENT`` atomically, so readers move from a whole old index
to a whole new one and never see a half-built state. Each generation records the schema
and analyzer version it was built with; an index of another version is refused with the
command that fixes it, never misread.

Writers (``berita index``, ``berita watch``, ``POST /api/articles``, rebuilds) take one
lock per index folder, an ``flock`` on ``index/write.lock``: the kernel releases it when a
writer dies, so a crashed writer never leaves a stale lock behind. A second writer waits
up to a timeout and then gets a message naming the holder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, clean_files

from search.backends.whoosh.schema import INDEX_VERSION, build_schema
from search.domain.errors import DiskFull, IndexBusy, IndexUnavailable
from search.engine import DEFAULT_LOCK_TIMEOUT_S

POINTER = "CURRENT"
VERSION_FILE = "berita.json"
LOCK_FILE = "write.lock"
_GENERATION = re.compile(r"^gen-(\d{6})$")
# Old generations are kept this long after their last write, for searchers that are opening
# one as it is retired (open searchers hold their files: see pin_segment_files). Any writer
# removes them after that, and the generations that killed or failed rebuilds left.
KEEP_OLD_GENERATIONS_S = 60.0


# The errors a full disk (or an exceeded quota) gives.
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


@contextlib.contextmanager
def disk_errors(index_dir: Path) -> Iterator[None]:
    """Turn "no space left" (or an exceeded quota) into :class:`DiskFull`, naming the disk and what is free."""
    try:
        yield
    except OSError as error:
        if error.errno not in NO_SPACE:
            raise
        try:
            free = f"{shutil.disk_usage(index_dir).free / 1e6:.1f} MB free"
        except OSError:
            free = "free space unknown"
        raise DiskFull(
            f"no space left on the disk that holds {index_dir} ({free}): the changes since the last commit were "
            f"dropped and the index is as it was; free some space and run again"
        ) from error


def remove_orphans(folder: Path) -> None:
    """Delete what an interrupted write left in a generation folder: segment files that the table
    of contents does not name, unfinished tables of contents and the writer's scratch folders.

    Whoosh removes such files only at its next successful commit, which a full disk prevents:
    without this they keep the disk full. Call it holding the write lock.
    """
    storage = FileStorage(str(folder))
    if not whoosh_index.exists(storage):
        return
    toc = TOC.read(storage, whoosh_index._DEF_INDEX_NAME)
    clean_files(storage, whoosh_index._DEF_INDEX_NAME, toc.generation, toc.segments)
    for path in folder.iterdir():
        if path.name.endswith(".tmp") or re.match(r"^_MAIN_\d+\.toc\.", path.name):  # scratch folders, unfinished TOCs
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or ``None`` when the index folder holds no index."""
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = index_dir / name
    return path if _GENERATION.match(name) and path.is_dir() else None


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` holds a live index (it may still be empty)."""
    generation = current_generation(index_dir)
    return generation is not None and whoosh_index.exists_in(str(generation))


def _legacy(index_dir: Path) -> bool:
    """An index written straight into the folder by version 1, before generations."""
    return whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path, *, create: bool = False) -> FileIndex:
    """Open the live generation; with ``create``, make a first one when there is none.

    ``create`` is for writers, who hold :func:`write_lock` already. Raises
    :class:`IndexUnavailable` when there is no index and ``create`` is false, or when the
    live index was built by another schema or analyzer version.
    """
    generation = current_generation(index_dir)
    if generation is None:
        if _legacy(index_dir):
            raise IndexUnavailable(_version_message(index_dir, _read_version(index_dir)))
        if not create:
            raise IndexUnavailable(f"no index in {index_dir}; run `berita index` first")
        generation = create_generation(index_dir)
        publish(index_dir, generation)
    found = _read_version(generation)
    if found != INDEX_VERSION:
        raise IndexUnavailable(_version_message(index_dir, found))
    return whoosh_index.open_dir(str(generation))


def _version_message(index_dir: Path, found: str | None) -> str:
    return (
        f"the index in {index_dir} was built by version {found or 'unknown'}, this program needs "
        f"{INDEX_VERSION}; run `berita index --rebuild --index-dir {index_dir}` (add the article folders to re-read them)"
    )


def _read_version(folder: Path) -> str | None:
    try:
        return str(json.loads((folder / VERSION_FILE).read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def create_generation(index_dir: Path, *, whoosh_complete: bool = False) -> Path:
    """A new, empty, versioned generation folder (not live until :func:`publish`).

    ``whoosh_complete``: see :func:`search.backends.whoosh.schema.build_schema` (the reference index of the equivalence tests).
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GENERATION.match(p.name))]
    folder = index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
    folder.mkdir()
    whoosh_index.create_in(str(folder), build_schema(whoosh_complete=whoosh_complete))
    (folder / VERSION_FILE).write_text(json.dumps({"version": INDEX_VERSION}) + "\n", encoding="utf-8")
    return folder


def publish(index_dir: Path, generation: Path) -> None:
    """Make ``generation`` the live index in one atomic step (write, fsync, rename)."""
    temporary = index_dir / f".{POINTER}.{os.getpid()}"
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / POINTER)
    _fsync_dir(index_dir)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def remove_stale_generations(index_dir: Path, *, older_than_s: float = KEEP_OLD_GENERATIONS_S) -> list[Path]:
    """Delete the generations nothing will read again: those newer than the live one (what a
    killed or failed rebuild left) and retired ones last written more than ``older_than_s`` ago.

    Call it holding the write lock: a rebuild in progress holds it too, so none is running.
    """
    live = current_generation(index_dir)
    removed = []
    for folder in index_dir.iterdir() if index_dir.is_dir() else ():
        if not _GENERATION.match(folder.name) or folder == live:
            continue
        unpublished = live is None or folder.name > live.name
        if unpublished or time.time() - folder.stat().st_mtime > older_than_s:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def write_lock(index_dir: Path, timeout: float = DEFAULT_LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the folder's write lock; wait up to ``timeout`` seconds, then raise :class:`IndexBusy`."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = path.read_text(encoding="utf-8", errors="replace").strip() or "another process"
                    raise IndexBusy(
                        f"the index in {index_dir} is being written by {holder}; waited {timeout:.0f} s, try again later"
                    ) from None
                time.sleep(0.1)
        with contextlib.suppress(OSError):  # who holds it is a courtesy; a full disk must not stop the lock
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}".encode(), 0)
        _held_locks.add(descriptor)
        try:
            yield
        finally:
            _held_locks.discard(descriptor)
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


# Lock descriptors this process holds. A forked child (the bulk indexer's workers) gets
# copies; an flock belongs to the open file, so a child outliving a killed parent would
# keep the index locked. Children close their copies at once (closing a copy never
# releases the parent's lock; only LOCK_UN or the last close does).
_held_locks: set[int] = set()


def _forget_locks_in_child() -> None:
    for descriptor in list(_held_locks):
        try:
            os.close(descriptor)
        except OSError:
            pass
    _held_locks.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


def _open_stored_file(leaf) -> None:
    """Open the segment's stored-fields file without reading it.

    Whoosh's reader of that file reads the offset and length of every document first (a
    million articles: 0.28 s, at every write, which opens a reader of every segment); the
    handle is put where Whoosh looks for it, so that reading waits for the first stored
    article this reader is asked for. Raises ``FileNotFoundError`` when the file is gone.
    """
    per_document = getattr(leaf, "_perdoc", None)
    files, open_file = getattr(per_document, "_colfiles", None), getattr(per_document, "_get_column_file", None)
    if not isinstance(files, dict) or open_file is None:
        leaf.stored_fields(0)  # another codec: read the first article
        return
    if "_stored" not in files:
        files["_stored"] = open_file("_stored")


def pin_segment_files(reader) -> None:
    """Open every segment file ``reader`` will read, so it reads one commit for as long as it lives.

    Whoosh opens a segment's stored-fields and field-length files only when first read. A
    commit that merges segments deletes their files, and a reader opened before it then
    finds them gone half-way through its work: an export stopped mid-stream, a search
    answered 500, a long indexing run failed after its first intermediate commit. Files held
    open stay readable after deletion, so opening them all at once makes the reader a true
    snapshot. Raises ``FileNotFoundError`` when a file is already gone (open a newer one).
    """
    scorable = list(reader.schema.scorable_names())
    for leaf, _offset in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        try:
            _open_stored_file(leaf)
            for name in scorable:
                leaf.doc_field_length(0, name)
        except TypeError as error:  # Whoosh reads a missing column file as None
            raise FileNotFoundError(f"a segment file went away while opening the index: {error}") from error
