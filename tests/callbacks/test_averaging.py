import numpy as np
import pytest

from nerve.callbacks import ExponentialMovingAverage


def _expected_average(seen, decay):
    avg = {k: w.astype(np.float64) for k, w in seen[0].items()}
    for n, weights in enumerate(seen[1:], start=1):
        keep = min(decay, (1 + n) / (10 + n))
        avg = {k: keep * avg[k] + (1 - keep) * weights[k] for k in avg}
    return avg


def test_the_average_follows_the_documented_rule_across_fit_calls(model, data, weight_recorder):
    x, t = data
    ema, rec = ExponentialMovingAverage(decay=0.9, swap_on_end=False), weight_recorder("batch")
    for _ in range(2):  # the average carries over from one fit call to the next
        model.fit(x, t, epochs=2, batch_size=8, verbose=0, callbacks=[ema, rec])
    assert ema.updates == len(rec.weights) - 1 == 31
    expected = _expected_average(rec.weights, 0.9)
    for k, avg in ema.average.items():
        np.testing.assert_allclose(avg, expected[k], rtol=1e-5, atol=1e-6)
        assert not np.allclose(avg, rec.weights[-1][k])  # it really is an average, not the last weights


def test_swapped_holds_the_average_inside_and_restores_the_weights_after(model, data):
    x, t = data
    ema = ExponentialMovingAverage(decay=0.9, swap_on_end=False)
    model.fit(x, t, epochs=2, batch_size=8, verbose=0, callbacks=[ema])
    before = {k: w.copy() for k, w in model.params.items()}
    arrays = dict(model.params)
    with ema.swapped():
        for k, w in model.params.items():
            np.testing.assert_array_equal(w, ema.average[k])
        averaged_loss = model.evaluate(x, t)["loss"]
    for k, w in model.params.items():
        np.testing.assert_array_equal(w, before[k])
        assert w is arrays[k]  # written in place: the optimizer's state stays attached
    assert averaged_loss != model.evaluate(x, t)["loss"]


def test_swap_on_end_writes_the_average_into_the_model(model, data):
    x, t = data
    ema = ExponentialMovingAverage(decay=0.5)
    model.fit(x, t, epochs=1, batch_size=16, verbose=0, callbacks=[ema])
    for k, w in model.params.items():
        np.testing.assert_array_equal(w, ema.average[k])


def test_bad_decay_and_swapping_before_training_are_explained():
    for bad in (1.0, -0.1, True, "0.9"):
        with pytest.raises(ValueError, match=r"`decay`, expected a number in \[0, 1\)"):
            ExponentialMovingAverage(decay=bad)
    with pytest.raises(RuntimeError, match="no average yet"):
        with ExponentialMovingAverage().swapped():
            pass
