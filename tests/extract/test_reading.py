"""Reading files: encodings, broken inputs and records. One bad input never stops the rest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from search.extract import Extracted, Failed, Skipped, discover, read_file, read_paths
from tests.conftest import EXPECTATIONS_DAY

LATIN1_ARTICLE = (
    "Kafe Ré di Kota Bogor Jadi Buah Bibir\n"
    "BOGOR, BOGORNEWS.ID - Pemilik kafe Ré mengatakan, Sabtu (22/11/2025), "
    "bahwa menu crème brûlée laris manis sejak dibuka.\n"
    "Pengunjung datang dari Jakarta dan Depok.\n"
)


def _one(path: Path) -> Extracted | Failed:
    [result] = list(read_file(path, today=EXPECTATIONS_DAY))
    return result


def test_latin1_article_is_decoded_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(LATIN1_ARTICLE.encode("latin-1"))
    result = _one(path)
    assert isinstance(result, Extracted)
    assert "crème brûlée" in result.article.body
    assert result.article.title == "Kafe Ré di Kota Bogor Jadi Buah Bibir"
    assert result.article.outlet_key == "bogornews.id"
    assert result.article.date == dt.date(2025, 11, 22)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
def test_other_encodings(tmp_path: Path, encoding: str) -> None:
    data = LATIN1_ARTICLE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    result = _one(path)
    assert isinstance(result, Extracted)
    assert result.article.body.startswith("Pemilik kafe Ré")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n\t ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a text file"),
    ],
)
def test_unusable_files_fail_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = _one(path)
    assert isinstance(result, Failed)
    assert reason in result.reason
    assert result.source == str(path)


def test_text_that_cleaning_would_empty_is_kept_whole_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "furniture.txt"
    path.write_bytes(b"BACA JUGA: Berita lain\nADVERTISEMENT\n")
    result = _one(path)
    assert isinstance(result, Extracted)
    assert result.article.body == "BACA JUGA: Berita lain\n\nADVERTISEMENT"
    assert any("kept its whole text" in warning for warning in result.warnings)


def test_jsonl_bad_lines_are_reported_and_good_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "Satu", "text": "Isi berita pertama.", "outlet": "kompas", "date": "2024-02-03"}),
        "{not json",
        json.dumps({"id": "a2", "text": ""}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": "a3", "text": "Jakarta, CNN Indonesia -- Isi ketiga.", "date": "bukan tanggal"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    results = list(read_file(path, today=EXPECTATIONS_DAY))
    good = {r.article.id: r for r in results if isinstance(r, Extracted)}
    bad = {r.source: r.reason for r in results if isinstance(r, Failed)}
    assert set(good) == {"a1", "a3"}
    assert good["a1"].article.outlet == "Kompas.com"  # registry normalises "kompas"
    assert good["a1"].article.date == dt.date(2024, 2, 3)
    # a record missing a city takes it from its own dateline; its bad date is a warning
    assert good["a3"].article.city == "Jakarta"
    assert good["a3"].article.outlet_key == "cnnindonesia.com"
    assert good["a3"].article.date is None and good["a3"].warnings
    assert set(bad) == {f"{path}:2", f"{path}:3", f"{path}:4"}
    assert "invalid JSON" in bad[f"{path}:2"]
    assert "no text" in bad[f"{path}:3"]
    assert "JSON object" in bad[f"{path}:4"]


def test_json_object_and_list(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"text": "Isi tunggal."}), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([{"text": "Pertama."}, {"url": "https://x.id/a", "text": "Kedua."}]), encoding="utf-8")
    ids = sorted(r.article.id for r in read_paths([tmp_path], today=EXPECTATIONS_DAY) if isinstance(r, Extracted))
    assert ids[:2] == ["many-0", "one"]
    assert ids[2].startswith("u-")  # derived from the URL, stable across runs


def test_folder_lists_unsupported_files_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Isi.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    files, problems = discover([tmp_path, tmp_path / "missing.txt"])
    assert files == [tmp_path / "a.txt"]
    kinds = {(type(p).__name__, Path(p.source).name) for p in problems}
    assert kinds == {("Skipped", "notes.docx"), ("Failed", "missing.txt")}
    assert all(isinstance(p, (Skipped, Failed)) and p.reason for p in problems)


def test_a_file_record_keeps_its_article_without_a_field_that_is_not_text(tmp_path: Path) -> None:
    data = tmp_path / "r.jsonl"
    data.write_text('{"id": "a", "text": "Berita panen raya.", "city": false, "title": NaN, "date": 20240101}\n', encoding="utf-8")
    [result] = read_file(data, today=EXPECTATIONS_DAY)
    assert isinstance(result, Extracted)
    assert result.article.city is None and result.article.title is None and result.article.date is None  # never "False", "nan", 1970
    assert any("'city' must be text" in w for w in result.warnings) and any("1970-08-23" in w for w in result.warnings)
