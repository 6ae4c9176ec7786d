"""Ordering and quick date ranges: relevansi, terbaru, terlama; the archive's last 7 and 30 days, its newest year, semua."""

from __future__ import annotations

import json

from click.testing import CliRunner

from search.engine import EngineConfig
from tests.conftest import cli_args
from web.cli import main


def _dates(envelope: dict) -> list[str | None]:
    return [hit["date"] for hit in envelope["hits"]]


def test_newest_and_oldest_first_with_undated_last(sample_client) -> None:
    newest = sample_client.get("/api/search?q=jakarta&sort=terbaru&size=100").get_json()
    oldest = sample_client.get("/api/search?q=jakarta&sort=terlama&size=100").get_json()
    dated_new = [d for d in _dates(newest) if d]
    dated_old = [d for d in _dates(oldest) if d]
    assert len(dated_new) > 5 and dated_new == sorted(dated_new, reverse=True)
    assert dated_old == sorted(dated_old)
    for envelope in (newest, oldest):  # undated articles come after every dated one
        dates = _dates(envelope)
        assert None not in dates or all(d is None for d in dates[dates.index(None):])
    assert newest["total"] == oldest["total"]
    assert newest["sort"] == "terbaru" and newest["filters"]["sort"] == "terbaru"


def test_sorted_hits_still_mark_the_matched_words(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&sort=terbaru").get_json()
    assert all("<mark" in hit["snippet"] for hit in envelope["hits"])


def test_default_order_is_relevance_with_words_and_newest_without(sample_client) -> None:
    with_words = sample_client.get("/api/search?q=jakarta").get_json()
    browse = sample_client.get("/api/search").get_json()
    assert with_words["sort"] == "relevansi" and browse["sort"] == "terbaru"
    assert [o["value"] for o in browse["sorts"]] == ["terbaru", "terlama"]  # nothing to be relevant to
    by_relevance = sample_client.get("/api/search?q=jakarta&sort=relevansi").get_json()
    assert [h["id"] for h in by_relevance["hits"]] == [h["id"] for h in with_words["hits"]]


def test_sort_links_keep_filters_and_go_back_to_page_one(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta&date=2017&page=2").get_json()
    newest = next(o for o in envelope["sorts"] if o["value"] == "terbaru")
    assert "date=2017" in newest["url"] and "page=" not in newest["url"] and "sort=terbaru" in newest["url"]
    html = sample_client.get("/?q=jakarta&sort=terlama").get_data(as_text=True)
    assert '<strong aria-current="true">Terlama</strong>' in html
    assert '<input type="hidden" name="sort" value="terlama">' in html  # a new query keeps the order


def test_unknown_sort_is_a_400_with_a_message(sample_client) -> None:
    response = sample_client.get("/api/search?q=jakarta&sort=acak")
    assert response.status_code == 400 and "urutan" in response.get_json()["error"]


def test_command_line_sort(sample_engine: EngineConfig) -> None:
    result = CliRunner().invoke(main, ["search", "jakarta", "--sort", "terlama", "--json", *cli_args(sample_engine)])
    dates = [d for d in _dates(json.loads(result.output)) if d]
    assert result.exit_code == 0 and dates == sorted(dates)


def url_with_query(url: str, q: str) -> str:
    """``url`` with its ``q`` replaced (every article when empty)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k != "q"] + ([("q", q)] if q else [])
    return parts.path + ("?" + urlencode(kept) if kept else "")


def test_date_presets_count_back_from_the_newest_article_and_semua_clears_them(sample_client) -> None:
    import datetime as dt

    envelope = sample_client.get("/api/search?q=jakarta&date=2017&page=2").get_json()
    newest = dt.date.fromisoformat(envelope["archive_newest"])
    assert newest < dt.date.today() - dt.timedelta(days=30)  # an archive that ends long ago: calendar presets would find nothing
    presets = {p["label"]: p for p in envelope["date_presets"]}
    assert list(presets) == ["7 hari terakhir arsip", "30 hari terakhir arsip", f"Tahun {newest.year}", "Semua"]
    week = sample_client.get(presets["7 hari terakhir arsip"]["url"]).get_json()
    assert week["filters"]["from"] == (newest - dt.timedelta(days=6)).isoformat() and week["filters"]["to"] == newest.isoformat()
    assert week["filters"]["date"] is None and week["page"] == 1
    assert next(p for p in week["date_presets"] if p["label"] == "7 hari terakhir arsip")["selected"]
    newest_articles = sample_client.get(url_with_query(presets["7 hari terakhir arsip"]["url"], "")).get_json()
    assert newest_articles["total"] > 0  # the archive's last week holds at least its newest article
    year = sample_client.get(presets[f"Tahun {newest.year}"]["url"]).get_json()
    assert year["filters"]["from"] == f"{newest.year}-01-01"
    everything = sample_client.get(presets["Semua"]["url"]).get_json()
    assert everything["filters"]["date"] is None and everything["filters"]["from"] is None
    assert everything["total"] > envelope["total"]  # the 2017 restriction is gone
