"""Datelines, credits and boilerplate of the Indonesian press, one hand-written case per house style.

The cases live in tests/data/house_styles.json so ``python -m bench.extraction`` scores the
same set the tests check.
"""

from __future__ import annotations

import json

import pytest

from bench.extraction import CASES_DAY, DEFAULT_CASES
from search.extract.text import extract_text

CASES = json.loads(DEFAULT_CASES.read_text(encoding="utf-8"))
FIELDS = ("outlet_key", "outlet", "city", "date", "title", "author", "editor")


@pytest.mark.parametrize("case", CASES, ids=[case["style"] for case in CASES])
def test_house_style(case: dict) -> None:
    article = extract_text(case["text"], article_id=case["style"], today=CASES_DAY)
    got = article.to_dict()
    for name in FIELDS:
        if name in case:
            assert got[name] == case[name], name
    for text in case.get("body_excludes", []):
        assert text not in article.body
    assert article.body  # the article itself is never lost


def test_every_style_named_in_the_issue_has_a_case() -> None:
    styles = {case["style"] for case in CASES}
    assert {
        "kompas", "liputan6", "tempo", "antara", "republika", "cnn-indonesia", "suara", "bisnis", "idn-times",
        "jpnn", "jpnn-regional", "viva", "okezone", "tribun-regional", "wartakota", "detik", "glued-dash",
        "em-dash-no-space", "date-line-above", "mention-is-not-outlet", "no-dateline-no-guess",
    } <= styles


@pytest.mark.parametrize(
    ("line", "outlet_key", "city"),
    [
        ("JAKARTA, KOMPAS.com - Isi", "kompas.com", "Jakarta"),
        ("JAKARTA, KOMPAS.com – Isi", "kompas.com", "Jakarta"),
        ("JAKARTA, KOMPAS.com — Isi", "kompas.com", "Jakarta"),
        ("JAKARTA, KOMPAS.com -- Isi", "kompas.com", "Jakarta"),
        ("JAKARTA,KOMPAS.com - Isi", "kompas.com", "Jakarta"),
        ("JAKARTA, KOMPAS.com -Isi", "kompas.com", "Jakarta"),
        ("JAKARTA, KOMPAS.com- Isi", "kompas.com", "Jakarta"),
        ("Jakarta , CNN Indonesia -- Isi", "cnnindonesia.com", "Jakarta"),
        ("TRIBUNJATENG.COM, SEMARANG - Isi", "tribunjateng.com", "Semarang"),
        ("RADARBOGOR.ID, BOGOR - Isi", "radarbogor.id", "Bogor"),
        ("news.detik.com, Jakarta - Isi", "detik.com", "Jakarta"),
    ],
)
def test_dash_and_spacing_variants(line: str, outlet_key: str, city: str) -> None:
    article = extract_text(line + " berita hari ini.", article_id="x", today=CASES_DAY)
    assert (article.outlet_key, article.city) == (outlet_key, city)
    assert article.body.startswith("Isi")


@pytest.mark.parametrize(
    "text",
    [
        "Presiden Joko Widodo (Jokowi) - dalam kunjungannya meresmikan jalan tol.",
        "Pertandingan Persib - Persija berakhir imbang.",
        "Wakil Ketua DPR, Fadli Zon - yang juga politisi - mengkritik kebijakan itu.",
        "Sebanyak 20 - 30 orang hadir dalam acara itu.",
        "Jum'at, Kamis - hari yang sibuk.",
    ],
)
def test_ordinary_sentences_are_not_datelines(text: str) -> None:
    article = extract_text(text + "\nParagraf kedua.", article_id="x", today=CASES_DAY)
    assert article.outlet_key is None and article.city is None
