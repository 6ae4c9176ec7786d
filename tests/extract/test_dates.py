"""Indonesian date forms, and the rule for dates written without a year."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.extract.dates import find_date, parse_record_date, resolve_partial
from web.cli import main

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


def _extracted(tmp_path: Path, dates: list[object], name: str = "arsip.jsonl") -> tuple[list[str | None], str]:
    """``berita extract --json`` of a scraper's JSONL file with one record per date: each record's date, and the notes."""
    data = tmp_path / name
    data.write_text("".join(json.dumps({"id": f"a{i}", "text": "Isi berita.", "date": date}) + "\n" for i, date in enumerate(dates)),
                    encoding="utf-8")
    shown = CliRunner().invoke(main, ["extract", "--json", str(data)])
    assert shown.exit_code == 0, shown.output
    return [record["date"] for record in json.loads(shown.stdout)], shown.stderr


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("10/21/2025 20:43", "2025-10-21"),  # month first, as a spreadsheet in a US locale exports it
        ("10/21/2025 8:43 PM", "2025-10-21"),
        ("21/10/2025", "2025-10-21"),
        ("21-10-2025 20:43", "2025-10-21"),
        ("2025-10-21T20:43:00+07:00", "2025-10-21"),
        ("2025-10-21 20:43:00", "2025-10-21"),
        ("Selasa, 21 Okt 2025 20:43 WIB", "2025-10-21"),
        (1761054180, "2025-10-21"),  # Unix seconds
        (1761054180000, "2025-10-21"),  # milliseconds
        ("1761054180", "2025-10-21"),  # digits as text
        ("1761054180000", "2025-10-21"),
    ],
)
def test_each_form_a_scraper_or_spreadsheet_writes_gives_the_date(tmp_path: Path, written: object, expected: str) -> None:
    assert _extracted(tmp_path, [written])[0] == [expected]


def test_an_ambiguous_date_reads_as_the_files_other_dates_are_written(tmp_path: Path) -> None:
    dates, notes = _extracted(tmp_path, ["03/04/2025 10:00", "10/21/2025 20:43", "04/05/2025"])
    assert dates == ["2025-03-04", "2025-10-21", "2025-04-05"]  # the file is month-first
    assert notes.count("read month first") == 1 and "as the file writes 10/21/2025" in notes  # said once, with why


def test_with_no_evidence_an_ambiguous_date_is_day_first_and_the_reader_says_so(tmp_path: Path) -> None:
    dates, notes = _extracted(tmp_path, ["03/04/2025", "05/06/2025 08:00"])
    assert dates == ["2025-04-03", "2025-06-05"]
    assert notes.count("read day first") == 1 and "no date in the file tells" in notes
    dates, notes = _extracted(tmp_path, ["21/10/2025", "03/04/2025"], "lain.jsonl")
    assert dates == ["2025-10-21", "2025-04-03"] and "as the file writes 21/10/2025" in notes


def test_a_numeric_date_that_cannot_be_is_unreadable_not_guessed(tmp_path: Path) -> None:
    dates, notes = _extracted(tmp_path, ["13/13/2025", "31/02/2025"])
    assert dates == [None, None] and notes.count("unreadable date") == 2
