"""The Indonesian analyzer: what a keyword matches depends entirely on these tokens."""

from __future__ import annotations

import json

import pytest

from search.analyzer import analyze, analyze_exact, lexicon, stem_word
from tests.conftest import INDOSUM_SAMPLE


@pytest.mark.parametrize("word", ["menegaskan", "ditegaskan", "ketegasan", "tegasnya", "tegas"])
def test_inflections_share_a_stem(word: str) -> None:
    assert analyze(word) == ["tegas"]


def test_pelayanan_and_melayani_meet() -> None:
    assert analyze("pelayanan") == analyze("melayani")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("anak-anak", ["anak"]),
        ("e-KTP", ["ektp"]),  # joined: e-KTP, e KTP, e - KTP and eKTP are one term
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


def test_lexicon_protects_names_and_overrides_known_errors() -> None:
    assert analyze("Bekasi Bali pemilu") == ["bekasi", "bali", "pemilu"]
    assert analyze("undangan") != analyze("undang-undang")
    assert analyze("perundang-undangan") == analyze("undang-undang")


def test_user_lexicon_extends_the_shipped_one_and_changes_the_version(tmp_path) -> None:
    import subprocess
    import sys

    (tmp_path / "protected.txt").write_text("pelayanan\n", encoding="utf-8")
    (tmp_path / "stem_overrides.tsv").write_text("ketegasan\tketegasan\n", encoding="utf-8")
    script = "from search.analyzer import analyze, ANALYZER_VERSION; print(analyze('pelayanan ketegasan menegaskan'), ANALYZER_VERSION)"
    plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    extended = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={"BERITA_LEXICON_DIR": str(tmp_path), "PATH": ""}).stdout
    assert plain.startswith("['layan', 'tegas', 'tegas']")
    assert extended.startswith("['pelayanan', 'ketegasan', 'tegas']")
    assert plain.split()[-1] != extended.split()[-1]  # an index built with the other lexicon is refused


def test_a_stem_less_its_first_letter_stands_within_its_word() -> None:
    """What lets a page mark a hit's words without stemming each one (search.snippets.marked_tokens): Sastrawi strips
    affixes and changes at most a root's first letter, for every word of the sample corpus but those the lexicon overrides."""
    words = {word for line in INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines()
             for word in analyze_exact(json.loads(line)["text"])}
    assert len(words) > 5000
    assert [(w, stem_word(w)) for w in sorted(words) if stem_word(w)[1:] not in w and w not in lexicon().overrides] == []
