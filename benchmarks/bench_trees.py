"""Same-process A/B of nerve checkouts: each one's ``nerve`` imported under its own name, trained alternately.

Run: .venv/bin/python benchmarks/bench_trees.py before=/path/to/old/checkout main=. [--rounds 20] [--cnn]
Comparing two checkouts in one process sees the same machine load for both, which alternating processes do not.
MLP: ``fit`` (784-50-10, SGD, batch 100) on 12,000 Fashion-MNIST images, per step. ``--cnn``: SimpleConvNet and
DeepConvNet, 8 ``train_on_batch`` of 100 (Adam) and one ``predict`` of 1,000 per round. Prints min / median.
Each tree's ``nerve`` is copied to a temporary folder as ``nerve_<name>`` (its modules import each other
relatively, so the copies do not mix).
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from common import load_data  # noqa: E402


def import_trees(specs: list[str], folder: Path) -> dict:
    sys.path.insert(0, str(folder))
    packages = {}
    for spec in specs:
        name, _, tree = spec.partition("=")
        if not name.isidentifier() or not tree or not (Path(tree) / "nerve").is_dir():
            raise SystemExit(f"bench_trees: expected NAME=CHECKOUT with CHECKOUT/nerve, got {spec!r}")
        shutil.copytree(Path(tree) / "nerve", folder / f"nerve_{name}")
        packages[name] = importlib.import_module(f"nerve_{name}")
    return packages


def mlp_models(packages: dict, x, t) -> dict:
    models = {}
    for name, nv in packages.items():
        layers = importlib.import_module(f"nerve_{name}.layers")
        optimizers = importlib.import_module(f"nerve_{name}.optimizers")
        nv.seed(0)
        model = nv.Sequential([layers.Dense(50), layers.ReLU(), layers.Dense(10)], input_shape=(784,))
        model.compile(optimizers.SGD(0.1), "softmax_cross_entropy", ["accuracy"])
        model.fit(x, t, epochs=1, batch_size=100, verbose=0)  # warm-up
        models[name] = model
    return models


def cnn_models(packages: dict, x, t, xt, nets=("simple_conv_net", "deep_conv_net")) -> dict:
    models = {}
    for net in nets:
        for name, nv in packages.items():
            zoo = importlib.import_module(f"nerve_{name}.zoo")
            optimizers = importlib.import_module(f"nerve_{name}.optimizers")
            nv.seed(0)
            model = getattr(zoo, net)()
            model.compile(optimizers.Adam(1e-3), "softmax_cross_entropy", ["accuracy"])
            for i in range(3):  # warm-up
                model.train_on_batch(x[i * 100:(i + 1) * 100], t[i * 100:(i + 1) * 100])
            model.predict(xt[:1000], batch_size=1000)
            models[(net, name)] = model
    return models


def report(times: dict, first: str) -> None:
    """Min and median per tree, and the median over rounds of each round's time / the first tree's: the pairs
    ran back to back, so their ratio is steadier than either time on a machine whose speed drifts."""
    for key, values in times.items():
        base = times[(*key[:-2], first, key[-1])] if len(key) == 3 else times[(first, key[-1])]
        ratios = sorted(v / b for v, b in zip(values, base))
        values = sorted(values)
        print(f"  {' '.join(key):40s} min {values[0]:8.1f}   median {values[len(values) // 2]:8.1f}   "
              f"vs {first}: {ratios[len(ratios) // 2]:.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", help="NAME=CHECKOUT, e.g. before=../old main=.")
    parser.add_argument("--rounds", type=int, default=None, help="default 20 (MLP), 5 (--cnn)")
    parser.add_argument("--cnn", action="store_true", help="SimpleConvNet and DeepConvNet instead of the MLP")
    parser.add_argument("--net", choices=("simple", "deep", "both"), default="both", help="with --cnn: which CNNs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        packages = import_trees(args.trees, Path(folder))
        times: dict = {}
        if not args.cnn:
            (x, t), _ = load_data(flatten=True)
            x, t = x[:12000].copy(), t[:12000].copy()
            models = mlp_models(packages, x, t)
            for _ in range(args.rounds or 20):
                for name, model in models.items():
                    start = time.perf_counter()
                    model.fit(x, t, epochs=1, batch_size=100, verbose=0)
                    times.setdefault((name, "MLP fit, us/step"), []).append((time.perf_counter() - start) / 120 * 1e6)
        else:
            (x, t), (xt, _) = load_data(flatten=False)
            nets = {"simple": ("simple_conv_net",), "deep": ("deep_conv_net",),
                    "both": ("simple_conv_net", "deep_conv_net")}[args.net]
            models = cnn_models(packages, x[:800], t[:800], xt, nets)
            for _ in range(args.rounds or 5):
                for (net, name), model in models.items():
                    start = time.perf_counter()
                    for i in range(8):
                        model.train_on_batch(x[i * 100:(i + 1) * 100], t[i * 100:(i + 1) * 100])
                    times.setdefault((net, name, "train ms/batch"), []).append((time.perf_counter() - start) / 8e-3)
                    start = time.perf_counter()
                    model.predict(xt[:1000], batch_size=1000)
                    times.setdefault((net, name, "predict ms/1000"), []).append((time.perf_counter() - start) * 1e3)
        report(times, next(iter(packages)))


if __name__ == "__main__":
    main()
