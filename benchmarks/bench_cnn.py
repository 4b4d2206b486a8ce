"""Train SimpleConvNet / DeepConvNet on Fashion-MNIST with nerve and with PyTorch CPU in one process.

    python benchmarks/bench_cnn.py                       # both models, 1 epoch each, nerve vs torch
    python benchmarks/bench_cnn.py --model simple --limit 10000
    python benchmarks/bench_cnn.py --accuracy --model simple --epochs 5   # nerve only: test accuracy per epoch

Same architecture, Adam (lr 0.001), batch 100, shuffled each epoch. Prints seconds per run, the ratio
nerve / torch and nerve's peak resident memory (measured before torch is imported). PyTorch is a
benchmark-only dependency: ``pip install torch==2.13.0``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import nerve  # noqa: E402
from nerve import zoo  # noqa: E402
from nerve.datasets import load_fashion_mnist  # noqa: E402
from nerve.optimizers import Adam  # noqa: E402

MODELS = {"simple": zoo.simple_conv_net, "deep": zoo.deep_conv_net}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(limit: int | None):
    (x, t), (xt, tt) = load_fashion_mnist(normalize=True, flatten=False, download=False)
    if limit:
        x, t = x[:limit], t[:limit]
    return x, t, xt, tt


def train_nerve(name: str, x, t, epochs: int, batch_size: int, test=None, seed: int = 0) -> float:
    """Seconds to train ``epochs`` epochs; with ``test`` also prints test accuracy after every epoch."""
    nerve.seed(seed)
    model = MODELS[name]()
    model.compile(optimizer=Adam(lr=0.001), loss="softmax_cross_entropy", metrics=["accuracy"])
    total = 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        model.fit(x, t, epochs=1, batch_size=batch_size, shuffle=True, verbose=0)
        total += time.perf_counter() - start
        if test is not None:
            acc = model.evaluate(*test, batch_size=1000)["accuracy"]
            print(f"  nerve {name:6s} epoch {epoch + 1:2d}: test accuracy {acc:.4f}  "
                  f"(training time so far {total:.1f} s)", flush=True)
    return total


def _torch_model(name: str):
    import torch.nn as nn

    if name == "simple":
        return nn.Sequential(nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(30 * 12 * 12, 100), nn.ReLU(), nn.Linear(100, 10))
    layers, channels = [], 1
    for i, (width, pad) in enumerate(zip((16, 16, 32, 32, 64, 64), (1, 1, 1, 2, 1, 1))):
        layers += [nn.Conv2d(channels, width, 3, padding=pad), nn.ReLU()]
        channels = width
        if i % 2:
            layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(64 * 4 * 4, 50), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(50, 10), nn.Dropout(0.5))


def train_torch(name: str, x, t, epochs: int, batch_size: int, seed: int = 0) -> float:
    import torch

    torch.manual_seed(seed)
    model = _torch_model(name)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs, ts = torch.from_numpy(x), torch.from_numpy(t.astype(np.int64))
    gen = np.random.default_rng(seed)
    start = time.perf_counter()
    model.train()
    for _ in range(epochs):
        order = torch.from_numpy(gen.permutation(len(xs)))
        for i in range(0, len(xs), batch_size):
            idx = order[i:i + batch_size]
            opt.zero_grad()
            loss = loss_fn(model(xs[idx]), ts[idx])
            loss.backward()
            opt.step()
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["simple", "deep", "both"], default="both")
    parser.add_argument("--epochs", type=int, default=None, help="default 1 (speed) or 5/15 (--accuracy)")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N images only")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--accuracy", action="store_true", help="nerve only: test accuracy after every epoch")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch runs")
    args = parser.parse_args(argv)
    names = ["simple", "deep"] if args.model == "both" else [args.model]
    x, t, xt, tt = load(args.limit)
    print(f"Fashion-MNIST: {len(x)} training images, batch {args.batch_size}, Adam lr 0.001; "
          f"numpy {np.__version__}")

    if args.accuracy:
        for name in names:
            epochs = args.epochs or {"simple": 5, "deep": 15}[name]
            seconds = train_nerve(name, x, t, epochs, args.batch_size, test=(xt, tt))
            print(f"nerve {name}: {epochs} epochs in {seconds:.1f} s; peak RSS {peak_rss_mb():.0f} MiB")
        return

    epochs = args.epochs or 1
    results = {name: train_nerve(name, x, t, epochs, args.batch_size) for name in names}
    rss = peak_rss_mb()
    for name, seconds in results.items():
        print(f"nerve {name:6s}: {seconds:7.2f} s for {epochs} epoch(s)")
    print(f"nerve peak RSS (data + training, before torch is imported): {rss:.0f} MiB")
    if args.no_torch:
        return
    try:
        import torch
    except ImportError:
        print("torch is not installed (pip install torch==2.13.0); skipping the comparison")
        return
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, seconds in results.items():
        ref = train_torch(name, x, t, epochs, args.batch_size)
        print(f"torch {name:6s}: {ref:7.2f} s   nerve/torch = {seconds / ref:.2f}x")


if __name__ == "__main__":
    main()
