"""Write the word document frequencies that story grouping weighs words by.

Usage::

    python -m bench.word_frequencies            # writes search/data/word_df.tsv.gz

Story grouping (:mod:`search.sketches`) needs to know which words are common in Indonesian
news (``yang``, ``dalam``, ``pemerintah``) and which are distinctive (names, places,
rare terms), before and independently of what a given index holds: a sketch must be the
same whichever articles were indexed before it. The frequencies are counted over the
IndoSum corpus (CC BY-SA 4.0, 3,463 articles, ``../shared``), on the same lower-cased,
unstemmed word forms the exact-form fields index. Words seen in a single article are left
out (the reader treats every missing word as that rare), which keeps the file small.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
from collections import Counter
from pathlib import Path

from bench.corpus import INDOSUM
from search.sketches import DF_PATH, sketch_words


def count(corpus: Path) -> tuple[int, Counter[str]]:
    """How many articles ``corpus`` holds, and in how many of them each word form occurs."""
    frequencies: Counter[str] = Counter()
    articles = 0
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            frequencies.update(sketch_words(f"{record.get('title') or ''}\n{record.get('text') or ''}").keys())
            articles += 1
    return articles, frequencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=INDOSUM)
    parser.add_argument("--out", type=Path, default=DF_PATH)
    args = parser.parse_args()
    articles, frequencies = count(args.corpus)
    kept = sorted((word, n) for word, n in frequencies.items() if n > 1)
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed, \
            io.TextIOWrapper(packed, encoding="utf-8") as out:  # mtime=0: the same corpus gives the same bytes
        out.write(f"# articles\t{articles}\n")
        out.write("# Document frequencies of word forms in IndoSum (CC BY-SA 4.0); made by python -m bench.word_frequencies\n")
        out.writelines(f"{word}\t{n}\n" for word, n in kept)
    print(f"{len(kept)} words (of {len(frequencies)}) from {articles} articles -> {args.out}")


if __name__ == "__main__":
    main()
