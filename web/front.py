"""The front of ``berita serve``: reads each request whole, admits it, and hands it to a worker.

gunicorn's workers read a request on the thread that then answers it, so four connections
sending their headers a byte a second held all four threads of a two-worker server and
stalled every search for as long as they stayed open; each worker also listened on a socket
of its own, so a worker's death reset the connections queued on it and refused new ones
while it restarted. gunicorn's own documentation asks for a buffering proxy in front. This is
that proxy, built into ``berita serve`` so a fresh machine needs nothing else (aiohttp, an
asynchronous HTTP server and client):

- **Whole requests only.** A connection costs the workers nothing until its headers and
  body have arrived; slow or idle clients wait here, on an event loop, not on a thread.
- **Admission.** At most :attr:`Front.capacity` requests are with the workers at once
  (their threads); heavy work (exports, the analyst views, costly queries) may hold at most
  :attr:`Front.heavy_limit` of them, so normal searches always find a free thread, and is
  answered 503 with ``Retry-After`` when those are taken. Waiting normal requests go first.
- **The budget counts waiting.** The arrival time travels in ``X-Berita-Arrival``; the app's
  time budget runs from it (:func:`web.searching.search_budget`).
- **Workers may die.** The workers share one socket held by gunicorn's master, so connections
  queue while one restarts; a request whose worker died before answering is sent again.

Answers the front gives itself (413, 503) carry the app's security headers and the same
JSON or page shape as the app's own errors.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque

from aiohttp import ClientConnectionError, ClientPayloadError, ClientResponse, ClientSession, ClientTimeout, UnixConnector, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from search.engine import query_cost
from web import urls
from web.searching import ARRIVAL_HEADER
from web.security import HEADERS as SECURITY_HEADERS

SERVER_NAME = "cari-berita"
RETRY_AFTER_S = 5
# A request whose worker died before answering is sent again for at most this long
# (gunicorn starts a worker's successor within a second or two; both may be restarting at once).
RETRY_FOR_S = 15.0
_WORKER_GONE = (ClientConnectionError, ClientPayloadError)  # its connection closed, before or while it answered
WHOLE_BODY = 8 * 1024 * 1024  # an answer of known length up to this is read whole before it is passed on (pages, JSON)
# What the app reads from the client: the rest (hop-by-hop headers, our own) is dropped on the way in and out.
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding",
               "upgrade", "content-length", ARRIVAL_HEADER.lower()}
# A query costing more than this (words, alternatives, prefixes: search.querylang.query_cost) is heavy work.
COSTLY_QUERY = 12


def is_heavy(path: str, queries: list[str]) -> bool:
    """Exports, the analyst views, and searches over :data:`COSTLY_QUERY`: the work that may wait its turn."""
    return path in urls.HEAVY or any(query_cost(q) > COSTLY_QUERY for q in queries)


class Gate:
    """At most ``capacity`` requests with the workers, at most ``heavy_limit`` of them heavy; normal ones admitted first."""

    def __init__(self, capacity: int, heavy_limit: int) -> None:
        self.capacity, self.heavy_limit = capacity, heavy_limit
        self.busy = self.heavy = 0
        self.waiting: dict[bool, deque[asyncio.Future[None]]] = {False: deque(), True: deque()}

    def full_for_heavy(self) -> bool:
        return self.heavy >= self.heavy_limit

    async def enter(self, heavy: bool) -> None:
        if heavy:
            self.heavy += 1
        if self.busy < self.capacity and not any(self.waiting.values()):
            self.busy += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting[heavy].append(waiter)
        try:
            await waiter  # set when a leaving request hands its place over
        except asyncio.CancelledError:  # the client went away while waiting
            if waiter.done() and not waiter.cancelled():
                self._hand_on()  # admitted just as it left: the place goes to the next
            else:
                self.waiting[heavy].remove(waiter)
            if heavy:
                self.heavy -= 1
            raise

    def leave(self, heavy: bool) -> None:
        if heavy:
            self.heavy -= 1
        self._hand_on()

    def _hand_on(self) -> None:
        """The freed place goes to the first normal request waiting, else the first heavy one."""
        for kind in (False, True):
            while self.waiting[kind]:
                waiter = self.waiting[kind].popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self.busy -= 1


class Front:
    """The proxy in front of the workers listening on ``upstream`` (a Unix socket)."""

    def __init__(self, upstream: str, *, workers: int, threads: int, max_body: int) -> None:
        self.upstream, self.max_body = upstream, max_body
        self.capacity = workers * threads
        self.heavy_limit = max(1, self.capacity - threads)  # one worker's threads stay free for normal searches
        self.gate = Gate(self.capacity, self.heavy_limit)
        self.session: ClientSession | None = None

    def app(self) -> web.Application:
        application = web.Application(client_max_size=self.max_body)
        application.router.add_route("*", r"/{tail:[\s\S]*}", self.handle)  # every path, a newline in it too
        application.on_response_prepare.append(_own_headers)
        application.on_startup.append(self._open)
        application.on_cleanup.append(self._close)
        return application

    async def _open(self, _app: web.Application) -> None:
        # One connection per request: a worker takes a connection only while it has a free thread.
        connector = UnixConnector(path=self.upstream, force_close=True, limit=0)
        self.session = ClientSession(connector=connector, timeout=ClientTimeout(total=None, sock_connect=30), auto_decompress=False)

    async def _close(self, _app: web.Application) -> None:
        if self.session is not None:
            await self.session.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        arrival = time.time()
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return own_answer(request, 413, "Isi permintaan terlalu besar.")
        heavy = is_heavy(request.path, request.query.getall("q", []))
        if heavy and self.gate.full_for_heavy():
            return own_answer(request, 503, "Server sedang sibuk dengan permintaan berat; coba lagi sebentar lagi.", retry=True)
        await self.gate.enter(heavy)
        try:
            return await self._relay(request, body, arrival)
        finally:
            self.gate.leave(heavy)

    async def _relay(self, request: web.Request, body: bytes, arrival: float) -> web.StreamResponse:
        assert self.session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers[ARRIVAL_HEADER] = f"{arrival:.6f}"
        give_up = time.monotonic() + RETRY_FOR_S
        for attempt in itertools.count(1):
            try:
                async with self.session.request(request.method, f"http://workers{request.rel_url}", headers=headers, data=body,
                                                allow_redirects=False) as upstream:
                    if upstream.content_length is not None and upstream.content_length <= WHOLE_BODY:
                        whole = await upstream.read()  # read before anything is sent: a worker dying half-way is retried
                        return self._answer(upstream, whole)
                    return await self._stream(request, upstream)
            except _WORKER_GONE:
                if time.monotonic() > give_up:
                    break
                await asyncio.sleep(min(0.1 * attempt, 1.0))  # a worker died before answering: its successor is starting
        return own_answer(request, 503, "Server sedang memulai ulang pekerjanya; coba lagi sebentar lagi.", retry=True)

    @staticmethod
    def _answer(upstream: ClientResponse, body: bytes) -> web.Response:
        response = web.Response(status=upstream.status, reason=upstream.reason, body=body)
        _copy_headers(upstream, response)
        return response

    async def _stream(self, request: web.Request, upstream: ClientResponse) -> web.StreamResponse:
        """A long answer (an export) passed on as it comes: memory stays flat whatever its length."""
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        _copy_headers(upstream, response)
        if upstream.content_length is not None:
            response.content_length = upstream.content_length
        await response.prepare(request)
        try:
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
        except _WORKER_GONE:
            # The worker stopped half-way (an export past its budget, or its death): the client must
            # see a broken transfer, never a file that ends as if it were whole.
            if request.transport is not None:
                request.transport.abort()
            return response
        await response.write_eof()
        return response


def _copy_headers(upstream: ClientResponse, response: web.StreamResponse) -> None:
    for name, value in upstream.headers.items():
        if name.lower() not in _HOP_BY_HOP:
            response.headers.add(name, value)


async def _own_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """Every answer names this server only and carries the app's security headers."""
    response.headers["Server"] = SERVER_NAME
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


class _Handler(RequestHandler):
    """aiohttp's connection handler, whose own answers to unreadable requests (a request line
    or header too long, no HTTP at all) carry our headers too: they never reach the app's hooks."""

    def log_exception(self, *args: object, **kwargs: object) -> None:
        """A malformed request is the client's mistake, one line in the log; anything else keeps its traceback."""
        if isinstance(kwargs.get("exc_info"), HttpProcessingError):
            self.logger.info("refused a malformed request: %s", str(kwargs["exc_info"]).splitlines()[0][:200])
            return
        super().log_exception(*args, **kwargs)

    def handle_error(self, request: BaseRequest, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        response = super().handle_error(request, status, exc, message)
        response.headers["Server"] = SERVER_NAME
        response.headers.update(SECURITY_HEADERS)
        return response


class _Server(web.Server):
    def __call__(self) -> RequestHandler:
        return _Handler(self, loop=self._loop, **self._kwargs)


async def run(front: Front, host: str, port: int, stop: asyncio.Event) -> None:
    """Serve ``front`` on ``host:port`` until ``stop`` is set; requests under way get 10 s to finish."""
    runner = web.AppRunner(front.app(), access_log=None, shutdown_timeout=10)
    await runner.setup()
    assert runner.server is not None
    runner.server.__class__ = _Server  # the same server, its connections handled by _Handler
    await web.TCPSite(runner, host, port, backlog=2048, reuse_address=True).start()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def own_answer(request: web.Request, status: int, message: str, *, retry: bool = False) -> web.Response:
    """An answer the front gives itself, shaped like the app's errors (JSON under /api/, else a short page)."""
    if request.path.startswith("/api/"):
        response = web.Response(status=status, text=json.dumps({"error": message, "status": status}, ensure_ascii=False),
                                content_type="application/json")
    else:
        page = f"<!doctype html><html lang=id><meta charset=utf-8><title>{status}</title><h1>{status}</h1><p>{message}</p></html>"
        response = web.Response(status=status, text=page, content_type="text/html")
    if retry:
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
