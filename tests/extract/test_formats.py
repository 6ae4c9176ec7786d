"""Saved HTML pages, sidecar metadata, and folders mixing every format with broken files."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from search.extract import Extracted, Failed, read_file
from tests.conftest import DATA, EXPECTATIONS_DAY, SEEDS
from web.cli import main

HTML = DATA / "html"


def _one(path: Path) -> Extracted | Failed:
    [result] = list(read_file(path, today=EXPECTATIONS_DAY))
    return result


def test_html_page_main_text_and_metadata() -> None:
    result = _one(HTML / "kompas_regional.html")
    assert isinstance(result, Extracted)
    article = result.article
    assert article.title == "Harga Cabai Rawit di Semarang Naik Dua Kali Lipat Jelang Ramadan"
    assert (article.outlet, article.outlet_key, article.outlet_group) == ("Kompas.com", "kompas.com", "kompas-gramedia")
    assert article.city == "Semarang"
    assert article.date == dt.date(2025, 3, 5)
    assert article.author == "Riska Farasonalia"
    assert article.url == "https://regional.kompas.com/read/2025/03/05/142000078/harga-cabai-rawit-di-semarang-naik"
    assert article.body.startswith("Harga cabai rawit di pasar tradisional")
    for furniture in ("Beranda", "Berita Terkait", "Baca juga", "Copyright", "dataLayer", "14:20 WIB"):
        assert furniture not in article.body


def test_html_in_windows_1252_from_a_tribun_regional_site() -> None:
    article = _one(HTML / "tribun_cp1252.html").article  # type: ignore[union-attr]
    assert (article.outlet, article.outlet_key, article.outlet_group) == ("Tribun Toraja", "tribuntoraja.com", "tribun-network")
    assert article.city == "Rantepao" and article.date == dt.date(2025, 3, 8)
    assert "café au lait" in article.body and "“tahunan”" in article.body
    assert "Artikel ini telah tayang" not in article.body


def test_html_without_an_article_is_reported() -> None:
    result = _one(HTML / "navigation_only.html")
    assert isinstance(result, Failed) and "no article text" in result.reason


def test_sidecar_overrides_extracted_fields(tmp_path: Path) -> None:
    shutil.copy(SEEDS / "002_c097343379e9adb5.txt", tmp_path / "artikel.txt")
    (tmp_path / "artikel.meta.json").write_text(
        json.dumps({"date": "2025-09-15", "outlet": "sumeks", "city": None, "url": "https://sumateraekspres.id/a"}),
        encoding="utf-8",
    )
    result = _one(tmp_path / "artikel.txt")
    article = result.article  # type: ignore[union-attr]
    assert article.date == dt.date(2025, 9, 15)  # the text gives none
    assert article.outlet == "Sumatera Ekspres" and article.city is None
    assert article.url == "https://sumateraekspres.id/a"
    assert article.title == "Wamenko Imipas Tekankan Netralitas ASN di Tengah Dinamika Demokrasi"  # not overridden


def test_broken_sidecar_keeps_the_article_with_a_warning(tmp_path: Path) -> None:
    shutil.copy(SEEDS / "004_4b79b38a60d88022.txt", tmp_path / "a.txt")
    (tmp_path / "a.meta.json").write_text("{broken", encoding="utf-8")
    result = _one(tmp_path / "a.txt")
    assert isinstance(result, Extracted)
    assert result.article.outlet == "Intimnews"
    assert result.warnings and "a.meta.json ignored" in result.warnings[0]


def test_mixed_folder_indexes_the_good_and_reports_each_bad(tmp_path: Path) -> None:
    folder = tmp_path / "arsip"
    folder.mkdir()
    shutil.copy(SEEDS / "003_59376e1a3b7f6707.txt", folder / "lapas.txt")
    shutil.copy(HTML / "kompas_regional.html", folder)
    shutil.copy(HTML / "navigation_only.html", folder)
    (folder / "satu.json").write_text(json.dumps({"id": "j1", "text": "Jakarta, IDN Times - Isi berita JSON.", "date": "2025-01-02"}), encoding="utf-8")
    (folder / "banyak.jsonl").write_text(
        json.dumps({"id": "l1", "text": "Isi berita JSONL pertama.", "outlet": "tempo"}) + "\n{rusak\n"
        + json.dumps({"id": "l2", "text": "Isi berita JSONL kedua."}) + "\n",
        encoding="utf-8",
    )
    (folder / "kosong.txt").write_bytes(b"")
    (folder / "gambar.txt").write_bytes(b"\x00\x01\x02PNG" * 50)
    (folder / "utf16.txt").write_bytes("JAKARTA - Berita dalam UTF-16.\nParagraf.".encode("utf-16"))
    (folder / "catatan.docx").write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert "6 added, 0 updated, 0 unchanged, 0 deleted, 4 failed" in result.output
    for bad, reason in [
        ("navigation_only.html", "no article text"),
        ("banyak.jsonl:2", "invalid JSON"),
        ("kosong.txt", "empty file"),
        ("gambar.txt", "not a text file"),
    ]:
        assert f"failed: {folder / bad}: {reason}" in result.output
    assert f"skipped: {folder / 'catatan.docx'}" in result.output
    found = json.loads(CliRunner().invoke(main, ["search", "", "--json", "--limit", "20", "--index-dir", str(tmp_path / "ix")]).output)
    assert {hit["id"] for hit in found["hits"]} == {"lapas", "kompas_regional", "j1", "l1", "l2", "utf16"}


def _results(path: Path) -> list[tuple[str, str, str]]:
    out = []
    for result in read_file(path, today=EXPECTATIONS_DAY):
        if isinstance(result, Extracted):
            out.append(("ok", result.article.id, result.article.body))
        else:
            assert isinstance(result, Failed)
            out.append(("failed", result.source, result.reason))
    return out


def test_a_big_jsonl_file_is_read_a_line_at_a_time_with_the_same_records(tmp_path: Path, monkeypatch) -> None:
    """A dump of gigabytes is streamed; what it yields is what reading it whole yields, and each line decodes by itself."""
    import search.extract as extract

    lines = [json.dumps({"id": "a", "text": "JAKARTA - Harga cabai naik."}, ensure_ascii=False).encode("utf-8"),
             b"",
             json.dumps({"id": "b", "text": "Baris\u2028pemisah di dalam teks tetap satu catatan."}, ensure_ascii=False).encode("utf-8"),
             b'{"id": "d", "text": ',  # broken
             json.dumps({"id": "e", "text": "Akhir berkas."}).encode("utf-8")]
    path = tmp_path / "dump.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b"\r\n".join(lines) + b"\r\n")
    whole = _results(path)
    monkeypatch.setattr(extract, "STREAM_ABOVE_BYTES", 10)
    assert _results(path) == whole
    assert [r[:2] for r in whole if r[0] == "ok"] == [("ok", "a"), ("ok", "b"), ("ok", "e")]
    assert [r for r in whole if r[0] == "failed"] == [("failed", f"{path}:4", "invalid JSON: Expecting value at column 21")]
    assert "pemisah di dalam teks" in dict((r[1], r[2]) for r in whole if r[0] == "ok")["b"]  # one record, not two

    path.write_bytes(lines[2] + b"\n" + b'{"id": "c", "text": "Caf\xe9 di Bandung dibuka."}\n')  # one line saved as Windows-1252
    bodies = {r[1]: r[2] for r in _results(path)}
    assert "Café di Bandung" in bodies["c"] and "pemisah di dalam teks" in bodies["b"]
    path.write_bytes(b"\x00\x01\x02" * 100)
    assert _results(path) == [("failed", str(path), "not a text file (binary data)")]
