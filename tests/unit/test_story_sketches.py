"""Story sketches: what makes two articles copies of one story, and what keeps them apart.

Three of the seeds (000, 001, 002) are outlets' versions of one press release; 003 and 004
are other stories on the same topic, months earlier.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from search.analyzer import analyze_exact
from search.domain.article import Article
from search.extract import Extracted, read_paths
from search.linking import StoryLinker
from search.sketches import SAME_STORY, similarity, sketch, sketch_words
from tests.conftest import SEEDS


def _seed(name: str):
    [result] = read_paths([SEEDS / name], today=dt.date(2026, 11, 23))
    assert isinstance(result, Extracted)
    return result.article


def test_same_text_days_apart_is_another_story_and_short_texts_are_never_grouped() -> None:
    original = _seed("001_7207b2c10b363d07.txt")
    assert original.date is not None
    linker = StoryLinker()
    linker.fields(original)
    next_day = dataclasses.replace(original, id="next-day", date=original.date + dt.timedelta(days=1))
    assert linker.fields(next_day).links == (original.id,)
    two_days_later = dataclasses.replace(original, id="two-days-later", date=original.date + dt.timedelta(days=2))
    assert original.id not in linker.fields(two_days_later).links
    undated = dataclasses.replace(original, id="undated", date=None)
    assert original.id in linker.fields(undated).links
    short = StoryLinker()
    short.fields(Article(id="a", body="Isi berita JSONL pertama."))
    assert short.fields(Article(id="b", body="Isi berita JSONL kedua.")).links == ()


def test_one_outlets_two_reports_of_an_event_are_two_stories_and_its_republication_is_one() -> None:
    """000 and 001 report one assembly (cosine 0.50): one story from two outlets, two from one outlet."""
    first, second = _seed("000_c93cd040e1bf3d10.txt"), _seed("001_7207b2c10b363d07.txt")
    for outlets, linked in (((None, None), True), (("a", "b"), True), (("a", "a"), False)):
        linker = StoryLinker()
        linker.fields(dataclasses.replace(first, outlet_key=outlets[0]))
        assert bool(linker.fields(dataclasses.replace(second, outlet_key=outlets[1], date=first.date)).links) is linked
    republished = dataclasses.replace(second, id="republished", outlet_key="a", title="Judul baru", body=second.body.rsplit("\n", 2)[0])
    linker = StoryLinker()
    linker.fields(dataclasses.replace(second, outlet_key="a"))
    assert linker.fields(republished).links == (second.id,)


def test_seed_similarities_leave_a_margin_on_both_sides_of_the_threshold() -> None:
    sketches = {name[:3]: sketch(_seed(name).title, _seed(name).body) for name in sorted(p.name for p in SEEDS.glob("*.txt"))}
    same = [similarity(sketches["000"], sketches["001"]), similarity(sketches["001"], sketches["002"])]
    different = [similarity(sketches[a], sketches[b]) for a in ("000", "001", "002") for b in ("003", "004")]
    different.append(similarity(sketches["003"], sketches["004"]))
    assert min(same) >= SAME_STORY + 0.03
    assert max(different) <= SAME_STORY - 0.1


def test_sketch_words_are_the_exact_form_tokens_without_numbers() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts.append("Jum'at, 8.000 warga e-KTP anak-anak COVID-19 di Ma’ruf; 2024 Rp1,5 triliun İstanbul")
    for text in texts:
        assert sketch_words(text) == Counter(w for w in analyze_exact(text) if len(w) > 1 and not w.replace(".", "").replace(",", "").isdigit())
    assert "jumat" in sketch_words(texts[-1]) and "8.000" not in sketch_words(texts[-1])


def test_sketches_computed_ahead_link_every_article_as_sketching_in_turn_does(monkeypatch) -> None:
    """A bulk build sketches articles in a helper process ahead of their turn (search.ahead): the same stories result,
    every result passes through in order, and what is not an article (a failed record) passes untouched."""
    from search import ahead
    from search.extract import Failed

    monkeypatch.setattr(ahead, "START_AFTER", 5)
    monkeypatch.setattr(ahead, "CHUNK", 7)
    base = _seed("001_7207b2c10b363d07.txt")
    words = base.body.split()
    results: list[Extracted | Failed] = []
    for n in range(90):
        if n % 11 == 3:
            results.append(Failed(f"rusak-{n}.json", "bukan JSON"))
            continue
        text = " ".join(words[n % 40:] + words[:n % 40])  # one story told in turns, then others mixed in
        results.append(Extracted(dataclasses.replace(base, id=f"a{n}", body=text if n % 3 else f"Berita lain nomor {n}. {text[:200]}")))
    in_turn, with_helper = StoryLinker(), StoryLinker()
    expected = [in_turn.fields(r.article) if isinstance(r, Extracted) else None for r in results]
    passed = []
    for result in ahead.sketched_ahead(results, with_helper):
        passed.append(result)
        if isinstance(result, Extracted):
            handed = with_helper.expected.get(id(result.article))
            assert handed is None or handed[1] == sketch(result.article.title, result.article.body)
    assert [r is s for r, s in zip(passed, results, strict=True)] == [True] * len(results)
    helped = sum(id(r.article) in with_helper.expected for r in results if isinstance(r, Extracted))
    assert helped > 50  # the helper sketched most of them
    got = [with_helper.fields(r.article) if isinstance(r, Extracted) else None for r in results]
    assert got == expected and not with_helper.expected and any(f and f.links for f in got)
