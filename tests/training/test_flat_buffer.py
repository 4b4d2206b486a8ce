"""FlatBuffer: one flat array per dtype for collectives, the layers keeping their own arrays."""

import numpy as np
import pytest

from nerve import Sequential
from nerve.layers import Dense, ReLU
from nerve.optimizers import SGD
from nerve.training.buffers import FlatBuffer


def _arrays():
    rng = np.random.default_rng(0)
    return {"a/W": rng.standard_normal((3, 4)).astype(np.float32), "a/b": rng.standard_normal(4).astype(np.float32),
            "b/W": rng.standard_normal((4, 2)), "b/s": np.array(2.5)}


def test_pack_makes_one_flat_array_per_dtype_in_order_and_unpack_writes_back():
    arrays = _arrays()
    buffer = FlatBuffer()
    flats = buffer.pack(arrays)
    assert {str(dt): f.size for dt, f in flats.items()} == {"float32": 16, "float64": 9}
    np.testing.assert_array_equal(flats[np.dtype(np.float32)],
                                  np.concatenate([arrays["a/W"].ravel(), arrays["a/b"]]))
    np.testing.assert_array_equal(flats[np.dtype(np.float64)], np.concatenate([arrays["b/W"].ravel(), [2.5]]))
    expected = {k: a * 3 for k, a in arrays.items()}
    originals = {k: a for k, a in arrays.items()}
    for f in flats.values():
        f *= 3
    buffer.unpack(arrays)
    for k in arrays:
        assert arrays[k] is originals[k] and arrays[k].dtype == expected[k].dtype
        np.testing.assert_allclose(arrays[k], expected[k], rtol=1e-6)


def test_buffers_are_reused_until_the_layout_changes():
    arrays = _arrays()
    buffer = FlatBuffer()
    first = buffer.pack(arrays)[np.dtype(np.float32)]
    assert buffer.pack(_arrays())[np.dtype(np.float32)] is first
    changed = {**_arrays(), "a/b": np.zeros(5, np.float32)}
    assert buffer.pack(changed)[np.dtype(np.float32)].size == 17
    with pytest.raises(ValueError, match="differ in names, shapes or dtypes"):
        buffer.unpack(_arrays())


def test_an_averaging_transform_over_the_flat_buffer_trains_like_the_mean_gradient():
    """Two simulated ranks: averaging their gradients through the buffer equals training on the mean."""
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((8, 3)).astype(np.float32), rng.integers(0, 2, 8)

    def model(opt):
        m = Sequential([Dense(4), ReLU(), Dense(2)], input_shape=(3,))
        m.compile(opt, "softmax_cross_entropy")
        return m

    reference, ranks = model(SGD(0.1)), [model(SGD(0.1)), model(SGD(0.1))]
    for m in ranks:
        for k, p in m.params.items():
            p[...] = reference.params[k]
    other = {k: g.copy() for k, g in ranks[1].gradient(x[4:], t[4:]).items()}  # what "rank 1" contributes
    buffer = FlatBuffer()

    def allreduce_mean(grads, params):
        for dtype, flat in buffer.pack(grads).items():
            flat += FlatBuffer().pack(other)[dtype]
            flat /= 2
        buffer.unpack(grads)

    ranks[0].optimizer.transforms.append(allreduce_mean)
    ranks[0].train_on_batch(x[:4], t[:4])
    reference.train_on_batch(x, t)  # equal halves: the mean of the halves' mean gradients is the full mean
    for k, p in reference.params.items():
        np.testing.assert_allclose(ranks[0].params[k], p, rtol=1e-5, atol=1e-6)


def test_pack_and_unpack_can_scale_in_the_same_pass():
    arrays = {"a": np.array([1.0, 2.0], np.float32), "b": np.array([[3.0]], np.float64)}
    buffer = FlatBuffer()
    flats = buffer.pack(arrays, scale=3)
    np.testing.assert_array_equal(flats[np.dtype(np.float32)], [3.0, 6.0])
    np.testing.assert_array_equal(flats[np.dtype(np.float64)], [9.0])
    buffer.unpack(arrays, scale=0.5)
    np.testing.assert_array_equal(arrays["a"], [1.5, 3.0])
    np.testing.assert_array_equal(arrays["b"], [[4.5]])
