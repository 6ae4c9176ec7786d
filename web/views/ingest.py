"""``POST /api/articles``: new articles over HTTP, searchable when the response returns.

Off unless ``BERITA_INGEST_TOKEN`` is set; then it needs ``Authorization: Bearer <token>``.
Good records are indexed even when others in the same request are bad; the answer lists
every bad record by position with its reason.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, jsonify, request

from search.domain.errors import IndexBusy
from search.extract import Failed
from search.extract.posted import BodyError, parse_body
from web import urls
from web.index_db import get_engine

bp = Blueprint("ingest", __name__)


def _check_token() -> None:
    expected = current_app.config.get("INGEST_TOKEN")
    if not expected:
        abort(404, description="Penerimaan artikel lewat API tidak aktif (atur BERITA_INGEST_TOKEN).")
    header = request.headers.get("Authorization", "")
    if not header:
        response = jsonify({"error": "Perlu token: Authorization: Bearer <token>.", "status": 401})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="cari-berita"'
        abort(response)
    scheme, _, token = header.partition(" ")
    # WSGI hands a header over as latin-1 text: encoding it back gives the bytes the client sent, which for a
    # token set as UTF-8 text (``rahasia-é``) are its UTF-8 bytes.
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode("latin-1"), str(expected).encode("utf-8")):
        abort(403, description="Token tidak valid.")


# Past the limit, up to this much more is read and dropped, so the client gets to read the
# 413 instead of a reset connection; a body longer still is cut off.
DRAIN_BYTES = 64 * 1024 * 1024


def _body(limit: int) -> bytes:
    """The whole request body, or 413 when it is longer than ``limit`` bytes.

    A body sent in chunks has no length up front, and Werkzeug's stream just stops at the
    limit: ``get_data()`` returned the first 16 MiB of 17 as if that were all, and they
    were indexed. Here the server's own input stream (which ends where the chunks end) is
    read and counted, and anything past the limit is refused before a record is parsed.
    """
    if request.content_length is not None and request.content_length > limit:
        abort(413)
    stream = request.environ["wsgi.input"]
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            drained = 0
            while drained < DRAIN_BYTES and (more := stream.read(64 * 1024)):
                drained += len(more)
            abort(413)
        chunks.append(chunk)
    return b"".join(chunks)


@bp.post(urls.API_ARTICLES)
def post_articles():
    """Index one JSON article, a JSON list of them, or JSON Lines."""
    _check_token()
    try:
        results = parse_body(_body(current_app.config["MAX_CONTENT_LENGTH"]))
    except BodyError as error:
        abort(400, description=str(error))
    errors = [{"position": r.position, "error": r.reason} for r in results if isinstance(r, Failed)]
    good = [r for r in results if not isinstance(r, Failed)]
    try:
        # One commit for the whole request: it is stored entirely or not at all, so the answer never lies.
        report = get_engine().index(good, commit_every=len(good) + 1,
                               lock_timeout=current_app.config["INGEST_LOCK_TIMEOUT"])
    except IndexBusy as error:
        response = jsonify({"error": f"Indeks sedang ditulis proses lain; coba lagi. ({error})", "status": 503})
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    errors += [{"position": None, "id": f.source, "error": f.reason} for f in report.failed]
    body = {
        "ids": report.ids,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": errors,
    }
    status = 400 if errors else (201 if report.added else 200)
    response = jsonify(body)
    response.status_code = status
    return response
