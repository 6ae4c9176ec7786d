"""The array engine answers exactly as Whoosh's own query evaluation does, on real indexes on disk.

A normal index does not ask Whoosh for the exact forms or positions (the arrays read them from
the stored text), so Whoosh alone could not answer phrases or weigh exact forms there. The
reference indexes here are built with the complete schema (``build_schema(whoosh_complete=True)``),
where Whoosh indexes everything; one test holds a normal index's arrays and answers to the
complete index's for the same articles, so what is verified here is what users search.

For random queries of ordinary words (drawn from the articles, common ones as often as
they occur) in every shape the query language has, the match set and total equal Whoosh's
and the top ten are in Whoosh's order wherever scores are not tied. The reference is
Whoosh's matchers with two corrections where Whoosh itself is wrong: its AndNot matcher
lets some articles that have the excluded word through (``usulan -di`` found two on
IndoSum), so an exclusion's reference is Whoosh's matches of the positive part less
Whoosh's matches of the excluded part; and its ``NOT word`` returned deleted articles, so
deleted articles are taken out of every reference.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.query import And, AndMaybe, AndNot, Not, Or, Phrase, Query

from bench.rankings import ranking_named
from search import parsing
from search.backends.whoosh import merging, postings
from search.backends.whoosh.derivation import exact_words
from search.backends.whoosh.evaluation import evaluate
from search.backends.whoosh.indexer import index_results
from search.backends.whoosh.layout import compact, segment_of
from search.backends.whoosh.parsing import parse_user_query
from search.backends.whoosh.schema import whoosh_complete
from search.backends.whoosh.searchers import SearcherCache
from search.backends.whoosh.snapshot import Snapshot
from search.backends.whoosh.storage import current_generation, open_index
from search.backends.whoosh.topk import ranked
from search.extract import read_paths
from search.querylang import prepare
from tests.conftest import IN_CI, INDOSUM_SAMPLE, RANDOM_CASES, SEEDS, build_index, create_complete_index, require_shared

SHAPES = [
    "{a}", "{a} {b}", "{a} {b} {c}", '"{a} {b}"', '"{a} {b} {c}"', "{a} OR {b}", "{a} -{b}", "{a} {b} -{c}",
    "NOT {a}", "{p}*", "{p}* {b}", "judul:{a}", 'judul:"{a} {b}" {c}', "{a} ({b} OR {c})", "{a} {b} {c} {d} {e}",
    "{a} -({b} OR {c})", "({a} -{b}) {c}",
]
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def deleted_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds and the IndoSum sample in several segments, a tenth of them then deleted by re-indexing without them."""
    index_dir = create_complete_index(tmp_path_factory.mktemp("equivalence"))
    source = tmp_path_factory.mktemp("equivalence-src")
    lines = INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines()
    for part in range(3):
        (source / f"part{part}.jsonl").write_text("\n".join(lines[part::3]) + "\n", encoding="utf-8")
        assert index_results(index_dir, read_paths([source / f"part{part}.jsonl"]), commit_every=40).ok
    (source / "part0.jsonl").write_text("\n".join(lines[0::3][::2]) + "\n", encoding="utf-8")  # half of part 0 goes
    assert index_results(index_dir, read_paths([source / "part0.jsonl"]), folders=[source]).ok
    assert build_index(index_dir, SEEDS).ok
    return index_dir


@pytest.fixture(scope="module")
def merged_index(deleted_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same index with its segments' arrays merged into one set (as after a bulk build)."""
    index_dir = tmp_path_factory.mktemp("equivalence-merged") / "ix"
    shutil.copytree(deleted_index, index_dir)
    merging.merge_segments(open_index(index_dir))
    return index_dir


def _empty(segment: postings.SegmentArrays) -> postings.SegmentArrays:
    """A segment of no documents with ``segment``'s fields: what a bulk build's worker that got no article writes."""
    def none_of(f: postings.FieldArrays) -> dict[str, np.ndarray]:
        plain = {"terms": f.terms[:0], "starts": np.zeros(1, dtype=np.int64), "docs": np.zeros(0, dtype=np.int32),
                 "tfs": np.zeros(0, dtype=np.float32)}
        if f.stream is not None:
            plain.update(stream=np.zeros(0, dtype=np.int32), stream_starts=np.zeros(1, dtype=np.int64), stems=np.zeros(0, dtype=np.int32))
        if f.positions is not None:
            plain.update(positions=np.zeros(0, dtype=np.int64), position_starts=np.zeros(1, dtype=np.int64))
        return plain
    written = compact({name: none_of(f) for name, f in segment.fields.items()})
    return segment_of(lambda name, kind: written[name][kind], 0)


def test_merging_skips_over_an_empty_segment(deleted_index: Path) -> None:
    """A build whose worker wrote an empty segment merges the others' arrays as if it were not there (it crashed the build)."""
    with open_index(deleted_index).reader() as reader:
        parts = [arrays for _, arrays in postings.arrays_of(reader, merged=False)]
    assert len(parts) >= 2
    with_empty, without = merging.merged([parts[0], _empty(parts[0]), *parts[1:]]), merging.merged(parts)
    assert with_empty.keys() == without.keys()
    for name, arrays in without.items():
        for key, value in arrays.items():
            assert np.array_equal(with_empty[name][key], value), (name, key)


def _vocabulary(searcher) -> list[str]:
    """Words as they occur in the articles: a common word is drawn as often as it is used."""
    words = []
    for docnum in range(0, searcher.doc_count_all(), 3):
        words += [w for w in exact_words(str(searcher.stored_fields(docnum).get("body") or ""))[:60] if w.isalpha()]
    return words


def reference_docs(searcher, query: Query) -> set[int]:
    """Whoosh's matches, with exclusions taken as set differences of Whoosh's matches (see the module docstring)."""
    if isinstance(query, AndNot):
        return reference_docs(searcher, query.a) - reference_docs(searcher, query.b)
    if isinstance(query, And) and not any(isinstance(q, Not) for q in query.subqueries):
        return set.intersection(*(reference_docs(searcher, q) for q in query.subqueries))
    if isinstance(query, Or) and any(isinstance(q, (AndNot, And, Or)) for q in query.subqueries):
        return set.union(*(reference_docs(searcher, q) for q in query.subqueries))
    if isinstance(query, AndMaybe):
        return reference_docs(searcher, query.a)
    return set(searcher.docs_for_query(query))


def assert_same_answers(snapshot: Snapshot, text: str) -> None:
    searcher, ix = snapshot.searcher, snapshot.arrays
    for require_all in (True, False):
        query = parse_user_query(text, snapshot, require_all=require_all)
        reader = searcher.reader()
        expected = {d for d in reference_docs(searcher, query) if not reader.is_deleted(d)}
        scored = evaluate(ix, query)
        assert sorted(expected) == scored.docs.tolist(), (text, require_all, repr(query))
        reference = sorted(((h.score, h.docnum) for h in searcher.search(query, limit=None) if h.docnum in expected), key=lambda p: (-p[0], p[1]))
        docs, scores = ranked(ix, scored, 10)
        top = reference[:10]
        assert len(docs) == len(top)
        assert np.allclose(scores, [s for s, _ in top], rtol=TOLERANCE, atol=TOLERANCE), (text, require_all)
        for place, (score, docnum) in enumerate(top):
            tied = [d for s, d in reference if abs(s - score) <= TOLERANCE * max(1.0, abs(score))]
            assert docnum == docs[place] or (len(tied) > 1 and docs[place] in tied), (text, require_all, place)


def _queries(words: list[str]):
    def fill(shape: str, picks: list[int], adjacent: bool, start: int) -> str:
        chosen = words[start:start + 5] if adjacent else [words[i % len(words)] for i in picks]
        a, b, c, d, e = chosen
        return prepare(shape.format(a=a, b=b, c=c, d=d, e=e, p=a[:4])).text

    return st.builds(fill, st.sampled_from(SHAPES), st.lists(st.integers(0, 10**9), min_size=5, max_size=5),
                     st.booleans(), st.integers(0, max(0, len(words) - 6)))


@pytest.mark.parametrize("arrays", ["per segment", "merged"])
def test_random_queries_match_score_and_rank_as_whoosh_does(arrays: str, deleted_index: Path, merged_index: Path) -> None:
    index_dir = merged_index if arrays == "merged" else deleted_index
    with open_index(index_dir).searcher() as searcher:
        assert searcher.reader().has_deletions() and len(searcher.reader().leaf_readers()) > 1
        snapshot = Snapshot(searcher)
        sets = len(snapshot.arrays.segments)
        assert sets == 1 if arrays == "merged" else sets > 1
        words = _vocabulary(searcher)

        @settings(max_examples=RANDOM_CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
        @given(_queries(words))
        def check(text: str) -> None:
            if text:
                assert_same_answers(snapshot, text)

        check()


@pytest.mark.slow
def test_random_queries_on_the_whole_indosum_corpus_answer_as_whoosh_does(tmp_path: Path) -> None:
    rng = random.Random(14)
    index_dir = create_complete_index(tmp_path / "ix")
    assert build_index(index_dir, require_shared("corpus/indosum/articles.jsonl"), SEEDS).ok
    with open_index(index_dir).searcher() as searcher:
        words, snapshot = _vocabulary(searcher), Snapshot(searcher)
        for _ in range(400 if IN_CI else 60):
            a, b, c, d, e = (rng.choice(words) for _ in range(5))
            assert_same_answers(snapshot, prepare(rng.choice(SHAPES).format(a=a, b=b, c=c, d=d, e=e, p=a[:4])).text)


def _decoded(field: postings.FieldArrays) -> dict[str, np.ndarray]:
    """A field's arrays with its lists decoded: what two indexes of the same articles must hold alike."""
    docs, tfs = field.all_postings()
    found = {"terms": field.terms, "starts": field.starts, "docs": docs, "tfs": tfs, "lengths": field.lengths}
    if field.stream_starts is not None and field.stems is not None:
        found.update(stream=field.tokens_of(np.arange(len(field.stream_starts) - 1))[0], stream_starts=field.stream_starts, stems=field.stems)
    if field.positions is not None:
        found.update(positions=field.positions.all(), position_starts=field.positions.bounds)
    return found


def test_a_normal_index_holds_the_same_arrays_and_answers_as_the_complete_reference(deleted_index: Path, tmp_path: Path) -> None:
    """Articles indexed normally (Whoosh without exact forms or positions) give the arrays the reference gives."""
    normal = tmp_path / "normal"
    with open_index(deleted_index).searcher() as searcher:
        articles = [dict(searcher.stored_fields(n)) for n in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(n)]
    lines = [json.dumps({"id": a["id"], "title": a.get("title") or "", "text": a["body"]}) for a in articles]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    complete = create_complete_index(tmp_path / "complete")
    for index_dir in (normal, complete):
        assert index_results(index_dir, read_paths([tmp_path / "a.jsonl"]), commit_every=97).ok
    assert not whoosh_complete(open_index(normal).schema) and whoosh_complete(open_index(complete).schema)
    with open_index(normal).searcher() as lean, open_index(complete).searcher() as full:
        snapshots = (Snapshot(lean), Snapshot(full))
        for (_, normal_set), (_, reference_set) in zip(snapshots[0].arrays.segments, snapshots[1].arrays.segments, strict=True):
            for name in postings.ARRAY_FIELDS:
                mine, reference = _decoded(normal_set.fields[name]), _decoded(reference_set.fields[name])
                for part, value in reference.items():
                    assert np.array_equal(mine[part], value), (name, part)
        words = _vocabulary(full)
        rng = random.Random(3)
        for _ in range(100):
            a, b, c, d, e = (rng.choice(words) for _ in range(5))
            text = prepare(rng.choice(SHAPES).format(a=a, b=b, c=c, d=d, e=e, p=a[:4])).text
            answers = [ranked(s.arrays, evaluate(s.arrays, parse_user_query(text, s)), 10) for s in snapshots]
            assert answers[0][0].tolist() == answers[1][0].tolist() and np.allclose(answers[0][1], answers[1][1]), text


def test_an_excluded_word_never_appears_in_the_hits(sample_index_dir: Path) -> None:
    """Whoosh's own AndNot let articles with the excluded word through; the engine never does."""
    with open_index(sample_index_dir).searcher() as searcher:
        snapshot = Snapshot(searcher)
        ix = snapshot.arrays
        for excluded in ("di", "dan", "yang", "ke", "untuk"):
            for word in ("presiden", "harga", "polisi", "warga"):
                scored = evaluate(ix, parse_user_query(f"{word} -{excluded}", snapshot))
                for docnum in scored.docs.tolist():
                    stored = searcher.stored_fields(docnum)
                    assert excluded not in exact_words(f"{stored.get('title') or ''} {stored.get('body') or ''}")


def test_posting_arrays_hold_exactly_whoosh_postings(deleted_index: Path) -> None:
    with open_index(deleted_index).searcher() as searcher:
        for leaf, _offset in searcher.reader().leaf_readers():
            arrays = postings.segment_arrays.get(leaf)
            for name in postings.ARRAY_FIELDS:
                field = arrays.fields[name]
                terms = [t.decode("utf-8") for t in field.terms.tolist()]
                assert terms == [t.decode("utf-8") for t in leaf.lexicon(name)]
                for index, term in enumerate(terms):
                    matcher = leaf._terms.matcher(name, term.encode("utf-8"), leaf.schema[name].format)
                    ids, weights = [], []
                    while matcher.is_active():
                        ids.append(matcher.id())
                        weights.append(matcher.weight())
                        matcher.next()
                    docs, tfs = field.postings(index)
                    assert (ids, weights) == (docs.tolist(), tfs.tolist()), (name, term)


def test_arrays_are_kept_beside_their_segments_and_go_with_them(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    assert build_index(index_dir, SEEDS).ok
    generation = current_generation(index_dir)
    assert generation is not None
    with open_index(index_dir).searcher() as searcher:
        ids = {leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()}
    kept = {p.name for p in (generation / postings.FOLDER).iterdir()}
    assert kept == {postings.folder_name(s) for s in ids}  # written by the writer, before any search
    assert build_index(index_dir, INDOSUM_SAMPLE).ok  # a new segment; Whoosh may merge the old one away
    with open_index(index_dir).searcher() as searcher:
        ids = {leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()}
    assert {p.name for p in (generation / postings.FOLDER).iterdir()} == {postings.folder_name(s) for s in ids}


def test_missing_or_half_written_arrays_are_derived_again(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    assert build_index(index_dir, SEEDS).ok
    generation = current_generation(index_dir)
    assert generation is not None
    shutil.rmtree(generation / postings.FOLDER)
    (generation / postings.FOLDER).mkdir()
    (generation / postings.FOLDER / ".tmp-crashed").mkdir()  # a writer killed half-way
    postings.segment_arrays.clear()  # this process derived them while writing
    snapshot = Snapshot(SearcherCache(index_dir).get())
    query = parse_user_query("netralitas", snapshot)
    assert len(evaluate(snapshot.arrays, query).docs) > 0
    assert any(p.name.endswith(f".v{postings.ARRAYS_VERSION}") for p in (generation / postings.FOLDER).iterdir())


def _words_and_phrases(rng: random.Random, words: list[str]) -> str:
    """A few words, some of them quoted together (a phrase, or one quoted word), sometimes a quote glued on."""
    pieces = [rng.choice(words) for _ in range(rng.choice([1, 2, 3, 5]))]
    if rng.random() < 0.5:
        start = rng.randrange(len(pieces))
        stop = rng.randrange(start, len(pieces)) + 1
        pieces[start] = '"' + pieces[start]
        pieces[stop - 1] += '"'
    text = " ".join(pieces)
    return text.replace('" ', '"', 1) if rng.random() < 0.05 else text


def test_plain_words_are_read_exactly_as_the_query_parser_reads_them(sample_index_dir: Path) -> None:
    """Plain words and phrases skip Whoosh's query parser (milliseconds a query); the tree built instead is the parser's own."""
    rng = random.Random(7)
    with open_index(sample_index_dir).searcher() as searcher:
        words = [w for n in range(0, searcher.doc_count_all(), 4) for w in str(searcher.stored_fields(n)["body"]).split()[:40]]
        words += ["e-KTP", "COVID-19", "8.000", "jum'at", "Jum’at", "buka-bukaan", "anak_anak", "İstanbul", "ÉCOLE", "straße"]
        built = phrases = 0
        for _ in range(600):
            text = _words_and_phrases(rng, words)
            for name in ("combined", "exact", "stem"):
                weights = ranking_named(name).weights
                for require_all in (True, False):
                    fast = parsing._plain_query(text, weights, require_all)
                    if fast is not None:
                        built += 1
                        phrases += any(isinstance(leaf, Phrase) for leaf in fast.leaves())
                        assert fast == parsing._parsed(text, searcher.schema, weights, require_all), text
        assert built > 1000  # most word sequences are plain
        assert phrases > 150


def test_a_merged_set_serves_only_while_its_segments_are_all_in_the_index(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    assert index_results(index_dir, read_paths([INDOSUM_SAMPLE]), commit_every=60).ok
    merging.merge_segments(open_index(index_dir))
    generation = current_generation(index_dir)
    assert generation is not None
    merged = [p for p in (generation / postings.FOLDER).iterdir() if p.name.startswith(postings.MERGED_PREFIX)]
    assert len(merged) == 1
    with open_index(index_dir).searcher() as searcher:
        snapshot = Snapshot(searcher)
        assert len(snapshot.arrays.segments) == 1
        before = evaluate(snapshot.arrays, parse_user_query("presiden", snapshot)).docs.tolist()
    writer = open_index(index_dir).writer()
    writer.commit(optimize=True)  # Whoosh merges every segment into one: the set covers segments that are gone
    postings.prepare(open_index(index_dir))
    assert not merged[0].exists()
    with open_index(index_dir).searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 1
        snapshot = Snapshot(searcher)
        assert evaluate(snapshot.arrays, parse_user_query("presiden", snapshot)).docs.tolist() == before
