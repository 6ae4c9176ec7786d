"""The city a dateline gives is a place: never a rubric, a country alone, an acronym or a misspelt place.

The examples are openings of IndoSum articles, whose words once became cities of the facet.
"""

from __future__ import annotations

import datetime as dt

import pytest

from search.domain.article import Article
from search.extract.datelines import without_dateline
from search.extract.text import extract_text

TODAY = dt.date(2018, 3, 1)
LEAD = "Pertemuan itu berlangsung tertutup dan membahas anggaran negara tahun depan secara rinci bersama para pejabat daerah."


def _extract(text: str) -> Article:
    return extract_text(text, article_id="a", today=TODAY)


@pytest.mark.parametrize("text", [
    "OPINI - Dalam konstelasi Pilkada DKI Jakarta tahun ini, kita dipertontonkan dua pasangan calon.",
    "ANALISIS – Sampai detik-detik terakhir Pilkada DKI 2017, pertarungan sengit masih terus terjadi.",
    f"{LEAD}\n\nSIMAK JUGA - United & Chelsea Inginkan James Rodriguez\n\n{LEAD}",
    f"{LEAD}\n\nS - 400 dan S - 300 adalah sistem pertahanan udara canggih yang dimiliki Rusia.",
    "H - 2 lebaran, Stasiun Pasar Senen semakin dipadati pemudik yang akan menuju kampung halaman.",
    "GO - JEK perlahan tapi pasti menambah fungsionalitas GO - PAY untuk membayar tagihan.",
    f"{LEAD}\n\nKepada DailySocial, Co - Founder dan CEO Visio Incubator Hendriko Firman mengungkapkan hal itu.",
])
def test_a_word_where_a_dateline_place_would_stand_is_not_a_city_unless_it_is_a_place(text: str) -> None:
    assert _extract(text).city is None


def test_a_country_alone_is_a_dateline_without_a_city_and_beside_a_city_only_says_where_it_is() -> None:
    alone = _extract("INGGRIS – Manchester City terus dikabarkan bakal mendatangkan bintang Barcelona, Lionel Messi.")
    assert alone.city is None and alone.body.startswith("Manchester City")  # still a dateline: cut from the body
    beside = _extract("Bulacan, Filipina (ANTARA News) - Pelatih timnas Indonesia Alfred Riedl mengaku senang.")
    assert beside.city == "Bulacan" and beside.outlet_key == "antaranews.com"


@pytest.mark.parametrize("text", [
    "AKARTA (Pos Kota) – Presiden Jokowi mengucap syukur ketika mengetahui penyidik KPK akan kembali.",
    "Jakart (ANTARA News) - Pemerintah Provinsi DKI Jakarta berencana segera menertibkan bangunan liar.",
    "MADIRD, JUARA.net - Minimnya jam terbang di Real Madrid tak membuat James Rodriguez berkecil hati.",
])
def test_a_known_place_with_a_letter_lost_or_swapped_leaves_the_city_unknown_not_guessed(text: str) -> None:
    article = _extract(text)
    assert article.city is None and article.outlet is not None  # the dateline is read; only its place is doubtful


@pytest.mark.parametrize(("text", "city"), [
    ("SEPANG, JUARA.net - Pebalap Repsol Honda Dani Pedrosa akan start dari posisi terdepan.", "Sepang"),
    ("BRUSSELS, JUARA.net - Manajer Manchester United Jose Mourinho mengindikasikan musimnya berakhir.", "Brussels"),
    ("TERMAS DE RIO HONDO, JUARA.net - Autodromo Termas de Rio Hondo menjadi tuan rumah seri kedua.", "Termas De Rio Hondo"),
])
def test_a_place_abroad_no_list_knows_is_still_the_city(text: str, city: str) -> None:
    assert _extract(text).city == city


def test_an_acronym_before_the_city_is_not_the_city() -> None:
    text = "Perserikatan Bangsa - Bangsa / PBB, New York (ANTARA News) - Utusan Inggris menyatakan negaranya tidak sepakat."
    assert _extract(text).city == "New York"


def test_a_record_body_read_without_its_dateline_keeps_everything_else() -> None:
    body = "JAKARTA, KOMPAS.com - Presiden Joko Widodo meresmikan jalan tol.\n\nPeresmian berlangsung di Semarang."
    assert without_dateline(body) == "Presiden Joko Widodo meresmikan jalan tol.\nPeresmian berlangsung di Semarang."
    assert without_dateline("Tanpa dateline sama sekali.") == "Tanpa dateline sama sekali."
