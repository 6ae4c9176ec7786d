"""Filter masks and facet counts over the matches: chosen and excluded values, years, months, date ranges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from search.analyst.periods import day_number
from search.backends.whoosh.columns import CODED, VOCABULARIES, Columns
from search.backends.whoosh.filtering import all_of, count_facets, facet_masks
from search.domain.facets import UNKNOWN
from search.domain.request import SearchRequest
from search.engine import EngineConfig, open_engine

# One row per article: outlet, group, city, category, author, date ("" for an undated article).
ARTICLES = [
    ("uji-kompas.com", "uji-kg", "Jakarta", "Politik", "Ani", "2016-08-03"),  # 0
    ("uji-kompas.com", "uji-kg", "Bandung", "Olahraga", "Budi", "2016-11-20"),  # 1
    ("uji-tempo.co", UNKNOWN, "Jakarta", "Politik", "Ani", "2017-01-31"),  # 2
    ("uji-tempo.co", UNKNOWN, "Surabaya", "Ekonomi", UNKNOWN, "2017-02-01"),  # 3
    ("uji-detik.com", "uji-ct", "Jakarta", "Ekonomi", "Citra", ""),  # 4: undated
    ("uji-detik.com", "uji-ct", "Medan", "Politik", "Budi", "2017-02-28"),  # 5
    ("uji-antara.com", UNKNOWN, UNKNOWN, "Olahraga", UNKNOWN, ""),  # 6: undated
    ("uji-kompas.com", "uji-kg", "Jakarta", "Politik", "Ani", "2018-05-05"),  # 7
]
EVERY = np.arange(len(ARTICLES), dtype=np.int64)


def coded(name: str, values: list[str]) -> np.ndarray:
    return np.array([VOCABULARIES[name].code(v) for v in values], dtype=np.int32)


@pytest.fixture(scope="module")
def columns() -> Columns:
    """The articles' facet columns, coded as an index's are (shared value codes, a live mask)."""
    outlets, groups, cities, categories, authors, dates = (list(column) for column in zip(*ARTICLES, strict=True))
    arrays = {
        "outlet_facet": coded("outlet_facet", outlets),
        "group_facet": coded("group_facet", groups),
        "month": coded("month", [date[:7] or UNKNOWN for date in dates]),
        "city_facet": coded("city_facet", cities),
        "category_facet": coded("category_facet", categories),
        "author_facet": coded("author_facet", authors),
        "date": np.array([day_number(dt.date.fromisoformat(d)) if d else 0 for d in dates], dtype=np.int32),
    }
    assert set(arrays) == {*CODED, "date"}
    return Columns(arrays, np.ones(len(ARTICLES), dtype=bool))


def kept(request: SearchRequest, columns: Columns, docs: np.ndarray = EVERY) -> list[int]:
    """The documents every filter of ``request`` keeps."""
    masks = facet_masks(request, columns, docs)
    return docs[all_of(list(masks.values()), len(docs))].tolist()


def test_no_selection_makes_no_mask_and_keeps_everything(columns: Columns) -> None:
    assert facet_masks(SearchRequest(), columns, EVERY) == {}
    assert kept(SearchRequest(), columns) == EVERY.tolist()


def test_a_chosen_outlet_keeps_only_its_articles(columns: Columns) -> None:
    assert kept(SearchRequest(outlets=("uji-tempo.co",)), columns) == [2, 3]


def test_several_chosen_values_of_one_facet_keep_the_articles_with_any_of_them(columns: Columns) -> None:
    assert kept(SearchRequest(outlets=("uji-tempo.co", "uji-detik.com")), columns) == [2, 3, 4, 5]
    assert kept(SearchRequest(cities=("Bandung", "Medan")), columns) == [1, 5]


def test_chosen_values_of_different_facets_must_all_hold(columns: Columns) -> None:
    assert kept(SearchRequest(cities=("Jakarta",), categories=("Politik",)), columns) == [0, 2, 7]
    assert kept(SearchRequest(cities=("Jakarta",), categories=("Politik",), authors=("Ani",), groups=("uji-kg",)), columns) == [0, 7]


def test_a_value_the_index_never_saw_selects_nothing_rather_than_everything(columns: Columns) -> None:
    assert kept(SearchRequest(outlets=("uji-belum-pernah-ada.id",)), columns) == []


def test_an_excluded_outlets_articles_are_never_kept(columns: Columns) -> None:
    assert kept(SearchRequest(excluded=(("outlet", "uji-kompas.com"),)), columns) == [2, 3, 4, 5, 6]
    assert kept(SearchRequest(excluded=(("outlet", "uji-kompas.com"), ("outlet", "uji-detik.com"))), columns) == [2, 3, 6]


def test_an_exclusion_wins_over_a_choice_of_the_same_facet(columns: Columns) -> None:
    request = SearchRequest(categories=("Politik", "Ekonomi"), excluded=(("category", "Ekonomi"), ("city", "Jakarta")))

    assert kept(request, columns) == [5]


def test_excluding_an_unknown_value_leaves_everything(columns: Columns) -> None:
    assert kept(SearchRequest(excluded=(("author", "uji-tak-dikenal"),)), columns) == EVERY.tolist()


def test_a_year_keeps_every_month_of_it_and_a_month_only_itself(columns: Columns) -> None:
    assert kept(SearchRequest(date="2017"), columns) == [2, 3, 5]
    assert kept(SearchRequest(date="2017-02"), columns) == [3, 5]
    assert kept(SearchRequest(date="2016-12"), columns) == []


def test_the_undated_bucket_keeps_the_articles_without_a_date(columns: Columns) -> None:
    assert kept(SearchRequest(date=UNKNOWN), columns) == [4, 6]


def test_an_excluded_year_or_month_takes_its_articles_out(columns: Columns) -> None:
    assert kept(SearchRequest(excluded=(("date", "2017"),)), columns) == [0, 1, 4, 6, 7]
    assert kept(SearchRequest(excluded=(("date", "2016-08"), ("date", UNKNOWN))), columns) == [1, 2, 3, 5, 7]
    assert kept(SearchRequest(date="2017", excluded=(("date", "2017-02"),)), columns) == [2]


def test_a_date_range_includes_both_of_its_days(columns: Columns) -> None:
    assert kept(SearchRequest(date_from=dt.date(2017, 1, 31), date_to=dt.date(2017, 2, 28)), columns) == [2, 3, 5]
    assert kept(SearchRequest(date_from=dt.date(2017, 2, 1), date_to=dt.date(2017, 2, 1)), columns) == [3]


def test_an_open_ended_range_runs_to_the_end_or_from_the_start(columns: Columns) -> None:
    assert kept(SearchRequest(date_from=dt.date(2017, 2, 28)), columns) == [5, 7]
    assert kept(SearchRequest(date_to=dt.date(2016, 11, 20)), columns) == [0, 1]


def test_an_undated_article_is_never_inside_a_date_range(columns: Columns) -> None:
    wide = SearchRequest(date_from=dt.date(1900, 1, 1), date_to=dt.date(2100, 1, 1))

    assert 4 not in kept(wide, columns) and 6 not in kept(wide, columns)
    assert kept(SearchRequest(date_to=dt.date(2100, 1, 1)), columns) == [0, 1, 2, 3, 5, 7]


def test_masks_follow_the_order_of_the_documents_they_are_given(columns: Columns) -> None:
    """A search's matches are a subset of the index: each mask has one entry per match, in the matches' order."""
    docs = np.array([1, 3, 4, 7], dtype=np.int64)

    masks = facet_masks(SearchRequest(cities=("Jakarta",), date="2018"), columns, docs)

    assert masks["city"].tolist() == [False, False, True, True]
    assert masks["date"].tolist() == [False, False, False, True]


def test_counts_without_a_selection_tally_every_value_and_leave_out_the_absent_ones(columns: Columns) -> None:
    counts = count_facets(columns, EVERY, {})

    assert counts["outlet"] == {"uji-kompas.com": 3, "uji-tempo.co": 2, "uji-detik.com": 2, "uji-antara.com": 1}
    assert counts["date"] == {"2016-08": 1, "2016-11": 1, "2017-01": 1, "2017-02": 2, UNKNOWN: 2, "2018-05": 1}
    assert counts["author"] == {"Ani": 3, "Budi": 2, "Citra": 1, UNKNOWN: 2}
    assert all(n > 0 for facet in counts.values() for n in facet.values())


def test_an_excluded_outlet_is_still_counted_in_the_outlet_facet_but_nowhere_else(columns: Columns) -> None:
    request = SearchRequest(excluded=(("outlet", "uji-kompas.com"),))

    counts = count_facets(columns, EVERY, facet_masks(request, columns, EVERY))

    assert counts["outlet"]["uji-kompas.com"] == 3  # what including it again would add
    assert "uji-kg" not in counts["group"]
    assert counts["city"] == {"Jakarta": 2, "Surabaya": 1, "Medan": 1, UNKNOWN: 1}


def test_each_facet_is_counted_without_its_own_selection_but_with_the_others(columns: Columns) -> None:
    request = SearchRequest(outlets=("uji-kompas.com",), cities=("Jakarta",))

    counts = count_facets(columns, EVERY, facet_masks(request, columns, EVERY))

    # Outlets among Jakarta's articles: choosing tempo too would add its one Jakarta article.
    assert counts["outlet"] == {"uji-kompas.com": 2, "uji-tempo.co": 1, "uji-detik.com": 1}
    # Cities among Kompas's articles.
    assert counts["city"] == {"Jakarta": 2, "Bandung": 1}
    # Other facets count what both selections keep.
    assert counts["category"] == {"Politik": 2}


def test_month_counts_follow_a_date_range_but_the_undated_bucket_still_says_how_many_there_are(columns: Columns) -> None:
    request = SearchRequest(date_from=dt.date(2017, 1, 1), date_to=dt.date(2017, 12, 31))

    counts = count_facets(columns, EVERY, facet_masks(request, columns, EVERY))

    assert counts["date"] == {"2017-01": 1, "2017-02": 2, UNKNOWN: 2}
    assert counts["outlet"] == {"uji-tempo.co": 2, "uji-detik.com": 1}  # the range narrows every other facet


def test_the_undated_bucket_beside_a_range_still_obeys_the_other_filters(columns: Columns) -> None:
    request = SearchRequest(outlets=("uji-detik.com",), date_from=dt.date(2017, 1, 1))

    counts = count_facets(columns, EVERY, facet_masks(request, columns, EVERY))

    assert counts["date"] == {"2017-02": 1, UNKNOWN: 1}  # antara's undated article is not detik's


def test_a_range_over_a_search_with_no_undated_match_adds_no_undated_bucket(columns: Columns) -> None:
    docs = np.array([0, 1, 2], dtype=np.int64)
    request = SearchRequest(date_from=dt.date(2016, 1, 1))

    counts = count_facets(columns, docs, facet_masks(request, columns, docs))

    assert UNKNOWN not in counts["date"]


@pytest.fixture(scope="module")
def sample_engine(sample_index_dir: Path) -> EngineConfig:
    return EngineConfig("whoosh", sample_index_dir)


def test_on_a_real_index_an_excluded_outlet_leaves_the_results_and_stays_in_its_facet(sample_engine: EngineConfig) -> None:
    engine = open_engine(sample_engine)
    everything = engine.search(SearchRequest())
    outlet, count = "suara.com", everything.counts["outlet"]["suara.com"]
    assert count > 0

    without = engine.search(SearchRequest(excluded=(("outlet", outlet),), size=100))

    assert without.total == everything.total - count
    assert without.counts["outlet"][outlet] == count
    assert all(hit.outlet_key != outlet for hit in without.hits)
    chosen = engine.search(SearchRequest(outlets=(outlet,), size=100))
    assert chosen.total == count and {hit.outlet_key for hit in chosen.hits} == {outlet}
