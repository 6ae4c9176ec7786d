"""Spelling suggestions from the index's own words: fewest edits first, then the word in the most articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.backends.whoosh.spelling import MAX_LETTERS, MIN_LETTERS, closest_word, correctable
from tests.conftest import build_index
from tests.unit.whoosh.indexes import snapshot_on, write_article

# File name -> body. Each test word stands in a known number of articles:
# minyak 1, milik 3, rumah 4, ramah 1, kabar 1, kamar 2, buku 1 and baku 1 (the same article), pemerintah 1.
ARTICLES = {
    "minyak.txt": "Harga minyak goreng naik lagi di pasar tradisional menjelang lebaran.",
    "milik-1.txt": "Rumah milik warga di tepi sungai terbakar semalam.",
    "milik-2.txt": "Rumah milik pedagang itu disita petugas pajak.",
    "milik-3.txt": "Rumah milik pensiunan guru dijual murah oleh ahli warisnya.",
    "ramah.txt": "Warga desa itu ramah kepada setiap pendatang.",
    "kabar.txt": "Kabar gembira datang dari kampung nelayan.",
    "kamar-1.txt": "Kamar hotel penuh selama musim liburan.",
    "kamar-2.txt": "Kamar operasi rumah sakit daerah diperbaiki.",
    "buku.txt": "Buku pelajaran dengan ejaan baku dibagikan gratis.",
    "pemerintah.txt": "Pemerintah daerah membuka pendaftaran beasiswa.",
}


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    for name, body in ARTICLES.items():
        write_article(folder, name, body)
    return folder


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spelling")
    assert build_index(root / "ix", write_articles(root / "articles")).added == len(ARTICLES)
    return root / "ix"


def suggest(index_dir: Path, word: str) -> str | None:
    with snapshot_on(index_dir) as snapshot:
        return closest_word(snapshot, word)


def test_only_ordinary_words_of_letters_are_worth_correcting() -> None:
    assert correctable("minyk")
    assert correctable("a" * MIN_LETTERS) and correctable("a" * MAX_LETTERS)
    assert not correctable("a" * (MIN_LETTERS - 1))
    assert not correctable("a" * (MAX_LETTERS + 1))
    assert not correctable("covid19") and not correctable("e-ktp") and not correctable("")


def test_the_word_one_edit_away_beats_a_commoner_word_two_edits_away(index_dir: Path) -> None:
    assert suggest(index_dir, "minyk") == "minyak"  # milik is in three articles, but two edits away


def test_among_words_as_near_the_one_in_more_articles_wins(index_dir: Path) -> None:
    assert suggest(index_dir, "rxmah") == "rumah"  # ramah is one edit away too, in one article


def test_words_as_near_and_as_common_give_the_same_suggestion_every_time(index_dir: Path) -> None:
    assert suggest(index_dir, "bxku") == "baku"  # buku ties with it; the first in alphabetical order


def test_two_neighbouring_letters_swapped_are_one_edit(index_dir: Path) -> None:
    assert suggest(index_dir, "kbaar") == "kabar"  # kamar is two edits away and in more articles


def test_a_typo_past_the_seventh_letter_is_still_found(index_dir: Path) -> None:
    assert suggest(index_dir, "pemerintha") == "pemerintah"


def test_the_suggestion_is_the_indexed_word_whatever_the_case_typed(index_dir: Path) -> None:
    assert suggest(index_dir, "MINYK") == "minyak"


def test_a_word_the_index_holds_needs_no_suggestion(index_dir: Path) -> None:
    assert suggest(index_dir, "minyak") is None
    assert suggest(index_dir, "Rumah") is None


def test_words_not_worth_correcting_get_no_suggestion(index_dir: Path) -> None:
    assert suggest(index_dir, "rmh") is None  # too short to guess from
    assert suggest(index_dir, "minyak2") is None
    assert suggest(index_dir, "x" * (MAX_LETTERS + 1)) is None


def test_a_word_more_than_two_edits_from_every_indexed_word_gets_no_suggestion(index_dir: Path) -> None:
    assert suggest(index_dir, "zyxwvut") is None
    assert suggest(index_dir, "mxyxk") is None  # three edits from minyak and from milik


def test_a_word_whose_every_article_was_deleted_is_never_suggested(tmp_path: Path) -> None:
    """Suggesting it would lead to a search with no results; the nearest live word is offered instead."""
    articles = write_articles(tmp_path / "articles")
    build_index(tmp_path / "ix", articles)
    assert suggest(tmp_path / "ix", "minyk") == "minyak"

    (articles / "minyak.txt").unlink()
    assert build_index(tmp_path / "ix", articles).deleted == 1

    assert suggest(tmp_path / "ix", "minyk") == "milik"
