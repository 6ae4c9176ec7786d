"""The analyst views: compare searches over time (``/banding``), who covers a search (``/media``), what it is about (``/tentang``).

Each is a page (no JavaScript needed), a JSON twin under ``/api/`` and a CSV of its series.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for

from search.budget import time_budget
from search.requests import InvalidRequest
from web import urls
from web.analysis import about_envelope, compare_envelope, compare_requests, coverers_envelope
from web.index_db import get_engine
from web.params import parse_search_args
from web.searching import without_blank_params
from web.views.export import spreadsheet_cell

bp = Blueprint("analysis", __name__)


def _compare() -> dict[str, object] | None:
    requests = compare_requests(request.args, current_app.config["MAX_QUERY_CHARS"])
    if not requests:
        return None
    with time_budget(current_app.config["SEARCH_TIME_BUDGET"]):
        comparison = get_engine().compare(requests)
    return compare_envelope(comparison, share=request.args.get("chart") == "share")


def _coverers() -> dict[str, object]:
    asked = parse_search_args(request.args, current_app.config["MAX_QUERY_CHARS"])
    with time_budget(current_app.config["SEARCH_TIME_BUDGET"]):
        found = get_engine().coverers(asked)
    return coverers_envelope(found, asked, share=asked.chart == "share")


@bp.get(urls.COMPARE)
def compare_page():
    """Up to five searches, one chart: a line per search, a legend with totals, the numbers in a table."""
    cleaned = without_blank_params(url_for("analysis.compare_page"))  # the form's empty boxes: "?q=a&q=b&q=&q="
    if cleaned is not None:
        return cleaned
    queries = list(request.args.getlist("q")) or [""]
    try:
        env = _compare()
    except InvalidRequest as error:
        return render_template("pages/compare.html", env=None, queries=queries, error=str(error)), 400
    return render_template("pages/compare.html", env=env, queries=queries, error=None)


@bp.get(urls.API_COMPARE)
def compare_api():
    """The comparison as JSON (``q`` repeated, shared filters)."""
    try:
        env = _compare()
    except InvalidRequest as error:
        abort(400, description=str(error))
    if env is None:
        abort(400, description="tulis sedikitnya satu pencarian (q) untuk dibandingkan")
    return jsonify(env)


@bp.get(urls.API_COMPARE_CSV)
def compare_csv():
    """The comparison's series: one row per period, a column of counts per search, and all articles of the period."""
    try:
        env = _compare()
    except InvalidRequest as error:
        abort(400, description=str(error))
    if env is None:
        abort(400, description="tulis sedikitnya satu pencarian (q) untuk dibandingkan")
    return _series_csv(env["chart"], "cari-berita-banding.csv")


@bp.get(urls.COVERERS)
def coverers_page():
    """Who covers a search: the top outlets over time and every outlet's count, share of its output, first and last date."""
    try:
        env = _coverers()
    except InvalidRequest as error:
        return render_template("pages/coverers.html", env=None, q=request.args.get("q", ""), error=str(error)), 400
    return render_template("pages/coverers.html", env=env, q=request.args.get("q", ""), error=None)


@bp.get(urls.API_COVERERS)
def coverers_api():
    """Who covers a search, as JSON."""
    try:
        return jsonify(_coverers())
    except InvalidRequest as error:
        abort(400, description=str(error))


@bp.get(urls.API_COVERERS_CSV)
def coverers_csv():
    """The top outlets' series (and "Lainnya") per period, as CSV."""
    try:
        env = _coverers()
    except InvalidRequest as error:
        abort(400, description=str(error))
    return _series_csv(env["chart"], "cari-berita-media.csv")


def _about() -> dict[str, object]:
    asked = parse_search_args(request.args, current_app.config["MAX_QUERY_CHARS"])
    with time_budget(current_app.config["SEARCH_TIME_BUDGET"]):
        found = get_engine().about(asked)
    return about_envelope(found, asked)


@bp.get(urls.ABOUT)
def about_page():
    """What a search's articles are about: distinctive words and phrases, most mentioned names."""
    try:
        env = _about()
    except InvalidRequest as error:
        return render_template("pages/about.html", env=None, q=request.args.get("q", ""), error=str(error)), 400
    return render_template("pages/about.html", env=env, q=request.args.get("q", ""), error=None)


@bp.get(urls.API_ABOUT)
def about_api():
    """The same as JSON."""
    try:
        return jsonify(_about())
    except InvalidRequest as error:
        abort(400, description=str(error))


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
