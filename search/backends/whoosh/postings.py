"""Posting arrays: what queries need from each Whoosh segment, derived once as flat numpy arrays kept beside it.

Whoosh answers a query by walking its posting lists posting by posting in Python; at
100,000 articles that was most of a search's time. A segment never changes once written
(deletions live in a separate mask), so what queries need from it is derived once and
kept: for each searchable field, its terms (sorted, for binary search) and per term the
document numbers and term frequencies; each document's field lengths as Whoosh's BM25F
sees them (its one-byte approximation); and for the exact-form fields, every document's
tokens in order as term indexes (a token's place is its Whoosh position: phrases,
proximity and snippets read them) with each form's stem. They are one file
(:mod:`search.backends.whoosh.arrayfile`) in a folder named after the segment and
:data:`ARRAYS_VERSION`, inside the generation, and are memory-mapped: every process and
thread shares one copy through the page cache.

Writers derive them (:mod:`search.backends.whoosh.derivation`) before the commit that names the segment
is written (:class:`ArraysFirstWriter`; bulk workers derive their own), so searchers find
them ready. A folder is written under a temporary name and renamed, so a reader never sees
half of one; writers remove the folders of segments merged away (:func:`remove_unused`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from search.backends.whoosh.arrayfile import read_arrays, write_arrays
from search.backends.whoosh.columns import ComputedOnce, SegmentCache, live_mask
from search.backends.whoosh.derivation import STREAM_FIELDS, derive
from search.backends.whoosh.layout import ARRAY_FIELDS, FIELDS, FieldArrays, SegmentArrays, compact, segment_of

__all__ = ["ARRAY_FIELDS", "FIELDS", "FieldArrays", "SegmentArrays"]  # the shapes, for the modules that read the arrays

# Bumped whenever what is written here changes; part of the folder name, so old arrays are
# never misread (they are derived again, and the old folders removed as unused).
ARRAYS_VERSION = "4"  # 3: lists packed; 4: a set's arrays in one mapped file (search.backends.whoosh.arrayfile)
FOLDER = "arrays"
MERGED_PREFIX = "merged-"
SEGMENTS_FILE = "segments"


def folder_name(segment_id: str) -> str:
    return f"{segment_id}.v{ARRAYS_VERSION}"


def segment_folder(generation: Path, segment_id: str) -> Path:
    """Where the arrays of segment ``segment_id`` of ``generation`` are kept."""
    return generation / FOLDER / folder_name(segment_id)


def generation_of(reader) -> Path:
    """The generation folder a segment reader reads from (a compound segment reads through an overlay of it)."""
    storage = reader._storage
    while not hasattr(storage, "folder"):
        storage = storage.b  # OverlayStorage(compound file, folder): writes, and our arrays, go to the folder
    return Path(storage.folder)


def load_or_build(reader) -> SegmentArrays:
    """The arrays of ``reader``'s segment: read from beside it, or derived and written there first.

    When they cannot be written (a full disk, a read-only folder, a writer sweeping at the
    same moment) they are used from memory this time and derived again by the next process.
    """
    folder = segment_folder(generation_of(reader), reader.segment().segment_id())
    if not (folder / "done").exists():
        written = compact(derive(reader))
        try:
            publish(folder, written.items())
        except OSError:
            return segment_of(lambda name, kind: written[name][kind], reader.doc_count_all())
    return _load(folder, reader.doc_count_all())


def publish_segment(generation: Path, segment_id: str, derived: dict[str, dict[str, np.ndarray]]) -> None:
    """Write a new segment's arrays (:func:`~search.backends.whoosh.derivation.derive_from`'s) beside it."""
    publish(segment_folder(generation, segment_id), compact(derived).items())


def _load(folder: Path, doc_count: int) -> SegmentArrays:
    array = read_arrays(folder)
    return segment_of(lambda name, kind: array(f"{name}.{kind}"), doc_count)


def publish(folder: Path, written: Iterable[tuple[str, dict[str, np.ndarray]]], *, segment_ids: list[str] | None = None) -> None:
    """Write the arrays (:func:`~search.backends.whoosh.layout.compact`'s, field by field) under a temporary name and rename it into place.

    A process racing us publishes the same.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.parent / f".tmp-{uuid.uuid4().hex}"
    temporary.mkdir()
    try:
        write_arrays(temporary, ((f"{name}.{kind}", array) for name, arrays in written for kind, array in arrays.items()))
        if segment_ids is not None:  # a merged set names the segments it covers, in order
            (temporary / SEGMENTS_FILE).write_text("\n".join(segment_ids), encoding="utf-8")
        (temporary / "done").write_text("", encoding="utf-8")
        try:
            os.rename(temporary, folder)
        except OSError:
            if not (folder / "done").exists():
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def publish_before_commit(storage, schema, segments: list[Any]) -> None:
    """Derive the arrays of every segment in ``segments`` that has none, before the commit naming them is written.

    Writers call this just ahead of writing their table of contents, so no searcher ever
    opens a commit whose arrays it would have to derive itself (which took seconds for a
    big segment, past a search's time budget). Best effort: a failure here leaves the
    derivation to whoever needs the arrays. A segment a merged set covers has none of its
    own (searchers read the set): it is not derived again.
    """
    folder = Path(storage.folder)
    covered = merged_segment_ids(folder)
    for segment in segments:
        if segment.segment_id() in covered:
            continue
        if segment.doc_count_all() and not (segment_folder(folder, segment.segment_id()) / "done").exists():
            with contextlib.suppress(OSError):
                segment_arrays.get(SegmentReader(storage, schema, segment))


class ArraysFirstWriter(SegmentWriter):
    """Whoosh's segment writer, deriving the new segments' posting arrays before it commits them."""

    def _commit_toc(self, segments: list[Any]) -> None:
        publish_before_commit(self.storage, self.schema, segments)
        super()._commit_toc(segments)


def prepare(ix) -> None:
    """Derive the arrays of every segment of index ``ix`` that has none, and remove unused ones.

    Writers call it after each commit (holding the write lock), so searchers find the arrays
    ready. Best effort: what cannot be written now (a full disk) is derived by the searcher
    that needs it, so this never fails a commit that succeeded.
    """
    try:
        toc = ix._read_toc()  # the commit's segments: a reader of every segment costs ~46 ms at a million articles
        publish_before_commit(ix.storage, toc.schema, toc.segments)
        remove_unused(Path(ix.storage.folder), {segment.segment_id() for segment in toc.segments})
    except OSError:
        pass


def arrays_of(reader, *, merged: bool = True) -> list[tuple[int, SegmentArrays]]:
    """The index's arrays, each with its first document number: a merged set for each run of
    segments that has one (:mod:`search.backends.whoosh.merging`), every other segment's own. An empty index has none.
    """
    leaves = [(leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None]
    runs = _merged_runs(generation_of(leaves[0][0])) if merged and leaves else {}
    ids = [leaf.segment().segment_id() for leaf, _offset in leaves]
    found: list[tuple[int, SegmentArrays]] = []
    at = 0
    while at < len(leaves):
        leaf, offset = leaves[at]
        longest_first = sorted(runs.get(ids[at], ()), key=lambda r: -len(r[0]))
        run = next((r for r in longest_first if tuple(ids[at:at + len(r[0])]) == r[0]), None)
        if run is None:
            found.append((offset, segment_arrays.get(leaf)))
            at += 1
        else:
            found.append((offset, _merged_arrays(run[1], sum(part.doc_count_all() for part, _ in leaves[at:at + len(run[0])]))))
            at += len(run[0])
    return found


def _merged_runs(generation: Path) -> dict[str, list[tuple[tuple[str, ...], Path]]]:
    """The merged sets in a generation, by their first segment: (the segments they cover, their folder)."""
    runs: dict[str, list[tuple[tuple[str, ...], Path]]] = {}
    folder = generation / FOLDER
    if not folder.is_dir():
        return runs
    for entry in folder.iterdir():
        if entry.name.startswith(MERGED_PREFIX) and entry.name.endswith(f".v{ARRAYS_VERSION}") and (entry / "done").exists():
            covered = tuple((entry / SEGMENTS_FILE).read_text(encoding="utf-8").split())
            if covered:
                runs.setdefault(covered[0], []).append((covered, entry))
    return runs


def merged_segment_ids(generation: Path) -> set[str]:
    """Every segment a merged set of ``generation`` covers."""
    return {segment for runs in _merged_runs(generation).values() for covered, _path in runs for segment in covered}


def _merged_arrays(folder: Path, doc_count: int) -> SegmentArrays:
    return _merged.get(folder, lambda: _load(folder, doc_count))


def stem_lookup(reader) -> Callable[[str], str | None]:
    """A form's stem as the index already holds it (``None`` for a form it has not seen): see ``analyzer.known_stems``."""
    segments = [arrays for _offset, arrays in arrays_of(reader)]

    def lookup(form: str) -> str | None:
        for arrays in segments:
            for exact_name, (_stored, stem_name) in STREAM_FIELDS.items():
                exact = arrays.fields[exact_name]
                index = exact.find(form)
                if index >= 0 and exact.stems is not None and exact.stems[index] >= 0:
                    return bytes(arrays.fields[stem_name].terms[exact.stems[index]]).decode("utf-8")
        return None

    return lookup


def live_postings(reader, name: str) -> Callable[[str], np.ndarray]:
    """A word's live documents in field ``name`` of ``reader``'s index (global numbers, ascending).

    The arrays and the deletion mask are read on the first lookup: a bulk build into an
    empty index never looks anything up.
    """
    state: dict[str, Any] = {}

    def docs_of(word: str) -> np.ndarray:
        if not state:
            state.update(segments=arrays_of(reader), live=live_mask(reader))
        parts = []
        for offset, arrays in state["segments"]:
            field = arrays.fields[name]
            parts.append(field.docs(field.find(word)) + offset)  # the documents only: their frequencies are never read
        found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return found[state["live"][found]]

    return docs_of


def remove_unused(generation: Path, segment_ids: set[str]) -> None:
    """Remove the arrays of segments no longer in the index or covered by a merged set, of old versions, and unfinished writes.

    A segment's own arrays are not kept beside a merged set that covers it: searchers read
    the set, and the copy doubled the arrays' disk. Open searchers keep reading their
    memory-mapped files after removal (POSIX), so this is safe while searches run; call it
    under the write lock, where no other writer publishes.
    """
    folder = generation / FOLDER
    if not folder.is_dir():
        return
    sets = [(covered, path) for runs in _merged_runs(generation).values() for covered, path in runs if set(covered) <= segment_ids]
    covered_ids = {segment for covered, _path in sets for segment in covered}
    keep = {folder_name(s) for s in segment_ids - covered_ids} | {path.name for _covered, path in sets}
    for entry in folder.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


# Merged sets opened in this process, by folder (a few at most: a new one replaces the old).
# Module-level like the segments' own: a merged set is written once and never changed.
_merged: ComputedOnce[Path, SegmentArrays] = ComputedOnce(16)
# Each segment's arrays, opened once per process (a segment never changes; ids are unique), so
# they stay at module level; what a whole commit joins from them lives on its Snapshot.
segment_arrays: SegmentCache[SegmentArrays] = SegmentCache(load_or_build)
