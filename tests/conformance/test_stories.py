"""Story grouping: copies of one press release across outlets show as one hit with "N artikel serupa".

Three of the seeds (000, 001, 002) are outlets' versions of one press release (Wamenko Otto
Hasibuan's virtual assembly on ASN neutrality, 15 September 2025); 003 and 004 are two
other Lapas stories on the same topic, months earlier. The first three must be one story,
the other two stories of their own, whatever order the articles arrive in.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.engine import EngineConfig, open_engine
from tests.conftest import SEEDS, app_for, cli_args, index_into
from web.cli import main

RELEASE = {"000_c93cd040e1bf3d10", "001_7207b2c10b363d07", "002_c097343379e9adb5"}
OTHERS = {"003_59376e1a3b7f6707", "004_4b79b38a60d88022"}


def _stories(client, **params: str) -> list[set[str]]:
    """Each hit's story as the set of its article and the articles listed under it."""
    envelope = client.get("/api/search", query_string={"size": "100", **params}).get_json()
    return [{hit["id"], *(other["id"] for other in hit["similar"])} for hit in envelope["hits"]]


def _client(index: EngineConfig):
    return app_for(index)


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


def test_grouping_does_not_depend_on_arrival_order(fresh_engine: EngineConfig) -> None:
    """Articles indexed one run at a time, newest file first, group as a bulk build of all five does."""
    for path in sorted(SEEDS.glob("*.txt"), reverse=True):
        assert index_into(fresh_engine, path).added == 1
    stories = _stories(_client(fresh_engine))
    assert sorted(map(sorted, stories)) == sorted(map(sorted, [RELEASE, *({o} for o in OTHERS)]))


def test_a_later_article_joins_two_stories_and_deleting_it_splits_them_again(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    # 000 and 002 are too far apart on their own; 001 matches each of them.
    folder = tmp_path / "arsip"
    folder.mkdir()
    for name in ("000_c93cd040e1bf3d10.txt", "002_c097343379e9adb5.txt"):
        shutil.copy(SEEDS / name, folder / name)
    index_into(fresh_engine, folder)
    assert sorted(map(len, _stories(_client(fresh_engine)))) == [1, 1]
    shutil.copy(SEEDS / "001_7207b2c10b363d07.txt", folder / "001_7207b2c10b363d07.txt")
    assert index_into(fresh_engine, folder).added == 1
    assert _stories(_client(fresh_engine)) == [RELEASE]
    (folder / "001_7207b2c10b363d07.txt").unlink()
    assert index_into(fresh_engine, folder).deleted == 1
    assert sorted(map(len, _stories(_client(fresh_engine)))) == [1, 1]


def test_an_updated_article_stays_in_its_story(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    """An article of the release edited and indexed again (its old copy deleted, a new one added) is still one of its story,
    and so are the articles that linked to it."""
    folder = tmp_path / "arsip"
    folder.mkdir()
    for name in sorted(RELEASE | OTHERS):
        shutil.copy(SEEDS / f"{name}.txt", folder / f"{name}.txt")
    index_into(fresh_engine, folder)
    edited = folder / "000_c93cd040e1bf3d10.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nPenulis: Redaksi\n", encoding="utf-8")
    report = index_into(fresh_engine, folder)
    assert report.updated == 1
    assert sorted(map(sorted, _stories(_client(fresh_engine)))) == sorted(map(sorted, [RELEASE, *({o} for o in OTHERS)]))


def test_one_outlets_follow_up_is_a_story_of_its_own_and_its_republication_is_not(tmp_path: Path, fresh_engine: EngineConfig) -> None:
    """Two reports of one assembly from one outlet are two stories; the outlet's republished copy joins its original."""
    first, second = ((SEEDS / name).read_text(encoding="utf-8") for name in ("000_c93cd040e1bf3d10.txt", "001_7207b2c10b363d07.txt"))
    records = [
        {"id": "laporan-a", "title": "Apel virtual Kanwil", "text": first, "url": "https://regional.kompas.com/read/1", "date": "2025-09-15"},
        {"id": "laporan-b", "title": "Apel virtual Lapas", "text": second, "url": "https://regional.kompas.com/read/2", "date": "2025-09-15"},
        {"id": "terbit-ulang", "title": "Lapas ikuti apel virtual", "text": second.rsplit("\n", 2)[0],
         "url": "https://regional.kompas.com/read/3", "date": "2025-09-16"},
    ]
    path = tmp_path / "kompas.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    assert index_into(fresh_engine, path).added == 3
    assert sorted(map(sorted, _stories(_client(fresh_engine)))) == [["laporan-a"], ["laporan-b", "terbit-ulang"]]


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


def test_cli_says_how_many_similar_articles_each_hit_stands_for(seed_engine: EngineConfig) -> None:
    output = CliRunner().invoke(main, ["search", "netralitas", *cli_args(seed_engine)]).output
    assert "5 hasil dalam 3 cerita" in output
    assert "+ 2 artikel serupa" in output
    flat = CliRunner().invoke(main, ["search", "netralitas", "--no-grouping", *cli_args(seed_engine)]).output
    assert "artikel serupa" not in flat and flat.count("\n1. ") + flat.count("\n5. ") == 2




def test_a_rebuild_keeps_the_stories(fresh_engine: EngineConfig) -> None:
    """A rebuild links the stored articles again (oldest first on the cluster): the same groups come out."""
    index_into(fresh_engine, SEEDS)
    before = sorted(map(sorted, _stories(_client(fresh_engine))))
    report, carried = open_engine(fresh_engine).rebuild([])
    assert carried == 5 and report.ok
    assert sorted(map(sorted, _stories(_client(fresh_engine)))) == before == sorted(map(sorted, [RELEASE, *({o} for o in OTHERS)]))
