"""Issue 17 bug 3 without a stopwatch: a keep-alive reply leaves in one write on a TCP_NODELAY socket.

Two small writes (headers, then body) on a keep-alive connection meet Nagle's algorithm and the client's
delayed ACK, so each reply waited ~40 ms; the speed itself is measured in benchmarks/, not here.
"""

from __future__ import annotations

import http.client
import socket
import socketserver
from urllib.parse import urlsplit


def test_each_reply_is_one_write_on_a_nodelay_socket(playground, monkeypatch):
    writes, options = [], []
    original_write = socketserver._SocketWriter.write
    original_setsockopt = socket.socket.setsockopt

    def counting_write(self, data):
        writes.append(len(data))
        return original_write(self, data)

    def recording_setsockopt(self, level, option, value, *rest):
        options.append((level, option, value))
        return original_setsockopt(self, level, option, value, *rest)

    monkeypatch.setattr(socketserver._SocketWriter, "write", counting_write)
    monkeypatch.setattr(socket.socket, "setsockopt", recording_setsockopt)
    _, url = playground
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        for _ in range(3):  # one connection, three requests: keep-alive
            conn.request("GET", "/api/health")
            response = conn.getresponse()
            assert response.status == 200 and response.read()
    finally:
        conn.close()
    assert len(writes) == 3, writes  # headers and body together, once per reply
    assert (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) in options
