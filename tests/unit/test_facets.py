"""The facet definitions, and what the page builds from them: toggle and exclusion links, chip labels, zero-result hints.

Every layer reads :data:`search.domain.facets.FACETS`; these tests hold the definitions to what
a reader meets: a URL parameter that narrows the search and is written back the same way, one
spelling per value, a heading, a name for the articles without a value, a command-line option.
Searches run on the shared indexes of ``tests/conftest.py`` (the five seeds; the seeds with 240
IndoSum articles) through the engine interface, as the app runs them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from click.testing import CliRunner
from werkzeug.datastructures import MultiDict

from search.domain.article import Article
from search.domain.facets import DATE, FACETS, GROUP, OUTLET, PARAMETER_ORDER, UNKNOWN, Facet, as_given
from search.domain.result import SearchResult
from search.engine import EngineConfig, open_engine
from web.cli import main
from web.envelope import request_args
from web.facet_labels import label_of, labels_of
from web.facets import active_filters, exclude_url, relaxations, toggle_url
from web.params import parse_search_args

# A value of each facet, as a reader would choose it.
CHOSEN = {"outlet": "kompas.com", "group": "tribun-network", "date": "2017-03", "city": "Musi Rawas",
          "category": "Tajuk utama", "author": "Andi Setiawan"}


def _search(index_dir: Path, query: str) -> SearchResult:
    """The search a query string asks for, run as the app runs it."""
    request = parse_search_args(MultiDict(parse_qsl(query)), 500)
    return open_engine(EngineConfig("whoosh", index_dir)).search(request)


def test_the_page_shows_the_facets_in_one_order_and_a_url_writes_them_in_another() -> None:
    assert [facet.name for facet in FACETS] == ["outlet", "group", "date", "city", "category", "author"]
    assert [facet.name for facet in PARAMETER_ORDER] == ["outlet", "group", "city", "category", "author", "date"]


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_each_facet_is_chosen_and_left_out_by_its_url_parameter(facet: Facet) -> None:
    value = CHOSEN[facet.name]
    chosen = parse_search_args(MultiDict([(facet.name, value)]), 500)
    assert chosen.chosen(facet.name) == (value,) and request_args(chosen) == [(facet.name, value)]
    left_out = parse_search_args(MultiDict([(facet.name, "-" + value)]), 500)
    assert left_out.left_out(facet.name) == (value,) and left_out.chosen(facet.name) == ()
    assert request_args(left_out) == [(facet.name, "-" + value)]


def test_a_shared_link_is_written_back_in_one_order_whatever_order_it_came_in() -> None:
    request = parse_search_args(MultiDict([("date", "2017"), ("city", "Jakarta"), ("q", "banjir"), ("outlet", "-kompas.com"),
                                           ("city", "Bekasi"), ("group", "ct-corp")]), 500)
    assert request_args(request) == [("q", "banjir"), ("outlet", "-kompas.com"), ("group", "ct-corp"), ("city", "Jakarta"),
                                     ("city", "Bekasi"), ("date", "2017")]


def test_the_date_takes_one_value_and_says_so() -> None:
    with pytest.raises(ValueError, match="pilih satu tanggal saja, bukan '2017, 2016' \\(kecualikan dengan -TTTT\\)"):
        parse_search_args(MultiDict([("date", "2017"), ("date", "2016")]), 500)
    with pytest.raises(ValueError, match="nilai tanggal tidak dikenal"):
        parse_search_args(MultiDict([("date", "-2017-13")]), 500)


def test_a_value_is_spelt_one_way_whatever_the_article_wrote() -> None:
    article = Article(id="a", body="Isi.", outlet_key=None, outlet_group="kompas-gramedia", city="MUSI RAWAS",
                      date=dt.date(2017, 3, 5), author="  Andi  SETIAWAN ", category="TAJUK UTAMA")
    assert {facet.name: facet.value_of(article) for facet in FACETS} == {
        "outlet": UNKNOWN, "group": "kompas-gramedia", "date": "2017-03", "city": "Musi Rawas", "category": "Tajuk utama",
        "author": "Andi Setiawan"}
    placeholders = Article(id="b", body="Isi.", city="DKI JAKARTA", author="-", category="…")
    assert [facet.value_of(placeholders) for facet in FACETS[2:]] == [UNKNOWN, "DKI Jakarta", UNKNOWN, UNKNOWN]


def test_every_facet_has_a_heading_and_a_command_line_option(sample_client, seed_client) -> None:
    page = sample_client.get("/").get_data(as_text=True)
    help_text = CliRunner().invoke(main, ["search", "--help"]).output
    for facet in FACETS:
        words = labels_of(facet)
        assert f'<section class="facet" id="facet-{facet.name}">\n      <h2>{words.heading}</h2>' in page
        assert f"--{facet.name} {words.metavar}" in help_text
    # The seeds name no rubrik: an optional facet no article has is left out rather than shown empty.
    assert 'id="facet-category"' not in seed_client.get("/").get_data(as_text=True)


def test_a_facet_without_words_is_refused_rather_than_shown_unnamed() -> None:
    topic = Facet("topic", "topics", "category", "topic_facet", as_given)
    with pytest.raises(LookupError, match="'topic'"):
        labels_of(topic)


def test_choosing_a_value_adds_it_or_replaces_the_choice_as_the_facet_says() -> None:
    args = [("q", "banjir"), ("outlet", "kompas.com"), ("group", "ct-corp"), ("date", "2017"), ("page", "3")]
    assert toggle_url("/", args, OUTLET.name, "detik.com", multi=OUTLET.adds) == (
        "/?q=banjir&outlet=kompas.com&group=ct-corp&date=2017&outlet=detik.com")
    assert toggle_url("/", args, GROUP.name, "emtek", multi=GROUP.adds) == "/?q=banjir&outlet=kompas.com&date=2017&group=emtek"
    assert toggle_url("/", args, DATE.name, "2016-05", multi=DATE.adds) == (
        "/?q=banjir&outlet=kompas.com&group=ct-corp&date=2016-05")
    assert toggle_url("/", args, OUTLET.name, "kompas.com", multi=OUTLET.adds) == "/?q=banjir&group=ct-corp&date=2017"


def test_leaving_a_value_out_and_taking_it_back() -> None:
    args = [("q", "banjir"), ("city", "Jakarta"), ("city", "Bekasi"), ("page", "2")]
    assert exclude_url("/", args, "city", "Jakarta") == "/?q=banjir&city=Bekasi&city=-Jakarta"
    left_out = [("q", "banjir"), ("city", "-Jakarta"), ("date", "-2017")]
    assert toggle_url("/", left_out, "city", "Jakarta", multi=True) == "/?q=banjir&date=-2017"  # the exclusion is lifted


def test_chips_name_values_as_readers_know_them(sample_index_dir: Path) -> None:
    result = _search(sample_index_dir, "q=jakarta")
    assert label_of(OUTLET, "cnnindonesia.com", result) == "CNN Indonesia"
    assert label_of(GROUP, "ct-corp", result) == "CT Corp (Trans Media)"
    assert [label_of(DATE, key, result) for key in ("2017", "2017-03")] == ["2017", "Maret 2017"]
    assert label_of(FACETS[3], "Jakarta", result) == "Jakarta"
    assert [label_of(facet, UNKNOWN, result) for facet in FACETS] == [
        "Tidak diketahui", "Tanpa grup", "Tanpa tanggal", "Tanpa kota", "Tanpa rubrik", "Tanpa penulis"]


def test_each_filter_in_force_is_a_chip_that_removes_it(sample_index_dir: Path) -> None:
    result = _search(sample_index_dir, "q=jakarta&date=-2017&category=Olahraga&outlet=cnnindonesia.com&from=2016-01-01")
    chips = active_filters(result, "/", request_args(result.request))
    assert [(chip["label"], chip["remove_url"]) for chip in chips] == [
        ("CNN Indonesia", "/?q=jakarta&category=Olahraga&date=-2017&from=2016-01-01"),
        ("Olahraga", "/?q=jakarta&outlet=cnnindonesia.com&date=-2017&from=2016-01-01"),
        ("bukan 2017", "/?q=jakarta&outlet=cnnindonesia.com&category=Olahraga&from=2016-01-01"),
        ("sejak 1 Jan 2016", "/?q=jakarta&outlet=cnnindonesia.com&category=Olahraga&date=-2017"),
    ]


@pytest.mark.parametrize(("query", "hints"), [
    ("q=jakarta&outlet=suara.com&category=Olahraga&date=-2017", {
        "outlet": "Tanpa saringan media Suara.com", "category": "Tanpa saringan rubrik Olahraga",
        "date": "Tanpa saringan bukan 2017", "all": "Tanpa saringan apa pun"}),
    ("q=jakarta&city=Bekasi&group=ct-corp&date=2016", {
        "group": "Tanpa saringan jaringan media CT Corp (Trans Media)", "city": "Tanpa saringan kota Bekasi",
        "date": "Tanpa saringan tahun 2016", "all": "Tanpa saringan apa pun"}),
    ("q=jakarta&city=Bekasi&date=2017-06", {
        "city": "Tanpa saringan kota Bekasi", "date": "Tanpa saringan bulan Juni 2017", "all": "Tanpa saringan apa pun"}),
])
def test_zero_results_name_each_filter_and_count_what_dropping_it_gives(sample_index_dir: Path, query: str, hints: dict[str, str]) -> None:
    result = _search(sample_index_dir, query)
    assert result.total == 0
    offered = relaxations(result, "/", request_args(result.request))
    assert {item["filter"]: item["label"] for item in offered} == hints
    for item in offered:
        assert _search(sample_index_dir, str(item["url"]).removeprefix("/?")).total == item["count"], item["label"]
