"""SimpleConvNet, one epoch of Fashion-MNIST: one process vs ``mpiexec -n 2`` (one BLAS thread each).

Run: .venv/bin/python benchmarks/bench_distributed.py [--limit N] [--processes 2] [--batch-size 100] [--repeats 3]
The driver starts each run as its own process (``mpiexec`` for more than one), every process with
OMP/OpenBLAS threads = 1, and prints the epoch time and the Allreduce time per step (rank 0's wall time inside
``World.allreduce_sum`` during training, which includes waiting for the slower rank, and the same Allreduce
alone, 20 times after a barrier). Needs mpi4py and an ``mpiexec`` (pip install 'nerve[mpi]').
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing


def worker(args) -> None:
    import numpy as np

    import nerve
    from nerve import distributed, zoo

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import load_data

    world = distributed.init()
    (x, t), _ = load_data(flatten=False)
    x, t = x[:args.limit], t[:args.limit]
    nerve.seed(0)
    model = zoo.simple_conv_net(input_shape=x.shape[1:])
    model.compile("adam", "softmax_cross_entropy")
    parallel = distributed.DataParallel(world)
    spent = [0.0, 0]
    reduce = world.allreduce_sum

    def timed_reduce(buffer):
        start = time.perf_counter()
        out = reduce(buffer)
        spent[0] += time.perf_counter() - start
        spent[1] += 1
        return out

    world.allreduce_sum = timed_reduce
    model.fit(distributed.shard(x[:args.batch_size * 4], t[:args.batch_size * 4], world,
                                batch_size=args.batch_size), epochs=1, verbose=0, callbacks=[parallel])  # warm-up
    spent[:] = [0.0, 0]
    world.barrier()
    start = time.perf_counter()
    model.fit(distributed.shard(x, t, world, batch_size=args.batch_size), epochs=1, verbose=0,
              callbacks=[parallel])
    world.barrier()
    seconds = time.perf_counter() - start
    numbers = int(sum(p.size for p in model.params.values()))
    buffer = np.zeros(numbers + 1, np.float32)  # what GradientAllreduce sends each step
    world.barrier()
    t0 = time.perf_counter()
    for _ in range(20):
        reduce(buffer)
    pure = (time.perf_counter() - t0) / 20
    if world.is_root:
        print(json.dumps({"processes": world.size, "seconds": seconds, "steps": spent[1],
                          "allreduce_ms_per_step": 1000 * spent[0] / max(1, spent[1]),
                          "allreduce_alone_ms": 1000 * pure,
                          "gradient_numbers": int(sum(p.size for p in model.params.values())),
                          "numpy": np.__version__}))


def run(processes: int, args) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
    command = [sys.executable, __file__, "--worker", "--limit", str(args.limit), "--batch-size", str(args.batch_size)]
    if processes > 1:
        mpiexec = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")
        command = [mpiexec, "-n", str(processes), "--mca", "pml", "ob1", "--mca", "btl", "self,sm", *command]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=60000, help="training images (default: all 60,000)")
    parser.add_argument("--batch-size", type=int, default=100, help="global batch size (default 100)")
    parser.add_argument("--processes", type=int, default=2, help="processes of the parallel run (default 2)")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of each; the fastest counts")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    ones, manys = [], []
    for _ in range(args.repeats):  # alternate, so a burst of load hits both
        ones.append(run(1, args))
        manys.append(run(args.processes, args))
        print(f"  run: 1 process {ones[-1]['seconds']:.1f} s, {args.processes} processes {manys[-1]['seconds']:.1f} s",
              flush=True)
    one, many = min(ones, key=lambda r: r["seconds"]), min(manys, key=lambda r: r["seconds"])
    print(f"SimpleConvNet, 1 epoch of {args.limit} images, global batch {args.batch_size}, one BLAS thread "
          f"per process, Adam; {one['gradient_numbers']:,} gradient numbers per Allreduce")
    for r in (one, many):
        print(f"  {r['processes']} process(es): {r['seconds']:7.1f} s; in training {r['allreduce_ms_per_step']:.2f} ms "
              f"per Allreduce (waiting for the slower rank included), alone {r['allreduce_alone_ms']:.2f} ms")
    print(f"  speed-up {one['seconds'] / many['seconds']:.2f}x on {args.processes} processes")


if __name__ == "__main__":
    main()
