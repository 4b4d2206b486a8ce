import numpy as np
import pytest

from nerve import backend
from nerve.gradcheck import check_gradients
from nerve.layers import BatchNorm


@pytest.mark.parametrize("shape", [(6, 4), (3, 2, 4, 5)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_passes_gradient_check(f64, shape, training):
    rng = np.random.default_rng(0)
    layer = BatchNorm()
    layer.build(shape[1:])
    layer.params["gamma"][...] = rng.uniform(0.5, 1.5, shape[1])
    layer.params["beta"][...] = rng.standard_normal(shape[1])
    layer.state["running_mean"][...] = rng.standard_normal(shape[1])
    layer.state["running_var"][...] = rng.uniform(0.5, 2, shape[1])
    assert check_gradients(layer, rng.standard_normal(shape) * 3 + 1, training=training) < 1e-6


def test_batchnorm_normalises_each_channel_with_batch_statistics():
    x = np.random.default_rng(1).standard_normal((8, 3, 5, 5)).astype(np.float32) * [[[[2.0]], [[5.0]], [[0.5]]]] + 7
    y = BatchNorm().forward(x, training=True)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, atol=1e-3)


def test_batchnorm_updates_running_statistics_and_uses_them_in_inference():
    layer = BatchNorm(momentum=0.9)
    x = np.random.default_rng(2).standard_normal((50, 2)) * 3 + 4
    layer.forward(x, training=True)
    np.testing.assert_allclose(layer.state["running_mean"], 0.1 * x.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(layer.state["running_var"], 0.9 + 0.1 * x.var(axis=0), rtol=1e-5)
    y = layer.forward(x, training=False)
    expected = (x - layer.state["running_mean"]) / np.sqrt(layer.state["running_var"] + 1e-5)
    np.testing.assert_allclose(y, expected, rtol=1e-4)


def test_batchnorm_keeps_state_out_of_trainable_params():
    layer = BatchNorm()
    layer.build((4,))
    assert set(layer.params) == {"gamma", "beta"}
    assert set(layer.state) == {"running_mean", "running_var"}


def test_batchnorm_rejects_3d_samples():
    with pytest.raises(ValueError, match="BatchNorm"):
        BatchNorm().forward(np.zeros((2, 3, 4)))


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 2, 2)])
def test_running_statistics_follow_their_formula_and_serve_inference(shape):
    gen = np.random.default_rng(0)
    bn = BatchNorm(momentum=0.8)
    bn.build(shape[1:])
    rm0 = np.array([0.5, -1.0, 2.0], np.float32)
    rv0 = np.array([2.0, 0.5, 3.0], np.float32)
    bn.state["running_mean"][...], bn.state["running_var"][...] = rm0, rv0
    bn.params["gamma"][...], bn.params["beta"][...] = [1.5, 0.5, 2.0], [0.1, -0.2, 0.3]
    axes = (0,) if len(shape) == 2 else (0, 2, 3)
    rm, rv = rm0.astype(np.float64), rv0.astype(np.float64)
    for _ in range(2):
        x = gen.normal(3.0, 2.0, size=shape).astype(np.float32)
        bn.forward(x, training=True)
        rm = 0.8 * rm + 0.2 * x.mean(axis=axes, dtype=np.float64)
        rv = 0.8 * rv + 0.2 * x.var(axis=axes, dtype=np.float64)  # the biased batch variance
        np.testing.assert_allclose(bn.state["running_mean"], rm, rtol=1e-5)
        np.testing.assert_allclose(bn.state["running_var"], rv, rtol=1e-5)
    x = gen.normal(size=shape).astype(np.float32)
    expand = (1, -1) if len(shape) == 2 else (1, -1, 1, 1)
    expected = (bn.params["gamma"].reshape(expand) * (x - rm.reshape(expand)) / np.sqrt(rv.reshape(expand) + bn.eps)
                + bn.params["beta"].reshape(expand))
    out = bn.forward(x)  # the default is inference: running statistics, left unchanged
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.state["running_mean"], rm, rtol=1e-5)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_on_channels_last_memory_gives_the_nchw_results(training):
    rng = np.random.default_rng(12)
    grid = rng.standard_normal((3, 6, 7, 4))  # (N, H+1, W+1, C): a grid convolution's output, padding cells too
    views = {"nchw": np.ascontiguousarray(grid[:, :5, :6].transpose(0, 3, 1, 2)),
             "channels-last": np.ascontiguousarray(grid[:, :5, :6]).transpose(0, 3, 1, 2),
             "channels-last with gaps": grid[:, :5, :6].transpose(0, 3, 1, 2)}
    dout = rng.standard_normal((3, 4, 5, 6))  # NCHW, whatever the input's layout
    results = {}
    with backend.default_dtype(np.float64):
        for name, x in views.items():
            layer = BatchNorm()
            layer.forward(x, training=True)  # running statistics move off their initial values
            layer.params["gamma"][:] = [0.5, 1.5, 2.0, -1.0]
            y = layer.forward(x, training=training)
            results[name] = (y, layer.backward(dout), layer.grads["gamma"].copy(), layer.grads["beta"].copy(),
                             layer.state["running_mean"].copy(), layer.state["running_var"].copy())
    for name in ("channels-last", "channels-last with gaps"):  # (the NCHW path passes the gradient check above)
        for got, want in zip(results[name], results["nchw"]):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)
        assert results[name][0].strides[1] == 8  # and the output stays channels-last
