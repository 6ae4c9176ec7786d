"""The JSON API described once, in OpenAPI 3.1, served at ``/api/openapi.json``.

Written here by hand from the same names the views use (:mod:`web.urls`, the facet
definitions), so a client generator, a reader of the docs and schemathesis (the CI's
property-based API test) read one description. ``tests/unit/test_openapi.py`` holds it to
the app: every ``/api/`` route is described and nothing described is missing, and it
validates as OpenAPI 3.1.
"""

from __future__ import annotations

from typing import Any

from search.domain.facets import FACETS
from search.domain.request import MAX_PAGE_SIZE, SORTS
from web import urls
from web.xlsx import MIME as XLSX

JSON = "application/json"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Schema]:
    said = {400: "A parameter is invalid; the message names it.", 404: "Nothing there (a page past the last, an unknown article).",
            503: "The index is unavailable, the search ran past its time budget, or heavy work waits its turn (Retry-After)."}
    return {str(code): _json(_ref("Error"), said[code]) for code in codes}


def _filters() -> list[Schema]:
    """The words and every facet filter, as the search page takes them (``outlet=-kompas.com`` leaves a value out)."""
    listed = [{"name": facet.name, "in": "query", "style": "form", "explode": True,
               "description": f"Only this {facet.name} (repeatable; a leading '-' leaves the value out).",
               "schema": {"type": "array", "items": {"type": "string", "maxLength": 200}}}
              for facet in FACETS]
    return [
        {"name": "q", "in": "query", "description": "The words, in the query language (see /bantuan).",
         "schema": {"type": "string", "maxLength": 500}},
        *listed,
        {"name": "from", "in": "query", "description": "Earliest date, TTTT-BB-HH (after 'to', the two are swapped, with a notice).",
         "schema": {"type": "string", "format": "date"}},
        {"name": "to", "in": "query", "description": "Latest date, TTTT-BB-HH.", "schema": {"type": "string", "format": "date"}},
    ]


def _paging() -> list[Schema]:
    return [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
        {"name": "grouping", "in": "query", "description": "'off' lists every copy of a story.", "schema": {"type": "string", "enum": ["on", "off"]}},
        {"name": "chart", "in": "query", "schema": {"type": "string", "enum": ["share"]}},
        {"name": "correction", "in": "query", "schema": {"type": "string", "enum": ["on", "off"]},
         "description": "'off' searches q as typed; by default a q that nothing matches is searched as its spelling correction ('corrected')."},
    ]


def _get(summary: str, parameters: list[Schema], ok: Schema, *errors: int) -> Schema:
    return {"get": {"summary": summary, "parameters": parameters, "responses": {"200": ok, **_errors(*errors)}}}


def _csv(description: str) -> Schema:
    return {"description": description, "content": {"text/csv": {"schema": {"type": "string"}}}}


def _separator() -> Schema:
    return {"name": "sep", "in": "query", "schema": {"type": "string", "enum": ["comma", "semicolon"], "default": "comma"},
            "description": "The delimiter: 'semicolon' for a spreadsheet set to Indonesian regional settings, which splits "
                           "a CSV at ';' (the rest is the same: byte-order mark, CRLF, the same columns)."}


def _workbook() -> Schema:
    return {"description": "Every match, one row each: dates as Excel dates (dd/mm/yyyy), text as text; the search, its filters,"
                           " the count and the export time on the second sheet. Built whole, then sent with its length.",
            "content": {XLSX: {"schema": {"type": "string", "contentMediaType": XLSX}}}}


def _shared_filters_for_compare() -> list[Schema]:
    words = {"name": "q", "in": "query", "style": "form", "explode": True, "description": "Up to five searches.",
             "schema": {"type": "array", "items": {"type": "string", "maxLength": 500}}}
    return [words, *_filters()[1:], {"name": "share", "in": "query", "schema": {"type": "string"}}]


def _paths() -> dict[str, Schema]:
    search = [*_filters(), *_paging()]
    return {
        urls.API_SEARCH: _get("One page of hits with facets, chart and suggestions", search, _json(_ref("Search"), "The search."), 400, 404, 503),
        urls.API_ARTICLE + "{id}": {"get": {
            "summary": "One article with the other articles of its story",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1, "maxLength": 200}}],
            "responses": {"200": _json(_ref("Article"), "The article."), **_errors(404, 503)}}},
        urls.export("csv"): _get("Every match as CSV (UTF-8 with a byte-order mark, CRLF line ends)", [*search, _separator()],
                                 _csv("Every match, one row each."), 400, 503),
        urls.export("json"): _get("Every match as JSON", search, _json({"type": "array", "items": {"type": "object"}}, "Every match."), 400, 503),
        urls.export("xlsx"): _get("Every match as an Excel workbook: sheet 'Hasil' (the CSV's columns and rows), sheet 'Tentang'",
                                  search, _workbook(), 400, 503),
        urls.API_COMPARE: _get("Searches compared over time", _shared_filters_for_compare(), _json(_ref("Comparison"), "Counts per period."), 400, 503),
        urls.API_COMPARE_CSV: _get("Searches compared over time, as CSV", _shared_filters_for_compare(), _csv("A row per period."), 400, 503),
        urls.API_COVERERS: _get("Who covers a search", [*_filters(), {"name": "share", "in": "query", "schema": {"type": "string"}}],
                                _json(_ref("Coverers"), "Outlets' counts and shares."), 400, 503),
        urls.API_COVERERS_CSV: _get("Who covers a search, as CSV", _filters(), _csv("A row per outlet."), 400, 503),
        urls.API_ABOUT: _get("What a search is about", _filters(), _json(_ref("Terms"), "Distinctive words, phrases and names."), 400, 503),
        urls.API_ARTICLES: {"post": {
            "summary": "Index articles (one object, a list, or JSON Lines); searchable when it returns",
            "security": [{"bearer": []}],
            "requestBody": {"required": True, "content": {JSON: {"schema": {"oneOf": [_ref("Record"), {"type": "array", "items": _ref("Record")}]}}}},
            "responses": {"200": _json(_ref("Ingested"), "Nothing new (every record unchanged or updated)."),
                          "201": _json(_ref("Ingested"), "Articles added."),
                          "400": _json({"oneOf": [_ref("Ingested"), _ref("Error")]}, "Some records refused, each by position."),
                          "401": _json(_ref("Error"), "No token."), "403": _json(_ref("Error"), "A wrong token."),
                          "404": _json(_ref("Error"), "Ingest is off (BERITA_INGEST_TOKEN unset)."),
                          "413": _json(_ref("Error"), "The body is too large."), **_errors(503)}}},
        urls.API_OPENAPI: _get("This description", [], _json({"type": "object"}, "OpenAPI 3.1.")),
    }


def _guidance() -> Schema:
    """The envelope's answers to a query that is off (web.guidance)."""
    text = {"type": "string"}
    corrected = {"type": ["object", "null"], "required": ["query", "original", "url", "original_url"],
                 "description": "Set when nothing matched q as typed and its spelling correction did: every other field is the correction's "
                                "search (query, hits, total, facets, chart, export, feed); original_url searches the words as typed (correction=off).",
                 "properties": {"query": text, "original": text, "url": text, "original_url": text}}
    return {
        "corrected": corrected,
        "notices": {"type": "array", "items": text,
                    "description": "What was mended or cannot be found: a reversed date range swapped, an outlet the archive does not hold."},
        "unknown_outlets": {"type": "array", "description": "Outlets asked for (outlet= or outlet: in q) with no article in the archive.",
                            "items": {"type": "object", "required": ["value", "label"], "properties": {"value": text, "label": text}}},
        "archive": {"oneOf": [_ref("Archive"), {"type": "null"}],
                    "description": "The archive's facts when nothing matched (or an outlet asked for is not among the matches); "
                                   "what the filters hide is in relaxations."},
    }


def _archive() -> Schema:
    nullable = {"type": ["string", "null"]}
    outlet = {"type": "object", "required": ["value", "label", "count"],
              "properties": {"value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}}
    return {"type": "object", "required": ["articles", "first", "last", "outlet_count", "outlets"],
            "properties": {"articles": {"type": "integer", "minimum": 0}, "first": nullable, "last": nullable,
                           "first_label": nullable, "last_label": nullable, "outlet_count": {"type": "integer", "minimum": 0},
                           "outlets": {"type": "array", "items": outlet, "description": "the largest outlets, most articles first"}}}


def _components() -> Schema:
    nullable = {"type": ["string", "null"]}
    hit = {"type": "object", "required": ["id", "headline", "snippet", "outlet", "date", "url", "similar"],
           "properties": {"id": {"type": "string"}, "headline": {"type": "string"}, "snippet": {"type": "string"},
                          "outlet": nullable, "date": nullable, "url": nullable, "similar": {"type": "array"}}}
    partial = {"allOf": [_ref("Hit"), {"type": "object", "required": ["missing", "before"], "properties": {
        "missing": {"type": "string", "description": "the query word the article lacks"},
        "before": {"type": "integer", "minimum": 0, "description": "shown before hits[before]; the hits' count when it follows them"}}}]}
    listed = {"type": "array", "items": {"type": "object"}}
    return {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error", "status"], "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
            "Hit": hit,
            "Partial": partial,
            "Search": {"type": "object", "required": ["query", "total", "page", "size", "pages", "hits", "partial", "facets", "filters"],
                       "properties": {"query": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
                                      "page": {"type": "integer", "minimum": 1}, "size": {"type": "integer"}, "pages": {"type": "integer"},
                                      "hits": {"type": "array", "items": _ref("Hit")}, "partial": {"type": "array", "items": _ref("Partial")},
                                      "facets": {"type": "object"}, "filters": {"type": "object"}, "notice": nullable,
                                      "stories": {"type": ["integer", "null"]}, **_guidance()}},
            "Archive": _archive(),
            "Article": {"type": "object", "required": ["id", "body", "similar"],
                        "properties": {"id": {"type": "string"}, "body": {"type": "string"}, "title": nullable, "date": nullable,
                                       "similar": listed}},
            "Comparison": {"type": "object", "required": ["queries", "totals", "chart"],
                           "properties": {"queries": {"type": "array"}, "totals": {"type": "array"}, "chart": {"type": "object"}}},
            "Coverers": {"type": "object", "required": ["total", "outlets", "chart"],
                         "properties": {"total": {"type": "integer"}, "outlets": listed, "chart": {"type": "object"}}},
            "Terms": {"type": "object", "required": ["total", "read", "sampled", "words", "phrases", "names"],
                      "properties": {"total": {"type": "integer"}, "read": {"type": "integer"}, "sampled": {"type": "boolean"},
                                     "words": listed, "phrases": listed, "names": listed}},
            "Record": {"type": "object", "required": ["text"],
                       "properties": {"id": {"type": ["string", "integer"]}, "text": {"type": "string", "minLength": 1},
                                      "title": {"type": "string"}, "date": {"type": ["string", "integer"]}, "url": {"type": "string"},
                                      "outlet": {"type": "string"}, "city": {"type": "string"}, "author": {"type": "string"},
                                      "category": {"type": "string"}}},
            "Ingested": {"type": "object", "required": ["ids", "added", "updated", "unchanged", "errors"],
                         "properties": {"ids": {"type": "array", "items": {"type": "string"}}, "added": {"type": "integer"},
                                        "updated": {"type": "integer"}, "unchanged": {"type": "integer"}, "errors": listed}},
        },
    }


def description() -> Schema:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Cari Berita", "version": "1", "description": "Full-text search over an archive of Indonesian news."},
        "paths": _paths(),
        "components": _components(),
    }
