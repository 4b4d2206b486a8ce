"""One epoch of the book's 784-50-10 MLP (SGD, lr 0.1, batch 100) on Fashion-MNIST: nerve vs PyTorch CPU.

Run: .venv/bin/python benchmarks/bench_mlp.py [--repeats 5]
Both train the same architecture on the same data in the same process; the best of ``repeats`` epochs counts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from common import import_torch, load_data, peak_rss_mb, timed  # noqa: E402

import nerve  # noqa: E402
from nerve.layers import Dense, ReLU  # noqa: E402
from nerve.optimizers import SGD  # noqa: E402


def nerve_epoch(model, x, t):
    return model.fit(x, t, epochs=1, batch_size=100, verbose=0)


def torch_epoch(torch, model, opt, x, t):
    loss_fn = torch.nn.CrossEntropyLoss()
    perm = torch.randperm(len(x))
    for i in range(0, len(x), 100):
        idx = perm[i:i + 100]
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x[idx]), t[idx]).backward()
        opt.step()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    torch = import_torch()
    (x, t), (xt, tt) = load_data(flatten=True)

    nerve.seed(0)
    model = nerve.Sequential([Dense(50), ReLU(), Dense(10)], input_shape=(784,))
    model.compile(SGD(0.1), "softmax_cross_entropy", ["accuracy"])
    tmodel = torch.nn.Sequential(torch.nn.Linear(784, 50), torch.nn.ReLU(), torch.nn.Linear(50, 10))
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.1)
    tx, tt_ = torch.from_numpy(x), torch.from_numpy(t.astype(np.int64))

    nerve_times, torch_times = [], []
    for _ in range(args.repeats):  # interleaved, so both see the same machine load
        nerve_times.append(timed(lambda: nerve_epoch(model, x, t))[1])
        torch_times.append(timed(lambda: torch_epoch(torch, tmodel, topt, tx, tt_))[1])
    with torch.no_grad():
        torch_acc = float((tmodel(torch.from_numpy(xt)).argmax(1).numpy() == tt).mean())
    n, p = min(nerve_times), min(torch_times)
    print(f"torch {torch.__version__} threads={torch.get_num_threads()}  numpy {np.__version__}")
    print(f"784-50-10 MLP, 1 epoch of {len(x)} images, batch 100, SGD lr 0.1 (best of {args.repeats})")
    print(f"  nerve   {n:6.3f} s   test accuracy after {args.repeats} epochs {model.evaluate(xt, tt)['accuracy']:.4f}")
    print(f"  pytorch {p:6.3f} s   test accuracy after {args.repeats} epochs {torch_acc:.4f}")
    print(f"  ratio nerve/pytorch = {n / p:.2f}  (issue 18: <= 0.7)   peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
