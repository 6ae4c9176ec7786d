"""The analyst views: compare searches over time (``/banding``), who covers a search (``/media``), what it is about (``/tentang``).

Each is a page (no JavaScript needed), a JSON twin under ``/api/`` and a CSV of its series.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from search.domain.request import InvalidRequest
from web import urls
from web.analyst import about_envelope, compare_envelope, compare_requests, coverers_envelope
from web.index_db import get_engine
from web.params import parse_search_args
from web.searching import search_time, without_blank_params
from web.views.export import spreadsheet_cell

bp = Blueprint("analyst", __name__)


def _compare(*, required: bool = True) -> dict[str, object] | None:
    """The comparison the query string asks for; ``None`` for a form not filled in yet (unless ``required``)."""
    requests = compare_requests(request.args, current_app.config["MAX_QUERY_CHARS"])
    if not requests:
        if required:
            raise InvalidRequest("tulis sedikitnya satu pencarian (q) untuk dibandingkan")
        return None
    with search_time():
        comparison = get_engine().compare(requests)
    return compare_envelope(comparison, share=request.args.get("chart") == "share")


def _coverers() -> dict[str, object]:
    asked = parse_search_args(request.args, current_app.config["MAX_QUERY_CHARS"])
    with search_time():
        found = get_engine().coverers(asked)
    return coverers_envelope(found, asked, share=asked.chart == "share")


def _about() -> dict[str, object]:
    asked = parse_search_args(request.args, current_app.config["MAX_QUERY_CHARS"])
    with search_time():
        found = get_engine().about(asked)
    return about_envelope(found, asked)


def _page(template: str, build: Callable[[], dict[str, object] | None], **context: object):
    """The view's page; a bad parameter is a 400 that shows the same page, its form filled, with the message."""
    try:
        env = build()
    except InvalidRequest as error:
        return render_template(template, env=None, error=str(error), **context), 400
    return render_template(template, env=env, error=None, **context)


# The JSON and CSV twins let a bad parameter reach the app's handler (web.errors): 400 with its message.


@bp.get(urls.COMPARE)
def compare_page():
    """Up to five searches, one chart: a line per search, a legend with totals, the numbers in a table."""
    cleaned = without_blank_params(url_for("analyst.compare_page"))  # the form's empty boxes: "?q=a&q=b&q=&q="
    if cleaned is not None:
        return cleaned
    return _page("pages/compare.html", lambda: _compare(required=False), queries=list(request.args.getlist("q")) or [""])


@bp.get(urls.API_COMPARE)
def compare_api():
    """The comparison as JSON (``q`` repeated, shared filters)."""
    return jsonify(_compare())


@bp.get(urls.API_COMPARE_CSV)
def compare_csv():
    """The comparison's series: one row per period, a column of counts per search, and all articles of the period."""
    return _series_csv(_compare()["chart"], "cari-berita-banding.csv")


@bp.get(urls.COVERERS)
def coverers_page():
    """Who covers a search: the top outlets over time and every outlet's count, share of its output, first and last date."""
    return _page("pages/coverers.html", _coverers, q=request.args.get("q", ""))


@bp.get(urls.API_COVERERS)
def coverers_api():
    """Who covers a search, as JSON."""
    return jsonify(_coverers())


@bp.get(urls.API_COVERERS_CSV)
def coverers_csv():
    """The top outlets' series (and "Lainnya") per period, as CSV."""
    return _series_csv(_coverers()["chart"], "cari-berita-media.csv")


@bp.get(urls.ABOUT)
def about_page():
    """What a search's articles are about: distinctive words and phrases, most mentioned names."""
    return _page("pages/about.html", _about, q=request.args.get("q", ""))


@bp.get(urls.API_ABOUT)
def about_api():
    """The same as JSON."""
    return jsonify(_about())


def _series_csv(chart: dict[str, list[dict[str, object]]], filename: str) -> Response:
    """``dari,sampai,<series…>,semua_artikel``: counts per period (a spreadsheet computes any share from the last column)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    series = chart["series"]
    writer.writerow(["dari", "sampai", *[spreadsheet_cell(s["name"]) for s in series], "semua_artikel"])  # names are the user's words
    for number, period in enumerate(chart["periods"]):
        writer.writerow([period["from"], period["to"], *[s["counts"][number] for s in series], period["all"]])  # type: ignore[index]
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
