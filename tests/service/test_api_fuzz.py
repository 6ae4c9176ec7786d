"""schemathesis, a property-based API fuzzer, against real ``berita serve``: no 5xx, every answer as described.

It reads ``/api/openapi.json`` from the running server, generates requests from the
description (valid ones and edge cases, through the front and the workers as any client
would), and checks every answer: no server error, a status code, content type, headers and
body the description allows. A peer's fuzzer, beside the suite's own random-parameter test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import IN_CI, INGEST_AUTH, INGEST_TOKEN, running_server

pytestmark = pytest.mark.slow
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Per operation: eleven operations make well over a thousand requests in CI.
EXAMPLES = 120 if IN_CI else 25


@pytest.fixture(scope="module")
def served(sample_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import shutil

    index_dir = tmp_path_factory.mktemp("fuzz") / "ix"
    shutil.copytree(sample_index_dir, index_dir)  # the fuzzer's posts land in a copy
    with running_server(index_dir, env={"BERITA_INGEST_TOKEN": INGEST_TOKEN}) as base:
        yield base


def test_the_api_answers_every_generated_request_as_described(served: str) -> None:
    api = schemathesis.openapi.from_url(f"{served}/api/openapi.json")
    sent: dict[str, int] = {}
    operations = [found.ok() for found in api.get_all_operations()]  # type: ignore[union-attr]  # a fault in the description raises here
    for operation in operations:
        _fuzz(operation, served, sent)
    print(f"\nschemathesis: {sum(sent.values())} generated requests over {len(sent)} operations, every answer as described")
    assert len(sent) == len(operations) >= 10, ", ".join(sorted(sent))  # every operation (the description's own URL aside)
    assert sum(sent.values()) >= (1000 if IN_CI else 200)


def _fuzz(operation: Any, served: str, sent: dict[str, int]) -> None:
    """Send one operation's generated requests and check every answer."""
    label = f"{operation.method.upper()} {operation.path}"

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(case=operation.as_strategy())
    def answered_as_described(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=served, headers=dict(INGEST_AUTH), checks=CHECKS)
        sent[label] = sent.get(label, 0) + 1

    answered_as_described()
