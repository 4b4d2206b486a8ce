"""A playground server on an ephemeral loopback port, running in a thread for the test session."""

from __future__ import annotations

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
