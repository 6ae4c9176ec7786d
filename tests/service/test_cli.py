"""The ``berita`` command line, run as users run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from search.backends.whoosh.storage import current_generation
from tests.conftest import ROOT, SEEDS
from web import create_app
from web.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_index_reports_added_then_unchanged_then_updated(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    index_dir = str(tmp_path / "ix")
    first = _run("index", str(folder), "--index-dir", index_dir)
    assert first.exit_code == 0
    assert "5 added, 0 updated, 0 unchanged, 0 deleted, 0 failed" in first.output
    second = _run("index", str(folder), "--index-dir", index_dir)
    assert "0 added, 0 updated, 5 unchanged, 0 deleted, 0 failed" in second.output
    seed = folder / "004_4b79b38a60d88022.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nTambahan paragraf tentang anggrek.\n", encoding="utf-8")
    third = _run("index", str(folder), "--index-dir", index_dir)
    assert "0 added, 1 updated, 4 unchanged, 0 deleted, 0 failed" in third.output
    found = json.loads(_run("search", "anggrek", "--json", "--index-dir", index_dir).output)
    assert [hit["id"] for hit in found["hits"]] == ["004_4b79b38a60d88022"]
    assert "5 articles" in third.output


def test_broken_inputs_are_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "kosong.txt").write_bytes(b"")
    (folder / "gambar.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (folder / "latin.txt").write_bytes("Kafe di Bogor\nBOGOR - Menu crème brûlée laris.\n".encode("latin-1"))
    shutil.copy(SEEDS / "003_59376e1a3b7f6707.txt", folder)
    index_dir = str(tmp_path / "ix")
    result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", index_dir])
    assert result.exit_code == 1
    assert "2 added, 0 updated, 0 unchanged, 0 deleted, 2 failed" in result.output
    assert f"failed: {folder / 'kosong.txt'}: empty file" in result.output
    assert f"failed: {folder / 'gambar.txt'}: not a text file (binary data)" in result.output
    found = json.loads(_run("search", "brûlée", "--json", "--index-dir", index_dir).output)
    assert [hit["id"] for hit in found["hits"]] == ["latin"]


def test_two_inputs_claiming_one_id_are_not_silently_merged(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "sama.txt").write_text(f"Isi berita {sub}.", encoding="utf-8")
    result = CliRunner().invoke(main, ["index", str(tmp_path / "a"), str(tmp_path / "b"), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert "duplicate id 'sama'" in result.output


def test_search_json_is_the_api_json(seed_index_dir: Path) -> None:
    cli = json.loads(_run("search", "netralitas", "--outlet", "metroikn", "--json", "--index-dir", str(seed_index_dir)).output)
    client = create_app({"INDEX_DIR": str(seed_index_dir), "TESTING": True}).test_client()
    api = client.get("/api/search?q=netralitas&outlet=metroikn").get_json()
    assert cli == api


def test_search_text_output_and_filters(seed_index_dir: Path) -> None:
    result = _run("search", "netralitas", "--from", "2025-01-01", "--index-dir", str(seed_index_dir))
    assert result.exit_code == 0
    assert "2 hasil" in result.output
    assert "Kabarkriminal.online · 2025-09-15 · Banjarmasin" in result.output


def test_search_without_index_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "apa", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "run `berita index` first" in result.output


def test_index_refuses_an_index_from_another_version(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    _run("index", str(SEEDS), "--index-dir", str(index_dir))
    live = current_generation(index_dir)
    assert live is not None
    (live / "berita.json").write_text('{"version": "schema-0+analyzer-0"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["search", "apel", "--index-dir", str(index_dir)])
    assert result.exit_code == 1 and "was built by version schema-0+analyzer-0" in result.output
    assert f"run `berita index --rebuild --index-dir {index_dir}`" in result.output


def test_python_dash_m_search_is_the_same_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "web", "index", str(SEEDS), "--index-dir", str(tmp_path / "ix")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "5 added" in done.stdout


def test_index_dir_from_environment(tmp_path: Path) -> None:
    result = CliRunner(env={"BERITA_INDEX_DIR": str(tmp_path / "env-ix")}).invoke(main, ["index", str(SEEDS)])
    assert result.exit_code == 0
    assert current_generation(tmp_path / "env-ix") is not None
