"""Errors as the client expects them: JSON under ``/api/``, an Indonesian page elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from search.domain.errors import DiskFull, IndexUnavailable, SearchTimeout
from search.domain.request import InvalidRequest

MESSAGES = {
    400: "Permintaan tidak valid.",
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    413: "Isi permintaan terlalu besar.",
    503: "Layanan belum siap.",
    507: "Ruang disk server habis.",
}


def _respond(code: int, message: str):
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "status": code})
        response.status_code = code
        return response
    return render_template("pages/error.html", code=code, message=message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # a view that built its own answer (e.g. 401 with WWW-Authenticate)
            return error.response
        code = error.code or 500
        # Our own aborts carry an Indonesian description; werkzeug's defaults are English.
        custom = error.description if error.description != type(error).description else None
        response = make_response(_respond(code, custom or MESSAGES.get(code, error.name)))
        for name, value in error.get_headers():  # a 405's Allow, a 401's WWW-Authenticate: what the client needs next
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(InvalidRequest)  # a bad parameter anywhere: 400 with the message naming it
    def invalid(error: InvalidRequest):
        return _respond(400, str(error))

    @app.errorhandler(IndexUnavailable)
    def unavailable(error: IndexUnavailable):
        return _respond(503, f"Indeks belum tersedia: {error}")

    @app.errorhandler(DiskFull)  # only writes run out of space, and a write stores all of a request or nothing
    def disk_full(error: DiskFull):
        return _respond(507, f"Disk penuh: tidak ada artikel dari permintaan ini yang disimpan. ({error})")

    @app.errorhandler(SearchTimeout)
    def too_slow(error: SearchTimeout):
        return _respond(503, f"Pencarian ini terlalu berat: {error}. Persempit dengan kata yang lebih khas atau filter.")

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return _respond(500, "Terjadi kesalahan di server; sudah dicatat.")
