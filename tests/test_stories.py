"""Story grouping: copies of one press release across outlets show as one hit with "N artikel serupa".

Three of the seeds (000, 001, 002) are outlets' versions of one press release (Wamenko Otto
Hasibuan's virtual assembly on ASN neutrality, 15 September 2025); 003 and 004 are two
other Lapas stories on the same topic, months earlier. The first three must be one story,
the other two stories of their own, whatever order the articles arrive in.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.analyzer import analyze_exact
from search.backends.whoosh.stories import SAME_STORY, StoryLinker, similarity, sketch, sketch_words
from search.extract import Extracted, read_paths
from tests.conftest import SEEDS, build_index
from web import create_app
from web.cli import main

RELEASE = {"000_c93cd040e1bf3d10", "001_7207b2c10b363d07", "002_c097343379e9adb5"}
OTHERS = {"003_59376e1a3b7f6707", "004_4b79b38a60d88022"}


def _stories(client, **params: str) -> list[set[str]]:
    """Each hit's story as the set of its article and the articles listed under it."""
    envelope = client.get("/api/search", query_string={"size": "100", **params}).get_json()
    return [{hit["id"], *(other["id"] for other in hit["similar"])} for hit in envelope["hits"]]


def _client(index_dir: Path):
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def test_the_press_release_copies_are_one_hit_and_the_other_stories_stand_alone(seed_client) -> None:
    envelope = seed_client.get("/api/search?q=netralitas").get_json()
    assert envelope["total"] == 5 and envelope["stories"] == 3 and len(envelope["hits"]) == 3
    grouped = next(hit for hit in envelope["hits"] if hit["similar_count"])
    assert {grouped["id"], *(s["id"] for s in grouped["similar"])} == RELEASE
    assert grouped["similar_count"] == 2
    assert grouped["story"] == "000_c93cd040e1bf3d10"  # named after the story's first article
    assert {hit["id"] for hit in envelope["hits"] if not hit["similar_count"]} == OTHERS
    # Facets still count articles, not stories.
    assert sum(v["count"] for v in envelope["facets"]["outlet"]) == 5


@pytest.mark.parametrize("sort", ["relevansi", "terbaru", "terlama"])
def test_every_order_groups_the_same_way(seed_client, sort: str) -> None:
    assert sorted(map(sorted, _stories(seed_client, q="ASN", sort=sort))) == sorted(map(sorted, [RELEASE, *({o} for o in OTHERS)]))


def test_grouping_off_lists_every_article_and_the_toggle_url_switches(seed_client) -> None:
    grouped = seed_client.get("/api/search?q=netralitas").get_json()
    assert grouped["grouping"]["on"] is True
    flat = seed_client.get(grouped["grouping"]["toggle_url"]).get_json()
    assert flat["grouping"]["on"] is False and flat["stories"] is None
    assert {hit["id"] for hit in flat["hits"]} == RELEASE | OTHERS
    assert all(hit["similar_count"] == 0 for hit in flat["hits"])
    back = seed_client.get(flat["grouping"]["toggle_url"]).get_json()
    assert back["stories"] == 3
    assert seed_client.get("/api/search?grouping=kadang").status_code == 400


def test_paging_walks_stories_not_articles(seed_client) -> None:
    first = seed_client.get("/api/search?q=ASN&size=1").get_json()
    assert first["pages"] == 3
    seen, url = [], "/api/search?q=ASN&size=1"
    while url:
        page = seed_client.get(url).get_json()
        seen.append({page["hits"][0]["id"], *(s["id"] for s in page["hits"][0]["similar"])})
        url = page["next_url"]
    assert len(seen) == 3 and set().union(*seen) == RELEASE | OTHERS


def test_grouping_does_not_depend_on_arrival_order(tmp_path: Path) -> None:
    """Articles indexed one run at a time, newest file first, group as a bulk build of all five does."""
    index_dir = tmp_path / "ix"
    for path in sorted(SEEDS.glob("*.txt"), reverse=True):
        assert build_index(index_dir, path).added == 1
    stories = _stories(_client(index_dir))
    assert sorted(map(sorted, stories)) == sorted(map(sorted, [RELEASE, *({o} for o in OTHERS)]))


def test_a_later_article_joins_two_stories_and_deleting_it_splits_them_again(tmp_path: Path) -> None:
    # 000 and 002 are too far apart on their own; 001 matches each of them.
    folder = tmp_path / "arsip"
    folder.mkdir()
    for name in ("000_c93cd040e1bf3d10.txt", "002_c097343379e9adb5.txt"):
        shutil.copy(SEEDS / name, folder / name)
    index_dir = tmp_path / "ix"
    build_index(index_dir, folder)
    assert sorted(map(len, _stories(_client(index_dir)))) == [1, 1]
    shutil.copy(SEEDS / "001_7207b2c10b363d07.txt", folder / "001_7207b2c10b363d07.txt")
    assert build_index(index_dir, folder).added == 1
    assert _stories(_client(index_dir)) == [RELEASE]
    (folder / "001_7207b2c10b363d07.txt").unlink()
    assert build_index(index_dir, folder).deleted == 1
    assert sorted(map(len, _stories(_client(index_dir)))) == [1, 1]


def test_the_search_page_shows_n_artikel_serupa_expandable_without_javascript(seed_client) -> None:
    html = seed_client.get("/?q=netralitas").get_data(as_text=True)
    assert "5</strong> artikel untuk <q>netralitas</q>, dalam 3 cerita" in html
    assert html.count('<details class="similar">') == 1
    assert "<summary>2 artikel serupa</summary>" in html
    flat = seed_client.get("/?q=netralitas&grouping=off").get_data(as_text=True)
    assert '<details class="similar">' not in flat and "dalam 3 cerita" not in flat


def test_article_page_and_record_list_the_other_articles_of_the_story(seed_client) -> None:
    html = seed_client.get("/artikel/000_c93cd040e1bf3d10").get_data(as_text=True)
    assert "Artikel serupa (2)" in html
    assert 'href="/artikel/001_7207b2c10b363d07"' in html and 'href="/artikel/002_c097343379e9adb5"' in html
    assert 'href="/artikel/003_59376e1a3b7f6707"' not in html
    record = seed_client.get("/api/artikel/002_c097343379e9adb5").get_json()
    assert {s["id"] for s in record["similar"]} == RELEASE - {"002_c097343379e9adb5"}
    alone = seed_client.get("/artikel/003_59376e1a3b7f6707").get_data(as_text=True)
    assert "Artikel serupa" not in alone


def test_export_lists_every_article_with_its_story(seed_client) -> None:
    body = seed_client.get("/api/export.csv?q=netralitas").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert {row["id"] for row in rows} == RELEASE | OTHERS  # not grouped: an export lists articles
    assert {row["story"] for row in rows if row["id"] in RELEASE} == {"000_c93cd040e1bf3d10"}
    assert {row["story"] for row in rows if row["id"] in OTHERS} == OTHERS


def test_cli_says_how_many_similar_articles_each_hit_stands_for(seed_index_dir: Path) -> None:
    output = CliRunner().invoke(main, ["search", "netralitas", "--index-dir", str(seed_index_dir)]).output
    assert "5 hasil dalam 3 cerita" in output
    assert "+ 2 artikel serupa" in output
    flat = CliRunner().invoke(main, ["search", "netralitas", "--no-grouping", "--index-dir", str(seed_index_dir)]).output
    assert "artikel serupa" not in flat and flat.count("\n1. ") + flat.count("\n5. ") == 2


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
