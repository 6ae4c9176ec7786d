"""The outlet registry: one facet value per outlet, networks and subdomains included."""

from __future__ import annotations

import json

import pytest

from search.extract.outlets import default_registry
from search.extract.records import article_from_record
from tests.conftest import EXPECTATIONS_DAY


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
