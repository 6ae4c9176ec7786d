"""What a search answers when the query is off: a typo, noise among partial matches, an outlet the archive lacks,
a reversed date range, nothing found.

Each test failed on the code before it: "banjr jakarta" answered 0 with a link, "harga minyak"
listed ticket prices holding "harga" alone as partial matches, ``outlet:kompas`` gave a bare
0 on an archive without Kompas, ``from`` after ``to`` was an error page, and an empty result
said nothing of what the archive holds.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner

from search.engine import EngineConfig
from tests.conftest import INGEST_AUTH, INGEST_TOKEN, Backend, app_for, berita_index, cli_args
from web.cli import main
from web.params import DATES_SWAPPED

RECORDS = [
    {"id": "minyak-dunia", "outlet": "CNN Indonesia", "date": "2017-03-01", "title": "Harga minyak dunia turun",
     "text": "Harga minyak mentah dunia turun tajam pekan ini."},
    {"id": "tiket", "outlet": "CNN Indonesia", "date": "2017-05-02", "title": "Tiket konser naik",
     "text": "Harga tiket konser naik menjelang akhir pekan."},
    {"id": "goreng", "outlet": "Suara.com", "date": "2016-09-10", "title": "Minyak goreng langka",
     "text": "Minyak goreng langka di pasar tradisional."},
    {"id": "banjir", "outlet": "Suara.com", "date": "2018-02-06", "title": "Banjir merendam Jakarta Selatan",
     "text": "Banjir merendam kawasan Jakarta Selatan sejak pagi."},
    *({"id": f"taman-{n}", "outlet": "ANTARA", "date": f"2017-0{n}-15", "title": f"Taman kota ke-{n}",
       "text": f"Gubernur Jakarta meresmikan taman kota ke-{n}."} for n in range(1, 4)),
]


@pytest.fixture(scope="module")
def archive(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    """Seven articles from three outlets, 2016 to 2018: none from Kompas."""
    data = tmp_path_factory.mktemp("off") / "records.jsonl"
    data.write_text("\n".join(json.dumps(record) for record in RECORDS), encoding="utf-8")
    return backend.build(tmp_path_factory.mktemp("off-index"), data)


@pytest.fixture()
def client(archive: EngineConfig):
    return app_for(archive)


def _api(client, **params: str) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_query_nothing_matches_is_searched_as_its_correction_and_says_so(client) -> None:
    envelope = _api(client, q="banjr jakarta")
    assert envelope["corrected"] == {"query": "banjir jakarta", "original": "banjr jakarta", "url": "/api/search?q=banjir+jakarta",
                                     "original_url": "/api/search?q=banjr+jakarta&correction=off"}
    assert (envelope["query"], envelope["total"], [hit["id"] for hit in envelope["hits"]]) == ("banjir jakarta", 1, ["banjir"])
    assert envelope["suggestion"] is None
    exported = client.get(envelope["export"]["json"]).get_json()  # the export holds what is shown
    assert [row["id"] for row in exported] == ["banjir"]
    assert dict(parse_qsl(urlsplit(envelope["feed_url"]).query))["q"] == "banjir jakarta"


def test_the_words_as_typed_are_searched_as_typed_with_the_suggestion_offered(client) -> None:
    typed = client.get(_api(client, q="banjr jakarta", grouping="off")["corrected"]["original_url"]).get_json()
    assert (typed["query"], typed["total"], typed["corrected"]) == ("banjr jakarta", 0, None)
    assert typed["suggestion"]["query"] == "banjir jakarta" and typed["grouping"]["on"] is False  # the other parameters kept
    assert _api(client, q="banjir jakarta")["corrected"] is None  # a query with matches is searched as it is


def test_the_page_says_it_searched_the_correction_and_links_the_words_as_typed(client) -> None:
    page = client.get("/?q=banjr+jakarta").get_data(as_text=True)
    assert ('<p class="corrected">Menampilkan hasil untuk <q><a href="/?q=banjir+jakarta">banjir jakarta</a></q>. '
            'Cari <q><a href="/?q=banjr+jakarta&amp;correction=off">banjr jakarta</a></q> saja.</p>') in page
    assert "Banjir merendam Jakarta Selatan" in page and 'value="banjir jakarta"' in page  # the hit, and the box holds the words searched
    as_typed = client.get("/?q=banjr+jakarta&correction=off").get_data(as_text=True)
    assert 'class="corrected"' not in as_typed and "Mungkin maksud Anda" in as_typed and "Banjir merendam" not in as_typed


def test_the_command_line_says_it_searched_the_correction(archive: EngineConfig) -> None:
    output = CliRunner().invoke(main, ["search", "banjr jakarta", *cli_args(archive)]).output
    assert output.startswith('Menampilkan hasil untuk "banjir jakarta". Cari "banjr jakarta" saja: --as-typed\n1 hasil')
    assert "Banjir merendam Jakarta Selatan" in output
    typed = CliRunner().invoke(main, ["search", "banjr jakarta", "--as-typed", *cli_args(archive)]).output
    assert "Menampilkan" not in typed and "0 hasil" in typed and "Mungkin maksud Anda: banjir jakarta" in typed


def test_the_correction_keeps_the_query_s_outlet_and_is_not_made_when_it_finds_nothing(client) -> None:
    within = _api(client, q="outlet:suara banjr jakarta")
    assert within["corrected"]["query"] == "outlet:suara banjir jakarta" and [hit["id"] for hit in within["hits"]] == ["banjir"]
    for params in ({"q": "outlet:cnn banjr jakarta"}, {"q": "banjr jakarta", "date": "2016"}):  # the banjir story is Suara's, of 2018
        nothing = _api(client, **params)
        assert (nothing["total"], nothing["corrected"], nothing["suggestion"]) == (0, None, None)


def test_a_partial_match_holding_only_the_query_s_commonest_word_is_not_shown(client) -> None:
    # "harga" is in six times as many articles as "minyak" (the fixed table): ticket prices are noise for "harga minyak"
    everywhere = _api(client, q="harga minyak")
    assert [(hit["id"], hit["missing"]) for hit in everywhere["partial"]] == [("goreng", "harga")]  # "minyak" alone: shown
    assert _api(client, q="harga minyak", outlet="cnnindonesia.com")["partial"] == []  # CNN's "harga" alone: not
    assert _api(client, q="banjir jakarta", grouping="off")["partial"] == []  # any Jakarta story is no partial match for a flood
    page = client.get("/?q=harga+minyak").get_data(as_text=True)
    assert "Minyak goreng langka" in page and "Tiket konser naik" not in page


def _held(client) -> str:
    outlets = sorted(((v["count"], v["value"], v["label"]) for v in _api(client)["facets"]["outlet"]), key=lambda o: (-o[0], o[1]))
    return ", ".join(f"{label} ({count})" for count, _, label in outlets)


@pytest.mark.parametrize("params", [{"q": "outlet:kompas harga"}, {"q": "harga", "outlet": "kompas.com"}])
def test_an_outlet_the_archive_does_not_hold_is_named_with_the_outlets_it_holds(client, params: dict[str, str]) -> None:
    envelope = _api(client, **params)
    notice = f"Kompas.com tidak ada di arsip ini; media yang ada: {_held(client)}."
    assert (envelope["total"], envelope["notices"], envelope["unknown_outlets"]) == (0, [notice], [{"value": "kompas.com", "label": "Kompas.com"}])
    assert f'<p class="notice">{notice}</p>' in html.unescape(client.get("/", query_string=params).get_data(as_text=True))


def test_an_outlet_the_archive_holds_is_not_called_missing(client) -> None:
    envelope = _api(client, q="banjir", outlet="cnnindonesia.com")  # CNN is here; it has no flood story
    assert (envelope["total"], envelope["notices"], envelope["unknown_outlets"]) == (0, [], [])


def test_a_reversed_date_range_is_swapped_said_and_linked_in_order(client) -> None:
    envelope = _api(client, q="harga", **{"from": "2017-12-31", "to": "2017-01-01"})
    in_order = _api(client, q="harga", **{"from": "2017-01-01", "to": "2017-12-31"})
    assert envelope["notices"] == [DATES_SWAPPED] and (envelope["filters"]["from"], envelope["filters"]["to"]) == ("2017-01-01", "2017-12-31")
    assert envelope["total"] == in_order["total"] == 2
    links = [envelope["export"]["csv"], envelope["grouping"]["toggle_url"], *(v["toggle_url"] for v in envelope["facets"]["outlet"])]
    assert all("from=2017-01-01&to=2017-12-31" in link for link in links)
    page = client.get("/?q=harga&from=2017-12-31&to=2017-01-01")
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and f'<p class="notice">{DATES_SWAPPED}</p>' in text and "from=2017-12-31" not in text


def test_an_empty_result_tells_what_the_archive_holds(client) -> None:
    envelope = _api(client, q="zzqqxx")
    everything = _api(client, sort="terlama", grouping="off")
    assert envelope["archive"] == {
        "articles": 7, "first": "2016-09-10", "last": "2018-02-06", "first_label": "10 Sep 2016", "last_label": "6 Feb 2018",
        "outlet_count": 3, "outlets": [{"value": v["value"], "label": v["label"], "count": v["count"]}
                                       for v in sorted(everything["facets"]["outlet"], key=lambda v: (-v["count"], v["value"]))]}
    assert everything["hits"][0]["date"] == "2016-09-10" and everything["archive"] is None  # a search with matches carries none
    page = client.get("/?q=zzqqxx").get_data(as_text=True)
    empty = page[page.index('<div class="empty-state">'):]
    assert 'Arsip ini memuat 7 artikel dari <time datetime="2016-09-10">10 Sep 2016</time> sampai <time datetime="2018-02-06">' in empty
    assert all(f"<li>{v['label']} ({v['count']})</li>" in empty for v in envelope["archive"]["outlets"]) and "Periksa ejaan" in empty


def test_an_empty_result_tells_what_the_archive_holds_after_each_commit(fresh_engine: EngineConfig, tmp_path: Path) -> None:
    """The archive's facts are worked out once per commit, never kept past one: a server taking articles tells the new count."""
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(json.dumps(record) for record in RECORDS[:3]), encoding="utf-8")
    assert berita_index(str(first), *cli_args(fresh_engine))[0] == 0
    server = app_for(fresh_engine, INGEST_TOKEN=INGEST_TOKEN)
    assert [_api(server, q=q)["archive"]["articles"] for q in ("zzqqxx", "qqzzxx")] == [3, 3]
    record = {"id": "baru", "outlet": "Kompas.com", "date": "2018-03-01", "title": "Kompas baru", "text": "Kompas menulis berita baru hari ini."}
    assert server.post("/api/articles", json=[record], headers=INGEST_AUTH).status_code == 201
    archive = _api(server, q="zzqqxx")["archive"]
    assert archive["articles"] == 4 and archive["last"] == "2018-03-01" and "kompas.com" in [o["value"] for o in archive["outlets"]]


def test_an_empty_filtered_result_links_to_the_search_without_filters_with_its_count(client) -> None:
    envelope = _api(client, q="banjir", date="2016")
    assert envelope["total"] == 0 and envelope["relaxations"][-1]["count"] == _api(client, q="banjir")["total"] == 1
    page = client.get("/?q=banjir&date=2016").get_data(as_text=True)
    assert '<li><a href="/?q=banjir">Hapus saringan</a>: 1 artikel tanpa saringan.</li>' in page
