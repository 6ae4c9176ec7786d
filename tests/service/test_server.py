"""The real service: ``berita serve`` under gunicorn, over HTTP on loopback."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import running_server

pytestmark = pytest.mark.slow


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_first_run_indexes_the_seeds_and_serves_them(tmp_path: Path) -> None:
    # Run from a folder without seeds/: the bundled seeds are found beside the package.
    with running_server(tmp_path / "fresh-index", cwd=tmp_path) as base:
        status, headers, body = _get(base + "/api/search?q=netralitas")
        assert status == 200
        assert headers["Server"] == "cari-berita"  # gunicorn, naming neither itself nor its version (not Werkzeug's dev server)
        assert json.loads(body)["total"] == 5
        status, headers, body = _get(base + "/?q=netralitas")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "Sumatera Ekspres" in body.decode("utf-8")
    assert "indexing" in (tmp_path / next(p.name for p in tmp_path.glob("serve-*.log"))).read_text()


def test_a_first_start_says_which_folder_it_fills_with_what_and_where_it_serves(tmp_path: Path) -> None:
    """The first lines a new user reads after the README's serve command (run from the project, as there)."""
    index_dir = tmp_path / "index"
    with running_server(index_dir) as base:
        pass
    lines = next(tmp_path.glob("serve-*.log")).read_text().splitlines()
    assert lines[0] == f"No articles yet in the index folder {index_dir}/: indexing the bundled sample articles (5 files in seeds/) first."
    assert f"Serving Cari Berita on {base}/ with 5 articles from the index folder {index_dir}/. Press Ctrl+C to stop." in lines
    assert [line for line in lines if "WARNING" in line] == []  # no gunicorn warning about keep-alive slots


def test_errors_over_http_are_json(seed_index_dir: Path) -> None:
    with running_server(seed_index_dir) as base:
        status, headers, body = _get(base + "/api/search?page=nol")
        assert status == 400 and headers["Content-Type"] == "application/json"
        assert "page" in json.loads(body)["error"]
        status, _, body = _get(base + "/api/search?q=%22%28%28%29%2A%3A")
        assert status == 200
        status, _, _ = _get(base + "/artikel/%2E%2E%2Fetc%2Fpasswd")
        assert status == 404


def test_new_commit_is_seen_without_restart(tmp_path: Path, seed_index_dir: Path) -> None:
    import shutil

    from tests.conftest import build_index

    index_dir = tmp_path / "ix"
    shutil.copytree(seed_index_dir, index_dir)
    with running_server(index_dir) as base:
        assert json.loads(_get(base + "/api/search?q=anggrek")[2])["total"] == 0
        extra = tmp_path / "baru.txt"
        extra.write_text("Pameran Anggrek Dibuka\nBOGOR - Pameran anggrek dibuka hari ini.\n", encoding="utf-8")
        build_index(index_dir, extra)
        assert json.loads(_get(base + "/api/search?q=anggrek")[2])["total"] == 1


def test_no_redirect_follows_the_clients_host_header(seed_index_dir: Path) -> None:
    import http.client

    with running_server(seed_index_dir) as base:
        host, port = base.removeprefix("http://").split(":")
        for path in ("/artikel//003_59376e1a3b7f6707", "//api//search?q=x", "/?q=netralitas&page=99"):
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", path, headers={"Host": "evil.example"})
            response = connection.getresponse()
            response.read()
            assert response.status < 500
            assert "evil.example" not in (response.getheader("Location") or ""), path
            assert response.getheader("Server") == "cari-berita"
            connection.close()


def test_a_chunked_body_over_the_limit_is_413_and_nothing_is_indexed(tmp_path: Path, seed_index_dir: Path) -> None:
    import http.client
    import shutil

    index_dir = tmp_path / "ix"
    shutil.copytree(seed_index_dir, index_dir)
    record = json.dumps({"id": "{}", "text": "Berita panjang " + "kata " * 200})

    def lines(count: int):
        for number in range(count):
            yield (record.replace("{}", f"c{number}") + "\n").encode()

    with running_server(index_dir, env={"BERITA_INGEST_TOKEN": "uji"}) as base:
        host, port = base.removeprefix("http://").split(":")
        for count, status in ((100, 201), (17_000, 413)):  # about 17 MiB: over the 16 MiB limit
            connection = http.client.HTTPConnection(host, int(port), timeout=120)
            connection.request("POST", "/api/articles", body=lines(count), encode_chunked=True,
                               headers={"Authorization": "Bearer uji", "Content-Type": "application/x-ndjson"})
            response = connection.getresponse()
            assert response.status == status, response.read()[:300]
            connection.close()
        assert json.loads(_get(base + "/api/search?grouping=off&size=1")[2])["total"] == 5 + 100


def test_a_second_server_on_a_taken_port_is_refused_and_the_first_keeps_all_traffic(seed_index_dir: Path) -> None:
    """Workers listen with SO_REUSEPORT (connections spread over them); a second server must not join in."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    with running_server(seed_index_dir) as base:
        port = base.rsplit(":", 1)[1]
        second = subprocess.run([sys.executable, "-m", "web", "serve", "--port", port, "--index-dir", str(seed_index_dir)],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert second.returncode != 0
        assert f"cannot listen on 127.0.0.1:{port}" in second.stderr and "another --port" in second.stderr
        for _ in range(20):  # every request still answered by the first server
            assert _get(base + "/api/search?q=netralitas")[0] == 200
