"""Every expectation in seeds_expected.json holds for the bundled seed articles."""

from __future__ import annotations

import json
from typing import cast

import pytest
from click.testing import CliRunner

from search.extract import Extracted, read_file
from tests.conftest import EXPECTATIONS_DAY, SEEDS
from web.cli import main

FIELDS = ("title", "outlet", "outlet_key", "city", "date", "author", "editor")


def _expected() -> dict[str, dict[str, object]]:
    from tests.conftest import DATA

    data = json.loads((DATA / "seeds_expected.json").read_text(encoding="utf-8"))
    return {name: value for name, value in data.items() if not name.startswith("_")}


@pytest.mark.parametrize("name", sorted(_expected()))
def test_seed_metadata_matches_expectations(name: str) -> None:
    expected = _expected()[name]
    [result] = list(read_file(SEEDS / name, today=EXPECTATIONS_DAY))
    assert isinstance(result, Extracted)
    got = result.article.to_dict()
    for field in FIELDS:
        if field in expected:
            assert got[field] == expected[field], f"{name}: {field}"
    for text in cast(list[str], expected["must_not_contain"]):
        assert text not in result.article.body, f"{name}: boilerplate {text!r} left in body"


def test_seed_bodies_keep_the_article_text() -> None:
    [result] = list(read_file(SEEDS / "003_59376e1a3b7f6707.txt", today=EXPECTATIONS_DAY))
    body = result.article.body  # type: ignore[union-attr]
    assert body.startswith("Kepala Lembaga Pemasyarakatan (Lapas) Kelas IIA Balikpapan")
    assert "metroikn" not in body  # the dateline is metadata, not text
    assert body.rstrip().endswith("sudah melaksanakan WBK,” pungkasnya.")


def test_extract_json_lists_every_seed_with_all_keys() -> None:
    result = CliRunner().invoke(main, ["extract", "--json", *(str(p) for p in sorted(SEEDS.glob("*.txt")))])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [r["id"] for r in records] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for record in records:
        assert set(FIELDS) | {"id", "body"} <= set(record)
    by_id = {r["id"]: r for r in records}
    assert by_id["002_c097343379e9adb5"]["date"] is None
    assert by_id["001_7207b2c10b363d07"]["outlet"] is None


def test_extract_text_output_names_fields() -> None:
    result = CliRunner().invoke(main, ["extract", str(SEEDS / "004_4b79b38a60d88022.txt")])
    assert result.exit_code == 0
    assert "outlet:      Intimnews" in result.output
    assert "editor:      Andrian" in result.output
