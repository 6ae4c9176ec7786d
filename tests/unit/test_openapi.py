"""The API's OpenAPI 3.1 description is valid and describes exactly the app's /api/ routes."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from web import create_app


def test_the_description_validates_as_openapi_3_1(seed_client) -> None:
    document = seed_client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on any fault


def test_every_api_route_is_described_and_nothing_else() -> None:
    app = create_app({"TESTING": True})
    routes = {re.sub(r"<(?:path:)?(\w+)>", r"{\1}", rule.rule).replace("{article_id}", "{id}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    described = set(create_app({"TESTING": True}).test_client().get("/api/openapi.json").get_json()["paths"])
    assert routes == described
