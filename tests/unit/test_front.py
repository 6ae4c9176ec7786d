"""The front's admission rules on their own: who waits, who goes first, what counts as heavy."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from web.front import Gate, is_heavy

T = TypeVar("T")


def _run(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """The scenario on an event loop of its own thread (the browser tests leave one running on this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()


def test_exports_analyst_views_and_costly_queries_are_heavy_and_plain_searches_are_not() -> None:
    assert is_heavy("/api/export.csv", []) and is_heavy("/tentang", ["banjir"]) and is_heavy("/api/banding", ["a", "b"])
    assert is_heavy("/api/search", [" ".join(["yang"] * 32)]) and is_heavy("/", ["pe* ke* me*"])
    assert not is_heavy("/api/search", ["harga minyak"]) and not is_heavy("/", ["banjir jakarta"]) and not is_heavy("/artikel/x", [])


def test_a_freed_place_goes_to_a_waiting_normal_request_before_a_heavy_one() -> None:
    async def scenario() -> list[str]:
        gate, order = Gate(capacity=2, heavy_limit=2), []
        await gate.enter(False)
        await gate.enter(True)  # both places taken

        async def wait(name: str, heavy: bool) -> None:
            await gate.enter(heavy)
            order.append(name)

        heavy = asyncio.create_task(wait("heavy", True))
        await asyncio.sleep(0)
        normal = asyncio.create_task(wait("normal", False))  # arrives later, goes first
        await asyncio.sleep(0)
        gate.leave(False)
        await asyncio.sleep(0)
        gate.leave(True)
        await asyncio.gather(heavy, normal)
        return order

    assert _run(scenario) == ["normal", "heavy"]


def test_heavy_work_past_its_limit_is_turned_away_and_a_client_that_leaves_frees_its_place() -> None:
    async def scenario() -> tuple[bool, bool, int]:
        gate = Gate(capacity=1, heavy_limit=1)
        await gate.enter(True)
        full = gate.full_for_heavy()
        waiting = asyncio.create_task(gate.enter(False))
        await asyncio.sleep(0)
        waiting.cancel()  # the client hung up while waiting
        with pytest.raises(asyncio.CancelledError):
            await waiting
        gate.leave(True)
        await asyncio.wait_for(gate.enter(False), 1)  # the place is free again: nobody is left waiting for it
        return full, gate.full_for_heavy(), gate.busy

    assert _run(scenario) == (True, False, 1)


def test_time_spent_waiting_to_be_admitted_counts_against_the_search_budget(seed_client) -> None:
    waited = {"X-Berita-Arrival": f"{time.time() - 6:.3f}"}  # arrived 6 s ago; the budget is 5 s
    response = seed_client.get("/api/search?q=netralitas", headers=waited)
    assert response.status_code == 503 and "batas waktu" in response.get_json()["error"]
    future = {"X-Berita-Arrival": f"{time.time() + 3600:.3f}"}  # a clock that says "not yet" never lengthens it
    assert seed_client.get("/api/search?q=netralitas", headers=future).status_code == 200
