"""Data-parallel pieces that need no MPI: the weighted gradient average, shards of Dropout's masks, world size 1."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve.backend import BatchShard, batch_shard, random_for_batch
from nerve.distributed import GradientAllreduce, World, init, launched_world_size
from nerve.layers import Dense, Dropout, ReLU
from nerve.training import Batches


class _TwoRanks:
    """Stands in for MPI: allreduce_sum adds the buffer the other rank would send."""

    size, rank = 2, 0

    def __init__(self, other: np.ndarray):
        self.other = other

    def allreduce_sum(self, buffer):
        buffer += self.other
        return buffer


def test_allreduce_weights_each_shard_by_its_sample_count():
    g0, g1 = np.array([1.0, 2.0, 3.0], np.float32), np.array([5.0, 6.0, 7.0], np.float32)
    n0, n1 = 7, 6  # an uneven last batch of 13 samples
    other = np.concatenate([g1 * n1, [n1]]).astype(np.float32)
    transform = GradientAllreduce(_TwoRanks(other))
    transform.local_count = n0
    grads = {"dense_1/W": g0.copy()}
    transform(grads)
    np.testing.assert_allclose(grads["dense_1/W"], (n0 * g0 + n1 * g1) / (n0 + n1), rtol=1e-6)


def test_allreduce_packs_one_buffer_per_dtype():
    sent = []

    class Recorder:
        size, rank = 2, 0

        def allreduce_sum(self, buffer):
            sent.append((buffer.dtype, buffer.size))
            return buffer

    grads = {"a/W": np.ones((2, 3), np.float32), "a/b": np.ones(3, np.float32), "b/W": np.ones(4, np.float64)}
    GradientAllreduce(Recorder())(grads)
    assert sorted(sent, key=str) == sorted([(np.dtype(np.float32), 10), (np.dtype(np.float64), 5)], key=str)
    np.testing.assert_allclose(grads["a/W"], 1.0)  # alone, the average of one shard is itself


def test_a_world_of_one_changes_nothing_and_imports_no_mpi(monkeypatch):
    import sys

    for name in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MV2_COMM_WORLD_SIZE", "MPI_LOCALNRANKS"):
        monkeypatch.delenv(name, raising=False)
    assert launched_world_size() == 1
    world = init()
    assert (world.rank, world.size, world.is_root) == (0, 1, True) and "mpi4py.MPI" not in sys.modules
    grads = {"w": np.arange(3.0)}
    GradientAllreduce(world)(grads)
    np.testing.assert_array_equal(grads["w"], np.arange(3.0))


def test_the_launcher_environment_gives_the_world_size(monkeypatch):
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "4")
    assert launched_world_size() == 4


def test_dropout_masks_of_the_shards_are_the_rows_of_the_whole_batch_mask():
    x = np.ones((10, 6), np.float32)
    nerve.seed(3)
    whole = Dropout(0.5).forward(x, training=True)
    parts = []
    for start, stop in ((0, 5), (5, 10)):
        nerve.seed(3)
        with batch_shard(BatchShard(start, stop, 10)):
            parts.append(Dropout(0.5).forward(x[start:stop], training=True))
    np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_a_shard_that_does_not_fit_the_batch_is_refused():
    with batch_shard(BatchShard(0, 5, 10)), pytest.raises(ValueError, match="the batch has 4 samples but its shard"):
        random_for_batch((4, 3))
    with pytest.raises(ValueError, match="expected 0 <= start < stop <= total, got 3, 3, 10"):
        BatchShard(3, 3, 10)


def test_sharded_batches_reassemble_into_the_single_process_batches_with_their_draws():
    x = np.arange(26, dtype=np.float32).reshape(13, 2)
    y = np.arange(13)
    nerve.seed(5)
    whole = [(xb.copy(), random_for_batch(xb.shape)) for xb, _ in Batches(x, y, batch_size=5, shuffle=True)]
    shards = []
    for rank in (0, 1):
        nerve.seed(5)
        batches, drawn = Batches(x, y, batch_size=5, shuffle=True, rank=rank, world_size=2), []
        for xb, _ in batches:
            with batch_shard(batches.shard):  # as fit computes each step
                drawn.append((xb.copy(), random_for_batch(xb.shape)))
        shards.append(drawn)
    for (xb, draw), a, b in zip(whole, *shards):
        np.testing.assert_array_equal(np.concatenate([a[0], b[0]]), xb)
        np.testing.assert_array_equal(np.concatenate([a[1], b[1]]), draw)


def test_data_parallel_fit_on_one_process_is_plain_fit():
    from nerve.distributed import DataParallel, shard

    def run(parallel):
        nerve.seed(0)
        model = nerve.Sequential([Dense(8), ReLU(), Dropout(0.2), Dense(3)], input_shape=(4,))
        model.compile("adam", "softmax_cross_entropy")
        x = np.random.default_rng(0).normal(size=(40, 4)).astype(np.float32)
        y = np.arange(40) % 3
        if parallel:
            world = World()
            model.fit(shard(x, y, world, batch_size=16), epochs=2, verbose=0, callbacks=[DataParallel(world)])
        else:
            model.fit(x, y, batch_size=16, epochs=2, verbose=0)
        return model.params

    a, b = run(True), run(False)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


class _ThreadWorld:
    """Two ranks as two threads of this process: the collectives meet at a barrier (a stand-in for MPI)."""

    def __init__(self, rank: int, size: int, slots: list, barrier):
        self.rank, self.size, self.slots, self.barrier = rank, size, slots, barrier
        self.is_root = rank == 0

    def allreduce_sum(self, buffer):
        self.slots[self.rank] = buffer.copy()
        self.barrier.wait()
        total = sum(self.slots)
        self.barrier.wait()  # everyone has read the slots before any rank writes the next ones
        buffer[...] = total
        return buffer

    def broadcast(self, array, root=0):
        if self.rank == root:
            self.slots[root] = array.copy()
        self.barrier.wait()
        array[...] = self.slots[root]
        self.barrier.wait()
        return array


def _dropout_net():
    return nerve.Sequential([Dense(16), ReLU(), Dropout(0.3), Dense(3)], input_shape=(4,))


def _in_two_threads(make_model, x, y, epochs=3, **parallel):
    """Fit ``make_model()`` data-parallel on two thread ranks; returns each rank's (model, history logs)."""
    import threading

    from nerve.distributed import DataParallel, shard

    slots, barrier, results = [None, None], threading.Barrier(2, timeout=30), {}

    def rank(r):
        world = _ThreadWorld(r, 2, slots, barrier)
        nerve.seed(0 if r == 0 else 99)  # rank 1 starts elsewhere: the broadcast gives it rank 0's weights
        model = make_model()
        model.compile("adam", "softmax_cross_entropy", metrics=["accuracy"])
        nerve.seed(7)  # each thread has its own generator (context-local), both in the same state
        history = model.fit(shard(x, y, world, batch_size=16), epochs=epochs, verbose=0,
                            callbacks=[DataParallel(world, **parallel)])
        results[r] = (model, history.history)

    threads = [threading.Thread(target=rank, args=(r,)) for r in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert set(results) == {0, 1}, "a rank failed"
    return results[0], results[1]


@pytest.mark.timeout(60)
def test_two_ranks_in_threads_train_the_weights_of_one_process():
    x = np.random.default_rng(1).normal(size=(45, 4)).astype(np.float32)  # 3 batches of 16, the last of 13
    y = np.arange(45) % 3
    nerve.seed(0)
    single = _dropout_net()
    single.compile("adam", "softmax_cross_entropy", metrics=["accuracy"])
    nerve.seed(7)  # the shuffles and the Dropout masks
    logs_single = single.fit(x, y, batch_size=16, epochs=3, verbose=0).history
    for r, (model, logs) in enumerate(_in_two_threads(_dropout_net, x, y)):
        for k, w in single.params.items():
            np.testing.assert_allclose(model.params[k], w, rtol=1e-5, atol=1e-6, err_msg=f"rank {r} {k}")
        np.testing.assert_allclose(logs["loss"], logs_single["loss"], rtol=1e-5)
        np.testing.assert_allclose(logs["accuracy"], logs_single["accuracy"], rtol=1e-6)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("average", [False, True])
def test_batchnorm_statistics_stay_per_rank_unless_averaged(average):
    from nerve.layers import BatchNorm

    def make():
        return nerve.Sequential([Dense(8), BatchNorm(), ReLU(), Dense(3)], input_shape=(4,))

    x = np.random.default_rng(2).normal(size=(48, 4)).astype(np.float32)
    x[::2] += 3.0  # a bimodal input: two random halves of a batch have clearly different statistics
    y = np.arange(48) % 3
    (m0, _), (m1, _) = _in_two_threads(make, x, y, epochs=1, average_batchnorm=average)
    for k in m0.params:  # the weights agree either way
        np.testing.assert_allclose(m0.params[k], m1.params[k], rtol=1e-6, atol=1e-7)
    same = all(np.allclose(m0.state[k], m1.state[k]) for k in m0.state)
    assert same == average, {k: (m0.state[k], m1.state[k]) for k in m0.state}
