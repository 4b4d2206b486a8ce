"""How fast the playground trains as a user sees it: epochs per second in Chromium, step latency on keep-alive.

Starts a playground on a loopback port in this process, then (1) one keep-alive client sends ``--requests``
one-epoch ``/api/step`` requests for the default classifier and reports their p50/p95, and (2) headless
Chromium (Playwright, Debian's /usr/bin/chromium) opens the classification view, presses Train and counts
the epochs the page shows over ``--seconds``. Targets (issue 17): p50 < 10 ms, >= 60 epochs/s. Bounded.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_playground_browser.py [--seconds 5] [--requests 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time

import numpy as np

from nerve.playground import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
EPOCH = "() => parseInt(document.getElementById('epoch').textContent, 10)"


def step_latency(host: str, port: int, n: int) -> np.ndarray:
    """Milliseconds of ``n`` one-epoch step requests on one keep-alive connection."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Host": f"{host}:{port}", "Content-Type": "application/json"}

    def post(path, body):
        conn.request("POST", path, json.dumps(body), headers)
        return json.loads(conn.getresponse().read())
    try:
        sid = post("/api/session", {})["session"]
        post("/api/config", {"session": sid, "config": {"mode": "classification"}})
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            post("/api/step", {"session": sid, "steps": 1})
            out.append(time.perf_counter() - t0)
        post("/api/close", {"session": sid})
    finally:
        conn.close()
    return np.array(out) * 1000


def browser_epochs_per_second(url: str, seconds: float) -> float:
    """Epochs per second the page shows while training the default classifier."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                                       headless=True, timeout=30_000)
        try:
            page = context.new_page()
            page.goto(url + "?mode=classification")
            page.wait_for_selector("body.ready", timeout=15_000)
            page.click("#btn-train")
            page.wait_for_function(f"() => ({EPOCH})() >= 1", timeout=15_000)
            start, t0 = page.evaluate(EPOCH), time.perf_counter()
            time.sleep(seconds)
            rate = (page.evaluate(EPOCH) - start) / (time.perf_counter() - t0)
            page.click("#btn-train")
        finally:
            context.close()
    return rate


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    server, url = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        lat = step_latency("127.0.0.1", server.server_address[1], args.requests)
        rate = browser_epochs_per_second(url, args.seconds)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    p50, p95 = np.percentile(lat, [50, 95])
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"playground speed ({os.cpu_count()} CPUs, load average {load})")
    print(f"  /api/step, 1 epoch, keep-alive: p50 {p50:.1f} ms, p95 {p95:.1f} ms  (target p50 < 10 ms: "
          f"{'yes' if p50 < 10 else 'NO'})")
    print(f"  Chromium, default classifier: {rate:.0f} epochs/s  (target >= 60: {'yes' if rate >= 60 else 'NO'})")
    return 0 if p50 < 10 and rate >= 60 else 1


if __name__ == "__main__":
    sys.exit(main())
