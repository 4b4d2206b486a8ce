"""The playground's HTTP server: four static files and a small JSON API, on the standard library.

Why ``http.server.ThreadingHTTPServer`` and not Starlette + uvicorn: the API is six JSON endpoints that each
run a few milliseconds of NumPy, so an async stack buys nothing, while the standard library adds no
dependency, binds exactly where we say and lets us check every byte of the request ourselves (Host header,
Origin, Content-Type, body size) before anything is parsed.

Defences: binds 127.0.0.1 by default; refuses a Host header that is not the address served (DNS rebinding)
and a cross-site Origin; POST bodies must be ``application/json`` and at most ``LIMITS["max_body_bytes"]``;
the four static files are read once at start-up and nothing else on disk is ever served.

API (all POST bodies and replies are JSON; errors are ``{"error": message}`` with a 4xx status):
    GET  /api/options                         choices, defaults and limits for the page's controls
    POST /api/session  {}                     -> {"session": id}
    POST /api/config   {session, config}      apply a configuration -> state (with the data points)
    POST /api/step     {session, steps}       train ``steps`` epochs (1..1000) -> state
    POST /api/reset    {session}              fresh weights, same configuration -> state (with data)
    POST /api/state    {session}              current state, no training
    POST /api/close    {session}              forget the session
    POST /api/edit     {session, layer, kind, row, col, value}   set one weight ("W") or bias ("b") -> state
    POST /api/backprop {session, point, label}  forward values and gradients of one sample, layer by layer
    POST /api/race     {session, epochs, restart?}  the classifier trained by SGD, Momentum, AdaGrad, Adam at once
    GET  /api/surface                         the book's optimizer paths on f(x, y) = x²/20 + y²
    GET  /api/previews                        a few points of every dataset, for the dataset buttons
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import traceback
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .backprop import trace
from .compare import OptimizerRace, surface_paths
from .previews import dataset_previews
from .sessions import FairSlots, SessionStore
from .tasks import ClassificationTask, make_task
from .validation import (
    LIMITS,
    RequestError,
    check_fields,
    decode_json,
    options,
    parse_config,
    parse_edit,
    parse_point,
    parse_session_id,
    parse_steps,
)

__all__ = ["PlaygroundServer", "make_server", "serve"]

_STATIC_DIR = Path(__file__).resolve().parent / "static"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# URL path -> (file name, content type): index.html and the .js/.css beside it, the only files ever read
_STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
           **{f"/static/{p.name}": (p.name, _TYPES[p.suffix]) for p in sorted(_STATIC_DIR.iterdir())
              if p.suffix in _TYPES}}
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class PlaygroundServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its sessions, its static files and the Host names it answers to."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # many tabs (or a load test) may connect at once

    def __init__(self, address, store: SessionStore, verbose: bool = False, workers: int = 2,
                 request_timeout: float = 30.0):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.static = {path: (_STATIC_DIR.joinpath(name).read_bytes(), ctype)
                       for path, (name, ctype) in _STATIC.items()}
        super().__init__(address, _Handler)
        self.store = store
        self.verbose = verbose
        self.request_timeout = float(request_timeout)
        # at most `workers` requests compute at once, the rest in arrival order: with the GIL, more
        # threads computing at once only add switching and make the slowest replies slower
        self.workers = FairSlots(workers)
        self.allowed_hosts = _allowed_hosts(address[0], self.server_address[1])

    def handle_error(self, request, client_address) -> None:
        """A tab closed mid-reply or a stalled client is normal; anything else still gets its traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host = self.server_address[0]
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.server_address[1]}/"


def _allowed_hosts(host: str, port: int) -> set[str]:
    """Host header values we answer to: the loopback names and the host we were asked to bind."""
    names = {"127.0.0.1", "localhost", "[::1]", host.lower()}
    if host in ("0.0.0.0", "::", ""):  # a wildcard bind: also this machine's own names
        try:
            name, aliases, addresses = socket.gethostbyname_ex(socket.gethostname())
            names.update(n.lower() for n in [name, *aliases, *addresses])
        except OSError:
            pass
    names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names}
    allowed = {f"{n}:{port}" for n in names}
    if port == 80:
        allowed |= names
    return allowed


class _Handler(BaseHTTPRequestHandler):
    server: PlaygroundServer
    server_version = "nerve-playground"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # a client that stalls mid-request does not hold a thread
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # small replies go out at once

    # -- plumbing ---------------------------------------------------------------------------------
    def log_request(self, code="-", size="-") -> None:
        """Log refused and failed requests always, the rest only when verbose (training sends many)."""
        if self.server.verbose or (isinstance(code, int) and code >= 400):
            super().log_request(code, size)

    def _send(self, status: int, body: bytes, content_type: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        for key, value in _SECURITY_HEADERS.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        # NOTE: headers and body leave in one write. Two small writes on a keep-alive connection meet
        # Nagle's algorithm and the client's delayed ACK: the body then waits ~40 ms for the ACK.
        self._headers_buffer.append(b"\r\n")
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        self.wfile.write(head + body if self.command != "HEAD" else head)

    def _json(self, status: int, payload: dict) -> None:
        body = json.dumps(payload, allow_nan=False, separators=(",", ":")).encode()
        self._send(status, body, "application/json")

    def _error(self, err: RequestError) -> None:
        self._json(err.status, {"error": err.message})

    def _check_host(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.allowed_hosts:
            self.close_connection = True
            raise RequestError(f"Host header {host[:100]!r} is not an address this server answers to", status=403)

    def _check_origin(self) -> None:
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower().removeprefix("http://") not in self.server.allowed_hosts:
            raise RequestError(f"cross-origin request from {origin[:100]!r} refused", status=403)

    def _read_body(self) -> dict:
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise RequestError("chunked request bodies are not accepted; send Content-Length", status=411)
        if length is None or not length.isdigit():
            self.close_connection = True
            raise RequestError("a Content-Length header is required", status=411)
        n = int(length)
        if n > LIMITS["max_body_bytes"]:
            self.close_connection = True  # the body stays unread, so the connection cannot be reused
            raise RequestError(f"request body of {n} bytes is over the limit of {LIMITS['max_body_bytes']}",
                               status=413)
        try:
            body = self.rfile.read(n)
        except TimeoutError:  # a stalled body: say so and drop the connection, no traceback
            self.close_connection = True
            raise RequestError(f"the request body did not arrive within {self.server.request_timeout:g} s",
                               status=408) from None
        if len(body) < n:  # the client hung up mid-body
            raise ConnectionResetError("client closed the connection mid-body")
        self._consumed = True
        if ctype != "application/json":
            raise RequestError(f"Content-Type must be application/json, got {ctype or 'none'!r}", status=415)
        return decode_json(body)

    # -- methods ----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        try:
            self._check_host()
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path in self.server.static:
                body, ctype = self.server.static[path]
                self._send(200, body, ctype, cache="no-cache")
            elif path == "/api/options":
                self._json(200, options())
            elif path == "/api/surface":
                self._json(200, surface_paths())
            elif path == "/api/previews":
                self._json(200, dataset_previews())
            elif path == "/api/health":
                self._json(200, {"ok": True, "sessions": len(self.server.store)})
            else:
                raise RequestError(f"no such page: {path[:100]!r}", status=404)
        except RequestError as e:
            self._error(e)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        self._consumed = False
        try:
            self._check_host()
            self._check_origin()
            route = _ROUTES.get(self.path)
            if route is None:
                raise RequestError(f"no such endpoint: POST {self.path[:100]!r}", status=404)
            payload = route(self.server, self._read_body())
            self._json(200, payload)
        except RequestError as e:
            if not self._consumed:  # an unread body would be taken for the next request
                self.close_connection = True
            self._error(e)
        except (ConnectionError, TimeoutError):  # the client went away mid-request or mid-reply: nothing to say
            self.close_connection = True
        except Exception:  # a bug: answer 500, keep serving, show the traceback on the console
            traceback.print_exc(file=sys.stderr)
            self._json(500, {"error": "internal error in the playground server (see its console)"})

    def _not_allowed(self) -> None:
        self.close_connection = True
        self._json(405, {"error": f"method {self.command} is not allowed"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


# -- API endpoints: (server, body) -> reply ----------------------------------------------------------
def _api_session(server: PlaygroundServer, body: dict) -> dict:
    check_fields(body, (), where="/api/session")
    return {"session": server.store.create().id}


def _with_task(server: PlaygroundServer, body: dict, action, extra=(), where="", optional=()):
    check_fields(body, ("session", *extra, *optional), required=("session", *extra), where=where)
    with server.store.use(parse_session_id(body["session"])) as session, server.workers:
        if session.task is None:
            raise RequestError(f"{where}: configure the session with /api/config first", status=409)
        return action(session.task)


def _api_config(server: PlaygroundServer, body: dict) -> dict:
    check_fields(body, ("session", "config"), required=("session", "config"), where="/api/config")
    config = parse_config(body["config"])
    with server.store.use(parse_session_id(body["session"])) as session, server.workers:
        session.task = make_task(config, previous=session.task)
        return session.task.state(include_data=True)


def _api_step(server: PlaygroundServer, body: dict) -> dict:
    steps = parse_steps(body.get("steps"))
    return _with_task(server, body, lambda task: task.train(steps), extra=("steps",), where="/api/step")


def _api_reset(server: PlaygroundServer, body: dict) -> dict:
    def reset(task):
        task.reset()
        return task.state(include_data=True)
    return _with_task(server, body, reset, where="/api/reset")


def _api_state(server: PlaygroundServer, body: dict) -> dict:
    return _with_task(server, body, lambda task: task.state(include_data=True), where="/api/state")


def _api_edit(server: PlaygroundServer, body: dict) -> dict:
    def edit(task):
        shapes = [d.params["W"].shape for d in task.dense_layers()]
        task.edit(*parse_edit(body, shapes))
        return task.state()
    return _with_task(server, body, edit, extra=("layer", "kind", "row", "value"), where="/api/edit",
                      optional=("col",))


def _api_backprop(server: PlaygroundServer, body: dict) -> dict:
    def run(task):
        if task.mode != "classification":
            raise RequestError("/api/backprop: the step-by-step view is for the classifier's network", status=409)
        point, label = parse_point(body["point"], body["label"], task.config["problem"])
        return trace(task.model, task.config["features"], point, label)
    return _with_task(server, body, run, extra=("point", "label"), where="/api/backprop")


def _api_race(server: PlaygroundServer, body: dict) -> dict:
    check_fields(body, ("session", "epochs", "restart"), required=("session", "epochs"), where="/api/race")
    epochs = _race_epochs(body["epochs"])
    with server.store.use(parse_session_id(body["session"])) as session, server.workers:
        task = session.task
        if task is None or task.mode != "classification":
            raise RequestError("/api/race: configure a classification session with /api/config first", status=409)
        if session.race is None or session.race.config != task.config or body.get("restart") is True:
            session.race = OptimizerRace(task.config, ClassificationTask)
        return session.race.train(epochs)


def _race_epochs(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20:
        raise RequestError(f"`epochs` must be an integer in [1, 20], got {value!r}"[:200])
    return value


def _api_close(server: PlaygroundServer, body: dict) -> dict:
    check_fields(body, ("session",), required=("session",), where="/api/close")
    return {"closed": server.store.delete(parse_session_id(body["session"]))}


_ROUTES = {"/api/session": _api_session, "/api/config": _api_config, "/api/step": _api_step,
           "/api/reset": _api_reset, "/api/state": _api_state, "/api/close": _api_close, "/api/edit": _api_edit,
           "/api/backprop": _api_backprop, "/api/race": _api_race}


def make_server(host: str = "127.0.0.1", port: int = 8000, *, idle_timeout: float = 900.0,
                max_sessions: int = 64, workers: int = 2, verbose: bool = False,
                request_timeout: float = 30.0) -> tuple[PlaygroundServer, str]:
    """A bound, not yet running server and its URL (``port=0`` picks a free port); call ``serve_forever``."""
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
        raise ValueError(f"playground: `port` must be an integer in [0, 65535], got {port!r}")
    try:
        server = PlaygroundServer((host, port), SessionStore(idle_timeout, max_sessions), verbose=verbose,
                                  workers=workers, request_timeout=request_timeout)
    except OSError as e:
        raise OSError(e.errno, f"playground: cannot listen on {host}:{port} ({e.strerror}); is another "
                               "server using that port? choose another with --port") from None
    return server, server.url


def serve(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True) -> None:
    """Run the playground until Ctrl+C, opening it in the default browser unless ``open_browser`` is False."""
    server, url = make_server(host, port)
    print(f"nerve playground serving at {url}  (Ctrl+C to stop)", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}, not only on this machine; anyone who can reach it can use "
              "this server's CPU", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nplayground stopped", flush=True)
    finally:
        server.server_close()
