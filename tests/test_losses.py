import warnings

import numpy as np
import pytest

from nerve import losses
from nerve.gradcheck import check_gradients
from nerve.losses import MAE, MSE, BalancedL1, BinaryCrossEntropy, CrossEntropy, SoftmaxCrossEntropy

rng = np.random.default_rng(0)


def test_mse_of_the_all_zero_guess_is_half():
    assert MSE().forward(np.zeros(4), np.array([1.0, 0, 0, 1])) == 0.5


def test_softmax_cross_entropy_is_exact_for_extreme_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = SoftmaxCrossEntropy().forward(np.array([[1000.0, -1000.0, 0.0]]), np.array([1]))
    assert loss == 2000.0


def test_softmax_cross_entropy_matches_the_book_on_a_known_example():
    # the book's example: y = softmax output with 0.6 on the true class -> -log(0.6)
    p = np.array([[0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]])
    t = np.array([[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]], dtype=float)
    assert CrossEntropy().forward(p, t) == pytest.approx(-np.log(0.6))
    assert SoftmaxCrossEntropy().forward(np.log(p + 1e-300), t) == pytest.approx(-np.log(0.6))


def test_index_and_one_hot_labels_give_the_same_loss_and_gradient():
    y, t = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    a, b = SoftmaxCrossEntropy(), SoftmaxCrossEntropy()
    assert a.forward(y, t) == pytest.approx(b.forward(y, np.eye(4)[t]))
    np.testing.assert_allclose(a.backward(), b.backward())


CASES = [
    (MSE(), rng.standard_normal((4, 3)), rng.standard_normal((4, 3))),
    (MAE(), rng.standard_normal((4, 3)), rng.standard_normal((4, 3))),
    (CrossEntropy(), rng.uniform(0.1, 0.9, (4, 3)), np.array([0, 2, 1, 1])),
    (CrossEntropy(), rng.uniform(0.1, 0.9, (4, 3)), np.eye(3)[[2, 0, 1, 2]]),
    (BinaryCrossEntropy(), rng.uniform(0.1, 0.9, (6, 1)), rng.integers(0, 2, (6, 1)).astype(float)),
    (BinaryCrossEntropy(from_logits=True), rng.standard_normal((6, 2)), rng.uniform(0, 1, (6, 2))),
    (SoftmaxCrossEntropy(), rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])),
    (SoftmaxCrossEntropy(), rng.standard_normal((5, 4)), rng.dirichlet(np.ones(4), 5)),
    (BalancedL1(), rng.uniform(-3, 3, (5, 4)), np.zeros((5, 4))),
]


@pytest.mark.parametrize("loss, y, t", CASES, ids=lambda v: repr(v) if isinstance(v, losses.Loss) else "")
def test_loss_passes_gradient_check(loss, y, t):
    assert check_gradients(loss, y, t) < 1e-6


def test_balanced_l1_matches_libra_rcnn_formula_and_is_continuous():
    alpha, gamma = 0.5, 1.5
    b = np.exp(gamma / alpha) - 1
    loss = BalancedL1()
    for d in [0.3, 0.999999, 1.000001, 2.0]:
        expected = (alpha / b * (b * d + 1) * np.log(b * d + 1) - alpha * d) if d < 1 else gamma * d + gamma / b - alpha
        assert loss.forward(np.array([[d]]), np.array([[0.0]])) == pytest.approx(expected)
    below = loss.forward(np.array([[1 - 1e-9]]), np.array([[0.0]]))
    above = loss.forward(np.array([[1 + 1e-9]]), np.array([[0.0]]))
    assert below == pytest.approx(above, abs=1e-8)


def test_binary_cross_entropy_on_logits_is_stable():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = BinaryCrossEntropy(from_logits=True).forward(np.array([[1000.0], [-1000.0]]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(1000.0)


def test_labels_out_of_range_are_rejected():
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\].*\[0, 3\]"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 3]))


def test_labels_of_wrong_shape_are_rejected():
    with pytest.raises(ValueError, match="targets of shape \\(3,\\)"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_non_integer_labels_are_rejected():
    with pytest.raises(ValueError, match="integers"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0.5, 1.0]))


def test_get_resolves_names_and_rejects_unknown():
    assert isinstance(losses.get("softmax_cross_entropy"), SoftmaxCrossEntropy)
    assert isinstance(losses.get("MSE"), MSE)
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 'hinge'"):
        losses.get("hinge")


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="before forward"):
        MSE().backward()


@pytest.mark.parametrize("loss, good, bad, match", [
    (SoftmaxCrossEntropy(), np.array([0, 2, 1]), np.array([0, 3, 1]), r"labels must be in \[0, 2\]"),
    (CrossEntropy(), np.eye(3)[[0, 2, 1]], np.zeros((3, 4)), "targets of shape"),
    (MSE(), np.zeros((3, 3)), np.zeros((3, 2)), "don't match"),
    (BinaryCrossEntropy(), np.ones((3, 3)), np.full((3, 3), 2.0), r"in \[0, 1\]"),
])
def test_check_targets_validates_like_forward_without_computing(loss, good, bad, match):
    loss.check_targets(good, (3,))
    assert loss.cache is None  # nothing was computed
    with pytest.raises(ValueError, match=match):
        loss.check_targets(bad, (3,))
    with pytest.raises(ValueError, match=match):
        loss.forward(np.zeros((3, 3)), bad)


def test_mse_sum_half_is_the_books_half_sum_of_squares(f64):
    y = np.array([[0.1, 0.05, 0.6], [0.2, 0.7, 0.1]])
    t = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    book = 0.5 * np.sum((y - t) ** 2)  # the book's mean_squared_error
    loss = losses.MSE(reduction="sum_half")
    assert loss.forward(y, t) == pytest.approx(book, rel=1e-12)
    np.testing.assert_allclose(loss.backward(), y - t)
    assert losses.MSE().forward(y, t) == pytest.approx(np.mean((y - t) ** 2), rel=1e-12)  # the mean stays default
    assert check_gradients(loss, y, t) < 1e-8
    assert losses.MSE(**loss.get_config()).reduction == "sum_half"
    with pytest.raises(ValueError, match="reduction"):
        losses.MSE(reduction="sum")


def test_binary_cross_entropy_treats_clipped_predictions_as_constants():
    # y = 0 and y = 1 are clipped to eps and 1 - eps: a finite loss, and no gradient through the clip
    y = np.array([0.0, 0.3, 1.0, 0.9])
    t = np.array([0.0, 1.0, 1.0, 0.0])
    bce = BinaryCrossEntropy()
    loss = bce.forward(y, t)
    p = np.clip(y, 1e-7, 1 - 1e-7)
    assert np.isfinite(loss) and loss == pytest.approx(-np.mean(t * np.log(p) + (1 - t) * np.log1p(-p)), rel=1e-6)
    grad = bce.backward()
    assert grad[0] == 0 and grad[2] == 0
    np.testing.assert_allclose(grad[[1, 3]], ((p - t) / (p * (1 - p)) / 4)[[1, 3]], rtol=1e-12)


def test_float_class_labels_are_indices_when_whole_and_refused_otherwise():
    y = rng.standard_normal((3, 4))
    as_int = SoftmaxCrossEntropy().forward(y, np.array([0, 3, 1]))
    assert SoftmaxCrossEntropy().forward(y, np.array([0.0, 3.0, 1.0])) == as_int
    with pytest.raises(ValueError, match="SoftmaxCrossEntropy: class labels must be integers, got non-integer"):
        SoftmaxCrossEntropy().forward(y, np.array([0.0, 2.5, 1.0]))
