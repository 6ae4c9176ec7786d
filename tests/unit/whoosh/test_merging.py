"""Merging: which small segments a commit merges, and one set of posting arrays for a run of segments."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.query import And, AndMaybe, Or, Phrase, Term

from search.backends.whoosh import merging, postings
from search.backends.whoosh.evaluation import IndexArrays, evaluate
from search.backends.whoosh.layout import compact, segment_of
from search.backends.whoosh.merging import MERGE_SMALL_AT, SMALL_SEGMENT_DOCS, merge_small_segments, merged
from search.backends.whoosh.postings import ARRAY_FIELDS, STREAM_FIELDS, FieldArrays, SegmentArrays, arrays_of
from search.backends.whoosh.storage import current_generation, open_index
from search.domain.request import SearchRequest
from search.engine import EngineConfig, open_engine
from tests.conftest import INDOSUM_SAMPLE, SEEDS, build_index
from tests.unit.whoosh.indexes import index_arrays, searcher_on, write_article


def segments(*doc_counts: int) -> list[W3Segment]:
    """Whoosh segments of these sizes, as a commit hands them to its merge policy."""
    codec = W3Codec()
    return [W3Segment(codec, "MAIN", doccount=count) for count in doc_counts]


def segment_sizes(index_dir: Path) -> dict[str, int]:
    """The index's segments: id -> articles (deleted ones included)."""
    with searcher_on(index_dir) as searcher:
        return {leaf.segment().segment_id(): leaf.doc_count_all() for leaf, _offset in searcher.reader().leaf_readers()}


# The merge policy


def test_size_classes_are_powers_of_ten() -> None:
    assert [merging._size_class(n) for n in (0, 1, 9, 10, 99, 100, 999, 1000)] == [0, 0, 0, 1, 1, 2, 2, 3]


def test_segments_of_a_thousand_articles_or_more_are_never_rewritten() -> None:
    big = segments(*([SMALL_SEGMENT_DOCS] * 12 + [25_000] * 3))

    assert merge_small_segments(None, big) == big  # no writer needed: nothing to merge


def test_fewer_than_ten_small_segments_of_a_class_are_left_as_they_are() -> None:
    few = segments(*([3] * (MERGE_SMALL_AT - 1) + [50] * (MERGE_SMALL_AT - 1) + [500] * (MERGE_SMALL_AT - 1) + [40_000]))

    assert merge_small_segments(None, few) == few


def test_ten_small_segments_of_different_classes_are_not_merged_together() -> None:
    mixed = segments(*([5] * 5 + [60] * 5))

    assert merge_small_segments(None, mixed) == mixed


def test_ten_small_segments_of_one_class_are_merged_at_the_next_commit_and_a_bigger_one_stays(tmp_path: Path) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    index_dir = tmp_path / "ix"
    build_index(index_dir, write_article(source, "awal.txt", "Artikel pertama tentang cuaca cerah di pesisir."))
    batch = [write_article(source, f"kelompok-{n}.txt", f"Laporan kelompok nomor {n} tentang panen padi.") for n in range(20)]
    assert build_index(index_dir, *batch).added == 20
    twenty = next(segment for segment, size in segment_sizes(index_dir).items() if size == 20)

    for n in range(MERGE_SMALL_AT - 1):  # the first article's segment and nine more: ten of the smallest class
        build_index(index_dir, write_article(source, f"satu-{n}.txt", f"Kabar tunggal nomor {n} tentang jembatan gantung."))
    assert sorted(segment_sizes(index_dir).values()) == [1] * MERGE_SMALL_AT + [20]

    build_index(index_dir, write_article(source, "pemicu.txt", "Kabar tunggal penutup tentang jembatan gantung."))

    sizes = segment_sizes(index_dir)
    assert sizes[twenty] == 20  # the bigger segment is not rewritten
    assert sorted(sizes.values()) == [MERGE_SMALL_AT + 1, 20]
    found = open_engine(EngineConfig("whoosh", index_dir)).search(SearchRequest(q="jembatan gantung", size=100))
    assert found.total == (MERGE_SMALL_AT - 1) + 1  # the nine single articles and the last, all still found


# One set of arrays for a run of segments


@pytest.fixture(scope="module")
def several_segments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of four segments of different sizes, written by four indexing runs."""
    root = tmp_path_factory.mktemp("merging")
    lines = INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    index_dir = root / "ix"
    assert build_index(index_dir, SEEDS).added == 5
    for number, (start, end) in enumerate([(0, 30), (30, 42), (42, 45)]):
        part = root / f"part-{number}.jsonl"
        part.write_text("".join(lines[start:end]), encoding="utf-8")
        assert build_index(index_dir, part).added == end - start
    assert len(segment_sizes(index_dir)) >= 4
    return index_dir


def per_segment(index_dir: Path) -> list[tuple[int, SegmentArrays]]:
    with searcher_on(index_dir) as searcher:
        return arrays_of(searcher.reader(), merged=False)


def term_texts(terms: np.ndarray) -> list[bytes]:
    return [bytes(t) for t in terms]


def written(plain: dict[str, dict[str, np.ndarray]]) -> SegmentArrays:
    """Merged plain arrays as searchers read them once written."""
    packed = compact(plain)
    return segment_of(lambda name, kind: packed[name][kind], len(plain["body_exact"]["stream_starts"]) - 1)


def postings_by_term(field: FieldArrays, offset: int) -> dict[bytes, list[tuple[int, float]]]:
    result = {}
    for index, term in enumerate(term_texts(field.terms)):
        docs, tfs = field.postings(index)
        result[term] = [(int(d) + offset, float(f)) for d, f in zip(docs, tfs, strict=True)]
    return result


def test_merged_terms_are_every_parts_terms_once_in_order(several_segments: Path) -> None:
    parts = per_segment(several_segments)

    result = merged([arrays for _offset, arrays in parts])

    for name in ARRAY_FIELDS:
        expected = sorted({term for _offset, arrays in parts for term in term_texts(arrays.fields[name].terms)})
        assert term_texts(result[name]["terms"]) == expected, name


def test_merged_postings_are_the_parts_postings_renumbered_one_after_another(several_segments: Path) -> None:
    parts = per_segment(several_segments)

    result = merged([arrays for _offset, arrays in parts])

    for name in ARRAY_FIELDS:
        expected: dict[bytes, list[tuple[int, float]]] = {}
        for offset, arrays in parts:
            for term, found in postings_by_term(arrays.fields[name], offset).items():
                expected.setdefault(term, []).extend(found)
        whole = written(result).fields[name]
        assert postings_by_term(whole, 0) == expected, name
        lengths = np.concatenate([arrays.fields[name].lengths for _offset, arrays in parts])
        assert whole.lengths.tolist() == lengths.tolist(), name


def test_merged_token_streams_read_the_same_words_with_the_same_stems(several_segments: Path) -> None:
    parts = per_segment(several_segments)

    result = merged([arrays for _offset, arrays in parts])

    for name, (_stored, stem_name) in STREAM_FIELDS.items():
        terms, stems, stem_terms = result[name]["terms"], result[name]["stems"], result[stem_name]["terms"]
        starts, stream = result[name]["stream_starts"], result[name]["stream"]
        document = 0
        for _offset, arrays in parts:
            field, part_stems = arrays.fields[name], arrays.fields[stem_name].terms
            assert field.stems is not None
            for local in range(arrays.doc_count):
                mine = field.tokens(local)
                theirs = stream[starts[document]:starts[document + 1]]
                assert [bytes(field.terms[t]) if t >= 0 else None for t in mine] == [bytes(terms[t]) if t >= 0 else None for t in theirs]
                assert [bytes(part_stems[field.stems[t]]) for t in mine if t >= 0] == [bytes(stem_terms[stems[t]]) for t in theirs if t >= 0]
                document += 1
        assert document == len(starts) - 1


QUERIES = [
    Term("body", "indonesia"),
    And([Term("body", "main"), Term("title", "indonesia")]),
    Or([Term("body_exact", "jakarta"), Term("title_exact", "timnas", boost=2.0)]),
    AndMaybe(And([Term("body", "presiden"), Term("body", "indonesia")]), Phrase("body", ["presiden", "indonesia"], slop=10, boost=3.0)),
    Phrase("body_exact", ["kata", "dia"]),
]


def answers(ix: IndexArrays) -> list[tuple[list[int], list[float]]]:
    return [(s.docs.tolist(), s.scores.tolist()) for s in (evaluate(ix, query) for query in QUERIES)]


def test_searches_over_merged_arrays_answer_as_over_each_segments_own(several_segments: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(several_segments, copy)

    merging.merge_segments(open_index(copy))

    separate, joined = index_arrays(several_segments), index_arrays(copy)
    assert len(separate.segments) >= 4 and len(joined.segments) == 1
    found = answers(separate)
    assert all(docs for docs, _scores in found)
    for (docs, scores), (merged_docs, merged_scores) in zip(found, answers(joined), strict=True):
        assert merged_docs == docs
        assert merged_scores == pytest.approx(scores)


def test_once_merged_the_segments_own_arrays_are_removed_and_searches_still_answer(several_segments: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(several_segments, copy)
    folder = current_generation(copy) / postings.FOLDER  # type: ignore[operator]
    own_before = [p for p in folder.iterdir() if not p.name.startswith(postings.MERGED_PREFIX)]

    merging.merge_segments(open_index(copy))

    assert len(own_before) >= 4
    assert [p.name for p in folder.iterdir()] == [p.name for p in folder.iterdir() if p.name.startswith(postings.MERGED_PREFIX)]
    assert answers(index_arrays(copy)) == answers(index_arrays(several_segments))


def test_small_segments_a_merged_set_covers_are_never_merged_away(tmp_path: Path) -> None:
    """Merging one away would stop the set applying, and its other segments' arrays (removed) be derived again."""
    source = tmp_path / "articles"
    source.mkdir()
    index_dir = tmp_path / "ix"
    for n in range(MERGE_SMALL_AT):
        build_index(index_dir, write_article(source, f"satu-{n}.txt", f"Kabar tunggal nomor {n} tentang jembatan gantung."))
    merging.merge_segments(open_index(index_dir))  # as after a bulk build: the ten small segments are one set
    covered = set(segment_sizes(index_dir))

    build_index(index_dir, write_article(source, "pemicu.txt", "Kabar tunggal penutup tentang jembatan gantung."))

    assert covered <= set(segment_sizes(index_dir))
    found = open_engine(EngineConfig("whoosh", index_dir)).search(SearchRequest(q="jembatan gantung", size=100))
    assert found.total == MERGE_SMALL_AT + 1


def test_a_merge_that_cannot_write_says_so_and_searches_still_answer(several_segments: Path, tmp_path: Path) -> None:
    """A merge is best effort, but never silent: a million-article build's once failed unseen (too many open files).

    Here the arrays' folder is a file (what a full or broken disk leaves): nothing can be written there.
    """
    copy = tmp_path / "ix"
    shutil.copytree(several_segments, copy)
    folder = current_generation(copy) / postings.FOLDER  # type: ignore[operator]
    shutil.rmtree(folder)
    folder.write_text("not a folder", encoding="utf-8")

    problem = merging.merge_segments(open_index(copy))

    assert problem is not None and "not merged" in problem
    assert answers(index_arrays(copy)) == answers(index_arrays(several_segments))  # each segment's own, derived again
