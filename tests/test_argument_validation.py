"""nerve.validation: the constraint types, and every public constructor refusing bad arguments in one style."""

from __future__ import annotations

import importlib
import math
import re
from numbers import Integral, Real

import numpy as np
import pytest

import nerve
from nerve import callbacks, distances, filters, initializers, layers, losses, metrics, optimizers, schedules, zoo
from nerve.classic import LinearRegression, LogisticRegression, Perceptron
from nerve.data import DataLoader, ImageDataGenerator, toy, train_test_split
from nerve.lr_finder import find_lr
from nerve.preprocessing import MinMaxScaler, StandardScaler
from nerve.validation import (
    Boolean,
    Interval,
    InvalidParameterError,
    Options,
    Pair,
    Satisfies,
    check_param,
    validate_params,
)

NAN = float("nan")


# -- the constraints themselves ------------------------------------------------------------------------
@pytest.mark.parametrize(("constraint", "good", "bad"), [
    (Interval(Integral, 1, None), [1, 7, np.int64(3)], [0, -1, 1.0, True, "3", None, NAN]),
    (Interval(Real, 0, 1, closed="left"), [0, 0.5, np.float32(0.99)], [1, 1.0, -0.1, True, False, NAN, math.inf]),
    (Interval(Real, 0, None, closed="neither"), [1e-9, 3], [0, -2.0, True, NAN, math.inf, "1"]),
    (Interval(Real, None, 0, closed="right"), [0, -5.5], [0.1, True, -math.inf]),
    (Options(("same", "valid")), ["same", "valid"], ["SAME", 0, None, np.zeros(2)]),
    (Options((0, 1)), [0, 1, 1.0], [True, False, "1", 2]),
    (Boolean, [True, False, np.bool_(True)], [0, 1, "True", None]),
    (Pair(Interval(Integral, 0, None)), [0, 3, (1, 2), [0, 0]], [(1, 2, 3), (1, -1), -1, (True, 1), "ab"]),
    (Satisfies(lambda s: s.startswith("a"), "text starting with 'a'"), ["abc"], ["b", 3]),
])
def test_constraints_accept_and_reject(constraint, good, bad):
    for value in good:
        assert check_param("owner", "arg", value, constraint) is value
    for value in bad:
        with pytest.raises(InvalidParameterError, match=r"owner: received an invalid value for `arg`"):
            check_param("owner", "arg", value, constraint)


@pytest.mark.parametrize(("constraint", "text"), [
    (Interval(Integral, 1, None), "an integer >= 1"),
    (Interval(Real, 0, None, closed="neither"), "a number > 0"),
    (Interval(Real, 0, 1, closed="left"), "a number in [0, 1)"),
    (Interval(Integral, None, 5, closed="neither"), "an integer < 5"),
    ([None, Interval(Real, 0, 1)], "None or a number in [0, 1]"),
    ([Interval(Real, 0, None, closed="neither"), callable], "a number > 0 or a callable"),
    (Options(("b", "a")), "one of {'a', 'b'}"),
    (str, "a string"),
])
def test_message_states_what_was_expected(constraint, text):
    with pytest.raises(InvalidParameterError) as info:
        check_param("Thing", "x", object(), constraint)
    assert str(info.value).startswith(f"Thing: received an invalid value for `x`, expected {text}. Received: x=")


def test_invalid_parameter_error_is_a_value_and_a_type_error():
    assert issubclass(InvalidParameterError, ValueError) and issubclass(InvalidParameterError, TypeError)


def test_validate_params_names_the_function_or_the_class_and_keeps_the_signature():
    @validate_params({"n": [Interval(Integral, 1, None)]})
    def grow(n, label="x"):
        return n

    class Base:
        @validate_params({"rate": [Interval(Real, 0, 1)]})
        def __init__(self, rate=0.5):
            self.rate = rate

    class Child(Base):
        pass

    assert grow(3) == 3 and list(__import__("inspect").signature(grow).parameters) == ["n", "label"]
    with pytest.raises(ValueError, match=r"^grow: .*`n`.*Received: n=0$"):
        grow(0)
    with pytest.raises(ValueError, match=r"^Child: .*`rate`.*Received: rate=2$"):
        Child(rate=2)
    with pytest.raises(TypeError, match="no argument"):
        validate_params({"missing": [None]})(grow)


# -- every public constructor, one table ----------------------------------------------------------------
def _fit(estimator):
    """An estimator checks its arguments in fit (scikit-learn's contract)."""
    return lambda **kw: estimator(**kw).fit(np.eye(4), [0, 1, 0, 1])


def _compile(**kw):
    return nerve.Sequential([layers.Dense(2)], input_shape=(3,)).compile(**kw)


def _fit_model(**kw):
    model = nerve.Sequential([layers.Dense(2)], input_shape=(3,)).compile()
    return model.fit(np.zeros((4, 3)), np.zeros(4, dtype=int), verbose=0, **kw)


def _find_lr(**kw):
    model = nerve.Sequential([layers.Dense(2)], input_shape=(3,)).compile()
    return find_lr(model, np.zeros((8, 3)), np.zeros(8, dtype=int), **kw)


# (owner in the message, factory, argument, bad value)
CASES = [
    ("Dense", layers.Dense, "units", 0), ("Dense", layers.Dense, "units", True), ("Dense", layers.Dense, "units", 2.5),
    ("Dense", lambda **kw: layers.Dense(3, **kw), "l2", True),
    ("Dense", lambda **kw: layers.Dense(3, **kw), "l1", -0.1),
    ("Dense", lambda **kw: layers.Dense(3, **kw), "use_bias", "yes"),
    ("Dense", lambda **kw: layers.Dense(3, **kw), "name", "a/b"),
    ("Conv2D", lambda **kw: layers.Conv2D(kernel_size=3, **kw), "filters", -1),
    ("Conv2D", lambda **kw: layers.Conv2D(4, **kw), "kernel_size", (3, 0)),
    ("Conv2D", lambda **kw: layers.Conv2D(4, 3, **kw), "padding", "full"),
    ("Conv2D", lambda **kw: layers.Conv2D(4, 3, **kw), "stride", True),
    ("MaxPool2D", layers.MaxPool2D, "pool_size", 0), ("AvgPool2D", layers.AvgPool2D, "stride", -2),
    ("KMaxPool", layers.KMaxPool, "k", True),
    ("Dropout", layers.Dropout, "rate", True), ("Dropout", layers.Dropout, "rate", 1.0),
    ("Dropout", layers.Dropout, "rate", NAN), ("Dropout", layers.Dropout, "rate", "0.5"),
    ("BatchNorm", layers.BatchNorm, "momentum", 1.5), ("BatchNorm", layers.BatchNorm, "eps", 0),
    ("LeakyReLU", layers.LeakyReLU, "alpha", -1), ("ELU", layers.ELU, "alpha", NAN),
    ("PReLU", layers.PReLU, "init", True),
    ("Reshape", layers.Reshape, "target_shape", (-1, -1)), ("Reshape", layers.Reshape, "target_shape", (0, 3)),
    ("Normal", initializers.Normal, "std", True), ("Normal", initializers.Normal, "std", 0),
    ("Constant", initializers.Constant, "value", NAN),
    ("SGD", optimizers.SGD, "lr", True), ("SGD", optimizers.SGD, "lr", -0.1), ("Adam", optimizers.Adam, "lr", "1e-3"),
    ("Momentum", optimizers.Momentum, "momentum", 1.0), ("Nesterov", optimizers.Nesterov, "momentum", -0.5),
    ("AdaGrad", optimizers.AdaGrad, "eps", -1e-7), ("RMSprop", optimizers.RMSprop, "decay", True),
    ("Adam", optimizers.Adam, "beta1", 1.0), ("Adam", optimizers.Adam, "beta2", NAN),
    ("AdamW", optimizers.AdamW, "weight_decay", -0.01),
    ("BalancedL1", losses.BalancedL1, "alpha", 0), ("BalancedL1", losses.BalancedL1, "gamma", True),
    ("BinaryCrossEntropy", losses.BinaryCrossEntropy, "from_logits", "yes"),
    ("compile", _compile, "l2", True), ("compile", _compile, "l1", -1), ("compile", _compile, "l2", NAN),
    ("fit", _fit_model, "epochs", 0), ("fit", _fit_model, "batch_size", True),
    ("fit", _fit_model, "steps_per_epoch", 0), ("fit", _fit_model, "initial_epoch", -1),
    ("find_lr", _find_lr, "start_lr", 0), ("find_lr", _find_lr, "num_steps", 1),
    ("find_lr", _find_lr, "smoothing", 1.0),
    ("DataLoader", lambda **kw: DataLoader(np.zeros((4, 2)), **kw), "batch_size", 0),
    ("DataLoader", lambda **kw: DataLoader(np.zeros((4, 2)), **kw), "shuffle", "no"),
    ("box_blur", filters.box_blur, "size", 0), ("gaussian_kernel", filters.gaussian_kernel, "sigma", -1.0),
    ("lenet5", zoo.lenet5, "num_classes", 0), ("deep_conv_net", zoo.deep_conv_net, "dropout", True),
    ("deep_conv_net", zoo.deep_conv_net, "filters", (16, 16)),
    ("simple_conv_net", zoo.simple_conv_net, "input_shape", (1, 28)),
    ("two_layer_net", zoo.two_layer_net, "hidden_size", -3),
    ("LinearRegression", _fit(LinearRegression), "solver", "qr"),
    ("LinearRegression", _fit(LinearRegression), "l2", True),
    ("LinearRegression", _fit(LinearRegression), "batch_size", 0),
    ("LogisticRegression", _fit(LogisticRegression), "C", 0),
    ("LogisticRegression", _fit(LogisticRegression), "multi_class", "ovo"),
    ("Perceptron", _fit(Perceptron), "lr", True), ("Perceptron", _fit(Perceptron), "n_iter", 0),
    ("make_moons", toy.make_moons, "n_samples", 0), ("make_moons", toy.make_moons, "noise", -0.1),
    ("make_spirals", toy.make_spirals, "n_classes", True),
    ("ExponentialDecay", lambda **kw: schedules.ExponentialDecay(**{"learning_rate": 0.1, "gamma": 0.9, **kw}),
     "gamma", True),
    ("StepDecay", lambda **kw: schedules.StepDecay(0.1, **kw), "step_size", 0),
    ("CosineDecay", lambda **kw: schedules.CosineDecay(**{"learning_rate": 0.1, "T_max": 5, **kw}),
     "learning_rate", NAN),
    ("MultiStepDecay", lambda **kw: schedules.MultiStepDecay(0.1, **kw), "milestones", (1, -2)),
    ("PiecewiseConstant", lambda **kw: schedules.PiecewiseConstant([1], **kw), "values", "0.1"),
    ("LambdaDecay", lambda **kw: schedules.LambdaDecay(0.1, **kw), "lr_lambda", 3),
    ("LinearWarmup", lambda **kw: schedules.LinearWarmup(0.1, start_lr=0, end_lr=0.1, **kw), "warmup_steps", 0),
    ("ReduceOnPlateau", lambda **kw: schedules.ReduceOnPlateau(0.1, **kw), "factor", 1.0),
    ("ReduceOnPlateau", lambda **kw: schedules.ReduceOnPlateau(0.1, **kw), "mode", "up"),
    ("ReduceOnPlateau", lambda **kw: schedules.ReduceOnPlateau(0.1, **kw), "patience", 2.5),
    ("EarlyStopping", callbacks.EarlyStopping, "patience", -1),
    ("EarlyStopping", callbacks.EarlyStopping, "monitor", ""),
    ("EarlyStopping", callbacks.EarlyStopping, "mode", "best"),
    ("ModelCheckpoint", lambda **kw: callbacks.ModelCheckpoint("m.npz", **kw), "min_delta", -1.0),
    ("ModelCheckpoint", callbacks.ModelCheckpoint, "filepath", ""),
    ("ReduceLROnPlateau", callbacks.ReduceLROnPlateau, "factor", 0),
    ("ReduceLROnPlateau", callbacks.ReduceLROnPlateau, "min_delta", True),
    ("CSVLogger", lambda **kw: callbacks.CSVLogger("log.csv", **kw), "separator", ";;"),
    ("LearningRateScheduler", callbacks.LearningRateScheduler, "schedule", 0.1),
    ("ExponentialMovingAverage", callbacks.ExponentialMovingAverage, "decay", True),
    ("precision_score", lambda **kw: metrics.precision_score([0, 1], [0, 1], **kw), "zero_division", True),
    ("f1_score", lambda **kw: metrics.f1_score([0, 1], [0, 1], **kw), "average", "samples"),
    ("precision_recall_fscore_support",
     lambda **kw: metrics.precision_recall_fscore_support([0, 1], [0, 1], **kw), "beta", -1),
    ("confusion_matrix", lambda **kw: metrics.confusion_matrix([0, 1], [0, 1], **kw), "normalize", "rows"),
    ("true_positive_rate", lambda **kw: metrics.true_positive_rate([0, 1], [0, 1], **kw), "zero_division", 2),
    ("roc_auc_score", lambda **kw: metrics.roc_auc_score([0, 1], [0.2, 0.8], **kw), "multi_class", "ovx"),
    ("minkowski", lambda **kw: distances.minkowski([0, 1], [1, 1], **kw), "p", 0),
    ("minkowski", lambda **kw: distances.minkowski([0, 1], [1, 1], **kw), "p", True),
    ("kl_divergence", lambda **kw: distances.kl_divergence([0.5, 0.5], [0.5, 0.5], **kw), "base", 1),
    ("train_test_split", lambda **kw: train_test_split(np.arange(10), **kw), "test_size", 1.5),
    ("train_test_split", lambda **kw: train_test_split(np.arange(10), **kw), "test_size", True),
    ("ImageDataGenerator", ImageDataGenerator, "fill_mode", "mirror"),
    ("ImageDataGenerator", ImageDataGenerator, "zoom_range", (1.2, 0.8)),
    ("ImageDataGenerator", ImageDataGenerator, "rotation_range", NAN),
    ("MinMaxScaler", _fit(MinMaxScaler), "feature_range", (1, 0)),
    ("StandardScaler", _fit(StandardScaler), "with_mean", "yes"),
    ("fit", lambda **kw: _fit_model(epochs=2, **kw), "initial_epoch", 2),
    ("DataLoader", lambda **kw: DataLoader(np.zeros((4, 2)), **kw), "transform", "flip"),
    ("SGD", optimizers.SGD, "transforms", [print, 3]), ("Adam", optimizers.Adam, "clipnorm", 0),
    ("seed", nerve.seed, "n", True), ("seed", nerve.seed, "n", -1),
    ("set_default_dtype", nerve.backend.set_default_dtype, "dtype", "int8"),
]


@pytest.mark.parametrize(("owner", "factory", "name", "value"), CASES,
                         ids=[f"{c[0]}-{c[2]}={c[3]!r}" for c in CASES])
def test_bad_argument_message_names_owner_argument_and_value(owner, factory, name, value):
    with pytest.raises(InvalidParameterError) as info:
        factory(**{name: value})
    message = str(info.value)
    assert re.match(rf"{owner}: received an invalid value for `{name}`, expected .+\. Received: ", message), message
    assert message.endswith(f"Received: {name}={value!r}"), message


def test_good_values_still_work():
    assert layers.Dense(np.int64(3)).units == 3 and type(layers.Dense(np.int64(3)).units) is int
    assert layers.Dropout(0).rate == 0.0 and initializers.Normal(np.float32(0.5)).std == 0.5
    assert optimizers.SGD(lambda step: 0.1).lr(0) == 0.1
    assert layers.Conv2D(2, (3, 1), padding="same").pad == (1, 0)
    assert _compile(l1=0, l2=1e-4).l2 == 1e-4


# the hand-written helpers that drifted apart (bools accepted here, refused there); each is now a declaration
OLD_HELPERS = [
    ("nerve.errors", "positive_int"), ("nerve.errors", "fraction"), ("nerve.classic.base", "_positive_number"),
    ("nerve.schedules.base", "_number"), ("nerve.schedules.base", "_count"), ("nerve.optimizers", "_check"),
    ("nerve.layers.activations", "_check_alpha"), ("nerve.metrics._checks", "_check_zero_division"),
    ("nerve.lr_finder", "_positive"), ("nerve.data.augment", "_non_negative"), ("nerve.data.toy", "_noise"),
    ("nerve.classic.linear_regression", "LinearRegression._check_params"),
    ("nerve.classic.logistic_regression", "LogisticRegression._check_params"),
]


@pytest.mark.parametrize(("module", "name"), OLD_HELPERS, ids=[f"{m}.{n}" for m, n in OLD_HELPERS])
def test_the_drifting_helpers_are_gone(module, name):
    owner = importlib.import_module(module)
    for part in name.split("."):
        owner = getattr(owner, part, None)
    assert owner is None, f"{module}.{name} is back; declare the constraint with nerve.validation instead"


def test_the_classic_estimators_declare_their_constraints():
    for cls in (LinearRegression, LogisticRegression, Perceptron, MinMaxScaler, StandardScaler):
        assert cls._parameter_constraints, cls
        assert set(cls._parameter_constraints) <= set(__import__("inspect").signature(cls).parameters), cls
