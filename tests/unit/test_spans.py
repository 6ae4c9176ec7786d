"""Token bounds found with arrays (search.spans) are the analyzer's tokens, exactly: snippets mark by token place."""

from __future__ import annotations

import json
import random
import re

import pytest

from search.analyzer import TOKEN_PATTERN
from search.spans import JOINED_TEXT_CHARS, token_spans, token_spans_of
from tests.conftest import require_shared

_TOKEN = re.compile(TOKEN_PATTERN)


def _regex_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _TOKEN.finditer(text)]


def _array_spans(text: str) -> list[tuple[int, int]] | None:
    found = token_spans(text)
    return None if found is None else list(zip(found[0].tolist(), found[1].tolist(), strict=True))


def test_every_indosum_body_has_the_regular_expressions_tokens() -> None:
    bodies = [json.loads(line).get("text") or "" for line in require_shared("corpus/indosum/articles.jsonl").open(encoding="utf-8")]
    answered = 0
    for body in bodies:
        spans = _array_spans(body)
        if spans is not None:
            answered += 1
            assert spans == _regex_spans(body), body[:200]
    assert answered > 0.9 * len(bodies)  # the arrays answer for almost every body (an e- prefix is the regular expression's)


def test_random_text_of_the_characters_that_matter_has_the_regular_expressions_tokens() -> None:
    """Digits with dots and commas, hyphens and apostrophes between and beside words, e before spaces and capitals, other scripts."""
    rng = random.Random(20261207)
    alphabet = [*"ab1 9.,-'’_eE\tK\nTPé٣²", " ", " "]
    answered = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        spans = _array_spans(text)
        if spans is not None:
            answered += 1
            assert spans == _regex_spans(text), repr(text)
    assert answered > 10_000


@pytest.mark.parametrize("text", [
    "Harga naik 8.000 rupiah, atau 2,5 persen, pada 15/9.",
    "Rp1.500-an per kilo; anak-anak dan COVID-19 di Jum'at",
    "1.2.3 dan 1..2 serta 3,5persen dan 12.30WIB",
    "",
])
def test_numbers_and_joined_words_are_one_token_each(text: str) -> None:
    assert _array_spans(text) == _regex_spans(text)


@pytest.mark.parametrize("text", ["Warga mengurus e-KTP di kantor", "Pembayaran e - KTP", "Layanan e KTP baru", "emoji 🙂 di teks", "\ud800 sisa"])
def test_what_only_the_regular_expression_reads_is_left_to_it(text: str) -> None:
    assert token_spans(text) is None


def _pages_spans(texts: list[str]) -> list[list[tuple[int, int]] | None]:
    return [None if found is None else list(zip(found[0].tolist(), found[1].tolist(), strict=True)) for found in token_spans_of(texts)]


def test_a_pages_bodies_read_together_have_each_bodys_tokens() -> None:
    """Ten bodies at a time, as a page reads them: each one's tokens from its own start, none across two bodies."""
    bodies = [json.loads(line).get("text") or "" for line in require_shared("corpus/indosum/articles.jsonl").open(encoding="utf-8")]
    answered = 0
    for first in range(0, len(bodies), 10):
        page = bodies[first:first + 10]
        for body, spans in zip(page, _pages_spans(page), strict=True):
            if spans is not None:
                answered += 1
                assert spans == _regex_spans(body), body[:200]
    assert answered > 0.9 * len(bodies)


def test_random_texts_read_together_have_each_texts_tokens() -> None:
    rng = random.Random(20261208)
    alphabet = [*"ab1 9.,-'’_eE\tK\nTPé٣²", " ", " "]
    answered = 0
    for _ in range(2_000):
        page = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(rng.randrange(1, 11))]
        for text, spans in zip(page, _pages_spans(page), strict=True):
            if spans is not None:
                answered += 1
                assert spans == _regex_spans(text), repr(text)
    assert answered > 3_000


def test_a_text_only_the_regular_expression_reads_leaves_the_others_of_its_page_to_the_arrays() -> None:
    page = ["Harga naik 8.000 rupiah", "berakhir e", "Warga mengurus e-KTP", "emoji 🙂 di teks", "anak-anak bermain"]
    assert [spans is None for spans in _pages_spans(page)] == [False, True, True, True, False]  # "e" before the line break
    assert _pages_spans(page)[4] == _regex_spans("anak-anak bermain")
    assert [spans is None for spans in _pages_spans(["sisa \ud800", "kata biasa"])] == [True, False]


def test_a_very_long_text_is_left_to_its_reader_and_the_pages_others_still_read() -> None:
    """A snippet reads a long body only up to its marks: a page never makes it read the whole of one."""
    long = "kata " * (JOINED_TEXT_CHARS // 5 + 1)
    found = _pages_spans(["awal teks", long, "akhir teks"])
    assert found[1] is None
    assert found[0] == _regex_spans("awal teks") and found[2] == _regex_spans("akhir teks")
