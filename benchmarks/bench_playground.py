"""Load test of the playground on loopback: N concurrent sessions stepping training for S seconds.

Starts the server in a separate process (so the clients do not share its interpreter lock), opens
``--sessions`` sessions (half regression, half classification over the five datasets), and has each one
send step requests back to back, as a browser tab does while training, until ``--seconds`` have passed.
Prints the error count and the p50/p95/p99 latency of a step request. Bounded: stops by itself.

    .venv/bin/python benchmarks/bench_playground.py [--sessions 20] [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time

import numpy as np

_SERVER = ("import sys; from nerve.playground import make_server; s, url = make_server('127.0.0.1', 0); "
           "print(url, flush=True); s.serve_forever()")
_DATASETS = ["xor", "circles", "gaussians", "moons", "spirals"]
_LINE = [[x, 0.5 * x + 0.1] for x in np.linspace(-0.9, 0.9, 12).round(3).tolist()]


def _config(i: int) -> tuple[dict, int]:
    """Session i's setup and the steps per request its page would send."""
    if i % 2 == 0:
        model = ["line", "polynomial", "mlp"][(i // 2) % 3]
        return {"mode": "regression", "model": model, "points": _LINE}, 5
    return {"mode": "classification", "dataset": _DATASETS[(i // 2) % 5], "hidden": [4, 4]}, 1


def _client(host: str, port: int, i: int, deadline: float, latencies: dict, errors: list) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Host": f"{host}:{port}", "Content-Type": "application/json"}

    def post(path, body):
        conn.request("POST", path, json.dumps(body), headers)
        res = conn.getresponse()
        reply = json.loads(res.read())
        if res.status != 200:
            raise RuntimeError(f"{path}: HTTP {res.status} {reply.get('error')}")
        return reply

    try:
        sid = post("/api/session", {})["session"]
        config, steps = _config(i)
        post("/api/config", {"session": sid, "config": config})
        for _ in range(100_000):  # bounded even if the clock misbehaves
            if time.perf_counter() >= deadline:
                break
            t0 = time.perf_counter()
            try:
                post("/api/step", {"session": sid, "steps": steps})
                latencies[config["mode"]].append(time.perf_counter() - t0)
            except Exception as e:  # noqa: BLE001 (counted and reported)
                errors.append(f"step: {e!r}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
        post("/api/close", {"session": sid})
    except Exception as e:  # noqa: BLE001
        errors.append(f"setup/close: {e!r}")
    finally:
        conn.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        host, port = url.split("//")[1].rstrip("/").split(":")
        latencies, errors = {"regression": [], "classification": []}, []
        deadline = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=_client, args=(host, int(port), i, deadline, latencies, errors))
                   for i in range(args.sessions)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + 60)
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(10)
    lat = np.array(latencies["regression"] + latencies["classification"]) * 1000
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"playground load test: {args.sessions} sessions, {elapsed:.1f} s on loopback ({url}); "
          f"{os.cpu_count()} CPUs, load average {load}")
    print(f"  step requests: {len(lat)} ({len(lat) / elapsed:.0f}/s), errors: {len(errors)}")
    if len(lat):
        p50, p95, p99 = np.percentile(lat, [50, 95, 99])
        print(f"  latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {lat.max():.1f}")
        for mode, values in latencies.items():
            if values:
                q50, q95 = np.percentile(np.array(values) * 1000, [50, 95])
                print(f"    {mode:<14} {len(values):>6} requests, p50 {q50:.1f} ms, p95 {q95:.1f} ms")
        print(f"  p95 under 200 ms: {'yes' if p95 < 200 else 'NO'}")
    for e in errors[:5]:
        print("  error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
