"""City, rubrik and author facets, and leaving a facet value out (``outlet=-kompas.com``)."""

from __future__ import annotations

import pytest

from search.domain.facets import facet_value


def test_excluding_a_value_drops_the_total_by_exactly_its_count(sample_client) -> None:
    everything = sample_client.get("/api/search?q=jakarta").get_json()
    for facet in ("outlet", "city", "category", "date"):
        values = [v for v in everything["facets"][facet] if v["count"] and v["value"] != "_none"]
        value = values[0]
        without = sample_client.get(value["exclude_url"]).get_json()
        assert without["total"] == everything["total"] - value["count"], facet
        assert without["filters"]["excluded"] == {facet: [value["value"]]}
        listed = next(v for v in without["facets"][facet] if v["value"] == value["value"])
        assert listed["excluded"] and listed["count"] == value["count"] and listed["exclude_url"] is None  # still listed, marked
        back = sample_client.get(listed["toggle_url"]).get_json()
        assert back["total"] == everything["total"] and back["filters"]["excluded"] == {}  # choosing it again lifts the exclusion


def test_exclusions_combine_with_choices_and_other_filters(sample_client) -> None:
    chosen = sample_client.get("/api/search?q=jakarta&date=2017").get_json()
    outlet = chosen["facets"]["outlet"][0]
    narrowed = sample_client.get(f"/api/search?q=jakarta&date=2017&outlet=-{outlet['value']}").get_json()
    assert narrowed["total"] == chosen["total"] - outlet["count"]
    assert all(hit["outlet_key"] != outlet["value"] for hit in narrowed["hits"])
    chips = [item["label"] for item in narrowed["active_filters"]]
    assert chips == ["2017", f"bukan {outlet['label']}"]
    page = sample_client.get(f"/?q=jakarta&date=2017&outlet=-{outlet['value']}").get_data(as_text=True)
    assert f"bukan {outlet['label']}" in page and 'class="facet-value excluded"' in page
    other = chosen["facets"]["outlet"][1]
    assert f'outlet=-{other["value"]}" title="Semua hasil kecuali {other["label"]}">kecuali {other["label"]}</a>' in page


def test_city_rubrik_and_author_are_facets_of_their_own(sample_client) -> None:
    envelope = sample_client.get("/api/search?q=jakarta").get_json()
    cities = {v["value"]: v["count"] for v in envelope["facets"]["city"]}
    assert "Jakarta" in cities and "JAKARTA" not in cities  # one spelling for one place
    narrowed = sample_client.get("/api/search?q=jakarta&city=Jakarta").get_json()
    assert narrowed["total"] == cities["Jakarta"] and {h["city"].lower() for h in narrowed["hits"]} == {"jakarta"}
    rubrik = {v["value"]: v["count"] for v in envelope["facets"]["category"]}
    assert "Tajuk utama" in rubrik
    assert sample_client.get("/api/search?q=jakarta&category=Tajuk+utama").get_json()["total"] == rubrik["Tajuk utama"]
    seeds = sample_client.get("/api/search?q=netralitas").get_json()
    assert all(v["value"] != "_none" or v["label"] == "Tanpa penulis" for v in seeds["facets"]["author"])


def test_bad_exclusions_are_clear_messages(sample_client) -> None:
    response = sample_client.get("/api/search?q=jakarta&date=-2017-13")
    assert response.status_code == 400 and "-TTTT" in response.get_json()["error"]
    response = sample_client.get("/api/search?q=jakarta&date=2017&date=2016")
    assert response.status_code == 400 and "satu tanggal" in response.get_json()["error"]
    assert sample_client.get("/api/search?q=jakarta&outlet=-").status_code == 200  # a bare "-" leaves nothing out


@pytest.mark.parametrize(("kind", "written", "value"), [
    ("city", "MUSI RAWAS", "Musi Rawas"), ("city", "DKI JAKARTA", "DKI Jakarta"), ("city", "Banjarmasin", "Banjarmasin"),
    ("city", "IKN", "IKN"), ("category", "TAJUK UTAMA", "Tajuk utama"), ("author", "  Andi  SETIAWAN ", "Andi Setiawan"),
    ("city", " ", None), ("author", "-", None), ("author", "…", None),
])
def test_names_written_differently_are_one_facet_value(kind: str, written: str, value: str | None) -> None:
    assert facet_value(kind, written) == value


def test_a_new_search_keeps_every_filter_and_kecuali_shows_only_where_it_changes_the_total(sample_client) -> None:
    page = sample_client.get("/?q=jakarta&city=Jakarta&outlet=-cnnindonesia.com&category=Tajuk+utama").get_data(as_text=True)
    form = page.split('<form class="search"', 1)[1].split("</form>", 1)[0]
    for name, value in (("city", "Jakarta"), ("outlet", "-cnnindonesia.com"), ("category", "Tajuk utama")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in form
    chosen = sample_client.get("/api/search?q=jakarta&outlet=antaranews.com").get_json()
    others = [v for v in chosen["facets"]["outlet"] if v["value"] != "antaranews.com"]
    assert others and all(v["exclude_url"] is None for v in others)  # leaving another outlet out would change nothing
    year = sample_client.get("/api/search?q=jakarta&date=2017").get_json()["facets"]["date"]
    months = next(y for y in year if y["value"] == "2017")["months"]
    assert all(m["exclude_url"] for m in months)  # a month inside the chosen year can be left out
    ranged = sample_client.get("/api/search?q=jakarta&from=2017-01-01&to=2017-06-30").get_json()["facets"]["date"]
    assert all(v["exclude_url"] is None for v in ranged if v["value"] == "_none")  # the range already leaves them out
