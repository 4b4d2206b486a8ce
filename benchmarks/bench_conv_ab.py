"""Same-process A/B of two versions of Conv2D: a zoo CNN built with each, timed alternately.

    python benchmarks/bench_conv_ab.py --before 3dab5d6 [--model deep] [--rounds 8] [--threads 1]

The old ``nerve/layers/conv.py`` is read from git (``git show REV:nerve/layers/conv.py``) and loaded as a
module next to the current one, so both run on the same NumPy, the same data and the same machine minute.
The network is built twice (the old class patched into the zoo for the first build), given the same weights,
and checked to predict the same. Then ``train_on_batch`` (batch 100, Adam) and ``predict`` (batch 1000)
alternate between the two for ``--rounds`` rounds of 3 each; min and median ms are printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

import nerve  # noqa: E402
from nerve import zoo  # noqa: E402
from nerve.optimizers import Adam  # noqa: E402
from nerve.zoo import nets, resnet  # noqa: E402


def old_conv_class(rev: str):
    """Conv2D as it was at ``rev``, loaded as ``nerve.layers.conv_before``."""
    source = subprocess.run(["git", "show", f"{rev}:nerve/layers/conv.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("nerve.layers.conv_before", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "nerve.layers"
    exec(compile(source, f"{rev}:nerve/layers/conv.py", "exec"), module.__dict__)
    return module.Conv2D


def build(name: str, conv_class):
    nerve.seed(0)
    saved = nets.Conv2D
    nets.Conv2D = resnet.Conv2D = conv_class
    try:
        model = {"simple": zoo.simple_conv_net, "deep": zoo.deep_conv_net, "vgg": zoo.vgg_small,
                 "resnet": zoo.resnet_small}[name]()
    finally:
        nets.Conv2D = resnet.Conv2D = saved
    model.compile(optimizer=Adam(lr=0.001), loss="softmax_cross_entropy")
    return model


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1e3


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision of the old conv.py")
    parser.add_argument("--model", choices=("simple", "deep", "vgg", "resnet"), default="deep")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--threads", type=int, default=0, help="BLAS threads (threadpoolctl); 0: the default")
    args = parser.parse_args(argv)
    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=args.threads)
    from nerve.datasets import load_fashion_mnist

    (x, t), (xt, _) = load_fashion_mnist(flatten=False, download=False)
    models = {"before": build(args.model, old_conv_class(args.before)), "after": build(args.model, nerve.layers.Conv2D)}
    for key, value in models["before"].params.items():
        models["after"].params[key][...] = value
    gap = np.abs(models["before"].predict(xt[:1000], 1000) - models["after"].predict(xt[:1000], 1000)).max()
    print(f"{args.model}: max |before - after| over 1000 predictions: {gap:.2e}")
    times = {(side, what): [] for side in models for what in ("train", "predict")}
    batch = 0
    for _ in range(args.rounds):
        for side, model in models.items():
            for _ in range(3):
                s = slice(batch % 600 * 100, batch % 600 * 100 + 100)
                times[side, "train"].append(timed(lambda model=model, s=s: model.train_on_batch(x[s], t[s])))
                batch += 1
            for k in range(3):
                times[side, "predict"].append(timed(
                    lambda model=model, k=k: model.predict(xt[k * 1000:(k + 1) * 1000], 1000)))
    for what in ("train", "predict"):
        line = ", ".join(f"{side} {min(times[side, what]):6.1f} / {statistics.median(times[side, what]):6.1f}"
                         for side in models)
        print(f"  {what:8s} ms (min / median): {line}")


if __name__ == "__main__":
    main()
