"""Export every match of a search as CSV or JSON, streamed: no page, no silent cap.

Same parameters as ``/api/search`` (``q``, ``outlet``, ``group``, ``date``, ``from``, ``to``,
``sort``). The matching document numbers are collected first (an array of integers even
for 100,000 matches); the rows are then read and written one at a time, so memory stays
flat however many articles match.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
import unicodedata
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, request, stream_with_context

from search.domain.errors import SearchTimeout
from search.domain.result import LISTED, Export, Hit
from web import urls
from web.envelope import hit_dict
from web.index_db import get_engine
from web.params import parse_search_args
from web.searching import search_budget, search_time, site_address

bp = Blueprint("export", __name__)

# The fields a search lists of each match (search.domain.result.LISTED), its page here, and ``story``: the id of the
# first article of the story each row belongs to (search.backends.whoosh.stories), so copies of one press release can
# be counted once in a spreadsheet.
COLUMNS = (*LISTED, "article_url", "story")


# A cell starting with one of these is run as a formula by spreadsheets (OWASP's CSV injection rule).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """``value`` as CSV text a spreadsheet shows as written: a leading ``'`` before a formula character."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _row(hit: Hit, site: str) -> dict[str, object]:
    """The API's hit record without the snippet (an export lists articles, not passages).

    ``article_url`` is absolute (``site`` is this server's address): a file opened elsewhere, a
    spreadsheet or a report, still leads to the article.
    """
    record = hit_dict(hit)
    record["article_url"] = site + str(record["article_url"])
    return {name: record[name] for name in COLUMNS}


def _export() -> Export:
    search_request = parse_search_args(request.args, current_app.config["MAX_QUERY_CHARS"])  # a bad one: 400 (web.errors)
    with search_time():  # finding the matches
        found = get_engine().export(search_request)
    return Export(found.total, _within(found.rows, search_budget("EXPORT_TIME_BUDGET")))


def _within(rows: Iterator[Hit], seconds: float | None) -> Iterator[Hit]:
    """``rows`` until the export's own budget (from the request's arrival) runs out; then the stream breaks off.

    A client then sees an unfinished transfer, never a file that ends as if it held every
    match; a worker is not held by one export for longer than the budget.
    """
    deadline = time.monotonic() + seconds if seconds else None
    for row in rows:
        if deadline is not None and time.monotonic() > deadline:
            raise SearchTimeout(f"ekspor melewati batas waktunya ({seconds:g} detik); persempit pencarian")
        yield row


def _filename(suffix: str) -> str:
    """``cari-berita-harga-minyak-2026-11-25.csv``: the file names the search (its words, ASCII, at most 60 letters) and the day."""
    words = unicodedata.normalize("NFKD", request.args.get("q", "")).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:60].rstrip("-")
    return "-".join(filter(None, ["cari-berita", slug, dt.date.today().isoformat()])) + f".{suffix}"


@bp.get(urls.export("csv"))
def export_csv():
    """All matches as CSV (UTF-8 with a byte-order mark, so spreadsheets read Indonesian text right).

    Cells that a spreadsheet would run as a formula start with ``'``; the JSON export keeps every value exact.
    """
    export, site = _export(), site_address()

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        yield "\ufeff" + buffer.getvalue()
        for hit in export.rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow({k: spreadsheet_cell(v) for k, v in _row(hit, site).items()})
            yield buffer.getvalue()

    headers = {"Content-Disposition": f'attachment; filename="{_filename("csv")}"', "X-Total-Count": str(export.total)}
    return Response(stream_with_context(rows()), mimetype="text/csv", headers=headers)


@bp.get(urls.export("json"))
def export_json():
    """All matches as one JSON list of articles (metadata, no bodies)."""
    export, site = _export(), site_address()

    def chunks() -> Iterator[str]:
        yield "["
        for number, hit in enumerate(export.rows):
            yield ("," if number else "") + "\n" + json.dumps(_row(hit, site), ensure_ascii=False)
        yield "\n]\n"

    headers = {"Content-Disposition": f'attachment; filename="{_filename("json")}"', "X-Total-Count": str(export.total)}
    return Response(stream_with_context(chunks()), mimetype="application/json", headers=headers)
