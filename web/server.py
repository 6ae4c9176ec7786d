"""Run the Flask app under gunicorn: one worker process per core, a few threads each.

Whoosh searching is pure Python, so threads in one process share one core (the GIL);
processes are what use both cores of a small machine. Each worker keeps its own searchers
open between requests (:mod:`search.searchers`); the app is loaded before forking, so
the Sastrawi dictionary and the code are shared copy-on-write. Threads let a worker keep
answering searches while one of its requests waits on the index write lock.
"""

from __future__ import annotations

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


def serve(app: Flask, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` until SIGTERM/SIGINT (workers finish their requests first, up to 10 s)."""
    gunicorn.http.wsgi.SERVER = SERVER_NAME  # the Server header names no software or version to probe
    _Gunicorn(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "preload_app": True,
            "graceful_timeout": 10,
            "timeout": 120,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": SERVER_NAME,
        },
    ).run()
