"""The Indonesian analyzer: what a keyword matches depends entirely on these tokens."""

from __future__ import annotations

import pytest

from search.analysis import analyze


@pytest.mark.parametrize("word", ["menegaskan", "ditegaskan", "ketegasan", "tegasnya", "tegas"])
def test_inflections_share_a_stem(word: str) -> None:
    assert analyze(word) == ["tegas"]


def test_pelayanan_and_melayani_meet() -> None:
    assert analyze("pelayanan") == analyze("melayani")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("anak-anak", ["anak"]),
        ("e-KTP", ["e-ktp"]),
        ("COVID-19", ["covid-19"]),
        ("Jum'at", ["jumat"]),
        ("8.000 unit", ["8.000", "unit"]),
        ("kasus baru", ["kasus", "baru"]),  # news words are never stopwords
        ("yang dan di", ["yang", "dan", "di"]),
    ],
)
def test_tokens(text: str, tokens: list[str]) -> None:
    assert analyze(text) == tokens


def test_case_and_punctuation_do_not_matter() -> None:
    assert analyze("NETRALITAS, ASN!") == analyze("netralitas asn")
