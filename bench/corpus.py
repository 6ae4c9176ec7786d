"""A deterministic synthetic corpus of N Indonesian news articles, for benchmarks only.

Usage::

    python -m bench.corpus --articles 100000 --out /tmp/synthetic-100k.jsonl

Articles are stitched from the real sentences of the IndoSum corpus (``../shared``), so
word frequencies, lengths and stemming cost look like real news; but they are **not real
articles** and every record says so (``"synthetic": true``). Outlets follow a Zipf-like
spread over 40 registered Indonesian outlets (about 4% have no outlet), dates spread over
the three years 2023-2025 with more recent news (about 3% undated). The same ``--seed``
and ``--articles`` always give the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDOSUM = ROOT.parent / "shared" / "corpus" / "indosum" / "articles.jsonl"
OUTLETS = (
    "kompas.com detik.com cnnindonesia.com tribunnews.com liputan6.com kumparan.com antaranews.com "
    "tempo.co suara.com merdeka.com okezone.com sindonews.com republika.co.id jpnn.com "
    "cnbcindonesia.com tirto.id idntimes.com viva.co.id bisnis.com kontan.co.id beritasatu.com "
    "mediaindonesia.com jawapos.com pikiran-rakyat.com inews.id bolasport.com goal.com "
    "poskotanews.com rmol.id sumateraekspres.id kabarkriminal.online tribunjabar.id tribunjatim.com "
    "radarbogor.id harianjogja.com solopos.com bisnis.tempo.co dailysocial.id katadata.co.id "
    "gatra.com"
).split()
START = dt.date(2023, 1, 1)
DAYS = 3 * 365
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def sentences(path: Path = INDOSUM) -> tuple[list[str], list[str]]:
    """Real sentences and titles of IndoSum, without their datelines (the generator writes its own)."""
    pool: list[str] = []
    titles: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            titles.append(record["title"])
            text = re.sub(r"^[^\n]{0,80}?\s[-–—]+\s", "", record["text"], count=1)
            pool.extend(s.strip() for s in _SENTENCE_END.split(text.replace("\n", " ")) if len(s.split()) >= 5)
    return pool, titles


def generate(count: int, seed: int = 20261123, path: Path = INDOSUM) -> Iterator[dict[str, object]]:
    """``count`` synthetic article records, always the same for the same arguments."""
    pool, titles = sentences(path)
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(OUTLETS))]
    for number in range(1, count + 1):
        outlet = None if rng.random() < 0.04 else rng.choices(OUTLETS, weights)[0]
        date = None if rng.random() < 0.03 else START + dt.timedelta(days=int(DAYS * rng.random() ** 0.7))
        paragraphs = []
        for _ in range(rng.randint(3, 7)):
            paragraphs.append(" ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))))
        yield {
            "id": f"syn-{number:07d}",
            "title": rng.choice(titles).capitalize(),
            "text": "\n\n".join(paragraphs),
            "outlet": outlet,
            "date": date.isoformat() if date else None,
            "synthetic": True,
        }


def write(out: Path, count: int, seed: int = 20261123) -> Path:
    """Write the corpus as JSONL (skipped when ``out`` already holds exactly it)."""
    marker = out.with_suffix(".done")
    stamp = f"{count} {seed}"
    if out.exists() and marker.exists() and marker.read_text() == stamp:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    marker.write_text(stamp)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write(args.out, args.articles, args.seed)
    print(f"SYNTHETIC corpus (stitched from IndoSum sentences, not real articles): {args.articles} articles -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
