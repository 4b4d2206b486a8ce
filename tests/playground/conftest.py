"""A playground server on an ephemeral loopback port, running in a thread for the test session."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import threading

import pytest

from nerve.playground import make_server


@pytest.fixture(scope="module")
def playground():
    """(server, url) of a running playground; shut down after the module's tests."""
    server, url = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, url
    server.shutdown()
    server.server_close()
    thread.join(5)


def _request(url: str, method: str, path: str, body=None, headers=None, raw: bytes | None = None):
    """Send one request with exactly the given headers; returns (status, headers, parsed JSON or bytes)."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    all_headers = {"Host": f"{host}:{port}"}
    if body is not None or raw is not None:
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for key, value in all_headers.items():
        if value is not None:
            conn.putheader(key, value)
    if data is not None and "Content-Length" not in all_headers:
        conn.putheader("Content-Length", str(len(data)))
    conn.endheaders(data)
    res = conn.getresponse()
    payload = res.read()
    conn.close()
    if res.getheader("Content-Type", "").startswith("application/json"):
        payload = json.loads(payload)
    return res.status, dict(res.getheaders()), payload


class Client:
    """Requests to one playground URL: ``request`` with exact headers, ``post`` for JSON endpoints."""

    def __init__(self, url: str):
        self.url = url

    def request(self, method: str, path: str, body=None, headers=None, raw: bytes | None = None):
        return _request(self.url, method, path, body, headers, raw)

    def post(self, path: str, body: dict):
        """POST a JSON body; returns (status, reply)."""
        status, _, reply = _request(self.url, "POST", path, body)
        return status, reply

    def new_session(self, config: dict | None = None) -> str:
        """A fresh session id, configured with ``config`` when given."""
        status, reply = self.post("/api/session", {})
        assert status == 200, reply
        sid = reply["session"]
        if config is not None:
            status, reply = self.post("/api/config", {"session": sid, "config": config})
            assert status == 200, reply
        return sid


@pytest.fixture
def client(playground):
    """A Client for the module's server."""
    return Client(playground[1])


@pytest.fixture
def client_for():
    """Make a Client for another server's URL."""
    return Client


CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no browser is downloaded); one per test session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright for Python: pip install playwright "
                    "(never `playwright install`; they drive Debian's /usr/bin/chromium)")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True, timeout=30_000)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, playground):
    """``open_page(query, width=1400)`` -> a ready page in a fresh context; fails the test on any page error."""
    contexts, errors = [], []

    def _open(query: str = "", width: int = 1400, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        # a refused request (4xx, shown to the user by the page) is logged by Chromium itself; anything else fails
        page.on("console", lambda m: m.type == "error" and "status of 4" not in m.text and errors.append(m.text))
        page.goto(playground[1] + query)
        page.wait_for_selector("body.ready")
        return page

    yield _open
    for context in contexts:
        context.close()
    assert errors == [], errors
