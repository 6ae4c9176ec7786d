"""Run the Flask app under gunicorn: one worker process per core, two threads each.

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

import gc
import socket
from typing import Any

import gunicorn.http.wsgi
from flask import Flask
from gunicorn.app.base import BaseApplication

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

    The workers listen with ``SO_REUSEPORT``, which lets a second server bind the same port
    and take half of its connections; a plain bind here refuses that, as binding did before.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no obstacle
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortInUse(f"cannot listen on {host}:{port}: {error.strerror}") from error


def serve(app: Flask, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` until SIGTERM/SIGINT (workers finish their requests first, up to 10 s).

    Call :func:`check_port_free` first (``berita serve`` does, before its start-up work).
    """
    gunicorn.http.wsgi.SERVER = SERVER_NAME  # the Server header names no software or version to probe
    # What the app read before forking (caches, the Sastrawi dictionary) is shared with the
    # workers copy-on-write; the garbage collector would write to every object it tracks and
    # so copy them all into each worker. Frozen objects are never examined again.
    gc.freeze()
    _Gunicorn(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "preload_app": True,
            # Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads
            # new connections over them. On one shared socket the first worker to wake accepted
            # a whole burst of keep-alive connections: under 16 clients one worker often served
            # them all while the other sat idle (47 instead of 170 requests a second).
            # (Port 0 asks for any free port: every worker would get another; they share one socket then.)
            "reuse_port": port != 0,
            "graceful_timeout": 10,
            "timeout": 120,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": SERVER_NAME,
        },
    ).run()
