"""Articles posted to the API (one JSON object, a JSON list, or JSONL) -> extraction results.

The web layer only checks the token and the size; turning the request body into
articles, with a reason for every record that cannot be one, happens here so the same
rules apply as for files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator

from search.domain.article import API_ORIGIN
from search.extract import Extracted, Failed, Result
from search.extract.decode import NotTextError, decode_bytes
from search.extract.records import RecordError, article_from_record


class BodyError(ValueError):
    """The request body as a whole cannot be read (empty, not text, not JSON)."""


def parse_body(data: bytes, *, today: dt.date | None = None) -> list[Result]:
    """One result per posted record, in order; ``Failed.source`` is ``record N`` (0-based)."""
    try:
        text = decode_bytes(data)
    except NotTextError as error:
        raise BodyError(f"isi permintaan tidak bisa dibaca: {error}") from None
    today = today or dt.date.today()
    return list(_results(_records(text), today))


def _records(text: str) -> Iterator[tuple[int, object | Exception]]:
    """``(position, record or the error that stopped it)`` for a JSON value or JSON lines."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise BodyError("JSON bersarang terlalu dalam") from None
    except json.JSONDecodeError:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise BodyError("isi permintaan bukan JSON maupun JSON Lines") from None
        for position, line in enumerate(lines):
            try:
                yield position, json.loads(line)
            except json.JSONDecodeError as error:
                yield position, ValueError(f"JSON tidak valid: {error.msg} (kolom {error.colno})")
            except RecursionError:
                yield position, ValueError("JSON bersarang terlalu dalam")
        return
    if isinstance(value, list):
        if not value:
            raise BodyError("daftar artikel kosong")
        yield from enumerate(value)
    else:
        yield 0, value


def _results(records: Iterator[tuple[int, object | Exception]], today: dt.date) -> Iterator[Result]:
    for position, record in records:
        source = f"record {position}"
        if isinstance(record, Exception):
            yield Failed(source, str(record), origin=API_ORIGIN, position=position)
            continue
        fallback = "a-" + hashlib.sha1(json.dumps(record, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
        try:
            article, warnings = article_from_record(record, fallback_id=fallback, today=today, source=f"api {source}", strict=True)
        except RecordError as error:
            yield Failed(source, str(error), origin=API_ORIGIN, position=position)
            continue
        yield Extracted(article, warnings, origin=API_ORIGIN)
