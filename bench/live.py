"""How long until a new article is searchable, per arrival path (real processes, loopback only).

Usage::

    python -m bench.live [--rounds 10]

Starts ``berita serve`` and ``berita watch`` on a temporary folder seeded with the bundled
seeds, then measures, per round: a file written into the watched folder until the running
server finds it; a ``berita index FILE`` run until it returns (searchable from then on);
and ``POST /api/articles`` until it returns (searchable on return). Prints p50 and max.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import SEEDS, running_server  # noqa: E402

TOKEN = "bench-token"


def _found(base: str, word: str) -> bool:
    with urllib.request.urlopen(f"{base}/api/search?q={word}&size=1", timeout=10) as response:
        return json.loads(response.read())["total"] > 0


def _until_found(base: str, word: str, timeout: float = 60.0) -> float:
    started = time.monotonic()
    while not _found(base, word):
        if time.monotonic() - started > timeout:
            raise TimeoutError(word)
        time.sleep(0.02)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-live-"))
    folder, index_dir = work / "masuk", work / "ix"
    shutil.copytree(SEEDS, folder)
    env = {**os.environ, "BERITA_INGEST_TOKEN": TOKEN}
    watcher = subprocess.Popen([sys.executable, "-m", "web", "watch", str(folder), "--index-dir", str(index_dir)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    assert watcher.stdout
    watcher.stdout.readline(), watcher.stdout.readline()
    timings: dict[str, list[float]] = {"watch (file written -> found by the server)": [],
                                       "berita index FILE (run time)": [], "POST /api/articles (response time)": []}
    os.environ["BERITA_INGEST_TOKEN"] = TOKEN
    try:
        with running_server(index_dir, cwd=work) as base:
            for n in range(args.rounds):
                word = f"anggrekwatch{n}x"
                (folder / f"w{n}.txt").write_text(f"JAKARTA - Pameran {word} dibuka.\n", encoding="utf-8")
                timings["watch (file written -> found by the server)"].append(_until_found(base, word))

                extra = work / f"i{n}.txt"
                extra.write_text(f"JAKARTA - Pameran anggrekindex{n}x dibuka.\n", encoding="utf-8")
                started = time.monotonic()
                subprocess.run([sys.executable, "-m", "web", "index", str(extra), "--index-dir", str(index_dir)],
                               cwd=ROOT, check=True, capture_output=True)
                timings["berita index FILE (run time)"].append(time.monotonic() - started)
                assert _found(base, f"anggrekindex{n}x")

                body = json.dumps({"id": f"api-{n}", "text": f"JAKARTA - Pameran anggrekapi{n}x dibuka."}).encode()
                request = urllib.request.Request(f"{base}/api/articles", data=body, method="POST",
                                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
                started = time.monotonic()
                urllib.request.urlopen(request, timeout=30).close()
                timings["POST /api/articles (response time)"].append(time.monotonic() - started)
                assert _found(base, f"anggrekapi{n}x")
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'path':48} {'p50 s':>7} {'max s':>7}  ({args.rounds} rounds, each article searchable when timed)")
    for name, values in timings.items():
        print(f"{name:48} {statistics.median(values):7.2f} {max(values):7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
