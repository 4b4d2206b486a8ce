"""SimpleConvNet and DeepConvNet on a GPU: nerve on CuPy against PyTorch eager on the same GPU (issues 13, 18).

Run on the device machine, in one call (its image has CuPy, PyTorch and pytest; ~2 minutes):

    python3 -m pytest -q tests/gpu && python3 benchmarks/bench_gpu.py

``--device cpu`` runs the same comparison on the host (nerve on NumPy against PyTorch CPU), so the script can be
checked anywhere. Both sides train the same network with Adam (lr 0.001), batch 100, from host arrays moved to
the device batch by batch (nerve's ``fit`` does that; the PyTorch loop does ``.to(device)``), and both bring the
loss to the host every step (nerve's logs; ``loss.item()``). Warm-up batches are not timed; the clocks are read
after the device has finished (``synchronize``). Inference is ``evaluate`` against a ``no_grad`` eval forward
whose outputs come back to the host, batch 1000. Fashion-MNIST when its system copy is there, else random
images of its shape (speed does not depend on the pixel values).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from bench_cnn import MODELS, WARMUP_BATCHES, TorchRun  # noqa: E402
from common import import_torch, load_data  # noqa: E402

import nerve  # noqa: E402
from nerve.backend import get_array_module  # noqa: E402
from nerve.optimizers import Adam  # noqa: E402


def images(train: int, test: int):
    """Fashion-MNIST's first ``train`` and ``test`` images, or random ones of that shape; and where they came from."""
    try:
        (x, t), (xt, tt) = load_data(flatten=False)
        return (x[:train], t[:train]), (xt[:test], tt[:test]), "Fashion-MNIST"
    except (OSError, ValueError, RuntimeError):
        rng = np.random.default_rng(0)
        x, xt = rng.random((train, 1, 28, 28), dtype=np.float32), rng.random((test, 1, 28, 28), dtype=np.float32)
        return (x, rng.integers(0, 10, train)), (xt, rng.integers(0, 10, test)), "random images (no Fashion-MNIST)"


class DeviceTorchRun(TorchRun):
    """bench_cnn's PyTorch twin on ``device``: each batch moved there, its loss read back every step."""

    def __init__(self, torch, name, x, t, batch_size, device):
        super().__init__(torch, name, x, t, batch_size)
        self.device = torch.device(device)
        self.model.to(self.device)

    def _step(self, idx):
        xb, tb = self.x[idx].to(self.device), self.t[idx].to(self.device)
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(xb), tb)
        loss.backward()
        self.opt.step()
        loss.item()
        self.steps += 1

    def sync(self):
        if self.device.type == "cuda":
            self.torch.cuda.synchronize()

    def timed_epoch(self, limit: int) -> float:
        self.sync()
        start = time.perf_counter()
        self.epoch(limit)
        self.sync()
        return time.perf_counter() - start

    def timed_inference(self, xt, batch_size: int) -> float:
        torch = self.torch
        self.model.eval()
        self.sync()
        start = time.perf_counter()
        with torch.no_grad():
            for i in range(0, len(xt), batch_size):
                self.model(torch.from_numpy(xt[i:i + batch_size]).to(self.device)).cpu()
        self.sync()
        seconds = time.perf_counter() - start
        self.model.train()
        return seconds


def nerve_sync(model) -> None:
    """Wait for the model's device (CuPy runs kernels asynchronously)."""
    xp = get_array_module(next(iter(model.params.values())))
    if xp is not np:
        xp.cuda.Device().synchronize()


def nerve_timed(model, fn) -> float:
    nerve_sync(model)
    start = time.perf_counter()
    fn()
    nerve_sync(model)
    return time.perf_counter() - start


def compare(name: str, device: str, torch, data, repeats: int, short: int, batch: int) -> list[str]:
    (x, t), (xt, tt) = data
    nerve.seed(0)
    model = MODELS[name]()
    model.compile(Adam(0.001), "softmax_cross_entropy", ["accuracy"])
    model.build(x.shape[1:])
    model.to(device)
    model.fit(x[:WARMUP_BATCHES * batch], t[:WARMUP_BATCHES * batch], batch_size=batch, shuffle=False, verbose=0)
    model.evaluate(xt[:1000], tt[:1000], batch_size=1000)
    run = DeviceTorchRun(torch, name, x, t, batch, device)
    run.warm_up()
    run.timed_inference(xt[:1000], 1000)
    times: dict[str, list[float]] = {}
    for _ in range(repeats):  # interleaved: both sides see the same machine
        times.setdefault("nerve short", []).append(
            nerve_timed(model, lambda: model.fit(x[:short], t[:short], batch_size=batch, verbose=0)))
        times.setdefault("torch short", []).append(run.timed_epoch(short))
        times.setdefault("nerve eval", []).append(
            nerve_timed(model, lambda: model.evaluate(xt, tt, batch_size=1000)))
        times.setdefault("torch eval", []).append(run.timed_inference(xt, 1000))
    full_n = nerve_timed(model, lambda: model.fit(x, t, batch_size=batch, verbose=0))
    full_t = run.timed_epoch(len(x))
    best = {k: min(v) for k, v in times.items()}
    rows = []
    for what, n, p, batches in [(f"train, {short} images", best["nerve short"], best["torch short"], short // batch),
                                (f"train, {len(x)} images", full_n, full_t, -(-len(x) // batch)),
                                (f"evaluate {len(xt)}", best["nerve eval"], best["torch eval"], -(-len(xt) // 1000))]:
        rows.append(f"| {name} | {what} | {n / batches * 1e3:.2f} ms | {p / batches * 1e3:.2f} ms | {n / p:.2f}x |")
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", help="cuda (default), cuda:1, or cpu to check the script")
    parser.add_argument("--model", choices=["simple", "deep", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=3, help="timed short runs and inference passes, best counts")
    parser.add_argument("--short", type=int, default=6000, help="images in the short run")
    parser.add_argument("--train", type=int, default=60000, help="images in the full epoch")
    parser.add_argument("--test", type=int, default=10000, help="images evaluated")
    args = parser.parse_args(argv)
    torch = import_torch()
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        sys.exit("bench_gpu: PyTorch sees no CUDA GPU (run with --device cpu to check the script on the host)")
    (x, t), (xt, tt), source = images(args.train, args.test)
    gpu = torch.cuda.get_device_name() if args.device.startswith("cuda") else "host CPU"
    print(f"{source}; {gpu}; nerve {nerve.__version__} on {'CuPy' if args.device != 'cpu' else 'NumPy'}, "
          f"torch {torch.__version__} eager; batch 100, Adam; best of {args.repeats} (full epoch: one run)")
    print("| network | run | nerve per batch | PyTorch per batch | nerve / PyTorch |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name in (["simple", "deep"] if args.model == "both" else [args.model]):
        for row in compare(name, args.device, torch, ((x, t), (xt, tt)), args.repeats, args.short, 100):
            print(row, flush=True)


if __name__ == "__main__":
    main()
