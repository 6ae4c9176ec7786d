"""Run the Flask app: gunicorn's workers (one process per core, two threads each) behind the front (web.front).

Searching is Python and numpy work under the GIL, so threads in one process share one
core; processes are what use both cores of a small machine. More threads only take turns
(the GIL switches every few milliseconds), which stretches every search they hold: under
16 clients at 100,000 articles, 8 threads a worker gave p99 290-360 ms, 4 gave 170-250 ms,
2 gave 130-215 ms. The second thread answers while the first waits on the index write
lock or the network; with two posts a second, two threads served 150-190 requests a
second (four: 115-135). Each worker keeps its own index snapshot open between requests
(:mod:`search.backends.whoosh.searchers`); the app is loaded before forking, so the Sastrawi dictionary
and the code are shared copy-on-write.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gunicorn.http.wsgi
from flask import Flask
from gunicorn.app.base import BaseApplication

from search.domain.errors import SearchTimeout

if TYPE_CHECKING:
    from web.front import Front

SERVER_NAME = "cari-berita"


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


class PortInUse(OSError):
    """Another program listens on the address: a second server would silently share its traffic."""


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`PortInUse` when ``host:port`` is taken.

    A second server must not share the port's traffic: a plain bind here fails as the front's
    own bind would, before any start-up work.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no obstacle
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortInUse(f"cannot listen on {host}:{port}: {error.strerror}") from error


def serve(app: Flask, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` until SIGTERM/SIGINT: the front (:mod:`web.front`) on ``host:port``, gunicorn's workers behind it.

    Call :func:`check_port_free` first (``berita serve`` does, before its start-up work).
    gunicorn runs in a child process on a private Unix socket its master holds, so the
    workers share one queue of connections that outlives any of them.
    """
    from web.front import Front

    folder = Path(tempfile.mkdtemp(prefix="berita-"))  # 0700: only this user reaches the workers
    upstream = str(folder / "workers.sock")
    child = _start_workers(app, upstream, workers=workers, threads=threads)
    try:
        _wait_for(upstream, child)
        front = Front(upstream, workers=workers, threads=threads, max_body=int(app.config["MAX_CONTENT_LENGTH"]))
        asyncio.run(_serve_front(front, host, port, child))
    finally:
        _stop(child)
        shutil.rmtree(folder, ignore_errors=True)


async def _serve_front(front: Front, host: str, port: int, child: int) -> None:
    """The front until SIGTERM or SIGINT, or until gunicorn's master is gone (a front without workers would only answer 503)."""
    from web.front import run

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)

    async def watch() -> None:
        while os.waitpid(child, os.WNOHANG) == (0, 0):
            await asyncio.sleep(1)
        stop.set()

    watcher = loop.create_task(watch())
    try:
        await run(front, host, port, stop)
    finally:
        watcher.cancel()


def _start_workers(app: Flask, upstream: str, *, workers: int, threads: int) -> int:
    """Fork gunicorn's master (which forks the workers) serving ``app`` on ``upstream``; its pid."""
    gunicorn.http.wsgi.SERVER = SERVER_NAME  # the Server header names no software or version to probe
    # What the app read before forking (caches, the Sastrawi dictionary) is shared with the
    # workers copy-on-write; the garbage collector would write to every object it tracks and
    # so copy them all into each worker. Frozen objects are never examined again.
    gc.freeze()
    pid = os.fork()
    if pid:
        return pid
    os.setpgid(0, 0)  # Ctrl+C at the terminal reaches the front, which stops this group in order
    logging.getLogger("gunicorn.error").addFilter(_one_line_for_broken_off_exports)
    try:
        _Gunicorn(app, {
            "bind": f"unix:{upstream}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            # A worker takes a connection only while it has a free thread (the front opens one per
            # request), so a request never waits behind another worker's long one.
            "worker_connections": threads,
            "keepalive": 0,  # the front closes each connection after its answer (and gunicorn warns about keep-alive without spare slots)
            "preload_app": True,
            "graceful_timeout": 10,
            "timeout": 120,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": os.environ.get("BERITA_LOG_LEVEL", "warning"),
            "proc_name": SERVER_NAME,
        }).run()
    finally:
        os._exit(0)


def _one_line_for_broken_off_exports(record: logging.LogRecord) -> bool:
    """An export that ran past its budget is expected, not a crash: one line in the log instead of a traceback."""
    if record.exc_info and isinstance(record.exc_info[1], SearchTimeout):
        record.msg, record.args, record.exc_info, record.exc_text = f"stopped: {record.exc_info[1]}", (), None, None
    return True


def _wait_for(upstream: str, child: int, seconds: float = 120) -> None:
    """Until gunicorn listens on ``upstream`` (its workers load nothing: the app was loaded before forking)."""
    deadline = time.monotonic() + seconds
    while not Path(upstream).exists():
        if os.waitpid(child, os.WNOHANG) != (0, 0) or time.monotonic() > deadline:
            raise RuntimeError("the workers did not start (see the messages above)")
        time.sleep(0.05)


def _stop(child: int) -> None:
    """SIGTERM to gunicorn's master (its workers finish their requests first), then SIGKILL after 15 s."""
    try:
        os.kill(child, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if os.waitpid(child, os.WNOHANG) != (0, 0):
            return
        time.sleep(0.1)
    os.killpg(child, signal.SIGKILL)
    os.waitpid(child, 0)
