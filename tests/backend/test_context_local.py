"""The default dtype and the random generator are context-local: threads never disturb each other."""

from __future__ import annotations

import contextvars
import threading

import numpy as np

import nerve
from nerve import backend, layers


def _train(seed: int, barrier: threading.Barrier | None = None) -> list[np.ndarray]:
    nerve.seed(seed)
    if barrier is not None:
        barrier.wait(timeout=30)  # both threads seeded before either draws: a shared generator would interleave
    x = backend.rng().standard_normal((64, 5)).astype(np.float32)
    y = (x.sum(axis=1) > 0).astype(np.int64)
    model = nerve.Sequential([layers.Dense(8), layers.ReLU(), layers.Dropout(0.3), layers.Dense(2)])
    model.compile(optimizer="adam", loss="softmax_cross_entropy")
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    return [p.copy() for p in model.params.values()]


def test_two_trainings_in_two_threads_match_the_same_trainings_run_one_after_the_other():
    expected = {k: _train(k) for k in (1, 2)}
    results, errors = {}, []
    barrier = threading.Barrier(2)

    def run(k):
        try:
            results[k] = _train(k, barrier)
        except BaseException as e:  # noqa: BLE001 -- reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and set(results) == {1, 2}
    for k in (1, 2):
        for got, want in zip(results[k], expected[k]):
            np.testing.assert_array_equal(got, want)
    assert not np.array_equal(expected[1][0], expected[2][0])


def test_a_new_thread_gets_its_own_generator_and_the_float32_default():
    nerve.seed(3)
    nerve.set_default_dtype(np.float64)
    before = backend.get_rng_state()
    seen = {}

    def run():
        seen["dtype"] = backend.floatx()
        seen["rng"] = backend.rng()
        backend.rng().random(10)

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=10)
    assert seen["dtype"] is np.float32 and seen["rng"] is not backend.rng()
    assert backend.get_rng_state() == before  # the thread's draws left this context's generator alone
    assert backend.floatx() is np.float64


def test_a_fresh_context_has_its_own_state_and_changes_in_it_stay_there():
    nerve.seed(5)
    expected = np.random.default_rng(5).random(3)

    def inside():
        nerve.seed(99)
        nerve.set_default_dtype(np.float64)
        return backend.rng().random(3), backend.floatx()

    _, dtype = contextvars.Context().run(inside)
    assert dtype is np.float64
    assert backend.floatx() is np.float32
    np.testing.assert_array_equal(backend.rng().random(3), expected)


def test_seed_in_one_thread_is_reproducible_like_before():
    nerve.seed(11)
    a = backend.rng().random(4)
    nerve.seed(11)
    np.testing.assert_array_equal(backend.rng().random(4), a)
