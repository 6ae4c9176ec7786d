"""What a result set is about, as every backend ranks it: G², the sample, the names an article mentions."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from search.analyst.keyness import log_likelihood, names_in, sample, top_names


def test_log_likelihood_is_zero_for_equal_rates_and_grows_with_the_difference() -> None:
    assert log_likelihood(10, 100, 100, 1000) == pytest.approx(0.0, abs=1e-9)
    assert 0 < log_likelihood(20, 100, 100, 1000) < log_likelihood(40, 100, 100, 1000)


def test_the_sample_is_the_same_for_the_same_result_and_ascending() -> None:
    docs = np.arange(0, 50_000, 7)
    first, again = sample(docs, 2000), sample(docs, 2000)
    assert np.array_equal(first, again) and len(first) == 2000
    assert np.all(np.diff(first) > 0) and np.isin(first, docs).all()
    assert np.array_equal(sample(docs[:10], 2000), docs[:10])  # a small result is read whole


def test_names_leave_out_the_dateline_the_credit_days_and_sentence_openers() -> None:
    body = ("JAKARTA, KOMPAS.com - Pertemuan tertutup berlangsung sejak pagi di ibu kota dan dihadiri banyak pejabat. "
            "Presiden Joko Widodo bertemu Menteri Keuangan Sri Mulyani pada Senin (15/9). "
            "Namun Joko Widodo tidak berbicara kepada wartawan di Istana Merdeka pada pukul 10.00 WIB. "
            "Pertemuan itu berlangsung tertutup dan membahas anggaran negara tahun depan secara rinci. (KOMPAS.com)")
    names = names_in(body, "Kompas.com")
    assert {"Presiden Joko Widodo", "Menteri Keuangan Sri Mulyani", "Joko Widodo", "Istana Merdeka"} <= names
    assert not {"JAKARTA", "Senin", "WIB", "Namun", "Pertemuan", "KOMPAS"} & names


def test_names_mentioned_as_often_are_listed_alphabetically_and_single_mentions_not_at_all() -> None:
    found = Counter({"Joko Widodo": 3, "Sri Mulyani": 2, "Anies Baswedan": 2, "Budi": 1})
    assert [term.text for term in top_names(found, 10)] == ["Joko Widodo", "Anies Baswedan", "Sri Mulyani"]
    assert [term.text for term in top_names(found, 2)] == ["Joko Widodo", "Anies Baswedan"]


def test_a_known_place_named_with_the_day_of_a_statement_is_not_a_mention() -> None:
    body = ("Petani sawit mengeluhkan harga tandan buah segar yang terus turun sejak bulan lalu. "
            "\"Harga turun,\" kata Budi Santoso di Gedung DPR, Jakarta, Rabu (15/3). "
            "Banjir juga melanda Bandung sejak pagi sehingga jalan ke pasar terputus dan panen tertunda.")
    names = names_in(body, "")
    assert {"Budi Santoso", "Gedung DPR", "Bandung"} <= names and "Jakarta" not in names
