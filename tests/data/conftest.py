"""Fixtures for data tests: isolated cache folders and a local HTTP server that misbehaves on demand."""

from __future__ import annotations

import http.server
import threading

import pytest


@pytest.fixture(autouse=True)
def isolated_data_dirs(tmp_path, monkeypatch):
    """No test sees the user's cache, $NERVE_DATA, the system copy or the real mirrors."""
    import nerve.data.mnist as mnist

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NERVE_DATA", raising=False)
    monkeypatch.setattr(mnist, "SYSTEM_DIRS", {"mnist": [], "fashion-mnist": []})
    monkeypatch.setattr(mnist, "MNIST_MIRRORS", ["http://127.0.0.1:9/unreachable/"])
    monkeypatch.setattr(mnist, "FASHION_MNIST_MIRRORS", ["http://127.0.0.1:9/unreachable/"])
    mnist._verified.clear()
    return tmp_path


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, bytes] = {}
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        mode, _, name = self.path.lstrip("/").partition("/")
        body = self.routes.get(name)
        if mode == "fail" or body is None:
            self.send_error(500 if mode == "fail" else 404)
            return
        if mode == "corrupt":
            body = body[:-1] + bytes([body[-1] ^ 0xFF])
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # "partial": announce the full length, send half, hang up.
        self.wfile.write(body[: len(body) // 2] if mode == "partial" else body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """(base_url, routes, hits): serves ``routes[name]`` at /good/<name>, /fail/, /corrupt/, /partial/."""
    routes: dict[str, bytes] = {}
    hits: list[str] = []
    handler = type("Handler", (_Handler,), {"routes": routes, "hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes, hits
    finally:
        server.shutdown()
        server.server_close()
