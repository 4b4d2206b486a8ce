"""SimpleConvNet / DeepConvNet on Fashion-MNIST: training and inference, nerve and PyTorch CPU in one process.

    python benchmarks/bench_cnn.py                        # both models: 6,000 images, a full epoch, evaluate
    python benchmarks/bench_cnn.py --model deep --repeats 3 --no-full-epoch   # what a noisy machine can repeat
    python benchmarks/bench_cnn.py --model simple --repeats 3 --limit 20000
    python benchmarks/bench_cnn.py --accuracy --model simple --epochs 5   # nerve only: test accuracy per epoch

Same architecture, Adam (lr 0.001), batch 100, shuffled every epoch. Each side first trains 5 batches that
are not timed (allocations, oneDNN kernel selection). Then: the first 6,000 images (``--short``), with
``--repeats`` alternating nerve / torch and the best of each counting; one full epoch each, the two alternating
every 50 batches; and inference,
nerve's ``evaluate`` against torch's ``no_grad`` eval forward over the 10,000 test images (batch 1000, best
of ``--repeats``). Times are printed per batch with the ratio. nerve's peak resident memory is read after
its runs, before torch is imported. PyTorch is a benchmark-only dependency:
``pip install torch==2.13.0``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from common import load_data, peak_rss_mb  # noqa: E402

import nerve  # noqa: E402
from nerve import zoo  # noqa: E402
from nerve.callbacks import ExponentialMovingAverage  # noqa: E402
from nerve.data import ImageDataGenerator  # noqa: E402
from nerve.optimizers import Adam  # noqa: E402
from nerve.schedules import CosineDecay, LinearWarmup  # noqa: E402

MODELS = {"simple": zoo.simple_conv_net, "deep": zoo.deep_conv_net}
WARMUP_BATCHES = 5


def _limit_threads(threads: int | None):
    """Cap NumPy's BLAS threads (needs threadpoolctl, which scikit-learn installs); returns the limiter."""
    if not threads:
        return None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        sys.exit("--threads needs threadpoolctl (pip install threadpoolctl), or set OPENBLAS_NUM_THREADS")
    return threadpool_limits(limits=threads)


def nerve_model(name: str, metrics=(), seed: int = 0, lr=0.001, **options):
    """The zoo model compiled with Adam; speed runs track no metrics (torch's loop computes none either)."""
    nerve.seed(seed)
    model = MODELS[name](**options)
    model.compile(optimizer=Adam(lr=lr), loss="softmax_cross_entropy", metrics=list(metrics))
    return model


def nerve_epoch(model, x, t, batch_size: int) -> float:
    start = time.perf_counter()
    model.fit(x, t, epochs=1, batch_size=batch_size, shuffle=True, verbose=0)
    return time.perf_counter() - start


def learning_rate(lr: float, schedule: str, epochs: int, steps: int, warmup: int = 0):
    """Adam's rate: ``lr`` constant or cosine-annealed to 0, after ``warmup`` epochs of linear warm-up from 0."""
    if not 0 <= warmup < epochs:
        raise SystemExit(f"--warmup must be at least 0 and less than the {epochs} epochs, got {warmup}")
    rest = (epochs - warmup) * steps
    rate = CosineDecay(lr, T_max=rest) if schedule == "cosine" else lr
    return LinearWarmup(rate, warmup * steps, start_lr=0.0, end_lr=lr) if warmup else rate


AUGMENT = {"none": None, "flip": dict(horizontal_flip=True),
           "flip-shift": dict(horizontal_flip=True, width_shift_range=2, height_shift_range=2)}


def accuracy_run(name: str, x, t, xt, tt, epochs: int, batch_size: int, schedule: str = "constant",
                 augment: str = "none", lr: float = 0.001, ema: float | None = None, seed: int = 0,
                 save: str | None = None, warmup: int = 0, **options) -> None:
    """Train nerve's model for ``epochs`` epochs, printing test accuracy and cumulative time after each.

    ``schedule="cosine"`` anneals Adam's ``lr`` to 0 over the run (per batch); ``augment`` flips
    (and shifts by up to 2 pixels) the training images with :class:`nerve.data.ImageDataGenerator`;
    ``ema`` (a decay) also reports the accuracy of the weights' exponential moving average; ``save`` writes
    the trained model there (and the averaged one next to it, ``-ema``); ``options`` go to the zoo function
    (e.g. ``output_dropout=False``).
    """
    steps = -(-len(x) // batch_size)
    model = nerve_model(name, metrics=["accuracy"], seed=seed,
                        lr=learning_rate(lr, schedule, epochs, steps, warmup), **options)
    data = dict(x=x, y=t, batch_size=batch_size, shuffle=True)
    if AUGMENT[augment]:
        flow = ImageDataGenerator(**AUGMENT[augment], seed=0).flow(x, t, batch_size=batch_size, shuffle=True)
        data = dict(x=flow, steps_per_epoch=len(flow))
    averager = ExponentialMovingAverage(ema, swap_on_end=False) if ema else None
    print(f"nerve {name}: Adam lr {lr} {schedule}, warm-up {warmup} epochs, batch {batch_size}, "
          f"augmentation {augment}, weight EMA {ema or 'no'}, seed {seed}{', ' if options else ''}{options or ''}",
          flush=True)
    total = 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        model.fit(**data, epochs=1, verbose=0, callbacks=[averager] if averager else None)
        total += time.perf_counter() - start
        line = f"test accuracy {model.evaluate(xt, tt, batch_size=1000)['accuracy']:.4f}"
        if averager:
            with averager.swapped():
                line += f", with the EMA weights {model.evaluate(xt, tt, batch_size=1000)['accuracy']:.4f}"
        print(f"  nerve {name:6s} epoch {epoch + 1:2d}: {line}  (training time so far {total:.1f} s)", flush=True)
    print(f"nerve {name}: {epochs} epochs in {total:.1f} s; peak RSS {peak_rss_mb():.0f} MB")
    if save:
        model.save(save)
        if averager:
            with averager.swapped():
                model.save(Path(save).with_stem(Path(save).stem + "-ema"))


def _torch_model(name: str, output_dropout: bool = True):
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
                         nn.Linear(50, 10), *([nn.Dropout(0.5)] if output_dropout else []))


def _he_normal_(torch, model) -> None:
    """nerve's zoo initialisation (the book's): weights N(0, 2 / fan_in), biases 0."""
    for module in model.modules():
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
            fan_in = module.weight[0].numel()
            torch.nn.init.normal_(module.weight, 0.0, (2.0 / fan_in) ** 0.5)
            torch.nn.init.zeros_(module.bias)


class TorchRun:
    """The same network in PyTorch, trained with the same loop shape (index permutation, batch slices).

    ``lr`` may be a callable of the step (a nerve schedule); ``ema`` keeps nerve's
    ``ExponentialMovingAverage`` of the weights (same warm-up rule); ``he_init`` gives nerve's initial
    weight distribution instead of PyTorch's default.
    """

    def __init__(self, torch, name: str, x, t, batch_size: int, seed: int = 0, lr=0.001,
                 ema: float | None = None, he_init: bool = False, output_dropout: bool = True):
        torch.manual_seed(seed)
        self.torch, self.batch_size = torch, batch_size
        self.model = _torch_model(name, output_dropout)
        if he_init:
            _he_normal_(torch, self.model)
        self.schedule = lr if callable(lr) else None
        self.opt = torch.optim.Adam(self.model.parameters(), lr=lr(0) if callable(lr) else lr)
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.x, self.t = torch.from_numpy(x), torch.from_numpy(t.astype(np.int64))
        self.steps, self.ema = 0, ema
        self.average = None
        self.model.train()

    def _step(self, idx):
        self.opt.zero_grad(set_to_none=True)
        self.loss_fn(self.model(self.x[idx]), self.t[idx]).backward()
        self.opt.step()
        self.steps += 1
        if self.schedule:
            for group in self.opt.param_groups:
                group["lr"] = self.schedule(self.steps)
        if self.ema:  # as nerve's callback: the first batch copies, then n = steps - 1 updates
            with self.torch.no_grad():
                if self.average is None:
                    self.average = [p.detach().clone() for p in self.model.parameters()]
                    return
                keep = min(self.ema, self.steps / (9 + self.steps))  # (1 + n) / (10 + n)
                for avg, p in zip(self.average, self.model.parameters()):
                    avg.lerp_(p, 1 - keep)

    def warm_up(self):
        for i in range(WARMUP_BATCHES):
            self._step(self.torch.arange(i * self.batch_size, (i + 1) * self.batch_size))

    def batches(self, order, start: int, count: int) -> float:
        """Seconds for the batches ``start .. start + count - 1`` of the permutation ``order``."""
        begin = time.perf_counter()
        for i in range(start * self.batch_size, min((start + count) * self.batch_size, len(order)), self.batch_size):
            self._step(order[i:i + self.batch_size])
        return time.perf_counter() - begin

    def epoch(self, limit: int | None = None) -> float:
        """Seconds for one epoch over the training set (its first ``limit`` images)."""
        start = time.perf_counter()
        order = self.torch.randperm(min(limit or len(self.x), len(self.x)))
        for i in range(0, len(order), self.batch_size):
            self._step(order[i:i + self.batch_size])
        return time.perf_counter() - start

    def accuracy(self, xt, tt, averaged: bool = False) -> float:
        torch = self.torch
        params = list(self.model.parameters())
        saved = [p.detach().clone() for p in params] if averaged else None
        self.model.eval()
        with torch.no_grad():
            if averaged:
                for p, avg in zip(params, self.average):
                    p.copy_(avg)
            pred = torch.cat([self.model(torch.from_numpy(xt[i:i + 1000])).argmax(1)
                              for i in range(0, len(xt), 1000)]).numpy()
            if averaged:
                for p, w in zip(params, saved):
                    p.copy_(w)
        self.model.train()
        return float((pred == tt).mean())


def torch_accuracy_run(name: str, x, t, xt, tt, epochs: int, batch_size: int, schedule: str = "constant",
                       lr: float = 0.001, ema: float | None = None, seed: int = 0, warmup: int = 0,
                       **options) -> None:
    """The PyTorch twin trained the same way, from nerve's initial distribution: what the recipe reaches."""
    import torch

    steps = -(-len(x) // batch_size)
    rate = learning_rate(lr, schedule, epochs, steps, warmup)  # a float or a nerve schedule (callable)
    run = TorchRun(torch, name, x, t, batch_size, seed=seed, lr=rate, ema=ema, he_init=True, **options)
    print(f"torch {name}: Adam lr {lr} {schedule}, warm-up {warmup} epochs, batch {batch_size}, "
          f"weight EMA {ema or 'no'}, seed {seed}{', ' if options else ''}{options or ''}", flush=True)
    total = 0.0
    for epoch in range(epochs):
        total += run.epoch()
        line = f"test accuracy {run.accuracy(xt, tt):.4f}"
        if ema:
            line += f", with the EMA weights {run.accuracy(xt, tt, averaged=True):.4f}"
        print(f"  torch {name:6s} epoch {epoch + 1:2d}: {line}  (training time so far {total:.1f} s)", flush=True)


def _torch_inference(run, xt, batch_size: int) -> float:
    """Seconds for PyTorch's no_grad eval forward over ``xt`` in batches (what nerve's evaluate computes)."""
    torch = run.torch
    run.model.eval()
    start = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(xt), batch_size):
            run.model(torch.from_numpy(xt[i:i + batch_size]))
    seconds = time.perf_counter() - start
    run.model.train()
    return seconds


def interleaved_epochs(model, run, x, t, batch_size: int, every: int = 50) -> tuple[float, float]:
    """Seconds for nerve's full epoch (one ``fit``) and torch's, alternating every ``every`` batches.

    A callback at every ``every``-th nerve batch runs torch's next ``every`` batches; its time is taken out of
    nerve's. Run one after the other, the two epochs (~a minute each) saw a drifting machine differently."""
    from nerve.callbacks import Callback

    order = run.torch.randperm(len(x))
    done, torch_seconds = [0], [0.0]

    class Alternate(Callback):
        def on_batch_end(self, batch, logs=None):
            if (batch + 1) % every == 0:
                torch_seconds[0] += run.batches(order, done[0], every)
                done[0] += every

    start = time.perf_counter()
    model.fit(x, t, epochs=1, batch_size=batch_size, shuffle=True, verbose=0, callbacks=[Alternate()])
    both = time.perf_counter() - start
    rest = run.batches(order, done[0], -(-len(x) // batch_size) - done[0])
    return both - torch_seconds[0], torch_seconds[0] + rest


def _nerve_inference(model, xt, tt, batch_size: int) -> float:
    start = time.perf_counter()
    model.evaluate(xt, tt, batch_size=batch_size)
    return time.perf_counter() - start


def _line(what: str, n: float, p: float, batches: int, torch_version: str) -> str:
    return (f"  {what:28s} nerve {n:7.2f} s ({n / batches * 1e3:6.1f} ms/batch)   torch {torch_version} "
            f"{p:7.2f} s ({p / batches * 1e3:6.1f} ms/batch)   nerve/torch = {n / p:.2f}x")


def speed_run(name: str, x, t, xt, tt, repeats: int, batch_size: int, with_torch: bool, threads: int | None,
              short: int = 6000, full: bool = True, eval_batch: int = 1000) -> None:
    """Warm-up, a short run (first ``short`` images), a full epoch and inference on the test set, each side.

    The short runs and the inference passes alternate nerve / torch ``repeats`` times (best counts); the full
    epochs run once per side, alternating every 50 batches (``interleaved_epochs``). nerve's peak RSS is read
    after its short run, before torch is imported.
    """
    model = nerve_model(name)
    warm = WARMUP_BATCHES * batch_size
    model.fit(x[:warm], t[:warm], epochs=1, batch_size=batch_size, shuffle=False, verbose=0)
    xs, ts = x[:short], t[:short]
    nerve_short = [nerve_epoch(model, xs, ts, batch_size)]
    nerve_full = nerve_epoch(model, x, t, batch_size) if full and not with_torch else None
    if "torch" not in sys.modules:  # (a full epoch takes no more memory than the short run)
        print(f"nerve {name}: peak RSS after training (data included, torch not imported) {peak_rss_mb():.0f} MB")
    _nerve_inference(model, xt[:eval_batch], tt[:eval_batch], eval_batch)  # warm-up, as torch's below
    nerve_eval = [_nerve_inference(model, xt, tt, eval_batch)]
    if not with_torch:
        print(f"nerve {name}: {len(xs)} images {min(nerve_short):.2f} s"
              + (f", full epoch {nerve_full:.2f} s" if full else "") + f", evaluate {min(nerve_eval):.2f} s")
        return
    try:
        import torch
    except ImportError:
        sys.exit("the comparison needs PyTorch CPU: .venv/bin/pip install torch==2.13.0 (or pass --no-torch)")
    if threads:
        torch.set_num_threads(threads)
    run = TorchRun(torch, name, x, t, batch_size)
    run.warm_up()
    _torch_inference(run, xt[:eval_batch], eval_batch)
    torch_short = [run.epoch(short)]
    torch_eval = [_torch_inference(run, xt, eval_batch)]
    for _ in range(repeats - 1):  # interleaved, so both see the same machine load
        nerve_short.append(nerve_epoch(model, xs, ts, batch_size))
        torch_short.append(run.epoch(short))
        nerve_eval.append(_nerve_inference(model, xt, tt, eval_batch))
        torch_eval.append(_torch_inference(run, xt, eval_batch))
    version = f"{torch.__version__} ({torch.get_num_threads()} threads)"
    print(f"{name}: best of {repeats}, batch {batch_size}")
    print(_line(f"train, {len(xs)} images", min(nerve_short), min(torch_short), -(-len(xs) // batch_size), version))
    if full:
        nerve_full, torch_full = interleaved_epochs(model, run, x, t, batch_size)
        print(_line(f"train, full epoch {len(x)}, alternating", nerve_full, torch_full, -(-len(x) // batch_size),
                    version))
    print(_line(f"evaluate {len(xt)} (batch {eval_batch})", min(nerve_eval), min(torch_eval),
                -(-len(xt) // eval_batch), version))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["simple", "deep", "both"], default="both")
    parser.add_argument("--epochs", type=int, default=None, help="--accuracy: epochs (default 5 simple, 15 deep)")
    parser.add_argument("--repeats", type=int, default=1, help="speed: timed epochs per side, best counts")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N images only")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--short", type=int, default=6000, help="speed: images in the short run (best of --repeats)")
    parser.add_argument("--no-full-epoch", action="store_true", help="speed: skip the full epoch (short run only)")
    parser.add_argument("--threads", type=int, default=None, help="cap BLAS (and torch) threads")
    parser.add_argument("--accuracy", action="store_true", help="nerve only: test accuracy after every epoch")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch runs")
    parser.add_argument("--standardize", action="store_true",
                        help="--accuracy: shift and scale the pixels by the training set's mean and std")
    parser.add_argument("--seed", type=int, default=0, help="--accuracy: nerve.seed (weights, shuffles, dropout)")
    parser.add_argument("--no-output-dropout", action="store_true",
                        help="--accuracy, deep: leave out the book's Dropout after the output layer")
    parser.add_argument("--ema", type=float, default=None, metavar="DECAY",
                        help="--accuracy: also test an exponential moving average of the weights (e.g. 0.999)")
    parser.add_argument("--lr", type=float, default=0.001, help="--accuracy: Adam's (initial) learning rate")
    parser.add_argument("--schedule", choices=["constant", "cosine"], default="constant",
                        help="--accuracy: Adam's lr constant, or cosine-annealed from --lr to 0")
    parser.add_argument("--warmup", type=int, default=0, metavar="EPOCHS",
                        help="--accuracy: first raise Adam's lr linearly from 0 over this many of the epochs")
    parser.add_argument("--augment", choices=sorted(AUGMENT), default="none",
                        help="--accuracy: random horizontal flips (and shifts of up to 2 pixels)")
    parser.add_argument("--save", metavar="PATH", help="--accuracy: write the trained model (.npz) there")
    parser.add_argument("--torch-accuracy", action="store_true",
                        help="--accuracy, but for the PyTorch twin (nerve's He init; no --augment)")
    args = parser.parse_args(argv)
    names = ["simple", "deep"] if args.model == "both" else [args.model]
    if args.no_output_dropout and names != ["deep"]:
        parser.error("--no-output-dropout needs --model deep")
    limiter = _limit_threads(args.threads)  # noqa: F841 (kept alive for the whole run)
    (x, t), (xt, tt) = load_data(flatten=False, limit=args.limit)
    print(f"Fashion-MNIST: {len(x)} training images, batch {args.batch_size}, Adam lr {args.lr}; "
          f"numpy {np.__version__}")
    if args.standardize:  # one mean and one std over all training pixels, applied to both sets
        mean, std = float(x.mean()), float(x.std())
        x, xt = (x - mean) / np.float32(std), (xt - mean) / np.float32(std)
        print(f"pixels standardized: (x - {mean:.4f}) / {std:.4f}")
    if args.accuracy or args.torch_accuracy:
        if args.torch_accuracy and args.threads:
            import torch

            torch.set_num_threads(args.threads)
        for name in names:
            epochs = args.epochs or {"simple": 5, "deep": 15}[name]
            options = {"output_dropout": False} if args.no_output_dropout else {}
            if args.torch_accuracy:
                if args.augment != "none":
                    parser.error("--torch-accuracy has no --augment")
                torch_accuracy_run(name, x, t, xt, tt, epochs, args.batch_size, args.schedule, args.lr,
                                   args.ema, args.seed, args.warmup, **options)
            else:
                accuracy_run(name, x, t, xt, tt, epochs, args.batch_size, args.schedule, args.augment, args.lr,
                             args.ema, args.seed, args.save, args.warmup, **options)
        return
    for name in names:
        speed_run(name, x, t, xt, tt, max(1, args.repeats), args.batch_size, not args.no_torch, args.threads,
                  short=args.short, full=not args.no_full_epoch)


if __name__ == "__main__":
    main()
