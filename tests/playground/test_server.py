"""HTTP API of the playground: every endpoint, and the requests it must refuse."""

from __future__ import annotations

import base64
import threading

import pytest

from nerve.playground import make_server
from nerve.playground.validation import LIMITS

LINE_POINTS = [[-0.8, -0.2], [-0.4, 0.0], [0.0, 0.2], [0.4, 0.4], [0.8, 0.6]]


# -- static files -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, ctype, marker", [
    ("/", "text/html", b"nerve playground"),
    ("/?mode=classification&dataset=xor", "text/html", b"<canvas"),
    ("/static/app.js", "text/javascript", b"/api/step"),
    ("/static/draw.js", "text/javascript", b"Draw"),
    ("/static/style.css", "text/css", b".topbar"),
])
def test_static_files_are_served_with_security_headers(client, path, ctype, marker):
    status, headers, body = client.request("GET", path)
    assert status == 200
    assert headers["Content-Type"].startswith(ctype)
    assert marker in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/static/../server.py", "/../../etc/passwd", "/static/%2e%2e/server.py",
                                  "/server.py", "/static/", "/static/sessions.py", "//etc/passwd"])
def test_nothing_but_the_static_files_is_served(client, path):
    status, _, body = client.request("GET", path)
    assert status == 404
    assert "error" in body


def test_options_lists_choices_defaults_and_limits(client):
    status, _, body = client.request("GET", "/api/options")
    assert status == 200
    assert body["limits"]["max_points"] == 2000 and body["limits"]["max_layers"] == 6
    assert body["limits"]["max_neurons"] == 8 and body["limits"]["max_steps"] == 1000
    assert set(body["datasets"]) == {"xor", "circles", "gaussians", "moons", "spirals", "custom", "plane",
                                     "multi_gaussian"}
    assert body["defaults"]["classification"]["features"] == ["x1", "x2"]


def test_health_reports_ok(client):
    status, _, body = client.request("GET", "/api/health")
    assert status == 200 and body["ok"] is True


# -- the training endpoints ---------------------------------------------------------------------------
def test_regression_session_fits_a_line_through_collinear_points(client):
    sid = client.new_session()
    status, state = client.post("/api/config", {"session": sid, "config": {
        "mode": "regression", "points": LINE_POINTS, "learning_rate": 0.3}})
    assert status == 200 and state["epoch"] == 0 and state["points"] == LINE_POINTS
    assert "dense_1 (Dense)" in state["summary"] and "SGD" in state["summary"] and "MSE" in state["summary"]
    status, state = client.post("/api/step", {"session": sid, "steps": 1000})
    assert status == 200
    assert 1 <= state["steps_done"] <= 1000 and state["epoch"] == state["steps_done"]
    assert len(state["new_losses"]) == state["steps_done"]
    while state["epoch"] < 400:  # the time budget may cut a request short on a busy machine
        state = client.post("/api/step", {"session": sid, "steps": 1000})[1]
    assert state["line"]["a"] == pytest.approx(0.5, abs=1e-3)
    assert state["line"]["b"] == pytest.approx(0.2, abs=1e-3)
    assert len(state["curve"]) == 121 and state["curve"][60] == pytest.approx(0.2, abs=1e-3)


def test_adding_a_point_keeps_the_trained_weights_and_restarts_the_count(client):
    sid = client.new_session({"mode": "regression", "points": LINE_POINTS})
    state = client.post("/api/step", {"session": sid, "steps": 50})[1]
    line = state["line"]
    state = client.post("/api/config", {"session": sid, "config": {
        "mode": "regression", "points": LINE_POINTS + [[0.9, 0.65]]}})[1]
    assert state["line"] == line and state["n_train"] == 6
    assert state["epoch"] == 0  # new data: the epoch counter and the chart start again (issue 17, bug 2)
    state = client.post("/api/config", {"session": sid, "config": {
        "mode": "regression", "model": "polynomial", "degree": 3, "points": LINE_POINTS}})[1]
    assert state["epoch"] == 0 and "line" not in state  # a new model starts from scratch


def test_classification_state_has_heatmap_neuron_images_and_data(client):
    sid = client.new_session()
    status, state = client.post("/api/config", {"session": sid, "config": {
        "mode": "classification", "dataset": "circles", "hidden": [3, 2], "features": ["x1", "x2", "x1^2"],
        "n_samples": 200, "train_ratio": 0.7}})
    assert status == 200
    assert len(state["data"]["train"]) == 140 and len(state["data"]["test"]) == 60
    size = state["heatmap_size"]
    assert len(base64.b64decode(state["heatmap"])) == size * size
    assert len(state["inputs"]) == 3
    assert [len(layer) for layer in state["neurons"]] == [3, 2]
    assert len(base64.b64decode(state["neurons"][0][0])) == state["neuron_size"] ** 2
    status, state = client.post("/api/step", {"session": sid, "steps": 3})
    assert status == 200 and state["epoch"] == 3 and len(state["new_losses"]) == 3
    assert 0.0 <= state["accuracy"]["test"] <= 1.0 and state["test_loss"] > 0


def test_reset_restarts_the_epoch_counter_with_new_weights(client):
    sid = client.new_session({"mode": "classification", "dataset": "xor"})
    before = client.post("/api/step", {"session": sid, "steps": 2})[1]
    status, after = client.post("/api/reset", {"session": sid})
    assert status == 200 and after["epoch"] == 0 and "data" in after
    assert after["heatmap"] != before["heatmap"]


def test_state_returns_the_current_state_without_training(client):
    sid = client.new_session({"mode": "regression", "points": LINE_POINTS})
    client.post("/api/step", {"session": sid, "steps": 7})
    status, state = client.post("/api/state", {"session": sid})
    assert status == 200 and state["epoch"] == 7


def test_close_forgets_the_session(client):
    sid = client.new_session({"mode": "regression"})
    assert client.post("/api/close", {"session": sid}) == (200, {"closed": True})
    status, reply = client.post("/api/step", {"session": sid, "steps": 1})
    assert status == 404 and "session" in reply["error"]


def test_sessions_are_independent(client):
    a = client.new_session({"mode": "regression", "points": LINE_POINTS})
    b = client.new_session({"mode": "classification"})
    client.post("/api/step", {"session": a, "steps": 5})
    assert client.post("/api/state", {"session": b})[1]["epoch"] == 0
    assert client.post("/api/state", {"session": a})[1]["epoch"] == 5


def test_training_without_points_is_refused(client):
    sid = client.new_session({"mode": "regression"})
    status, reply = client.post("/api/step", {"session": sid, "steps": 1})
    assert status == 409 and "point" in reply["error"]


def test_step_before_config_is_refused(client):
    sid = client.new_session()
    status, reply = client.post("/api/step", {"session": sid, "steps": 1})
    assert status == 409 and "/api/config" in reply["error"]


def test_divergence_is_reported_not_sent_as_nan(client):
    sid = client.new_session({"mode": "regression", "points": [[-1, -1], [1, 1], [0.9, -0.9]],
                              "model": "polynomial", "degree": 5, "learning_rate": 10.0})
    status, state = client.post("/api/step", {"session": sid, "steps": 200})
    assert status == 200 and state["diverged"] is True
    assert state["steps_done"] < 200


# -- refusals -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("body, fragment", [
    ({"session": "x" * 22, "steps": 0}, "steps"),
    ({"session": "x" * 22, "steps": 1001}, "steps"),
    ({"session": "x" * 22, "steps": 1.5}, "steps"),
    ({"session": "x" * 22, "steps": True}, "steps"),
    ({"session": "x" * 22, "steps": 1, "speed": 2}, "unknown field"),
    ({"session": "../../etc", "steps": 1}, "session"),
    ({"steps": 1}, "session"),
])
def test_bad_step_requests_get_400_with_a_message(client, body, fragment):
    status, reply = client.post("/api/step", body)
    assert status == 400
    assert fragment in reply["error"]


def test_unknown_session_gets_404(client):
    status, reply = client.post("/api/step", {"session": "A" * 22, "steps": 1})
    assert status == 404 and "session" in reply["error"]


@pytest.mark.parametrize("config, fragment", [
    ({"mode": "regression", "points": [[0.1, 0.2]] * 2001}, "at most 2000"),
    ({"mode": "classification", "hidden": [4] * 7}, "hidden"),
    ({"mode": "classification", "hidden": [9]}, "hidden[0]"),
    ({"mode": "classification", "learning_rate": -1}, "learning_rate"),
    ({"mode": "regression", "points": [[0.1, 5.0]]}, "points[0][1]"),
    ({"mode": "classification", "batch_size": 10, "degree": 2}, "unknown field"),
    ({"mode": "regression", "wings": 2}, "unknown field"),
    ({"mode": "quantum"}, "mode"),
])
def test_bad_configs_get_400_with_a_message(client, config, fragment):
    sid = client.new_session()
    status, reply = client.post("/api/config", {"session": sid, "config": config})
    assert status == 400
    assert fragment in reply["error"]


@pytest.mark.parametrize("raw, fragment", [
    (b'{"session": "AAAAAAAAAAAAAAAAAAAAAA", "steps": NaN}', "finite"),
    (b'{"session": "AAAAAAAAAAAAAAAAAAAAAA", "steps": Infinity}', "finite"),
    (b"[1, 2]", "JSON object"),
    (b"{not json", "not valid"),
    (b"\xff\xfe", "UTF-8"),
    (b"[" * 5000 + b"]" * 5000, "nested"),
])
def test_malformed_json_gets_400(client, raw, fragment):
    status, _, reply = client.request("POST", "/api/step", raw=raw)
    assert status == 400
    assert fragment in reply["error"]


def test_non_finite_config_numbers_are_refused(client):
    sid = client.new_session()
    raw = b'{"session": "' + sid.encode() + b'", "config": {"mode": "regression", "points": [[NaN, 0.1]]}}'
    status, _, reply = client.request("POST", "/api/config", raw=raw)
    assert status == 400 and "finite" in reply["error"]


def test_oversized_body_gets_413_without_being_read(client):
    size = LIMITS["max_body_bytes"] + 1
    status, _, reply = client.request("POST", "/api/session", raw=b"{}", headers={"Content-Length": str(size)})
    assert status == 413 and "limit" in reply["error"]


def test_missing_content_length_gets_411(client):
    status, _, reply = client.request("POST", "/api/session", headers={"Content-Type": "application/json"})
    assert status == 411


def test_non_json_content_type_gets_415(client):
    status, _, reply = client.request("POST", "/api/session", raw=b"{}", headers={"Content-Type": "text/plain"})
    assert status == 415 and "application/json" in reply["error"]


@pytest.mark.parametrize("host", ["evil.example:80", "attacker.test", "127.0.0.1:1", "", "localhost"])
def test_foreign_host_header_is_refused(client, host):
    for method, path, body in [("GET", "/", None), ("POST", "/api/session", {})]:
        status, _, reply = client.request(method, path, body, headers={"Host": host})
        assert status == 403 and "Host" in reply["error"]


def test_localhost_host_header_is_accepted(client):
    port = client.url.rstrip("/").rsplit(":", 1)[1]
    status, _, _ = client.request("GET", "/", headers={"Host": f"localhost:{port}"})
    assert status == 200


def test_cross_origin_post_is_refused(client):
    status, _, reply = client.request("POST", "/api/session", {}, headers={"Origin": "http://evil.example"})
    assert status == 403 and "cross-origin" in reply["error"]
    port = client.url.rstrip("/").rsplit(":", 1)[1]
    status, _, _ = client.request("POST", "/api/session", {}, headers={"Origin": f"http://127.0.0.1:{port}"})
    assert status == 200


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_get_405(client, method):
    status, _, _ = client.request(method, "/api/session")
    assert status == 405


def test_unknown_endpoint_gets_404(client):
    status, reply = client.post("/api/train_forever", {})
    assert status == 404


def test_session_cap_answers_503(client_for):
    server, url = make_server("127.0.0.1", 0, max_sessions=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        c = client_for(url)
        assert c.post("/api/session", {})[0] == 200
        assert c.post("/api/session", {})[0] == 200
        status, reply = c.post("/api/session", {})
        assert status == 503 and "too many" in reply["error"]
    finally:
        server.shutdown()
        server.server_close()


def test_make_server_binds_loopback_by_default_and_checks_the_port():
    server, url = make_server(port=0)
    try:
        assert server.server_address[0] == "127.0.0.1" and url.startswith("http://127.0.0.1:")
    finally:
        server.server_close()
    with pytest.raises(ValueError, match="port"):
        make_server(port=70000)


def test_a_port_in_use_gives_a_clear_error(playground):
    port = playground[0].server_address[1]
    with pytest.raises(OSError, match="cannot listen on 127.0.0.1"):
        make_server("127.0.0.1", port)


def test_serve_prints_the_url_opens_the_browser_and_stops_on_ctrl_c(monkeypatch, capsys):
    from nerve.playground import server as server_module

    opened = []

    class _Timer:  # run the browser opening at once instead of after a delay
        def __init__(self, delay, fn, args=()):
            self.fn, self.args = fn, args

        def start(self):
            self.fn(*self.args)

    def interrupt(self, poll_interval=0.5):
        raise KeyboardInterrupt

    monkeypatch.setattr(server_module.threading, "Timer", _Timer)
    monkeypatch.setattr(server_module.webbrowser, "open", opened.append)
    monkeypatch.setattr(server_module.PlaygroundServer, "serve_forever", interrupt)
    server_module.serve(port=0, open_browser=True)
    out = capsys.readouterr().out
    assert "serving at http://127.0.0.1:" in out and "stopped" in out
    assert len(opened) == 1 and opened[0].startswith("http://127.0.0.1:")
    server_module.serve(port=0, open_browser=False)
    assert len(opened) == 1
