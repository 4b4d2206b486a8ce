"""One batching path: arrays, DataLoaders and endless iterators, whole or sharded by (rank, world_size)."""

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve.data import DataLoader
from nerve.layers import Dense, Layer
from nerve.optimizers import SGD
from nerve.training import Batches, shard_bounds


def _arrays(n=23):
    x = np.stack([np.arange(n), -np.arange(n)], axis=1).astype(np.float32)
    return x, np.arange(n) % 3


def _epochs(make, epochs=2):
    nerve.seed(7)
    batches = make()
    return [[(xb.copy(), yb.copy()) for xb, yb in batches] for _ in range(epochs)]


@pytest.mark.parametrize("world_size", [2, 3, 5])
@pytest.mark.parametrize("shuffle", [True, False])
def test_shards_of_a_seeded_run_put_together_are_the_single_process_batches(world_size, shuffle):
    x, y = _arrays(26)  # batches of 7, 7, 7, 5
    whole = _epochs(lambda: Batches(x, y, batch_size=7, shuffle=shuffle))
    parts = [_epochs(lambda r=r: Batches(x, y, batch_size=7, shuffle=shuffle, rank=r, world_size=world_size))
             for r in range(world_size)]
    last = Batches(x, y, batch_size=7, shuffle=shuffle, rank=world_size - 1, world_size=world_size)
    assert [(len(xb), last.global_batch_size) for xb, _ in last][-1] == (5 // world_size, 5)
    assert [len(e) for e in whole] == [4, 4]
    for e, epoch in enumerate(whole):
        for b, (xb, yb) in enumerate(epoch):
            np.testing.assert_array_equal(np.concatenate([p[e][b][0] for p in parts]), xb)
            np.testing.assert_array_equal(np.concatenate([p[e][b][1] for p in parts]), yb)
            sizes = [len(p[e][b][0]) for p in parts]
            assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)
    if shuffle:
        assert not np.array_equal(whole[0][0][0], whole[1][0][0])  # a fresh permutation each epoch


def test_iterables_and_endless_iterators_are_sharded_the_same_way():
    x, y = _arrays(20)
    loader = DataLoader(x, y, batch_size=6, shuffle=False)
    whole = [b for b in Batches(loader)]
    halves = [list(Batches(loader, rank=r, world_size=2)) for r in range(2)]
    for b, (xb, _) in enumerate(whole):
        np.testing.assert_array_equal(np.concatenate([halves[0][b][0], halves[1][b][0]]), xb)

    def endless():
        i = 0
        while True:
            yield x[i % 20:i % 20 + 4], y[i % 20:i % 20 + 4]
            i += 4

    first = Batches(endless(), steps=3, rank=1, world_size=2)
    assert len(first) == 3
    epoch1, epoch2 = list(first), list(first)  # an endless iterator carries on across epochs
    np.testing.assert_array_equal(epoch1[0][0], x[2:4])
    np.testing.assert_array_equal(epoch2[0][0], x[14:16])


def test_shard_bounds_are_contiguous_near_equal_and_cover_the_batch():
    for size in range(4, 30):
        bounds = [shard_bounds(size, r, 4) for r in range(4)]
        assert bounds[0][0] == 0 and bounds[-1][1] == size
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
        assert np.array_equal([b - a for a, b in bounds], [len(p) for p in np.array_split(np.arange(size), 4)])


def test_a_world_size_larger_than_a_batch_is_a_clear_error():
    x, y = _arrays(23)
    with pytest.raises(ValueError, match=r"fit: a batch holds 4 sample\(s\), which cannot be split across "
                                         r"world_size=5"):
        Batches(x[:4], y[:4], batch_size=8, world_size=5, rank=0)
    with pytest.raises(ValueError, match=r"the last batch of an epoch \(23 samples in batches of 5\) holds 3"):
        Batches(x, y, batch_size=5, world_size=4, rank=3)
    with pytest.raises(ValueError, match=r"holds 4 sample\(s\), which cannot be split across world_size=5"):
        Batches(x, y, batch_size=4, world_size=5, rank=0)
    small = Batches([(x[:2], y[:2])], rank=0, world_size=3, where="evaluate")
    with pytest.raises(ValueError, match=r"evaluate: a batch of 2 sample\(s\) cannot be split"):
        list(small)
    for rank, world_size in [(2, 2), (-1, 2), (0, 0), (True, 2)]:
        with pytest.raises(ValueError, match=r"batches: received an invalid value for `(rank|world_size)`"):
            Batches(x, y, rank=rank, world_size=world_size)


class _Sizes(Layer):
    """Identity that records the size of every training batch."""

    def __init__(self):
        super().__init__()
        self.sizes = []

    def forward(self, x, training=False):
        x = self._prepare(x)
        if training:
            self.sizes.append(len(x))
        return x

    def backward(self, dout):
        return dout


def test_fit_trains_on_a_given_shard_of_every_batch():
    sizes = _Sizes()
    model = Sequential([sizes, Dense(3)], input_shape=(2,))
    model.compile(SGD(0.01), "softmax_cross_entropy")
    x, y = _arrays(23)
    model.fit(Batches(x, y, batch_size=8, shuffle=True, rank=1, world_size=3), epochs=1, verbose=0)
    assert sizes.sizes == [3, 3, 2]  # batches of 8, 8, 7 split 3/3/2, 3/3/2, 3/2/2
    assert model.training_state.steps_per_epoch == 3


def test_evaluate_reads_at_most_steps_batches_of_a_finite_iterable():
    model = Sequential([Dense(3)], input_shape=(2,))
    model.compile(SGD(0.01), "softmax_cross_entropy")
    x, y = _arrays(20)
    whole = model.evaluate(DataLoader(x, y, batch_size=5, shuffle=False))
    assert model.evaluate(DataLoader(x, y, batch_size=5, shuffle=False), steps=10) == pytest.approx(whole)
    assert model.evaluate(x, y, batch_size=5) == pytest.approx(whole)
    first = model.evaluate(x[:5], y[:5])
    assert model.evaluate(DataLoader(x, y, batch_size=5, shuffle=False), steps=1) == pytest.approx(first)
