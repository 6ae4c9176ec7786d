"""Story sketches: what makes two articles copies of one story, and what keeps them apart.

Three of the seeds (000, 001, 002) are outlets' versions of one press release; 003 and 004
are other stories on the same topic, months earlier.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from search.analyzer import analyze_exact
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
    linker.fields(original.id, original.title, original.body, original.date)
    next_day = dataclasses.replace(original, id="next-day", date=original.date + dt.timedelta(days=1))
    assert linker.fields(next_day.id, next_day.title, next_day.body, next_day.date).links == (original.id,)
    month_later = dataclasses.replace(original, id="month-later", date=original.date + dt.timedelta(days=30))
    assert linker.fields(month_later.id, month_later.title, month_later.body, month_later.date).links == ()
    undated = dataclasses.replace(original, id="undated", date=None)
    assert original.id in linker.fields(undated.id, undated.title, undated.body, undated.date).links
    short = StoryLinker()
    short.fields("a", None, "Isi berita JSONL pertama.", None)
    assert short.fields("b", None, "Isi berita JSONL kedua.", None).links == ()


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
