"""Searching through the engine interface: stemming, required words, phrases, snippets, escaping, ranking."""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner

from search.analyzer import fold, stem_word
from search.domain.request import InvalidRequest, SearchRequest
from search.domain.result import SearchResult
from search.engine import EngineConfig, open_engine
from search.snippets import SNIPPET_CHARS
from tests.conftest import SEEDS, Backend, app_for, cli_args
from web.cli import main


def _search(index: EngineConfig, **kwargs: object) -> SearchResult:
    return open_engine(index).search(SearchRequest(**kwargs))  # type: ignore[arg-type]


def _ids(index: EngineConfig, q: str) -> set[str]:
    """Every matching article, those grouped under another hit of their story too."""
    return {a.id for hit in _search(index, q=q, size=100).hits for a in (hit, *hit.similar)}


def test_menegaskan_finds_articles_that_only_say_ditegaskan_or_tegasnya(seed_engine: EngineConfig) -> None:
    seed = (SEEDS / "004_4b79b38a60d88022.txt").read_text(encoding="utf-8")
    assert "menegaskan" not in seed.lower() and "ditegaskan" in seed and "tegasnya" in seed
    assert "004_4b79b38a60d88022" in _ids(seed_engine, "menegaskan")


@pytest.fixture(scope="module")
def custom_index(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    folder = tmp_path_factory.mktemp("articles")
    (folder / "layan.txt").write_text(
        "Petugas Melayani Warga Sampai Malam\nJAKARTA - Petugas kelurahan melayani warga hingga pukul sembilan malam.\n",
        encoding="utf-8",
    )
    (folder / "xss.txt").write_text(
        "Judul <script>alert(1)</script> Berbahaya\n"
        "Isi berita <b>tebal</b> dan <script>alert('x')</script> tentang banjir bandang di kota.\n",
        encoding="utf-8",
    )
    (folder / "urutan.txt").write_text(
        "Isi tentang harga cabai dan beras. Minyak goreng stabil.\nHarga beras naik, cabai turun.\n",
        encoding="utf-8",
    )
    return backend.build(tmp_path_factory.mktemp("custom-index"), folder)


def test_pelayanan_finds_an_article_that_only_says_melayani(custom_index: EngineConfig) -> None:
    assert _ids(custom_index, "pelayanan") == {"layan"}


def test_all_words_are_required(seed_engine: EngineConfig) -> None:
    both = _ids(seed_engine, "netralitas balikpapan")
    assert both == {"003_59376e1a3b7f6707"}
    assert _ids(seed_engine, "netralitas") > both


def test_quoted_phrase_needs_words_in_order(custom_index: EngineConfig) -> None:
    assert _ids(custom_index, '"harga cabai"') == {"urutan"}
    assert _ids(custom_index, '"cabai harga"') == set()
    assert _ids(custom_index, "cabai harga") == {"urutan"}


def test_title_match_ranks_above_body_only_match(seed_engine: EngineConfig) -> None:
    hits = _search(seed_engine, q="ikrar").hits
    assert hits[0].id == "003_59376e1a3b7f6707"  # "Ikrar" is in its headline


def test_snippet_marks_the_words_as_written(seed_engine: EngineConfig) -> None:
    [hit] = _search(seed_engine, q="menegaskan", outlets=("intimnews.com",)).hits
    marked = re.findall(r"<mark[^>]*>([^<]*)</mark>", hit.snippet)
    # the article never says "menegaskan": its own inflections are marked, never the stem alone
    assert marked and set(marked) <= {"ditegaskan", "tegasnya", "tegas"}
    assert "ditegaskan" in marked
    shown = re.findall(r"\b(?:ditegaskan|tegasnya|tegas)\b", re.sub(r"<[^>]+>", "", hit.snippet))
    assert len(marked) == len(shown)  # every inflection the snippet shows is marked


MARK = re.compile(r"<mark[^>]*>([^<]*)</mark>")


@pytest.mark.parametrize("q", ["jakarta", "presiden jokowi", "polisi anak", "", "title:jokowi"])
def test_every_snippet_fits_in_three_lines_of_a_results_page(sample_engine: EngineConfig, q: str) -> None:
    """About 115 characters a line in a desk's results column; marked passages, or an article's start without marks."""
    hits = _search(sample_engine, q=q, size=50).hits
    assert hits
    assert [hit.id for hit in hits if len(html.unescape(re.sub(r"<[^>]+>", "", hit.snippet))) > SNIPPET_CHARS] == []


@pytest.mark.parametrize("q", ["presiden jokowi", "polisi anak", "harga naik"])
def test_a_snippet_shows_every_searched_word_its_article_holds(sample_engine: EngineConfig, q: str) -> None:
    engine = open_engine(sample_engine)
    hits = engine.search(SearchRequest(q=q, size=50)).hits
    assert len(hits) >= 3
    for hit in hits:
        view = engine.article(hit.id, q)
        assert view is not None and view.marked is not None
        in_article = {stem_word(fold(word)) for paragraph in view.marked for word in MARK.findall(paragraph)}
        assert {stem_word(fold(word)) for word in MARK.findall(hit.snippet)} == in_article, hit.snippet


def test_article_text_is_escaped_in_snippets_and_titles(custom_index: EngineConfig) -> None:
    [hit] = _search(custom_index, q="banjir").hits
    assert "<script>" not in hit.snippet and "<b>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark" in hit.snippet  # our own markup survives


def test_empty_query_lists_everything_newest_first(seed_engine: EngineConfig) -> None:
    result = _search(seed_engine, q="")
    assert result.total == 5
    dates = [hit.date for hit in result.hits if hit.date]
    assert dates == sorted(dates, reverse=True)


def test_nothing_searchable_gives_a_notice_not_an_error(seed_engine: EngineConfig) -> None:
    result = _search(seed_engine, q="!!! ???")
    assert result.total == 0 and result.notice


@pytest.mark.parametrize(
    "kwargs",
    [{"page": 0}, {"size": 0}, {"size": 101}, {"date": "2024-13"}, {"date": "kemarin"}],
)
def test_invalid_requests_are_refused_with_a_message(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest):
        SearchRequest(**kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ranking_index(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    folder = tmp_path_factory.mktemp("ranking")
    (folder / "lapas.txt").write_text(
        "JAKARTA - Petugas pemasyarakatan memeriksa blok hunian. Direktorat pemasyarakatan menambah petugas.\n",
        encoding="utf-8",
    )
    (folder / "warga.txt").write_text("JAKARTA - Masyarakat sekitar pasar ikut kerja bakti.\n", encoding="utf-8")
    (folder / "jual.txt").write_text("JAKARTA - Pedagang menjual beras dengan harga murah.\n", encoding="utf-8")
    (folder / "laris.txt").write_text("JAKARTA - Penjualan mobil bekas naik menjelang Lebaran.\n", encoding="utf-8")
    (folder / "kota.txt").write_text("BEKASI - Banjir merendam perumahan di Kota Bekasi.\n", encoding="utf-8")
    # The same words in both; only their order differs.
    (folder / "cabai_akhir.txt").write_text(
        "JAKARTA - Harga daging naik lagi. Warga mengeluh pembeli sepi sejak pagi, terutama pedagang cabai.\n",
        encoding="utf-8",
    )
    (folder / "cabai_awal.txt").write_text(
        "JAKARTA - Harga cabai naik lagi. Warga mengeluh pembeli sepi sejak pagi, terutama pedagang daging.\n",
        encoding="utf-8",
    )
    return backend.build(tmp_path_factory.mktemp("ranking-index"), folder)


def test_word_as_typed_ranks_above_a_shared_stem(ranking_index: EngineConfig) -> None:
    hits = [hit.id for hit in _search(ranking_index, q="penjualan").hits]
    assert hits == ["laris", "jual"]  # both sell; the article that says "penjualan" comes first


def test_words_standing_together_rank_first(ranking_index: EngineConfig) -> None:
    assert [hit.id for hit in _search(ranking_index, q="harga cabai").hits] == ["cabai_awal", "cabai_akhir"]
    assert [hit.id for hit in _search(ranking_index, q="harga daging").hits] == ["cabai_akhir", "cabai_awal"]


def test_stem_overrides_keep_different_words_apart(ranking_index: EngineConfig) -> None:
    # Sastrawi maps pemasyarakatan (the prison service) to masyarakat (society); the lexicon does not
    assert _ids(ranking_index, "masyarakat") == {"warga"}
    assert _ids(ranking_index, "pemasyarakatan") == {"lapas"}


def test_protected_names_are_not_stemmed(ranking_index: EngineConfig) -> None:
    assert _ids(ranking_index, "bekasi") == {"kota"}  # not the "bekas" (used) cars
    assert _ids(ranking_index, "bekas") == {"laris"}


def test_other_inflections_still_match(ranking_index: EngineConfig) -> None:
    assert _ids(ranking_index, "penjualan beras") == {"jual"}  # "menjual beras" as written


def test_quoted_phrase_matches_the_words_as_written(ranking_index: EngineConfig) -> None:
    assert _ids(ranking_index, '"menjual beras"') == {"jual"}
    assert _ids(ranking_index, '"penjualan beras"') == set()  # a phrase is not stemmed


def test_no_article_with_every_word_shows_partial_matches_apart_and_uncounted(ranking_index: EngineConfig) -> None:
    result = _search(ranking_index, q="beras gudang")  # "beras" carries enough of the weight: not so a made-up word beside it
    assert (result.total, result.hits, result.counts["outlet"]) == (0, [], {})
    assert [hit.id for hit in result.partial] == ["jual"]
    assert result.notice and "sebagian kata" in result.notice
    assert _search(ranking_index, q="beras murah").notice is None


def test_an_article_missing_one_of_three_words_is_listed_as_a_partial_match(ranking_index: EngineConfig) -> None:
    # "jual" has "penjualan" (as "menjual") and "beras", not "kaktus"; "laris" has only "penjualan".
    result = _search(ranking_index, q="penjualan beras kaktus")
    assert result.total == 0 and [hit.id for hit in result.partial] == ["jual"]  # two of three words, not one
    both = _search(ranking_index, q="harga naik pedagang")  # every word: cabai_awal and cabai_akhir
    partial = _search(ranking_index, q="harga naik beras")  # all but "beras": the same two, and "jual" lacks "naik"
    assert both.total == 2 and partial.total == 0
    assert {hit.id for hit in partial.partial} == {"cabai_awal", "cabai_akhir", "jual"}


def test_partial_matches_follow_a_short_all_words_list_and_change_no_count(ranking_index: EngineConfig) -> None:
    strict = _search(ranking_index, q="menjual beras")
    assert [hit.id for hit in strict.hits] == ["jual"]
    assert "laris" in {hit.id for hit in strict.partial}  # "penjualan" without "beras"
    assert strict.total == 1 and sum(strict.counts["outlet"].values()) == 1 and sum(strict.counts["date"].values()) == 1
    filtered = _search(ranking_index, q="menjual beras", date="1999")
    assert filtered.total == 0 and filtered.partial == []  # the filters hold for partial matches too


FILLER = ("Pemerintah daerah menggelar rapat koordinasi bersama dinas terkait untuk membahas anggaran tahun depan. "
          "Warga berharap pelayanan publik semakin cepat dan tidak berbelit. Para pedagang pasar mengeluhkan harga "
          "bahan pokok yang naik menjelang akhir pekan. Petugas mencatat kenaikan jumlah pengunjung di pusat kota. ")


@pytest.fixture(scope="module")
def remembered_index(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    """Twelve copies of a long text holding "priok", "kontainer" and "jalan" once each (searched ungrouped), and one on Priok without "jalan"."""
    folder = tmp_path_factory.mktemp("remembered")
    for n in range(12):
        (folder / f"umum{n:02d}.txt").write_text(f"Rapat warga ke-{n}\nJAKARTA - {FILLER * 3}Sebuah truk kontainer dari Priok "
                                                 f"sempat berhenti di jalan protokol. {FILLER * 3}\n", encoding="utf-8")
    (folder / "dicari.txt").write_text("Antrean kontainer di Priok\nJAKARTA - Antrean truk kontainer di Pelabuhan Tanjung Priok "
                                       "mengular. Operator Priok menambah derek agar kontainer cepat dibongkar. Kontainer "
                                       "impor menumpuk di lapangan penumpukan Priok sejak pekan lalu.\n", encoding="utf-8")
    return backend.build(tmp_path_factory.mktemp("remembered-index"), folder)


def test_an_article_missing_a_common_word_is_shown_among_the_first_ten_and_not_counted(remembered_index: EngineConfig) -> None:
    result = _search(remembered_index, q="priok kontainer jalan", size=10, grouping=False)
    assert result.total == 12 and len(result.hits) == 10 and sum(result.counts["outlet"].values()) == 12
    [found] = [hit for hit in result.partial if hit.id == "dicari"]
    assert found.missing == "jalan" and found.before < 10  # among the page's hits, not after a full page of them
    assert [hit.id for hit in _search(remembered_index, q="priok kontainer jalan", size=10, page=2, grouping=False).partial] == []
    by_date = _search(remembered_index, q="priok kontainer jalan", size=10, sort="terbaru", grouping=False)
    assert by_date.partial == []  # a date order has no place for a match by score


def test_the_page_and_the_api_show_the_partial_match_at_its_place_with_the_word_it_lacks(remembered_index: EngineConfig) -> None:
    client = app_for(remembered_index)
    envelope = client.get("/api/search?q=priok+kontainer+jalan&grouping=off").get_json()
    [found] = [p for p in envelope["partial"] if p["id"] == "dicari"]
    assert envelope["total"] == 12 and found["missing"] == "jalan" and found["before"] < len(envelope["hits"])
    html = client.get("/?q=priok+kontainer+jalan&grouping=off").get_data(as_text=True)
    hits = html.index('<ol class="hits"')
    assert hits < html.index("Antrean kontainer di Priok") < html.rindex('<li class="hit"')  # among the hits, not after them
    assert "tidak memuat: <s>jalan</s>" in html and "Cocok sebagian</h3>" not in html
    output = CliRunner().invoke(main, ["search", "priok kontainer jalan", "--no-grouping", *cli_args(remembered_index)]).output
    assert output.index("~  Antrean kontainer di Priok") < output.index("\n10. ") and "tidak memuat: jalan" in output


@pytest.fixture(scope="module")
def ektp_index(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    """Four articles, each writing the electronic ID card its own way (IndoSum writes ``e - KTP``), and one without it."""
    folder = tmp_path_factory.mktemp("ektp")
    forms = {"hubung": "e-KTP", "spasi": "e - KTP", "pisah": "e KTP", "gabung": "eKTP"}
    for name, form in forms.items():
        (folder / f"{name}.txt").write_text(f"JAKARTA - Warga mengeluhkan pembuatan {form} yang lambat di kantor kecamatan.\n",
                                            encoding="utf-8")
    (folder / "lain.txt").write_text("JAKARTA - Warga mengeluhkan antrean kartu keluarga di kantor kecamatan.\n", encoding="utf-8")
    return backend.build(tmp_path_factory.mktemp("ektp-index"), folder)


@pytest.mark.parametrize("q", ["e-KTP", "e KTP", "eKTP", "e - KTP", "E-KTP", '"pembuatan e-KTP"'])
def test_every_spelling_of_e_ktp_finds_every_article_that_writes_it(ektp_index: EngineConfig, q: str) -> None:
    result = open_engine(ektp_index).search(SearchRequest(q=q, grouping=False))
    assert {hit.id for hit in result.hits} == {"hubung", "spasi", "pisah", "gabung"}
    assert all("<mark" in hit.snippet for hit in result.hits)  # marked in each article, however it writes it
