"""Story sketches of a bulk build's articles, computed in a helper process ahead of the article's turn.

A bulk build's main process reads every article and links it to the earlier articles of
its story (:class:`search.linking.StoryLinker`), in order; its writers index the documents
in processes of their own and wait for it. Sketching an article (reading its words and
weighing them) was 0.21 ms of the main process's 2 ms an article. Here a helper process
sketches the articles a few hundred ahead while the main process reads and links the ones
before, and the linker takes each sketch when the article's turn comes
(:meth:`~search.linking.StoryLinker.expect`). The sketches are the ones the main process
would compute: the same function over the same text in a fork of the same process.

Small runs never start the helper: it begins after :data:`START_AFTER` articles.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool

from search.extract import Extracted, Result
from search.linking import StoryLinker
from search.sketches import Sketch, sketch

START_AFTER = 2_000  # articles read before the helper starts (a fork and a pool cost tens of milliseconds)
CHUNK = 64  # articles sent to the helper at a time
WINDOW = 8  # chunks sent ahead of the one being linked: enough to keep the helper busy, bounded memory


def sketched_ahead(results: Iterable[Result], linker: StoryLinker) -> Iterator[Result]:
    """``results`` as they are, each article's sketch handed to ``linker`` before the article is yielded."""
    iterator = iter(results)
    for count, result in enumerate(iterator, start=1):
        yield result
        if count >= START_AFTER:
            break
    else:
        return
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        yield from _through(pool, iterator, linker)
    finally:
        pool.terminate()
        pool.join()


def _through(pool: Pool, results: Iterator[Result], linker: StoryLinker) -> Iterator[Result]:
    pending: deque[tuple[list[Result], AsyncResult[list[Sketch | None]]]] = deque()
    chunk: list[Result] = []
    for result in results:
        chunk.append(result)
        if len(chunk) == CHUNK:
            pending.append((chunk, pool.apply_async(_sketches, (_texts(chunk),))))
            chunk = []
            if len(pending) > WINDOW:
                yield from _handed(linker, *pending.popleft())
    while pending:
        yield from _handed(linker, *pending.popleft())
    yield from chunk  # the last few: sketched by the linker itself


def _texts(chunk: list[Result]) -> list[tuple[str | None, str] | None]:
    return [(r.article.title, r.article.body) if isinstance(r, Extracted) else None for r in chunk]


def _sketches(texts: list[tuple[str | None, str] | None]) -> list[Sketch | None]:
    """In the helper: each article's sketch (``None`` for a result that is no article)."""
    return [sketch(*text) if text is not None else None for text in texts]


def _handed(linker: StoryLinker, chunk: list[Result], sketches: AsyncResult[list[Sketch | None]]) -> Iterator[Result]:
    for result, own in zip(chunk, sketches.get(), strict=True):
        if own is not None and isinstance(result, Extracted):
            linker.expect(result.article, own)
        yield result
