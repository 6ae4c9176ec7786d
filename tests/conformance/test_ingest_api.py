"""POST /api/articles: tokens, sizes, bad records by position, and searchable on return."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.engine import EngineConfig
from tests.conftest import INGEST_AUTH, INGEST_TOKEN, Backend, app_for, ingest_client
from web import create_app

TOKEN, AUTH = INGEST_TOKEN, INGEST_AUTH


@pytest.fixture()
def client(backend: Backend, tmp_path: Path):
    return ingest_client(backend, tmp_path, MAX_CONTENT_LENGTH=20_000)


def _article(i: int, **extra: object) -> dict[str, object]:
    return {"id": f"api-{i}", "title": f"Judul {i}", "text": f"Jakarta, CNN Indonesia -- Pameran anggrek nomor {i} dibuka.", **extra}


def test_one_article_is_searchable_when_the_response_returns(client) -> None:
    response = client.post("/api/articles", json=_article(1, date="2025-03-05"), headers=AUTH)
    assert response.status_code == 201
    assert response.get_json() == {"ids": ["api-1"], "added": 1, "updated": 0, "unchanged": 0, "errors": []}
    found = client.get("/api/search?q=anggrek").get_json()
    assert [hit["id"] for hit in found["hits"]] == ["api-1"]
    assert found["hits"][0]["outlet"] == "CNN Indonesia" and found["hits"][0]["city"] == "Jakarta"


def test_list_and_jsonl_and_resending_is_unchanged(client) -> None:
    assert client.post("/api/articles", json=[_article(1), _article(2)], headers=AUTH).status_code == 201
    lines = "\n".join(json.dumps(_article(i)) for i in (2, 3))
    response = client.post("/api/articles", data=lines, headers={**AUTH, "Content-Type": "application/x-ndjson"})
    assert response.status_code == 201
    assert response.get_json()["added"] == 1 and response.get_json()["unchanged"] == 1
    again = client.post("/api/articles", json=_article(1), headers=AUTH)
    assert again.status_code == 200 and again.get_json()["unchanged"] == 1
    assert client.get("/api/search?q=anggrek").get_json()["total"] == 3


def test_bad_records_are_listed_by_position_and_good_ones_indexed(client) -> None:
    body = [_article(1), {"id": "kosong", "text": ""}, "bukan objek", _article(4)]
    response = client.post("/api/articles", json=body, headers=AUTH)
    assert response.status_code == 400
    result = response.get_json()
    assert result["ids"] == ["api-1", "api-4"]
    assert [(e["position"], "text" in e["error"] or "object" in e["error"]) for e in result["errors"]] == [(1, True), (2, True)]
    assert client.get("/api/search?q=anggrek").get_json()["total"] == 2


def test_jsonl_with_a_broken_line(client) -> None:
    data = json.dumps(_article(1)) + "\n{rusak\n" + json.dumps(_article(3))
    response = client.post("/api/articles", data=data, headers=AUTH)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["position"] == 1
    assert response.get_json()["ids"] == ["api-1", "api-3"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer salah"}, 403), ({"Authorization": f"Basic {TOKEN}"}, 403)],
)
def test_token_is_required(client, headers: dict[str, str], status: int) -> None:
    response = client.post("/api/articles", json=_article(1), headers=headers)
    assert response.status_code == status and response.get_json()["status"] == status
    assert client.get("/api/search?q=anggrek").get_json()["total"] == 0


def test_too_large_is_413(client) -> None:
    response = client.post("/api/articles", json=_article(1, text="kata " * 10_000), headers=AUTH)
    assert response.status_code == 413 and response.get_json()["status"] == 413


@pytest.mark.parametrize("data", [b"", b"bukan json", b"[]", b"\x00\x01\x02"])
def test_unreadable_bodies_are_400(client, data: bytes) -> None:
    response = client.post("/api/articles", data=data, headers=AUTH)
    assert response.status_code == 400 and response.get_json()["error"]


def test_endpoint_is_off_without_a_configured_token(seed_engine: EngineConfig) -> None:
    client = app_for(seed_engine)
    response = client.post("/api/articles", json=_article(1), headers=AUTH)
    assert response.status_code == 404 and "BERITA_INGEST_TOKEN" in response.get_json()["error"]


@pytest.mark.parametrize("token", ["true", "null", '"abc"', "007", "{}"])
def test_the_token_from_the_environment_is_taken_literally(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, token: str) -> None:
    monkeypatch.setenv("BERITA_INGEST_TOKEN", token)
    monkeypatch.setenv("BERITA_INDEX_DIR", str(tmp_path / "007"))
    client = create_app({"TESTING": True}).test_client()
    response = client.post("/api/articles", json=_article(1), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    assert (tmp_path / "007").is_dir()
    assert client.post("/api/articles", json=_article(2), headers={"Authorization": "Bearer True"}).status_code == 403


def test_a_token_with_letters_beyond_ascii_authenticates_as_sent(backend: Backend, tmp_path: Path) -> None:
    client = ingest_client(backend, tmp_path, INGEST_TOKEN="rahasia-é")
    sent = "Bearer " + "rahasia-é".encode().decode("latin-1")  # the UTF-8 bytes on the wire, as WSGI hands them over
    assert client.post("/api/articles", json=_article(1), headers={"Authorization": sent}).status_code == 201
    wrong = "Bearer " + b"rahasia-e".decode("latin-1")
    assert client.post("/api/articles", json=_article(2), headers={"Authorization": wrong}).status_code == 403


@pytest.mark.parametrize(("field", "raw", "reason"), [
    ("date", "20240101", "1970-08-23"),  # a number is a Unix time: this one is no article's
    ("date", '"2024-02-30"', "unreadable date"),
    ("date", '"kemarin"', "unreadable date"),
    ("date", '"99999-01-01"', "unreadable date"),
    ("date", "true", "not bool"),
    ("title", "NaN", "must be text, not NaN"),
    ("city", "Infinity", "must be text, not Infinity"),
    ("city", "false", "must be text, not true/false"),
    ("author", "12", "must be text, not a number"),
])
def test_a_value_of_the_wrong_type_or_calendar_is_refused_by_position(client, field: str, raw: str, reason: str) -> None:
    bad = '{"id": "buruk", "text": "Berita panen lain.", "' + field + '": ' + raw + "}"
    body = '[{"id": "baik", "text": "Berita baik tentang panen."}, ' + bad + "]"
    response = client.post("/api/articles", data=body, content_type="application/json", headers=AUTH)
    answer = response.get_json()
    assert response.status_code == 400 and answer["ids"] == ["baik"]
    assert [e["position"] for e in answer["errors"]] == [1] and reason in answer["errors"][0]["error"], answer
    assert client.get("/api/artikel/buruk").status_code == 404  # nothing stored short of what was sent


def test_unix_seconds_and_milliseconds_are_dates(client) -> None:
    records = [{"id": "detik", "text": "Berita panen.", "date": 1700000000}, {"id": "milidetik", "text": "Berita panen.", "date": 1700000000000}]
    assert client.post("/api/articles", json=records, headers=AUTH).status_code == 201
    assert {client.get(f"/api/artikel/{i}").get_json()["date"] for i in ("detik", "milidetik")} == {"2023-11-14"}
