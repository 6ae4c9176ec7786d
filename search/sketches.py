"""Story sketches: when two articles are copies or rewrites of one story, the same on every backend.

Each article gets a *sketch*, the :data:`SKETCH_TERMS` words that best set it apart, weighed
by tf-idf over the word forms as written (names, places, the release's own phrasing), with
document frequencies from a fixed table (:data:`DF_PATH`, counted over IndoSum) so that a
sketch depends on the article alone, never on what happened to be indexed before it.

A story is one report told again: a press release or an event written up by several
outlets, an outlet's article republished. It is not a topic followed for days. So two
articles are the same story (:func:`same_story`) when their dates lie at most
:data:`DAYS_APART` apart (an undated article can join any story) and either they come from
different outlets and their sketches' cosine is at least :data:`SAME_STORY`, or they come
from one outlet and the cosine is at least :data:`SAME_TEXT`, nearly the same text. One
outlet's two articles on one topic are its follow-ups, with their own news, however much
background they share (on IndoSum such pairs reach 0.68: docs/STORIES.md), and a reader
wants each of them. An unknown outlet is another outlet. How a backend finds the
candidates to compare and keeps the links is its own (:mod:`search.backends.whoosh.stories`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from search.analyzer import TOKEN_PATTERN, fold

DF_PATH = Path(__file__).resolve().parent / "data" / "word_df.tsv.gz"


SKETCH_TERMS = 40  # words kept per sketch


SAME_STORY = 0.45  # sketch cosine from which two outlets' articles are one story


SAME_TEXT = 0.8  # sketch cosine from which one outlet's two articles are one story: a republication


MIN_WORDS = 20  # a text of fewer distinct words is too short to tell its story from another's


DAYS_APART = 1  # a report's copies come out the same day or the next


Sketch = dict[str, float]


_TOKEN = re.compile(TOKEN_PATTERN)




def sketch_words(text: str) -> Counter[str]:
    """How often each word form a sketch is made of occurs: exact-form tokens, bare numbers left out.

    The same tokens as :func:`search.analyzer.analyze_exact` (a test holds them equal), read
    with its regular expression directly and folded once per distinct token (and, for the
    life of the process, once per token ever seen: a build sketches every article).
    """
    counts: Counter[str] = Counter()
    for token, n in Counter(_TOKEN.findall(text)).items():
        word = _SKETCH_WORD.get(token, "")
        if word == "":
            word = _sketch_word(token)
        if word is not None:
            counts[word] += n
    return counts


def _sketch_word(token: str) -> str | None:
    """``token`` folded, or ``None`` when it is no sketch word (one letter, a bare number); remembered."""
    folded = fold(token)
    word = None if len(folded) <= 1 or folded.replace(".", "").replace(",", "").isdigit() else folded
    if len(_SKETCH_WORD) >= _SKETCH_WORDS_KEPT:
        _SKETCH_WORD.clear()
    _SKETCH_WORD[token] = word
    return word


# Token -> its sketch word (None: none), and word -> its idf, for the life of the process (bounded).
_SKETCH_WORD: dict[str, str | None] = {}
_SKETCH_WORDS_KEPT = 500_000
_IDF: dict[str, float] = {}
# 1 + log(n) for the counts a word has in one article (the same floats math.log gives).
_TF = [0.0, *(1 + math.log(n) for n in range(1, 256))]


@lru_cache(maxsize=1)
def document_frequencies() -> tuple[int, dict[str, int]]:
    """(articles counted, word -> articles holding it) from the shipped table."""
    articles, frequencies = 0, {}
    with gzip.open(DF_PATH, "rt", encoding="utf-8") as lines:
        for line in lines:
            word, _, count = line.rstrip("\n").partition("\t")
            if word == "# articles":
                articles = int(count)
            elif not word.startswith("#"):
                frequencies[word] = int(count)
    return articles, frequencies


def _idf(word: str) -> float:
    found = _IDF.get(word)
    if found is None:
        articles, frequencies = document_frequencies()
        found = math.log((articles + 1) / (frequencies.get(word, 0) + 1))
        if len(_IDF) >= _SKETCH_WORDS_KEPT:
            _IDF.clear()
        _IDF[word] = found
    return found


def sketch(title: str | None, body: str) -> Sketch:
    """The article's most distinctive words with unit-length tf-idf weights."""
    counts = sketch_words(f"{title or ''}\n{body}")
    top = sorted((-((_TF[n] if n < 256 else 1 + math.log(n)) * _idf(w)), w) for w, n in counts.items())[:SKETCH_TERMS]
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return {sys.intern(word): round(-w / norm, 4) for w, word in top if w < 0}


def similarity(a: Sketch, b: Sketch) -> float:
    """Cosine of two sketches (both unit length)."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b.get(word, 0.0) for word, w in a.items())


def close_in_time(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= DAYS_APART


def same_story(own: Sketch, other: Sketch, outlets: tuple[str | None, str | None]) -> float:
    """The cosine of two articles' sketches when they tell one story (dates aside, see :func:`close_in_time`), else 0."""
    score = similarity(own, other)
    one_outlet = outlets[0] is not None and outlets[0] == outlets[1]
    return score if score >= (SAME_TEXT if one_outlet else SAME_STORY) else 0.0
