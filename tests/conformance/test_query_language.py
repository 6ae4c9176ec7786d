"""The query language, operator by operator, and repairs of bad syntax (never an error)."""

from __future__ import annotations

import pytest

from search.querylang import prepare
from tests.conftest import Backend, app_for


@pytest.fixture(scope="module")
def client(backend: Backend, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("bahasa")
    articles = {
        "minyak.txt": "Harga Minyak Dunia Turun\nJakarta, CNN Indonesia -- Harga minyak mentah turun tajam.",
        "beras.txt": "Harga Beras Stabil\nJAKARTA, KOMPAS.com - Harga beras di pasar stabil jelang Lebaran.",
        "minyak_goreng.txt": "Stok Aman Jelang Puasa\nJAKARTA, KOMPAS.com - Minyak goreng dan beras tersedia, harga terkendali.",
        "penjualan.txt": "Mobil Listrik Laris\nSuara.com - Penjualan mobil listrik melonjak, stok minyak tidak terpengaruh.",
        "ektp.txt": "Warga Antre e-KTP\nBekasi, Suara.com - Warga antre e-KTP, petugas buka-bukaan soal blangko.",
    }
    for name, text in articles.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return app_for(backend.build(tmp_path_factory.mktemp("bahasa-index"), folder))


def _search(client, q: str) -> dict:
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_json()


def _ids(client, q: str) -> set[str]:
    """Every matching article, those grouped under another hit of their story too."""
    return {a["id"] for hit in _search(client, q)["hits"] for a in (hit, *hit["similar"])}


@pytest.mark.parametrize(
    ("q", "ids"),
    [
        ("harga beras", {"beras", "minyak_goreng"}),  # all words required
        ("mentah OR listrik", {"minyak", "penjualan"}),
        ("minyak -goreng", {"minyak", "penjualan"}),
        ("minyak NOT goreng", {"minyak", "penjualan"}),
        ('"minyak goreng"', {"minyak_goreng"}),
        ('"harga minyak"', {"minyak"}),
        ("judul:minyak", {"minyak"}),  # only the headline counts
        ("title:beras", {"beras"}),
        ('judul:"harga beras"', {"beras"}),
        ("outlet:kompas", {"beras", "minyak_goreng"}),
        ("outlet:kompas.com minyak", {"minyak_goreng"}),
        ("outlet:cnn harga", {"minyak"}),
        ("penj*", {"penjualan"}),  # prefix of the word as written
        ("list*", {"penjualan"}),
        ("(mentah OR listrik) minyak", {"minyak", "penjualan"}),
        ("buka-bukaan", {"ektp"}),  # a hyphen inside a word is not NOT
        ("e-KTP warga", {"ektp"}),
        ("warga - petugas", {"ektp"}),  # a dash standing alone is punctuation
    ],
)
def test_operators(client, q: str, ids: set[str]) -> None:
    assert _ids(client, q) == ids


@pytest.mark.parametrize(
    ("q", "notice"),
    [
        ('"harga minyak', "Tanda kutip"),
        ("(harga minyak", "Tanda kurung"),
        ("harga AND", "Operator"),
        ("OR harga", "Operator"),
        ("mi* minyak", "awalan"),
    ],
)
def test_bad_syntax_gives_a_notice_and_best_effort_results(client, q: str, notice: str) -> None:
    result = _search(client, q)
    assert notice in result["notice"]
    assert result["total"] > 0 or result["partial"]  # all the words, or (uncounted) some of them


def test_did_you_mean(client) -> None:
    result = client.get("/api/search?q=minyka&correction=off").get_json()  # as typed: not searched as corrected
    assert result["total"] == 0
    assert result["suggestion"] == {"query": "minyak", "url": "/api/search?q=minyak"}
    html = client.get("/?q=minyka&outlet=kompas.com&correction=off").get_data(as_text=True)
    assert 'Mungkin maksud Anda: <a href="/?q=minyak&amp;outlet=kompas.com">minyak</a>' in html


def test_no_suggestion_when_the_words_exist(client) -> None:
    assert _search(client, "minyak")["suggestion"] is None


def test_highlights_are_the_words_as_written(client) -> None:
    [hit] = _search(client, "menjual listrik")["hits"]
    assert "<mark" in hit["snippet"] and ">Penjualan</mark>" in hit["snippet"] and ">listrik</mark>" in hit["snippet"]


def test_unknown_field_prefix_is_just_words() -> None:
    assert prepare("body:harga").text == "body harga"
    assert prepare("tanggal:2024").text == "tanggal 2024"


def test_partial_matches_keep_the_outlet_restriction(client) -> None:
    result = _search(client, "outlet:kompas mentah beras")  # no Kompas article has both words
    assert "sebagian kata" in result["notice"] and result["total"] == 0
    assert {hit["id"] for hit in result["partial"]} == {"beras", "minyak_goreng"}  # not CNN's "mentah" article
