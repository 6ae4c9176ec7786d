"""Export every match of a search as CSV, JSON or an Excel workbook: no page, no silent cap.

Same parameters as ``/api/search`` (``q``, ``outlet``, ``group``, ``date``, ``from``, ``to``,
``sort``). The matching document numbers are collected first (an array of integers even
for 100,000 matches); the rows are then read and written one at a time, so memory stays
flat however many articles match. CSV and JSON stream as the rows are read; the workbook is
written to a temporary file first and then streamed (:mod:`web.xlsx` says why).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, request, stream_with_context
from werkzeug.wsgi import wrap_file

from search.domain.errors import SearchTimeout
from search.domain.request import InvalidRequest, SearchRequest
from search.domain.result import LISTED, Export, Hit
from web import urls, xlsx
from web.envelope import article_url, json_value, request_args, search_args
from web.facets import url_with
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


# ``?sep=``: the CSV's delimiter. A comma by default (what other tools read); ``semicolon`` for a spreadsheet set to
# Indonesian (or another comma-decimal) regional settings, which splits a double-clicked CSV at ``;`` only.
CSV_SEPARATORS = {"comma": ",", "semicolon": ";"}


def _record(hit: Hit, site: str) -> dict[str, object]:
    """The API's hit record without the snippet (an export lists articles, not passages), its values as Python has them.

    ``article_url`` is absolute (``site`` is this server's address): a file opened elsewhere, a
    spreadsheet or a report, still leads to the article.
    """
    return {**{name: getattr(hit, name) for name in LISTED}, "article_url": site + article_url(hit.id), "story": hit.story}


def _row(hit: Hit, site: str) -> dict[str, object]:
    """The record as text and JSON write it (dates as ``2017-03-05``)."""
    return {name: json_value(value) for name, value in _record(hit, site).items()}


def _export() -> tuple[SearchRequest, Export]:
    search_request = parse_search_args(request.args, current_app.config["MAX_QUERY_CHARS"])  # a bad one: 400 (web.errors)
    with search_time():  # finding the matches
        found = get_engine().export(search_request)
    return search_request, Export(found.total, _within(found.rows, search_budget("EXPORT_TIME_BUDGET")))


def _within(rows: Iterator[Hit], seconds: float | None) -> Iterator[Hit]:
    """``rows`` until the export's own budget (from the request's arrival) runs out; then the stream breaks off.

    A client then sees an unfinished transfer, never a file that ends as if it held every
    match; a worker is not held by one export for longer than the budget.
    """
    deadline = time.monotonic() + seconds if seconds else None
    for row in rows:
        if deadline is not None and time.monotonic() > deadline:
            raise SearchTimeout(f"ekspor melewati batas waktunya ({seconds:g} detik)")
        yield row


def _filename(suffix: str) -> str:
    """``cari-berita-harga-minyak-2026-11-25.csv``: the file names the search (its words, ASCII, at most 60 letters) and the day."""
    words = unicodedata.normalize("NFKD", request.args.get("q", "")).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:60].rstrip("-")
    return "-".join(filter(None, ["cari-berita", slug, dt.date.today().isoformat()])) + f".{suffix}"


def _separator() -> str:
    """The delimiter ``?sep=`` names (:data:`CSV_SEPARATORS`); any other value is a 400 naming it."""
    name = request.args.get("sep", "").strip() or "comma"
    if name not in CSV_SEPARATORS:
        raise InvalidRequest(f"'sep' harus {' atau '.join(CSV_SEPARATORS)}, bukan {name[:40]!r}")
    return CSV_SEPARATORS[name]


@bp.get(urls.export("csv"))
def export_csv():
    """All matches as CSV: UTF-8 with a byte-order mark (so spreadsheets read Indonesian text right), CRLF line ends.

    ``?sep=semicolon`` writes ``;`` between the cells instead of ``,``. Cells that a spreadsheet would
    run as a formula start with ``'``; the JSON export keeps every value exact.
    """
    delimiter = _separator()
    (_, export), site = _export(), site_address()

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\r\n")
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
    (_, export), site = _export(), site_address()

    def chunks() -> Iterator[str]:
        yield "["
        for number, hit in enumerate(export.rows):
            yield ("," if number else "") + "\n" + json.dumps(_row(hit, site), ensure_ascii=False)
        yield "\n]\n"

    headers = {"Content-Disposition": f'attachment; filename="{_filename("json")}"', "X-Total-Count": str(export.total)}
    return Response(stream_with_context(chunks()), mimetype="application/json", headers=headers)


@bp.get(urls.export("xlsx"))
def export_xlsx():
    """All matches as an Excel workbook (:mod:`web.xlsx`): built in a temporary file, then streamed with its length.

    Memory stays flat (openpyxl's write-only mode); the file on disk is about a third of the CSV's size and
    goes when the answer is sent or the build fails (an export past its time budget is a 503, as a search's).
    """
    search_request, export = _export()
    site = site_address()
    file = tempfile.TemporaryFile()  # no name on disk: nothing to clean up after a worker dies
    try:
        xlsx.write_workbook(file, COLUMNS, (_record(hit, site) for hit in export.rows), export.total,
                            _about(search_request, export.total, site), title=f"Cari Berita: {search_request.q or 'semua artikel'}")
    except BaseException:
        file.close()
        raise
    size = file.tell()
    file.seek(0)
    headers = {"Content-Disposition": f'attachment; filename="{_filename("xlsx")}"', "X-Total-Count": str(export.total),
               "Content-Length": str(size)}
    return Response(wrap_file(request.environ, file), mimetype=xlsx.MIME, headers=headers, direct_passthrough=True)


def _about(search_request: SearchRequest, total: int, site: str) -> list[tuple[str, object]]:
    """The workbook's "Tentang" sheet: the search, each filter, the order, the count, when, and the page to see it again."""
    filters = [(key, value) for key, value in search_args(search_request) if key != "q"]
    now = dt.datetime.now().astimezone()  # the server's clock and zone: Excel's dates have no zone, so the label says it
    offset = now.strftime("%z")
    page = url_with(urls.SEARCH_PAGE, request_args(search_request), drop=("page", "size", "chart"))
    return [
        ("Pencarian", search_request.q or "(semua artikel)"),
        *([("Filter", f"{key}={value}") for key, value in filters] or [("Filter", "(tanpa filter)")]),
        ("Urutan", search_request.sort or ("relevansi" if search_request.q else "terbaru")),
        ("Jumlah hasil", total),
        (f"Diekspor (UTC{offset[:3]}:{offset[3:]})", now.replace(tzinfo=None, microsecond=0)),
        ("Halaman pencarian", site + page),
        ("Sumber", "Cari Berita"),
    ]
