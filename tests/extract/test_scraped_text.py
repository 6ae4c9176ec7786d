"""Text as ordinary scrapers save it: one line, the dateline glued after a headline, a teaser or promotions.

Each shape the issue names is a hand-written file in ``tests/data/scraped/``, read through
``berita extract --json`` as a user would; the IndoSum articles rewritten in these shapes
(:mod:`bench.scraped`) hold outlet precision and recall to the targets.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from bench.extraction import CASES_DAY, score_corpus, score_scraped
from search.extract.text import extract_text
from tests.conftest import DATA, INDOSUM_SAMPLE, require_shared
from web.cli import main

SCRAPED = DATA / "scraped"
EXPECTED: dict[str, dict[str, object]] = {
    name: fields for name, fields in json.loads((SCRAPED / "expected.json").read_text(encoding="utf-8")).items() if not name.startswith("_")
}


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(main, ["extract", "--json", *sorted(str(SCRAPED / name) for name in EXPECTED)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    return {f"{record['id']}.txt": record for record in records}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_scraped_shape_gives_the_right_outlet_city_title_and_date(name: str, extracted: dict[str, dict[str, object]]) -> None:
    record = extracted[name]
    wanted = dict(EXPECTED[name])
    body_starts = str(wanted.pop("body_starts"))
    assert {field: record[field] for field in wanted} == wanted
    assert str(record["body"]).startswith(body_starts)


def test_every_file_has_its_expectations() -> None:
    assert sorted(path.name for path in SCRAPED.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize(
    "text",
    [
        "Warga menonton siaran yang disiarkan Kompas.com - sebuah media daring - sejak pagi, Senin (3/3/2025).",
        "Menurut data yang dihimpun detik-detik terakhir pertandingan berlangsung tegang. Penonton bersorak.",
        "Presiden berpidato di Jakarta, kata juru bicara kepada CNN Indonesia - yang dikutip media lain.",
    ],
)
def test_an_outlet_mentioned_inside_a_sentence_is_never_the_outlet(text: str) -> None:
    assert extract_text(text, article_id="x", today=dt.date(2026, 11, 30)).outlet_key is None


def test_one_line_indosum_sample_meets_the_targets_and_the_laid_out_figures_hold() -> None:
    records = [json.loads(line) for line in INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    laid_out = score_corpus(records)
    assert (laid_out.precision, laid_out.recall) >= (0.99, 0.95)
    for kind, score in score_scraped(records).items():
        assert score.labelled >= 150
        assert score.precision >= 0.99, (kind, score.confusions.most_common(5))
        assert score.recall >= 0.95, (kind, score.misses[:5])
        assert score.refused == 0


@pytest.mark.slow
def test_one_line_shapes_of_all_of_indosum_meet_the_targets() -> None:
    records = [json.loads(line) for line in require_shared("corpus/indosum/articles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for kind, score in score_scraped(records).items():
        assert score.precision >= 0.99, (kind, score.confusions.most_common(5))
        assert score.recall >= 0.95, (kind, score.misses[:5])
        assert score.refused == 0


HOUSE_STYLES = json.loads((DATA / "house_styles.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", HOUSE_STYLES, ids=[case["style"] for case in HOUSE_STYLES])
def test_every_house_style_flattened_to_one_line_keeps_its_outlet_and_date(case: dict) -> None:
    article = extract_text(" ".join(case["text"].split()), article_id=case["style"], today=CASES_DAY).to_dict()
    wanted = {field: case[field] for field in ("outlet_key", "date") if field in case}
    assert {field: article[field] for field in wanted} == wanted


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (  # a place-only dateline in capitals after the headline
            "Polisi Kerahkan 2.000 Personel untuk Final JAKARTA - Kepolisian mengerahkan 2.000 personel, Sabtu (8/3/2025).",
            {"outlet_key": None, "city": "Jakarta", "title": "Polisi Kerahkan 2.000 Personel untuk Final", "date": "2025-03-08"},
        ),
        (  # the date stamp between the headline and the dateline
            "Banjir Rendam Ratusan Rumah di Pati Rabu, 5 Maret 2025 14:20 WIB PATI, suaramerdeka.com - Banjir merendam ratusan rumah.",
            {"outlet_key": "suaramerdeka.com", "city": "Pati", "title": "Banjir Rendam Ratusan Rumah di Pati", "date": "2025-03-05"},
        ),
        (  # a syndication credit glued to the end names the outlet and leaves the body
            "Warga memadati car free day di Bogor, Minggu (9/3/2025). Artikel ini telah tayang di Kompas.com dengan judul \"Warga Bogor\"",
            {"outlet_key": "kompas.com", "body": "Warga memadati car free day di Bogor, Minggu (9/3/2025)."},
        ),
        (  # a headline that ends in a date keeps it
            "Upacara Bendera 17 Agustus 2017 BOGOR, KOMPAS.com - Upacara berlangsung khidmat.",
            {"outlet_key": "kompas.com", "city": "Bogor", "title": "Upacara Bendera 17 Agustus 2017"},
        ),
    ],
)
def test_glued_headers_and_credits(text: str, fields: dict[str, object]) -> None:
    article = extract_text(text, article_id="x", today=CASES_DAY).to_dict()
    assert {field: article[field] for field in fields} == fields


@pytest.mark.parametrize(
    ("dateline", "outlet_key", "city"),
    [
        ("JAKARTA, investor.id -", "investor.id", "Jakarta"),
        ("Jakarta, Beritasatu.com -", "beritasatu.com", "Jakarta"),
        ("Jakarta, IDN Times -", "idntimes.com", "Jakarta"),
        ("KONTAN.CO.ID - JAKARTA.", "kontan.co.id", "Jakarta"),
        ("VIVA –", "viva.co.id", None),
        ("TRIBUNJATIM.COM, SURABAYA -", "tribunjatim.com", "Surabaya"),
        ("Pikiran-Rakyat.com -", "pikiran-rakyat.com", None),
        ("Harianjogja.com, JOGJA—", "harianjogja.com", "Jogja"),
        ("Jakarta, CNBC Indonesia -", "cnbcindonesia.com", "Jakarta"),
        ("Bisnisupdate.com, MEDAN -", "bisnisupdate.com", "Medan"),
        ("SEMARANG (Suarabaru) -", "suarabaru", "Semarang"),
        ("MUSI RAWAS, SUMATERAEKSPRES.ID –", "sumateraekspres.id", "Musi Rawas"),
    ],
)
def test_datelines_of_many_outlets_glued_after_a_headline(dateline: str, outlet_key: str, city: str | None) -> None:
    headline = "Harga Emas Antam Naik Rp 5.000 Hari Ini"
    text = f"{headline} {dateline} Harga emas batangan naik pada perdagangan Senin (3/3/2025). Pedagang menyebut permintaan tinggi."
    article = extract_text(text, article_id="x", today=CASES_DAY)
    assert (article.outlet_key, article.city, article.title) == (outlet_key, city, headline)
    assert article.body.startswith("Harga emas batangan naik")
