"""GFLOP/s of each convolution of SimpleConvNet and DeepConvNet against this machine's sgemm roofline.

    python benchmarks/bench_conv_layers.py [--repeats 10]

For every Conv2D of the two zoo networks (batch 100, Fashion-MNIST shapes) it times forward, backward (dW and,
except for the first layer, dx) and prints GFLOP/s: 2·N·OH·OW·FN·C·kh·kw per forward, twice that for a
backward with dx (useful FLOPs only: the grid kernel's extra outputs on padding cells count as lost time). The
roofline is NumPy's own float32 GEMM (OpenBLAS) at the shape of the GEMMs the layer's kernel runs per chunk
(grid: ``(t, kw*kh*C) @ (kw*kh*C, FN)``; im2col: ``(chunk*OH*OW, C*kh*kw + 1) @ (C*kh*kw + 1, FN)``, the bias a
row of ones), at the whole batch's im2col GEMM and at a large square shape, measured in the same run, so the
gap a convolution leaves to the GEMMs it is made of is visible.
Times are the best of ``--repeats`` (the machine may be shared).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import nerve  # noqa: E402
from nerve import zoo  # noqa: E402
from nerve.layers import Conv2D  # noqa: E402


def best(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def sgemm_gflops(m: int, k: int, n: int, repeats: int) -> float:
    rng = np.random.default_rng(0)
    a, b = rng.random((m, k), dtype=np.float32), rng.random((k, n), dtype=np.float32)
    out = np.empty((m, n), dtype=np.float32)
    return 2 * m * k * n / best(lambda: np.matmul(a, b, out=out), repeats) / 1e9


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args(argv)
    n, rng = args.batch, np.random.default_rng(0)
    square = sgemm_gflops(2048, 2048, 2048, max(3, args.repeats // 3))
    print(f"sgemm roofline (NumPy {np.__version__}, 2048^3 float32): {square:.0f} GFLOP/s")
    print("model  layer          in -> out    kernel GFLOP fw  fw GFLOP/s  bw GFLOP/s  sgemm: chunk  whole batch")
    for name in ("simple", "deep"):
        nerve.seed(0)
        model = zoo.simple_conv_net() if name == "simple" else zoo.deep_conv_net()
        model.build((1, 28, 28))
        for index, layer in enumerate(model.layers):
            if not isinstance(layer, Conv2D):
                continue
            c, h, w = layer.input_shape
            fn, oh, ow = layer.output_shape
            kh, kw = layer.kernel_size
            flops = 2 * n * oh * ow * fn * c * kh * kw
            x = rng.random((n, c, h, w), dtype=np.float32)
            layer.need_input_grad = index > 0
            forward = best(lambda layer=layer, x=x: layer.forward(x, training=True), args.repeats)
            dout = np.empty_like(layer.forward(x, training=True))  # in the output's (channels-last) layout, as
            dout[...] = rng.random(dout.shape, dtype=np.float32)  # a ReLU after the layer hands it back
            backward = best(lambda layer=layer, dout=dout: layer.backward(dout), args.repeats)
            bw_flops = flops * (2 if layer.need_input_grad else 1)
            if layer._uses_grid():  # (t, kw*kh*C) @ (kw*kh*C, FN) per phase, t = a chunk's grid cells / kw
                hg, wg = h + layer.pad[0], w + layer.pad[1]
                t = layer._grid_chunk(x.shape, layer.pad) * hg * wg // kw
                path, roof = "grid", sgemm_gflops(t, kw * kh * c, fn, args.repeats)
            else:  # (chunk*OH*OW, C*kh*kw + 1) @ (C*kh*kw + 1, FN)
                path, roof = "im2col", sgemm_gflops(layer._chunk(n) * oh * ow, c * kh * kw + 1, fn, args.repeats)
            whole = sgemm_gflops(n * oh * ow, c * kh * kw, fn, args.repeats)
            print(f"{name:6s} {index:2d} {c:3d}x{h:2d}x{w:2d} -> {fn:3d}x{oh:2d}x{ow:2d} {path:6s} {flops / 1e9:7.3f}"
                  f"  {flops / forward / 1e9:10.1f}  {bw_flops / backward / 1e9:10.1f}  {roof:10.1f}  {whole:10.1f}")


if __name__ == "__main__":
    main()
