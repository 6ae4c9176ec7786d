"""Indonesian date forms, and the rule for dates written without a year."""

from __future__ import annotations

import datetime as dt

import pytest

from search.extract.dates import find_date, parse_record_date, resolve_partial

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("digelar Senin (15/9). Apel diikuti", dt.date(2025, 9, 15)),  # 15/9/2026 is a Tuesday
        ("Lapas di seluruh Indonesia, Senin (15/9/25) pagi.", dt.date(2025, 9, 15)),
        ("berlangsung di halaman Lapas, Rabu (17/1/2024).", dt.date(2024, 1, 17)),
        ("Senin, 15 September 2025", dt.date(2025, 9, 15)),
        ("Diperbarui 15 Sep 2025 pukul 10.00", dt.date(2025, 9, 15)),
        ("Rabu, 5 Maret 2025 14:20 WIB", dt.date(2025, 3, 5)),
        ("di BSD, Banten, Kamis (18 / 8 / 2016), Henry mengatakan", dt.date(2016, 8, 18)),
        ("Jum'at (13/11/2026)", dt.date(2026, 11, 13)),
        ("Kamis, 1 Januari", dt.date(2026, 1, 1)),  # 1 Jan 2026 is a Thursday
    ],
)
def test_dates_in_text(text: str, expected: dt.date) -> None:
    assert find_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "skor akhir (2/3) untuk tuan rumah",  # no weekday, no year: a score, not a date
        "diluncurkan pada 2 Agustus lalu",  # no weekday, no year
        "Undang-Undang Nomor 20 Tahun 2023",
        "Senin (31/2)",  # no such day
        "Selasa (1/1/2031)",  # after the day of indexing
        "",
    ],
)
def test_no_date_is_guessed(text: str) -> None:
    assert find_date(text, TODAY) is None


def test_year_less_date_takes_latest_year_with_that_weekday() -> None:
    # 15 September fell on a Monday in 2025 and in 2014; the latest not after today wins.
    assert resolve_partial(15, 9, 0, TODAY) == dt.date(2025, 9, 15)
    assert resolve_partial(15, 9, 0, dt.date(2025, 9, 14)) == dt.date(2014, 9, 15)


def test_year_less_date_without_weekday_is_latest_not_after_today() -> None:
    assert resolve_partial(23, 11, None, TODAY) == TODAY
    assert resolve_partial(24, 11, None, TODAY) == dt.date(2025, 11, 24)
    assert resolve_partial(29, 2, None, TODAY) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-08-22T08:00:23+00:00", dt.date(2016, 8, 22)),
        ("2024-01-17", dt.date(2024, 1, 17)),
        ("2024-01-17T23:30:00Z", dt.date(2024, 1, 17)),
        ("Rabu, 17 Januari 2024", dt.date(2024, 1, 17)),
        (1471852823, dt.date(2016, 8, 22)),
        (None, None),
        ("", None),
    ],
)
def test_record_dates(value: object, expected: dt.date | None) -> None:
    assert parse_record_date(value, TODAY) == expected


def test_unreadable_record_date_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="unreadable date"):
        parse_record_date("kemarin sore", TODAY)
