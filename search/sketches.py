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
    with its regular expression directly and folded once per distinct token: Whoosh's token
    pipeline was most of the cost of sketching.
    """
    counts: Counter[str] = Counter()
    for token, n in Counter(_TOKEN.findall(text)).items():
        word = fold(token)
        if len(word) > 1 and not word.replace(".", "").replace(",", "").isdigit():
            counts[word] += n
    return counts


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


def sketch(title: str | None, body: str) -> Sketch:
    """The article's most distinctive words with unit-length tf-idf weights."""
    articles, frequencies = document_frequencies()
    counts = sketch_words(f"{title or ''}\n{body}")
    weights = {w: (1 + math.log(n)) * math.log((articles + 1) / (frequencies.get(w, 0) + 1)) for w, n in counts.items()}
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:SKETCH_TERMS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {sys.intern(word): round(w / norm, 4) for word, w in top if w > 0}


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
