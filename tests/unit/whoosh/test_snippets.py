"""Snippets and marked text: which words a query marks, where they stand, the passages shown, and escaping."""

from __future__ import annotations

import html
import json
import random
import re
from collections import Counter

import numpy as np
import pytest
from whoosh.query import And, AndMaybe, AndNot, Not, Or, Phrase, Term

from search.analyzer import TOKEN_PATTERN, fold, stem_word
from search.backends.whoosh.evaluation import IndexArrays
from search.backends.whoosh.snippets import marked_positions, marked_positions_of
from search.passages import REPEAT_TOKENS
from search.snippets import (
    FRAGMENTS,
    PASSAGE_CHARS,
    SEPARATOR,
    SNIPPET_CHARS,
    Marked,
    marked_line,
    marked_paragraphs,
    marked_tokens,
    marked_words,
    plain_snippet,
    snippet,
)
from tests.conftest import INDOSUM_SAMPLE, build_index
from tests.unit.whoosh.indexes import index_arrays, searcher_on, write_article

TOKEN = re.compile(TOKEN_PATTERN)
MARK = re.compile(r'<mark class="match term(\d+)">([^<]*)</mark>')
# Any tag that is not our own mark: what must never reach a page from an article's text.
FOREIGN_TAG = re.compile(r"<(?!/?mark[ >])")
HOSTILE = "Pemerintah membangun jembatan <script>alert('x')</script> & <img src=x onerror=alert(1)> baru."
ARTICLE = (
    "Pemerintah membangun jembatan baru. Pembangunan itu <script>alert('x')</script> dibangun cepat & murah; "
    "bangunan lama dibongkar.\n\nParagraf kedua: Pembangunan lagi, kata Menteri."
)


def tokens(body: str) -> list[str]:
    return [match.group() for match in TOKEN.finditer(body)]


def positions_of(body: str, *words: str) -> np.ndarray:
    """The token places of ``words`` (any case) in ``body``, as the token streams number them."""
    wanted = {w.lower() for w in words}
    return np.array([i for i, token in enumerate(tokens(body)) if token.lower() in wanted], dtype=np.int64)


def visible(html_text: str) -> str:
    """What a reader sees: marks dropped, entities read back."""
    return html.unescape(MARK.sub(r"\2", html_text))


def filler(count: int, start: int = 0) -> str:
    return " ".join(f"isian{i}" for i in range(start, start + count))


# marked_words: what a query marks


def test_a_query_marks_its_body_stems_and_exact_forms() -> None:
    query = And([Term("body", "bangun"), Or([Term("body_exact", "jembatan"), Term("title", "judul"), Term("title_exact", "judul")])])

    assert marked_words(query) == Marked(frozenset({"bangun"}), frozenset({"jembatan"}))


def test_a_phrase_marks_each_of_its_words() -> None:
    query = AndMaybe(Term("body", "harga"), Phrase("body_exact", ["harga", "minyak", "goreng"]))

    assert marked_words(query) == Marked(frozenset({"harga"}), frozenset({"harga", "minyak", "goreng"}))


def test_an_excluded_word_is_never_marked() -> None:
    assert marked_words(And([Term("body", "banjir"), Not(Term("body", "jakarta"))])) == Marked(frozenset({"banjir"}), frozenset())
    assert marked_words(AndNot(Term("body", "banjir"), Term("body_exact", "bogor"))) == Marked(frozenset({"banjir"}), frozenset())


def test_a_query_of_titles_only_marks_nothing_in_the_body() -> None:
    marked = marked_words(Or([Term("title", "banjir"), Term("outlet_facet", "kompas.com")]))

    assert not marked
    assert Marked(frozenset({"banjir"}), frozenset())
    assert Marked(frozenset(), frozenset({"banjir"}))


# snippet: passages around the marked tokens


def test_nothing_marked_gives_no_snippet() -> None:
    assert snippet("Banjir melanda Jakarta.", np.zeros(0, dtype=np.int64)) == ""


def test_a_snippet_marks_the_words_as_the_article_writes_them() -> None:
    body = "BANJIR melanda Jakarta; banjir surut esok harinya, kata warga Jakarta."

    result = snippet(body, positions_of(body, "banjir", "jakarta"))

    assert MARK.findall(result) == [("0", "BANJIR"), ("1", "Jakarta"), ("0", "banjir"), ("1", "Jakarta")]
    assert visible(result) == body  # a short article is shown whole, to its full stop


def test_a_snippet_never_contains_unescaped_html_from_the_article() -> None:
    result = snippet(HOSTILE, positions_of(HOSTILE, "membangun"))

    assert MARK.findall(result) == [("0", "membangun")]
    assert not FOREIGN_TAG.search(result)
    assert "&lt;script&gt;" in result and "&amp;" in result
    assert visible(result) == HOSTILE


def test_positions_past_the_end_of_the_body_are_ignored() -> None:
    body = "Banjir melanda Jakarta."

    assert MARK.findall(snippet(body, np.array([0, 57, 300], dtype=np.int64))) == [("0", "Banjir")]


def test_a_long_article_gives_one_passage_of_bounded_length_when_one_shows_every_searched_word() -> None:
    body = " ".join(f"{filler(60, 100 * i)} banjir" for i in range(6))

    result = snippet(body, positions_of(body, "banjir"))

    assert SEPARATOR not in result
    assert len(visible(result)) <= SNIPPET_CHARS
    assert visible(result) in body


def test_searched_words_far_apart_give_two_shorter_passages_that_show_them_all() -> None:
    body = f"{filler(10)} banjir {filler(80, 10)} jakarta {filler(80, 90)}"

    result = snippet(body, positions_of(body, "banjir", "jakarta"))

    passages = result.split(SEPARATOR)
    assert len(passages) == FRAGMENTS
    assert all(len(visible(p)) <= PASSAGE_CHARS and visible(p) in body for p in passages)
    assert len(visible(result)) <= SNIPPET_CHARS
    assert [word for _number, word in MARK.findall(result)] == ["banjir", "jakarta"]


def test_the_passages_with_the_most_different_words_are_shown_in_the_articles_order() -> None:
    few = f"banjir banjir banjir {filler(40, 100)}"
    many = f"banjir banjir banjir banjir {filler(40, 300)}"
    both = f"jakarta bogor {filler(40, 200)}"
    body = f"{filler(40, 0)} {few} {many} {both}"

    result = snippet(body, positions_of(body, "banjir", "jakarta", "bogor"))

    first, second = result.split(SEPARATOR)
    # Two different words come first, then the passage that adds a third word with the most marks; in the article's order.
    assert [word for _number, word in MARK.findall(first)] == ["banjir"] * 4
    assert [word for _number, word in MARK.findall(second)] == ["jakarta", "bogor"]
    assert "isian305" in tokens(first) and "isian205" in tokens(second)


def test_a_snippet_never_shows_the_same_text_twice() -> None:
    """Two marks a little more than a passage apart: their passages must not repeat the words between them."""
    body = f"banjir {filler(29)} banjir {filler(50, 29)}"

    result = snippet(body, positions_of(body, "banjir"))

    shown = [token for passage in result.split(SEPARATOR) for token in tokens(visible(passage))]
    fillers = [token for token in shown if token.startswith("isian")]
    assert len(fillers) == len(set(fillers)), result


def test_every_searched_word_a_snippet_shows_is_marked() -> None:
    body = f"banjir {filler(29)} banjir {filler(50, 29)}"

    result = snippet(body, positions_of(body, "banjir"))

    shown = tokens(visible(result)).count("banjir")
    assert len(MARK.findall(result)) == shown == 2, result


def test_passages_that_touch_read_as_one_passage_within_the_snippets_length() -> None:
    rng = np.random.default_rng(9)
    for _ in range(100):
        words = [f"isian{i}" for i in range(int(rng.integers(20, 200)))]
        for place in rng.choice(len(words), size=int(rng.integers(1, 8)), replace=False):
            words[int(place)] = str(rng.choice(["banjir", "jakarta", "bogor"]))
        body = " ".join(words)
        positions = positions_of(body, "banjir", "jakarta", "bogor")

        result = snippet(body, positions)

        passages = result.split(SEPARATOR)
        assert 1 <= len(passages) <= FRAGMENTS
        assert len(visible(result)) <= SNIPPET_CHARS
        shown = [t for p in passages for t in tokens(visible(p))]
        fillers = [t for t in shown if t.startswith("isian")]
        assert len(fillers) == len(set(fillers)), result  # no text twice
        assert len(MARK.findall(result)) == len(shown) - len(fillers), result  # every searched word shown is marked


def test_a_passage_starts_at_the_start_of_its_sentence_when_that_is_near() -> None:
    body = (f"Cuaca {filler(30)} cerah. Warga Jakarta berkumpul di tepi kali sejak pagi untuk melihat banjir "
            f"yang datang dari hulu. {filler(40, 30)}.")

    result = snippet(body, positions_of(body, "banjir"))

    assert visible(result).startswith("Warga Jakarta berkumpul")


# Copies of a lead: the outlet's teaser, then the article after its dateline, as scraped pages often have them.
LEAD = "Banjir merendam ribuan rumah di Jakarta Timur sejak Senin pagi setelah hujan deras semalaman."
REPEATED_LEAD = f"{LEAD} JAKARTA, KOMPAS.com - {LEAD} Warga mengungsi ke masjid dan sekolah terdekat. {filler(40)}."


def test_a_sentence_the_article_repeats_is_shown_once() -> None:
    result = snippet(REPEATED_LEAD, positions_of(REPEATED_LEAD, "banjir", "jakarta"))

    assert visible(result).count("ribuan rumah di Jakarta Timur") == 1, result
    assert {word for _number, word in MARK.findall(result)} >= {"Banjir", "Jakarta"}


# plain_snippet: the start of an article in which no searched word is marked


def test_an_article_without_marks_shows_its_start_cut_at_a_word_within_the_snippets_length() -> None:
    body = f"Harga cabai naik menjelang lebaran, kata pedagang. {filler(80)}"

    result = plain_snippet(body)

    assert len(result) <= SNIPPET_CHARS and result.endswith(" …")
    shown = result.removesuffix(" …")
    assert body.startswith(shown) and body[len(shown)] == " "


def test_a_short_article_without_marks_is_shown_whole() -> None:
    assert plain_snippet("Harga <b>cabai</b> naik.\n\nKata pedagang.") == "Harga &lt;b&gt;cabai&lt;/b&gt; naik. Kata pedagang."


def test_the_start_of_an_article_that_repeats_its_lead_shows_the_lead_once() -> None:
    result = plain_snippet(REPEATED_LEAD)

    assert html.unescape(result).count("ribuan rumah di Jakarta Timur") == 1, result


# Every snippet of real articles: IndoSum's sample, searched for one and two of each article's ordinary words.


@pytest.fixture(scope="module")
def sample_snippets() -> list[tuple[frozenset[str], str, str]]:
    """(searched stems, body, snippet) for one- and two-word searches of each sample article's ordinary words."""
    texts = [json.loads(line)["text"] for line in INDOSUM_SAMPLE.read_text(encoding="utf-8").splitlines()]
    frequency = Counter(word for text in texts for word in {token.lower() for token in tokens(text)})
    rng = random.Random(31)
    cases = []
    for text in texts:
        ordinary = sorted({w.lower() for w in tokens(text) if w.isalpha() and len(w) > 3 and 3 <= frequency[w.lower()] <= 60})
        for count in (1, 2):
            stems = frozenset(stem_word(fold(word)) for word in rng.sample(ordinary, min(count, len(ordinary))))
            cases.append((stems, text, snippet(text, marked_tokens(text, Marked(stems, frozenset())))))
    assert sum(1 for stems, _text, result in cases if len(stems) == 2 and result) > 200
    return cases


def test_no_snippet_of_a_real_article_is_longer_than_three_lines(sample_snippets: list[tuple[frozenset[str], str, str]]) -> None:
    too_long = [result for _stems, text, result in sample_snippets for result in (result, plain_snippet(text))
                if len(visible(result)) > SNIPPET_CHARS]
    assert too_long == []


def test_no_snippet_of_a_real_article_shows_a_run_of_words_twice(sample_snippets: list[tuple[frozenset[str], str, str]]) -> None:
    def repeats(result: str) -> bool:
        words = [token.lower() for token in tokens(visible(result))]
        runs = [tuple(words[at:at + REPEAT_TOKENS]) for at in range(len(words) - REPEAT_TOKENS + 1)]
        return len(runs) != len(set(runs))

    assert [result for _stems, text, result in sample_snippets for result in (result, plain_snippet(text)) if repeats(result)] == []


def test_every_searched_word_a_snippet_of_a_real_article_shows_is_marked(sample_snippets: list[tuple[frozenset[str], str, str]]) -> None:
    unmarked = [(word, result) for stems, _text, result in sample_snippets
                for word in tokens(html.unescape(MARK.sub(" ", result))) if stem_word(fold(word)) in stems]
    assert unmarked == []


def test_a_snippet_of_a_real_article_shows_both_searched_words(sample_snippets: list[tuple[frozenset[str], str, str]]) -> None:
    """The article holds both words (they were taken from it): two passages show them when one cannot."""
    missing = [(stems, result) for stems, _text, result in sample_snippets
               if len(stems) == 2 and {stem_word(fold(word)) for _number, word in MARK.findall(result)} != stems]
    assert missing == []


# marked_paragraphs and marked_line: the article page


def test_an_article_page_shows_every_paragraph_with_the_words_marked_and_its_html_escaped() -> None:
    paragraphs = marked_paragraphs(ARTICLE, positions_of(ARTICLE, "pembangunan"))

    assert len(paragraphs) == 2
    assert [MARK.findall(p) for p in paragraphs] == [[("0", "Pembangunan")], [("0", "Pembangunan")]]
    assert not any(FOREIGN_TAG.search(p) for p in paragraphs)
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in paragraphs[0]
    assert visible("\n\n".join(paragraphs)) == ARTICLE


def test_an_article_page_without_marks_is_its_escaped_paragraphs() -> None:
    paragraphs = marked_paragraphs("Satu <b>dua</b>.\n\n\n\nTiga & empat.\n\n", np.zeros(0, dtype=np.int64))

    assert paragraphs == ["Satu &lt;b&gt;dua&lt;/b&gt;.", "Tiga &amp; empat."]


def test_a_headline_marks_every_inflection_of_a_searched_stem_and_escapes_the_rest() -> None:
    headline = "Pemerintah <b>Membangun</b> Jembatan & Pembangunan Jalan"

    line = marked_line(headline, Marked(frozenset({"bangun"}), frozenset({"jalan"})))

    assert MARK.findall(line) == [("0", "Membangun"), ("1", "Pembangunan"), ("2", "Jalan")]
    assert not FOREIGN_TAG.search(line)
    assert visible(line) == headline


def test_a_headline_without_searched_words_is_only_escaped() -> None:
    assert marked_line("Harga <i>cabai</i> naik", Marked(frozenset({"bangun"}), frozenset())) == "Harga &lt;i&gt;cabai&lt;/i&gt; naik"


# marked_positions: the places, read from a real index's token stream


@pytest.fixture(scope="module")
def article_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[IndexArrays, int, str]:
    """A real index holding :data:`ARTICLE` among others: its arrays, the article's number and its stored body."""
    root = tmp_path_factory.mktemp("snippets")
    source = root / "articles"
    source.mkdir()
    write_article(source, "a-lain.txt", "Harga cabai naik menjelang lebaran, kata pedagang pasar.")
    write_article(source, "b-bangun.txt", ARTICLE)
    write_article(source, "c-lain.txt", "Jembatan gantung di desa itu putus diterjang banjir bandang.")
    assert build_index(root / "ix", source).added == 3
    with searcher_on(root / "ix") as searcher:
        docnum = int(searcher.document_number(id="b-bangun"))
        body = str(searcher.stored_fields(docnum)["body"])
    return index_arrays(root / "ix"), docnum, body


def test_a_searched_stem_marks_every_inflection_in_the_article(article_index: tuple[IndexArrays, int, str]) -> None:
    ix, docnum, body = article_index

    places = marked_positions(ix, docnum, Marked(frozenset({"bangun"}), frozenset()))

    expected = [i for i, token in enumerate(tokens(body)) if stem_word(token.lower()) == "bangun"]
    assert places.tolist() == expected
    assert [tokens(body)[i] for i in places] == ["membangun", "Pembangunan", "dibangun", "bangunan", "Pembangunan"]


def test_an_exact_form_marks_only_that_form(article_index: tuple[IndexArrays, int, str]) -> None:
    ix, docnum, body = article_index

    places = marked_positions(ix, docnum, Marked(frozenset(), frozenset({"pembangunan"})))

    assert [tokens(body)[i] for i in places] == ["Pembangunan", "Pembangunan"]


def test_words_the_index_never_saw_mark_nothing(article_index: tuple[IndexArrays, int, str]) -> None:
    ix, docnum, _body = article_index

    assert marked_positions(ix, docnum, Marked(frozenset({"zzzkata"}), frozenset({"qqqbentuk"}))).tolist() == []
    assert marked_positions(ix, docnum, Marked(frozenset({"cabai"}), frozenset())).tolist() == []  # another article's word


def test_the_stored_article_and_its_marked_places_make_a_safe_snippet(article_index: tuple[IndexArrays, int, str]) -> None:
    ix, docnum, body = article_index

    result = snippet(body, marked_positions(ix, docnum, Marked(frozenset({"bangun"}), frozenset({"jembatan"}))))

    assert {word for _number, word in MARK.findall(result)} == {"membangun", "jembatan", "Pembangunan", "dibangun", "bangunan"}
    assert not FOREIGN_TAG.search(result)


@pytest.mark.parametrize("marked", [
    Marked(frozenset({"bangun"}), frozenset()),
    Marked(frozenset(), frozenset({"pembangunan", "jembatan"})),
    Marked(frozenset({"bangun", "desa"}), frozenset({"jembatan"})),
    Marked(frozenset({"zzzkata"}), frozenset()),
])
def test_analysing_a_body_afresh_marks_the_places_the_token_stream_marks(article_index: tuple[IndexArrays, int, str], marked: Marked) -> None:
    """A backend without token streams (OpenSearch) marks the same words in the same places as the Whoosh backend."""
    ix, docnum, body = article_index

    assert marked_tokens(body, marked).tolist() == marked_positions(ix, docnum, marked).tolist()


def test_a_page_of_articles_from_several_segments_marks_each_article_s_own_places(tmp_path) -> None:
    """A page's marks are read for all its hits at once (each segment's streams together): each hit gets its own."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    write_article(first, "a.txt", ARTICLE)
    write_article(first, "b.txt", "Jembatan gantung di desa itu putus diterjang banjir bandang, warga membangun rakit.")
    write_article(second, "c.txt", "Pembangunan jembatan baru di desa dimulai. Warga ikut membangun.")
    write_article(second, "d.txt", "Harga cabai naik menjelang lebaran, kata pedagang pasar.")
    assert build_index(tmp_path / "ix", first).added == 2
    assert build_index(tmp_path / "ix", second).added == 2  # a second commit: a second segment
    ix = index_arrays(tmp_path / "ix")
    assert len(ix.segments) >= 2
    marked = Marked(frozenset({"bangun", "desa"}), frozenset({"jembatan"}))
    with searcher_on(tmp_path / "ix") as searcher:
        bodies = {n: str(searcher.stored_fields(n)["body"]) for n in range(searcher.doc_count_all())}
    page = [3, 0, 2, 1, 0]  # any order, one hit twice
    found = marked_positions_of(ix, page, marked)
    assert [places.tolist() for places in found] == [marked_tokens(bodies[n], marked).tolist() for n in page]
    assert sum(len(places) for places in found) > 8
