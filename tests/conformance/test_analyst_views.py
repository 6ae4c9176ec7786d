"""Analyst views through the app: several searches compared over time, and who covers a search."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from search.analyzer import stem_word
from search.domain.article import Article
from search.domain.request import SearchRequest
from search.engine import EngineConfig, open_engine
from tests.conftest import add_articles, app_for, cli_args
from web.cli import main


def test_compared_searches_share_one_axis_and_add_up_to_their_totals(sample_client) -> None:
    envelope = sample_client.get("/api/banding?q=jakarta&q=presiden&q=xyzzyqq").get_json()
    totals = {q: sample_client.get("/api/search", query_string={"q": q}).get_json()["total"] for q in ("jakarta", "presiden")}
    assert envelope["queries"] == ["jakarta", "presiden", "xyzzyqq"]
    assert envelope["totals"][:2] == [totals["jakarta"], totals["presiden"]] and envelope["totals"][2] == 0
    chart = envelope["chart"]
    periods = len(chart["periods"])
    assert periods > 3 and all(len(s["counts"]) == periods for s in chart["series"])
    undated = {q: sample_client.get("/api/search", query_string={"q": q}).get_json()["facets"]["date"] for q in ("jakarta",)}
    dated_jakarta = totals["jakarta"] - sum(v["count"] for v in undated["jakarta"] if v["value"] == "_none")
    assert sum(chart["series"][0]["counts"]) == dated_jakarta  # every dated match is in one period
    busiest = max(range(periods), key=lambda i: chart["series"][0]["counts"][i])
    period = chart["periods"][busiest]
    narrowed = sample_client.get("/api/search", query_string={"q": "jakarta", "from": period["from"], "to": period["to"]}).get_json()
    assert narrowed["total"] == chart["series"][0]["counts"][busiest]  # the same count the search gives for that period
    assert all(c <= p["all"] for s in chart["series"] for c, p in zip(s["counts"], chart["periods"], strict=True))


def test_shared_filters_and_shares_of_all_articles(sample_client) -> None:
    plain = sample_client.get("/api/banding?q=jakarta&q=presiden&outlet=cnnindonesia.com").get_json()
    cnn = sample_client.get("/api/search?q=jakarta&outlet=cnnindonesia.com").get_json()["total"]
    assert plain["totals"][0] == cnn and plain["filters"]["outlet"] == ["cnnindonesia.com"]
    assert plain["chart"]["series"][0]["url"] == "/?q=jakarta&outlet=cnnindonesia.com"
    share = sample_client.get(plain["share_url"].replace("/banding", "/api/banding")).get_json()["chart"]
    assert share["share"] and all(0 <= v <= 100 for s in share["series"] for v in s["values"])
    first = next(i for i, c in enumerate(share["series"][0]["counts"]) if c)
    assert abs(share["series"][0]["values"][first] - 100 * share["series"][0]["counts"][first] / share["periods"][first]["all"]) < 1e-3


def test_compare_csv_page_and_bad_input(sample_client) -> None:
    response = sample_client.get("/api/banding.csv?q=jakarta&q=presiden")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["dari", "sampai", "jakarta", "presiden", "semua_artikel"]
    json_chart = sample_client.get("/api/banding?q=jakarta&q=presiden").get_json()["chart"]
    assert [int(r[2]) for r in rows[1:]] == json_chart["series"][0]["counts"]
    page = sample_client.get("/banding?q=jakarta&q=presiden").get_data(as_text=True)
    assert "<polyline" in page and page.count("<polyline") == 2 and "Angka per" in page
    too_many = sample_client.get("/banding?" + "&".join(f"q=kata{i}" for i in range(6)))
    assert too_many.status_code == 400 and "paling banyak 5" in too_many.get_data(as_text=True)
    assert sample_client.get("/banding").status_code == 200  # an empty form, no error
    assert sample_client.get("/api/banding").status_code == 400
    assert '/banding?q=jakarta&amp;date=2017">bandingkan</a>' in sample_client.get("/?q=jakarta&date=2017").get_data(as_text=True)


def test_who_covers_a_search(sample_client) -> None:
    envelope = sample_client.get("/api/media?q=jakarta").get_json()
    search = sample_client.get("/api/search?q=jakarta").get_json()
    facet = {v["value"]: v["count"] for v in search["facets"]["outlet"]}
    assert envelope["total"] == search["total"]
    assert {o["key"]: o["count"] for o in envelope["outlets"]} == facet  # the outlet facet's counts
    everything = sample_client.get("/api/search").get_json()["facets"]["outlet"]
    output = {v["value"]: v["count"] for v in everything}
    for outlet in envelope["outlets"]:
        assert outlet["output"] == output[outlet["key"]]
        assert outlet["share_of_output"] == round(outlet["count"] / outlet["output"], 6)
        if outlet["first"]:
            first = sample_client.get("/api/search", query_string={"q": "jakarta", "outlet": outlet["key"], "sort": "terlama", "size": 1}).get_json()
            assert first["hits"][0]["date"] == outlet["first"]
    series = envelope["chart"]["series"]
    assert len(series) <= 6 and (series[-1]["name"] == "Lainnya") == (len(envelope["outlets"]) > 5)
    assert sum(s["total"] for s in series) == envelope["total"]
    rows = list(csv.reader(io.StringIO(sample_client.get("/api/media.csv?q=jakarta").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][2:-1] == [s["name"] for s in series]
    page = sample_client.get("/media?q=jakarta").get_data(as_text=True)
    assert "Siapa meliput" in page and "Dari semua artikelnya" in page


def test_berita_compare_prints_the_same_numbers_as_the_api(sample_client, sample_engine) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["compare", "jakarta", "presiden", "--outlet=-cnnindonesia.com", "--json", *cli_args(sample_engine)])
    assert shown.exit_code == 0, shown.output
    api = sample_client.get("/api/banding?q=jakarta&q=presiden&outlet=-cnnindonesia.com").get_json()
    assert json.loads(shown.output)["chart"]["series"][0]["counts"] == api["chart"]["series"][0]["counts"]
    table = runner.invoke(main, ["compare", "jakarta", "presiden", *cli_args(sample_engine)])
    last = table.output.strip().splitlines()[-1].split()
    totals = sample_client.get("/api/banding?q=jakarta&q=presiden").get_json()["chart"]["series"]
    assert last == ["jumlah", str(totals[0]["total"]), str(totals[1]["total"])]
    too_many = runner.invoke(main, ["compare", *"a b c d e f".split(), *cli_args(sample_engine)])
    assert too_many.exit_code == 1 and "paling banyak 5" in too_many.output


def test_what_a_search_is_about(sample_client) -> None:
    envelope = sample_client.get("/api/tentang?q=presiden").get_json()
    total = sample_client.get("/api/search?q=presiden").get_json()["total"]
    assert envelope["total"] == total and not envelope["sampled"] and envelope["read"] == total
    words = [w["text"] for w in envelope["words"]]
    scores = [w["score"] for w in envelope["words"]]
    assert scores == sorted(scores, reverse=True) and all(w["docs"] >= 3 for w in envelope["words"])
    assert not {"yang", "dan", "di", "dengan", "itu"} & set(words)  # no stop words
    phrase = envelope["phrases"][0]
    assert " " in phrase["text"] and phrase["url"].startswith("/?q=presiden+%22")  # a phrase is added quoted
    narrowed = sample_client.get("/api/search?" + phrase["url"].split("?", 1)[1]).get_json()
    assert 0 < narrowed["total"] <= total
    names = [n["text"] for n in envelope["names"]]
    assert names and all(n[0].isupper() for n in names) and not {"Senin", "Selasa", "Rabu", "WIB"} & set(names)
    page = sample_client.get("/tentang?q=presiden").get_data(as_text=True)
    assert "Kata khas" in page and "Frasa khas" in page and "tentang apa" in sample_client.get("/?q=presiden").get_data(as_text=True)


def test_the_searched_words_are_listed_in_no_inflection_word_phrase_or_name(sample_client) -> None:
    envelope = sample_client.get("/api/tentang?q=kepresidenan").get_json()  # the stem presiden: every inflection
    assert envelope["total"] == sample_client.get("/api/search?q=presiden").get_json()["total"] > 0
    listed = [w["text"] for w in envelope["words"]] + [p["text"] for p in envelope["phrases"]]
    assert envelope["words"] and envelope["phrases"]
    assert not [text for text in listed if "presiden" in {stem_word(word) for word in text.split()}]
    jokowi = sample_client.get("/api/tentang?q=jokowi").get_json()
    assert jokowi["names"] and "Jokowi" not in [n["text"] for n in jokowi["names"]]


def test_a_dateline_is_no_name_the_articles_mention_and_the_text_after_it_is_read(fresh_engine: EngineConfig) -> None:
    openings = ["JAKARTA, KOMPAS.com - Petani sawit di Riau mengeluhkan harga tandan buah segar",
                "Jakarta, CNN Indonesia -- Petani sawit di Riau menahan panen karena harga tandan buah segar",
                "Jakarta (ANTARA News) - Petani sawit di Riau meminta pemerintah menjaga harga tandan buah segar"]
    closing = "yang turun, kata Budi Santoso.\n\nIa berharap harga naik sebelum panen raya tiba tahun depan."
    add_articles(fresh_engine, [Article(id=f"s{i}", body=f"{opening} {closing}") for i, opening in enumerate(openings)])
    names = [n["text"] for n in app_for(fresh_engine).get("/api/tentang?q=sawit").get_json()["names"]]
    assert "Riau" in names and "Budi Santoso" in names  # right after the dateline, within its first characters
    assert not {"Jakarta", "JAKARTA", "CNN Indonesia", "KOMPAS"} & set(names)


def test_a_large_result_is_sampled_and_says_so(sample_client, monkeypatch) -> None:
    monkeypatch.setattr("search.analyst.keyness.SAMPLE", 100)
    envelope = sample_client.get("/api/tentang").get_json()  # the whole archive: 245 articles
    assert envelope["sampled"] and envelope["read"] == 100 and envelope["total"] == 245
    again = sample_client.get("/api/tentang").get_json()
    assert again["words"] == envelope["words"]  # the same sample for the same result
    assert "dipilih acak dari hasil (sampel)" in sample_client.get("/tentang").get_data(as_text=True)


def test_berita_terms_lists_the_same_terms_as_the_api(sample_client, sample_engine) -> None:
    shown = CliRunner().invoke(main, ["terms", "presiden", "--json", *cli_args(sample_engine)])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["words"] == sample_client.get("/api/tentang?q=presiden").get_json()["words"]


def test_words_spread_over_segments_are_counted_whole(fresh_engine: EngineConfig) -> None:
    def batch(start: int) -> None:  # each batch is a commit: a segment of its own
        found = [Article(id=f"a{start + i}", body=f"Petani sawit membangun kebun plasma bersama koperasi {i}. Hasil panen naik.") for i in range(2)]
        found += [Article(id=f"f{start + i}", body=f"Berita lain tentang sepak bola dan cuaca hari ini {i}.") for i in range(3)]
        add_articles(fresh_engine, found)

    batch(0)
    batch(10)
    words = {term.text: term.docs for term in open_engine(fresh_engine).about(SearchRequest(q="sawit")).words}
    assert words.get("plasma") == 4 and words.get("kebun") == 4  # two articles in each segment: four, not dropped under three


def test_legend_totals_are_the_search_totals_and_a_single_period_is_drawn(sample_client) -> None:
    envelope = sample_client.get("/api/banding?q=jakarta&q=presiden").get_json()
    assert [s["total"] for s in envelope["chart"]["series"]] == envelope["totals"]  # undated matches included
    one_day = sample_client.get("/api/banding?q=jakarta&from=2017-03-01&to=2017-03-01").get_json()["chart"]
    assert len(one_day["periods"]) == 1 and len(one_day["series"][0]["points"].split()) == 2  # a level line, not a dot
    media = sample_client.get("/api/media?q=jakarta").get_json()
    assert sum(s["total"] for s in media["chart"]["series"]) == media["total"]  # the top outlets and "Lainnya" hold every match
    csv_text = sample_client.get("/api/banding.csv", query_string={"q": ["=jakarta", "presiden"]}).get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines()[0] == "dari,sampai,'=jakarta,presiden,semua_artikel"  # no formula in a spreadsheet


def test_a_chart_counts_by_the_unit_the_reader_chooses_and_says_which(sample_client) -> None:
    auto = sample_client.get("/api/banding?q=jakarta&q=presiden&date=2017").get_json()["chart"]
    months = sample_client.get("/api/banding?q=jakarta&q=presiden&date=2017&unit=bulan").get_json()["chart"]
    assert auto["unit"] != "bulan" and months["unit"] == "bulan" and len(months["periods"]) == 12
    assert [s["total"] for s in months["series"]] == [s["total"] for s in auto["series"]]
    assert sum(months["series"][0]["counts"]) == sum(auto["series"][0]["counts"])  # the same matches, counted coarser
    assert [u["unit"] for u in months["units"] if u["selected"]] == ["bulan"]
    day = next(u for u in months["units"] if u["unit"] == "hari")
    assert "unit=hari" in day["url"] and "date=2017" in day["url"]  # the switch keeps the filters
    search = sample_client.get("/api/search?q=jakarta&date=2017&unit=bulan").get_json()["coverage"]
    assert search["unit"] == "bulan" and len(search["buckets"]) == 12
    bad = sample_client.get("/api/search?q=jakarta&unit=tahun")
    assert bad.status_code == 400 and "satuan grafik" in bad.get_json()["error"]


def test_each_period_of_a_chart_says_its_values_for_a_reader_that_points_at_it(sample_client) -> None:
    chart = sample_client.get("/api/banding?q=jakarta&q=presiden&date=2017&unit=bulan").get_json()["chart"]
    march = chart["columns"][2]
    counts = [s["counts"][2] for s in chart["series"]]
    assert march["describe"].startswith("Maret 2017: jakarta: " + str(counts[0]))
    assert f"presiden: {counts[1]}" in march["describe"]
    narrowed = sample_client.get(march["url"].replace("/banding", "/api/banding")).get_json()
    assert narrowed["totals"][0] == counts[0]  # a period's link narrows the comparison to that period


def test_the_analyst_views_name_the_filters_they_inherit(sample_client) -> None:
    args = "q=jakarta&outlet=cnnindonesia.com&date=2017"
    for path in ("/api/media", "/api/tentang", "/api/banding"):
        envelope = sample_client.get(f"{path}?{args}").get_json()
        assert [c["label"] for c in envelope["chips"]] == ["CNN Indonesia", "2017"], path
        removed = envelope["chips"][1]["remove_url"]
        assert "date=" not in removed and "outlet=cnnindonesia.com" in removed and "q=jakarta" in removed
        assert "outlet=" not in envelope["clear_url"] and "q=jakarta" in envelope["clear_url"]
        assert envelope["search_url"] == "/?q=jakarta&outlet=cnnindonesia.com&date=2017"


def test_a_date_written_day_first_is_the_same_date(sample_client) -> None:
    iso = sample_client.get("/api/search?q=presiden&from=2017-03-01&to=2017-12-31").get_json()
    written = sample_client.get("/api/search?q=presiden&from=1/3/2017&to=31/12/2017").get_json()
    assert written["total"] == iso["total"] > 0 and written["filters"]["from"] == "2017-03-01"
    bad = sample_client.get("/api/search?q=presiden&from=31/02/2017")
    assert bad.status_code == 400 and "HH/BB/TTTT" in bad.get_json()["error"]
