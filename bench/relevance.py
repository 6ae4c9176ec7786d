"""Ranking quality on known-item queries: no stemming vs Sastrawi only vs the combined ranking.

Usage::

    python -m bench.relevance [--index-dir DIR] [--limit N]

Builds (or reuses) an index of the IndoSum corpus and runs the TREC-format queries and
qrels of ``../shared/eval`` as five query sets, each in the three rankings of
:data:`bench.rankings.RANKINGS`:

- ``sentence``: the query as given (a summary sentence);
- ``2 words`` / ``3 words``: the rarest two or three words of the sentence that the
  relevant article itself uses, as written (what a user who read it would type);
- ``2 words re-inflected`` / ``3 words re-inflected``: the same keywords, each replaced by
  the corpus's most frequent other word with the same Sastrawi stem (``penjualan`` for
  ``menjual``); queries where no word has another form are left out.

The random-word table adds ``3 remembered words`` (:func:`remembered_set`): three summary words, drawn
so that about 55 % of the queries have all three in the article, 35 % two and 9 % one, as
people remember an article's gist. ``--grouping`` prints only what story grouping costs each set.

Prints MRR@10, recall@10 and nDCG@10 per set and ranking, then the same for the
ablations of :data:`bench.rankings.ABLATIONS` (the combined ranking without proximity,
and stem-only with it), so each part's contribution is visible.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

from bench.rankings import ABLATIONS, BASELINES, RANKINGS, ranked_ids
from search.analyzer import analyze_exact, stem_word
from search.backends.whoosh.indexer import index_results
from search.backends.whoosh.snapshot import Snapshot
from search.backends.whoosh.storage import index_exists, open_index
from search.domain.request import InvalidRequest, SearchRequest
from search.engine import EngineConfig, SearchEngine, open_engine
from search.extract import read_paths
from search.partials import in_page_order

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "indosum" / "articles.jsonl"
QUERIES = SHARED / "eval" / "known_item_dev.tsv"
QRELS = SHARED / "eval" / "known_item_dev.qrels"
RANDOM_SEED = 16
OPENSEARCH_INDEX = "bench-relevance"
STOP_WORDS = frozenset(StopWordRemoverFactory().get_stop_words())
# Function words nobody types as a search keyword (used only to pick keywords here).
FUNCTION_WORDS = set(
    "yang dan di ke dari untuk dengan pada ini itu dalam akan telah sudah oleh tidak juga "
    "adalah sebagai karena atau bahwa saat para dia ia mereka kami kita tersebut lebih bisa "
    "dapat ada secara hingga serta antara setelah sejak agar namun masih menjadi bagi tak".split()
)


@dataclass
class Scores:
    rr: float = 0.0
    found: int = 0
    ndcg: float = 0.0
    n: int = 0

    def add(self, rank: int | None) -> None:
        self.n += 1
        if rank is not None:
            self.rr += 1 / rank
            self.found += 1
            self.ndcg += 1 / math.log2(rank + 1)

    @property
    def mrr(self) -> float:
        return self.rr / max(self.n, 1)

    def row(self) -> str:
        n = max(self.n, 1)
        return f"{self.rr / n:.3f}  {self.found / n:.3f}  {self.ndcg / n:.3f}"


def load_eval(queries: Path, qrels: Path) -> list[tuple[str, str, str]]:
    """``(query id, text, relevant article id)`` for every judged query."""
    relevant = {}
    for line in qrels.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] != "0":
            relevant[parts[0]] = parts[2]
    rows = []
    for line in queries.read_text(encoding="utf-8").splitlines():
        qid, _, text = line.partition("\t")
        if qid in relevant:
            rows.append((qid, text.strip(), relevant[qid]))
    return rows


class Vocabulary:
    """Document frequencies of written forms, and the written forms of each stem."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.df: Counter[str] = Counter()
        self.cf: Counter[str] = Counter()
        self.doc_words: dict[str, set[str]] = {}
        for article_id, text in texts.items():
            words = analyze_exact(text)
            self.cf.update(words)
            unique = set(words)
            self.df.update(unique)
            self.doc_words[article_id] = unique
        self.forms: dict[str, list[str]] = defaultdict(list)
        for word in self.cf:
            self.forms[stem_word(word)].append(word)

    def keywords(self, text: str, article_id: str, count: int) -> list[str]:
        """The ``count`` rarest words of ``text`` that the article uses as written."""
        in_article = self.doc_words.get(article_id, set())
        words = analyze_exact(text)
        candidates = {
            w for w in words
            if w in in_article and w not in FUNCTION_WORDS and len(w) >= 4 and not any(c.isdigit() for c in w) and self.df[w] >= 2
        }
        ranked = sorted(candidates, key=lambda w: (self.df[w], w))
        return sorted(ranked[:count], key=words.index)

    def stems_of(self, article_id: str) -> set[str]:
        """The Sastrawi stems of the article's words."""
        return {stem_word(word) for word in self.doc_words.get(article_id, set())}

    def random_form(self, word: str, rng: random.Random) -> str | None:
        """Another written form with the same stem, drawn in proportion to its frequency, if any."""
        others = sorted(w for w in self.forms.get(stem_word(word), []) if w != word and "-" not in w)
        return rng.choices(others, weights=[self.cf[w] for w in others])[0] if others else None

    def reinflect(self, word: str) -> str | None:
        """The most frequent other written form with the same stem, if any."""
        others = [w for w in self.forms.get(stem_word(word), []) if w != word and "-" not in w]
        return max(others, key=lambda w: (self.cf[w], w)) if others else None


def content_words(text: str) -> list[str]:
    """The sentence's words a user might type: no Sastrawi stop word, no number, none of one or two letters."""
    seen: list[str] = []
    for word in analyze_exact(text):
        if word not in STOP_WORDS and len(word) > 2 and not any(c.isdigit() for c in word) and word not in seen:
            seen.append(word)
    return seen


def random_sets(rows: list[tuple[str, str, str]], vocabulary: Vocabulary, seed: int = RANDOM_SEED) -> dict[str, list[tuple[str, str]]]:
    """Two and three of each sentence's content words drawn at random, as written and re-inflected.

    Re-inflected: each word replaced by another form with the same Sastrawi stem that occurs
    in the corpus (drawn in proportion to how often each form occurs), where one exists;
    queries where no word has another form are left out of that set.
    """
    rng = random.Random(seed)
    sets: dict[str, list[tuple[str, str]]] = {}
    for count in (2, 3):
        written, reinflected = [], []
        for _, text, rel in rows:
            words = content_words(text)
            if len(words) < count:
                continue
            picked = [words[i] for i in sorted(rng.sample(range(len(words)), count))]
            written.append((" ".join(picked), rel))
            changed = [vocabulary.random_form(w, rng) or w for w in picked]
            if changed != picked:
                reinflected.append((" ".join(changed), rel))
        sets[f"{count} random words"] = written
        sets[f"{count} random words re-inflected"] = reinflected
    return sets


# How many of three remembered words the article holds, and the share of such queries (issue 31's detik month:
# all three 55 %, two 35 %, one 9 %; the rest none).
REMEMBERED_SHARES = {3: 0.55, 2: 0.35, 1: 0.09, 0: 0.01}


def remembered_set(rows: list[tuple[str, str, str]], vocabulary: Vocabulary, seed: int = RANDOM_SEED, draws: int = 20) -> list[tuple[str, str]]:
    """Three content words of the summary as people remember them, drawn so that the share of queries holding all
    three, two, one or none of the words in the article (by Sastrawi stem) is :data:`REMEMBERED_SHARES`.

    A summary word the article lacks is a synonym, an abbreviation or a word of the summary only, as in remembered
    queries. Up to ``draws`` triples are drawn per summary and at most one kept per article and class, so the
    scarce classes (most summary words are in their article) have enough queries; one class per article in the end.
    """
    rng = random.Random(seed)
    by_present: dict[int, dict[str, str]] = defaultdict(dict)  # words present -> article -> query
    for _, text, relevant in rows:
        words, stems = content_words(text), vocabulary.stems_of(relevant)
        if len(words) < 3:
            continue
        for _ in range(draws):
            picked = [words[i] for i in sorted(rng.sample(range(len(words)), 3))]
            by_present[sum(stem_word(word) in stems for word in picked)].setdefault(relevant, " ".join(picked))
    chosen: dict[str, str] = {}
    order = sorted(REMEMBERED_SHARES, key=lambda k: len(by_present[k]))  # the scarcest class picks its articles first
    size = min(int(len(by_present[k]) / share) for k, share in REMEMBERED_SHARES.items())
    for k in order:
        free = sorted(article for article in by_present[k] if article not in chosen)
        for article in rng.sample(free, min(len(free), round(size * REMEMBERED_SHARES[k]))):
            chosen[article] = by_present[k][article]
    return sorted(((q, article) for article, q in chosen.items()), key=lambda pair: pair[1])


def query_sets(rows: list[tuple[str, str, str]], vocabulary: Vocabulary) -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {"sentence": [(text, rel) for _, text, rel in rows]}
    for count in (2, 3):
        plain, reinflected = [], []
        for _, text, rel in rows:
            words = vocabulary.keywords(text, rel, count)
            if len(words) < count:
                continue
            plain.append((" ".join(words), rel))
            changed = [vocabulary.reinflect(w) or w for w in words]
            if changed != words:
                reinflected.append((" ".join(changed), rel))
        sets[f"{count} words"] = plain
        sets[f"{count} words re-inflected"] = reinflected
    return sets


def evaluate(index_dir: Path, sets: dict[str, list[tuple[str, str]]], rankings: list[str]) -> dict[str, dict[str, Scores]]:
    table: dict[str, dict[str, Scores]] = {}
    with open_index(index_dir).searcher() as searcher:
        snapshot = Snapshot(searcher)
        for name, queries in sets.items():
            table[name] = {}
            for ranking in rankings:
                scores = Scores()
                for text, relevant in queries:
                    ids = ranked_ids(snapshot, text, ranking=ranking, limit=10)
                    scores.add(ids.index(relevant) + 1 if relevant in ids else None)
                table[name][ranking] = scores
    return table


def evaluate_engines(engines: dict[str, SearchEngine], sets: dict[str, list[tuple[str, str]]],
                     grouping: dict[str, bool] | None = None) -> dict[str, dict[str, Scores]]:
    """The service's ranking through each engine's interface: its first ten results as the page lists them, partial matches at their place.

    With ``grouping`` (a label's setting) a copy of a story shows only as its face: an article folded under
    another hit is not among the ten, as a reader sees the page.
    """
    table: dict[str, dict[str, Scores]] = {}
    for name, queries in sets.items():
        table[name] = {}
        for label, engine in engines.items():
            scores = Scores()
            for text, relevant in queries:
                try:
                    result = engine.search(SearchRequest(q=text, size=10, grouping=(grouping or {}).get(label, False)))
                except InvalidRequest:  # a sentence over the query language's limits: refused alike by both
                    ids = []
                else:
                    ids = [hit.id for hit in in_page_order(result.hits, [(p.before, p) for p in result.partial])][:10]
                scores.add(ids.index(relevant) + 1 if relevant in ids else None)
            table[name][label] = scores
    return table


def backends_table(whoosh_dir: Path, opensearch_url: str, sets: dict[str, list[tuple[str, str]]]) -> str:
    """MRR@10, R@10 and nDCG@10 of the Whoosh and the OpenSearch backend over the same corpus, with the MRR difference."""
    whoosh = open_engine(EngineConfig("whoosh", whoosh_dir))
    cluster = open_engine(EngineConfig("opensearch", whoosh_dir, url=opensearch_url, index_name=OPENSEARCH_INDEX))
    if cluster.count() != whoosh.count():
        cluster.rebuild(read_paths([CORPUS]))
        print(f"indexed {cluster.count()} IndoSum articles into {cluster.describe()}", file=sys.stderr)
    table = evaluate_engines({"whoosh": whoosh, "opensearch": cluster}, sets)
    lines = [render(table, sets, ["whoosh", "opensearch"]), "", "| query set | MRR@10 OpenSearch - Whoosh |", "|---|---|"]
    lines += [f"| {name} | {row['opensearch'].mrr - row['whoosh'].mrr:+.3f} |" for name, row in table.items()]
    return "\n".join(lines)


def grouping_table(index_dir: Path, sets: dict[str, list[tuple[str, str]]]) -> str:
    """What story grouping costs the known item: the first ten hits with grouping on and off, and the MRR difference."""
    engine = open_engine(EngineConfig("whoosh", index_dir))
    table = evaluate_engines({"grouping off": engine, "grouping on": engine}, sets, {"grouping off": False, "grouping on": True})
    lines = [render(table, sets, ["grouping off", "grouping on"]), "", "| query set | MRR@10 on - off |", "|---|---|"]
    lines += [f"| {name} | {row['grouping on'].mrr - row['grouping off'].mrr:+.4f} |" for name, row in table.items()]
    return "\n".join(lines)


def render(table: dict[str, dict[str, Scores]], sets: dict[str, list[tuple[str, str]]], rankings: list[str]) -> str:
    head = "| query set | n | " + " | ".join(f"{r}: MRR@10  R@10  nDCG@10" for r in rankings) + " |"
    lines = [head, "|" + "---|" * (2 + len(rankings))]
    for name, by_ranking in table.items():
        lines.append(f"| {name} | {len(sets[name])} | " + " | ".join(by_ranking[r].row() for r in rankings) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, help="reuse this IndoSum index (built when missing)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries (0: all)")
    parser.add_argument("--no-ablations", action="store_true", help="only the three rankings of the main table")
    parser.add_argument("--grouping", action="store_true", help="only what story grouping costs each set (the service's ranking)")
    parser.add_argument("--opensearch-url", help="compare the Whoosh and the OpenSearch backend on this cluster instead (the combined ranking)")
    args = parser.parse_args(argv)
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="relevance-")) / "ix"
    if not index_exists(index_dir):
        report = index_results(index_dir, read_paths([CORPUS]))
        print(f"indexed {report.added} IndoSum articles into {index_dir}", file=sys.stderr)
    texts = {}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[record["id"]] = f"{record['title']}\n{record['text']}"
    rows = load_eval(QUERIES, QRELS)
    if args.limit:
        rows = rows[: args.limit]
    vocabulary = Vocabulary(texts)
    sets = query_sets(rows, vocabulary)
    random_words = random_sets(rows, vocabulary)
    random_words["3 remembered words"] = remembered_set(rows, vocabulary)
    for name in ("2 words", "2 words re-inflected", "3 random words", "3 random words re-inflected"):
        print(f"e.g. {name}: " + "; ".join(q for q, _ in {**sets, **random_words}[name][:4]), file=sys.stderr)
    if args.grouping:
        print(grouping_table(index_dir, {**sets, **random_words}))
        return 0
    if args.opensearch_url:  # the backends compared, with the service's ranking
        print(backends_table(index_dir, args.opensearch_url, {**sets, **random_words}))
        return 0
    rankings = list(RANKINGS) + ([] if args.no_ablations else list(ABLATIONS))
    table = evaluate(index_dir, sets, rankings)
    print(render(table, sets, list(RANKINGS)))
    print("\nWords drawn at random from the sentence, against plain BM25 over any of the words:\n")
    random_table = evaluate(index_dir, random_words, [*BASELINES, "combined"])
    print(render(random_table, random_words, [*BASELINES, "combined"]))
    if not args.no_ablations:
        print("\nAblations (what each part of the combined ranking adds):\n")
        print(render(table, sets, ["combined", *ABLATIONS]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
