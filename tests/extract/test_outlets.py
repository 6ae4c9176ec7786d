"""The outlet registry: one facet value per outlet, networks and subdomains included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.extract.outlets import default_registry
from search.extract.records import article_from_record
from tests.conftest import EXPECTATIONS_DAY
from web.cli import main


@pytest.mark.parametrize(
    ("written", "key", "name"),
    [
        ("SUMATERAEKSPRES.ID", "sumateraekspres.id", "Sumatera Ekspres"),
        ("Sumeks", "sumateraekspres.id", "Sumatera Ekspres"),
        ("cnn indonesia", "cnnindonesia.com", "CNN Indonesia"),
        ("CNN Indonesia", "cnnindonesia.com", "CNN Indonesia"),
        ("(ANTARA)", "antaranews.com", "ANTARA"),
        ("ANTARA News", "antaranews.com", "ANTARA"),
        ("regional.kompas.com", "kompas.com", "Kompas.com"),
        ("www.tempo.co", "tempo.co", "Tempo.co"),
        ("jatim.antaranews.com", "antaranews.com", "ANTARA"),
        ("tribunjogja.com", "tribunjogja.com", "Tribun Jogja"),
        ("radarsurabaya.jawapos.com", "radarsurabaya.jawapos.com", "Radar Surabaya"),
        ("sport.detik.com", "detik.com", "detikcom"),
        ("radarlampung.disway.id", "radarlampung.disway.id", "Radar Lampung"),
    ],
)
def test_spellings_resolve_to_one_outlet(written: str, key: str, name: str) -> None:
    outlet = default_registry().resolve(written)
    assert (outlet.key, outlet.name) == (key, name)


def test_unregistered_outlet_keeps_a_stable_key() -> None:
    registry = default_registry()
    first, second = registry.resolve("Kabarkriminal.online"), registry.resolve("KABARKRIMINAL.ONLINE")
    assert first.key == second.key == "kabarkriminal.online"
    assert not first.known and first.name == "Kabarkriminal.online"


def test_co_id_is_never_an_outlet_by_itself() -> None:
    assert default_registry().lookup("contoh.co.id") is None


def test_registry_covers_the_large_outlets_and_their_groups() -> None:
    from importlib import resources

    data = json.loads(resources.files("search").joinpath("data/outlets.json").read_text(encoding="utf-8"))
    keys = {entry["key"] for entry in data["outlets"]}
    assert len(keys) >= 50
    assert {"kompas.com", "detik.com", "tribunnews.com", "liputan6.com", "tempo.co", "antaranews.com", "cnnindonesia.com",
            "okezone.com", "sindonews.com", "republika.co.id", "suara.com", "idntimes.com", "jpnn.com", "viva.co.id",
            "kumparan.com", "bisnis.com", "merdeka.com", "cnbcindonesia.com", "tirto.id", "jawapos.com"} <= keys
    for entry in data["outlets"]:
        assert entry.get("group") in (None, *data["groups"]), entry["key"]
    assert default_registry().resolve("tribunmedan.com").group == "tribun-network"
    assert default_registry().resolve("tribunnews.com").group == "tribun-network"


def test_record_outlet_is_normalised_and_grouped() -> None:
    article, _ = article_from_record(
        {"id": "a", "text": "Isi.", "outlet": "Warta Kota"}, fallback_id="a", today=EXPECTATIONS_DAY, source="x"
    )
    assert (article.outlet_key, article.outlet_group) == ("wartakotalive.com", "tribun-network")


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://news.detik.com/berita/d-8171947/prabowo-resmikan-jembatan", "detik.com"),
        ("https://finance.detik.com/berita-ekonomi-bisnis/d-8172001/harga-emas", "detik.com"),
        ("https://hot.detik.com/celeb/d-8172002/konser", "detik.com"),
        ("https://nasional.kompas.com/read/2025/10/21/20430001/rapat", "kompas.com"),
        ("https://megapolitan.kompas.com/read/2025/10/21/banjir", "kompas.com"),
        ("https://amp.kompas.com/read/2025/10/21/banjir", "kompas.com"),
        ("https://m.liputan6.com/news/read/6190000/gempa", "liputan6.com"),
        ("http://www.liputan6.com/news/read/6190001/gempa", "liputan6.com"),
        ("https://jatim.antaranews.com/berita/900000/panen", "antaranews.com"),
        # Unregistered: the registrable domain under the Public Suffix List is an outlet of its own, never a guess.
        ("https://berita.contohmedia.co.id/2025/10/21/kabar", "contohmedia.co.id"),
        ("https://portal.pemkab-contoh.go.id/berita/1", "pemkab-contoh.go.id"),
        ("https://a.b.kabarkriminal.online/x", "kabarkriminal.online"),
    ],
)
def test_a_records_url_names_its_outlet(url: str, key: str, tmp_path: Path) -> None:
    """``berita extract --json`` on a scraper's JSONL record without an outlet field: the outlet is the URL's."""
    data = tmp_path / "detik.jsonl"
    data.write_text(json.dumps({"title": "Judul", "text": "Isi berita yang cukup panjang untuk dibaca.", "url": url}) + "\n", encoding="utf-8")
    shown = CliRunner().invoke(main, ["extract", "--json", str(data)])
    assert shown.exit_code == 0, shown.output
    [record] = json.loads(shown.output)
    assert record["outlet_key"] == key and record["url"] == url


@pytest.mark.parametrize("url", ["https://localhost/berita/1", "https://co.id/x", "http://127.0.0.1/berita", "bukan alamat"])
def test_an_address_without_a_registrable_domain_names_no_outlet(url: str) -> None:
    article, _ = article_from_record({"id": "a", "text": "Isi.", "url": url}, fallback_id="a", today=EXPECTATIONS_DAY, source="x")
    assert article.outlet_key is None


def test_the_records_own_outlet_field_comes_before_its_url() -> None:
    record = {"id": "a", "text": "Isi.", "outlet": "Warta Kota", "url": "https://news.detik.com/berita/d-1/x"}
    article, _ = article_from_record(record, fallback_id="a", today=EXPECTATIONS_DAY, source="x")
    assert article.outlet_key == "wartakotalive.com"
