"""One set of posting arrays for many segments: the merge that keeps a query's per-segment work small.

A bulk build leaves two segments per 25,000 articles, and every query pays a little for
each segment it looks a word up in (nine at 100,000 articles, eighty at a million).
Merging Whoosh's segments would rewrite every posting in Python for minutes; merging
their arrays is a few numpy sorts. The merged set covers a run of consecutive segments
(the same document numbers, one after another) and serves a searcher whenever that run is
in its index; deletions stay in the live mask. When Whoosh merges one of the segments
away, the set no longer applies and the writer removes it (:func:`search.backends.whoosh.postings.remove_unused`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import SegmentReader

from search.backends.whoosh import postings
from search.backends.whoosh.layout import compact
from search.backends.whoosh.mapped import release_over_budget
from search.backends.whoosh.packing import PackedLists
from search.backends.whoosh.postings import ARRAY_FIELDS, FOLDER, STREAM_FIELDS, FieldArrays, SegmentArrays

# At most this many articles in one merged set: the merge holds a set's arrays in memory.
MAX_MERGED_DOCS = 250_000
# Whoosh merges segments by rewriting every posting in Python. Its default policy merges the
# smallest segments until their total passes a Fibonacci bound, which at about 25 bulk
# segments (300,000 articles) took in two dozen of them: a rewrite of 300,000 articles in
# one process, inside a commit (a build of a million articles stalled there). Only segments
# of fewer than SMALL_SEGMENT_DOCS articles are merged; bigger ones are never rewritten and
# keep their order, so the merged array sets that cover runs of them keep serving. Small
# ones merge by size class (under 10, 100, 1,000 articles), ten of a class at a time, so a
# merge rewrites about as many articles as the commits that gathered it wrote: merging every
# small segment at once rewrote hundreds of articles every tenth post (2.5 s under the
# write lock, while the posts behind it held the server's threads).
# A segment a merged set of arrays covers is never merged (the set would stop applying, and
# its other segments, whose own arrays are removed once merged, be derived again).
SMALL_SEGMENT_DOCS = 1_000
MERGE_SMALL_AT = 10


def _size_class(doc_count: int) -> int:
    """0 for fewer than 10 articles, 1 for fewer than 100, and so on."""
    return len(str(max(doc_count, 1))) - 1


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy (``commit(mergetype=...)``): the segments left as they are; see :data:`SMALL_SEGMENT_DOCS`."""
    classes: dict[int, list[Any]] = {}
    for segment in segments:
        if segment.doc_count_all() < SMALL_SEGMENT_DOCS:
            classes.setdefault(_size_class(segment.doc_count_all()), []).append(segment)
    if any(len(members) >= MERGE_SMALL_AT for members in classes.values()):
        covered = postings.merged_segment_ids(Path(writer.storage.folder))
        classes = {size: [s for s in members if s.segment_id() not in covered] for size, members in classes.items()}
    merged = {id(s) for members in classes.values() if len(members) >= MERGE_SMALL_AT for s in members}
    if not merged:
        return segments
    for segment in segments:
        if id(segment) in merged:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
    return [segment for segment in segments if id(segment) not in merged]


def merge_folder_name(segment_ids: list[str]) -> str:
    digest = hashlib.sha1(",".join(segment_ids).encode("ascii")).hexdigest()[:16]
    return f"{postings.MERGED_PREFIX}{digest}.v{postings.ARRAYS_VERSION}"


def merge_segments(ix) -> str | None:
    """Merge the arrays of the index's segments into sets of up to :data:`MAX_MERGED_DOCS` articles; what went wrong, if anything.

    Called by a writer (under the write lock) after a bulk build. Best effort, like every
    array write: when it cannot be written, searches use the per-segment arrays, and the
    writer's report says so (a million-article build's merge once failed unseen).
    """
    try:
        with ix.reader() as reader:
            leaves = [(leaf.segment().segment_id(), leaf.doc_count_all()) for leaf, _ in reader.leaf_readers() if leaf.segment() is not None]
            parts = dict(zip((s for s, _ in leaves), (a for _, a in postings.arrays_of(reader, merged=False)), strict=True))
            generation = Path(ix.storage.folder)
            for group in _groups(leaves):
                folder = generation / FOLDER / merge_folder_name(group)
                if len(group) > 1 and not (folder / "done").exists():
                    written = ((name, compact({name: plain})[name]) for name, plain in merged_fields([parts[s] for s in group]))
                    postings.publish(folder, written, segment_ids=group)
                release_over_budget()  # the segments read for one set are not read again
            postings.remove_unused(generation, {segment_id for segment_id, _count in leaves})
    except OSError as error:
        return f"the posting arrays were not merged ({error.strerror or error}): searches read each segment's own, more slowly"
    return None


def _groups(leaves: list[tuple[str, int]]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    size = 0
    for segment_id, count in leaves:
        if groups[-1] and size + count > MAX_MERGED_DOCS:
            groups.append([])
            size = 0
        groups[-1].append(segment_id)
        size += count
    return groups


def merged(parts: list[SegmentArrays]) -> dict[str, dict[str, np.ndarray]]:
    """The arrays of ``parts`` (consecutive segments) as one segment's, plain (see :func:`~search.backends.whoosh.layout.compact`)."""
    return dict(merged_fields(parts))


def merged_fields(parts: list[SegmentArrays]) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """:func:`merged`, one field at a time: a merge holds one field's arrays, not the whole set's (1.8 GB at 100,000 articles)."""
    offsets = np.cumsum([0] + [p.doc_count for p in parts])
    renumbered: dict[str, list[np.ndarray]] = {}
    merged_terms: dict[str, np.ndarray] = {}
    for name in ARRAY_FIELDS:  # every field's terms first: an exact field's stems point into its stem field's
        fields = [p.fields[name] for p in parts]
        width = max(f.terms.dtype.itemsize for f in fields)
        merged_terms[name], inverse = np.unique(np.concatenate([f.terms.astype(f"S{width}") for f in fields]), return_inverse=True)
        cuts = np.cumsum([0] + [len(f.terms) for f in fields])
        renumbered[name] = [inverse[cuts[i]:cuts[i + 1]].astype(np.int32) for i in range(len(fields))]
    for name in ARRAY_FIELDS:
        fields = [p.fields[name] for p in parts]
        terms = merged_terms[name]
        result = {"terms": terms, **_merged_postings(fields, renumbered[name], offsets, len(terms))}
        if name in STREAM_FIELDS:
            result.update(_merged_streams(fields, renumbered[name], renumbered[STREAM_FIELDS[name][1]], len(terms)))
        release_over_budget()  # a merge at a million articles reads gigabytes of mapped arrays once
        yield name, result


def _merged_streams(fields: list[FieldArrays], renumbered: list[np.ndarray], stem_renumbered: list[np.ndarray],
                    term_count: int) -> dict[str, np.ndarray]:
    """One exact-form field's token streams and stems over consecutive segments, renumbered."""
    streams, bounds, stems = [], [np.zeros(1, dtype=np.int64)], np.full(term_count, -1, dtype=np.int32)
    end = 0  # where the next segment's stream starts (a segment of no documents adds no bound, so count it here)
    for i, field in enumerate(fields):
        assert field.stream_starts is not None and field.stems is not None
        local, _starts = field.tokens_of(np.arange(len(field.stream_starts) - 1, dtype=np.int64))
        streams.append(np.where(local >= 0, renumbered[i][np.maximum(local, 0)], -1).astype(np.int32))
        starts = np.asarray(field.stream_starts)
        bounds.append(starts[1:] + end)
        end += int(starts[-1])
        known = np.asarray(field.stems) >= 0
        stems[renumbered[i][known]] = stem_renumbered[i][np.asarray(field.stems)[known]]
    return {"stream": np.concatenate(streams), "stream_starts": np.concatenate(bounds), "stems": stems}


def _merged_postings(fields: list[FieldArrays], renumbered: list[np.ndarray], offsets: np.ndarray,
                     term_count: int) -> dict[str, np.ndarray]:
    """One field's postings of consecutive segments, per merged term: segments in order, documents ascending.

    Each segment's postings are decoded and copied straight to their places in the merged
    arrays, so the merge holds the result and one segment's worth of postings (a sort of
    every posting at once held about six times the result: 6 GB for a set of 250,000 articles).
    """
    counts = [np.diff(f.starts) for f in fields]
    per_term = np.zeros(term_count, dtype=np.int64)
    for terms, count in zip(renumbered, counts, strict=True):
        per_term[terms] += count  # a segment's terms are distinct: no index repeats
    starts = np.zeros(term_count + 1, dtype=np.int64)
    np.cumsum(per_term, out=starts[1:])
    docs = np.empty(int(starts[-1]), dtype=np.int32)
    tfs = np.empty(int(starts[-1]), dtype=np.float32)
    cursor = starts[:-1].copy()  # where each merged term's next segment's postings go
    for field, terms, count, offset in zip(fields, renumbered, counts, offsets, strict=False):
        if not int(field.starts[-1]):
            continue
        field_docs, field_tfs = field.all_postings()
        places = np.repeat(cursor[terms] - field.starts[:-1], count) + np.arange(len(field_docs))
        docs[places] = field_docs + offset
        tfs[places] = field_tfs
        cursor[terms] += count
    found: dict[str, np.ndarray] = {"starts": starts, "docs": docs, "tfs": tfs}
    if all(f.positions is not None for f in fields):
        found.update(_merged_positions([f.positions for f in fields if f.positions is not None], renumbered, term_count))
    return found


def _merged_positions(parts: list[PackedLists], renumbered: list[np.ndarray], term_count: int) -> dict[str, np.ndarray]:
    """The positions of consecutive segments' postings, per merged term: each segment's as they are, one after another.

    Positions are counted from each document's start, so a segment's go over unchanged.
    """
    counts = [np.diff(part.bounds) for part in parts]
    per_term = np.zeros(term_count, dtype=np.int64)
    for terms, count in zip(renumbered, counts, strict=True):
        per_term[terms] += count
    starts = np.zeros(term_count + 1, dtype=np.int64)
    np.cumsum(per_term, out=starts[1:])
    steps = np.empty(int(starts[-1]), dtype=np.int64)
    cursor = starts[:-1].copy()
    for part, terms, count in zip(parts, renumbered, counts, strict=True):
        if not int(part.bounds[-1]):
            continue
        places = np.repeat(cursor[terms] - part.bounds[:-1], count) + np.arange(int(part.bounds[-1]))
        steps[places] = part.all()
        cursor[terms] += count
    return {"positions": steps, "position_starts": starts}
