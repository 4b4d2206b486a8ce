"""Every plot returns a Figure, draws what it says, and saves a PNG without pyplot."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from nerve import plot, schedules

PNG = b"\x89PNG\r\n\x1a\n"


def _saved(fig, path) -> bool:
    return isinstance(fig, Figure) and path.read_bytes()[:8] == PNG and os.listdir(path.parent) == [path.name]


def test_history_curves_show_train_and_validation(tmp_path):
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}
    fig = plot.plot_history(history, path=tmp_path / "curves.png")
    assert _saved(fig, tmp_path / "curves.png")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    np.testing.assert_array_equal(fig.axes[0].lines[1].get_ydata(), [1.1, 0.7])
    with pytest.raises(ValueError, match="History"):
        plot.plot_history({})


def test_decision_boundary_colours_the_plane_by_class(tmp_path):
    x = np.array([[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]])
    fig = plot.plot_decision_boundary(lambda grid: (grid[:, 0] > 0).astype(int), x, [0, 1, 0, 1],
                                      resolution=50, path=tmp_path / "b.png")
    assert _saved(fig, tmp_path / "b.png")
    ax = fig.axes[0]
    assert len(ax.collections) >= 2  # filled regions + the scatter of points
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        plot.plot_decision_boundary(lambda g: g[:, 0], np.zeros((3, 3)))


def test_decision_boundary_accepts_a_probability_function():
    x = np.array([[0.0, 0.0], [1.0, 1.0]])
    fig = plot.plot_decision_boundary(lambda g: 1 / (1 + np.exp(-g.sum(axis=1))), x, resolution=10)
    assert isinstance(fig, Figure)


def test_activation_zoo_plots_function_and_layer_derivative(tmp_path):
    fig = plot.plot_activations(path=tmp_path / "zoo.png")
    assert _saved(fig, tmp_path / "zoo.png")
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == list(plot.ACTIVATION_NAMES)
    sigmoid_ax = fig.axes[titles.index("sigmoid")]
    x, y = sigmoid_ax.lines[0].get_data()
    _, dy = sigmoid_ax.lines[1].get_data()
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-x)), atol=1e-6)
    np.testing.assert_allclose(dy, y * (1 - y), atol=1e-6)
    bars = fig.axes[titles.index("softmax")].patches
    np.testing.assert_allclose([b.get_height() for b in bars], [0.01821127, 0.24519181, 0.73659691], atol=1e-6)
    with pytest.raises(ValueError, match="unknown activation"):
        plot.plot_activations(["swish"])


def test_tangent_of_the_books_function_has_slope_0_2():
    def f(x):
        return 0.01 * x**2 + 0.1 * x

    slope, line = plot.tangent_line(f, 5.0)
    assert slope == pytest.approx(0.2, abs=1e-8)  # the book prints 0.1999999999990898
    assert line(5.0) == pytest.approx(f(5.0))
    fig = plot.plot_tangent(f, 5.0)
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(), line(np.linspace(0, 20, 200)))


def test_gradient_field_arrows_point_downhill(tmp_path):
    fig = plot.plot_gradient_field(points=5, path=tmp_path / "q.png")
    assert _saved(fig, tmp_path / "q.png")
    quiver = fig.axes[0].collections[0]
    offsets = quiver.get_offsets()
    np.testing.assert_allclose(quiver.U, -2 * offsets[:, 0], atol=1e-6)
    np.testing.assert_allclose(quiver.V, -2 * offsets[:, 1], atol=1e-6)


def test_optimizer_paths_approach_the_minimum(tmp_path):
    paths = plot.optimizer_paths()
    assert list(paths) == ["SGD", "Momentum", "AdaGrad", "Adam"]
    for name, p in paths.items():
        assert p.shape == (31, 2)
        start, end = plot.elongated_bowl(*p[0]), plot.elongated_bowl(*p[-1])
        assert end < 0.1 * start, name
    sgd_y = paths["SGD"][:, 1]
    assert np.all(np.sign(sgd_y[1:6]) != np.sign(sgd_y[:5]))  # SGD zig-zags across the steep y direction
    fig = plot.plot_optimizer_paths(path=tmp_path / "o.png")
    assert _saved(fig, tmp_path / "o.png") and [ax.get_title() for ax in fig.axes] == list(paths)


def test_activation_histograms_one_row_per_setting(tmp_path):
    gen = np.random.default_rng(0)
    acts = {"std=1": [gen.random(100) for _ in range(3)], "xavier": [gen.random(100) for _ in range(2)]}
    fig = plot.plot_activation_histograms(acts, bins=10, path=tmp_path / "h.png")
    assert _saved(fig, tmp_path / "h.png") and len(fig.axes) == 6 and not fig.axes[5].get_visible()
    assert sum(p.get_height() for p in fig.axes[0].patches) == 100


def test_filters_and_feature_maps(tmp_path):
    W = np.arange(6 * 1 * 3 * 3, dtype=float).reshape(6, 1, 3, 3)
    fig = plot.plot_filters(W, cols=4, path=tmp_path / "f.png")
    assert _saved(fig, tmp_path / "f.png")
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 6
    np.testing.assert_array_equal(shown[2].images[0].get_array(), W[2, 0])
    fig = plot.plot_feature_maps(np.zeros((1, 5, 4, 4)))
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 5
    with pytest.raises(ValueError, match="expected weights"):
        plot.plot_filters(np.zeros((3, 3)))


def test_confusion_matrix_cells_are_labelled(tmp_path):
    cm = np.array([[5, 1], [2, 7]])
    fig = plot.plot_confusion_matrix(cm, ["cat", "dog"], path=tmp_path / "cm.png")
    assert _saved(fig, tmp_path / "cm.png")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["5", "1", "2", "7"]
    normalized = [t.get_text() for t in plot.plot_confusion_matrix(cm, normalize=True).axes[0].texts]
    assert normalized == ["0.83", "0.17", "0.22", "0.78"]
    with pytest.raises(ValueError, match="class names"):
        plot.plot_confusion_matrix(cm, ["a"])


def test_roc_and_pr_curves(tmp_path):
    fig = plot.plot_roc_curve([0, 0.2, 1], [0, 0.8, 1], auc=0.8, path=tmp_path / "roc.png")
    assert _saved(fig, tmp_path / "roc.png")
    assert "AUC = 0.800" in fig.axes[0].get_legend().get_texts()[0].get_text()
    fig = plot.plot_pr_curve([1.0, 0.8, 0.5], [0.0, 0.5, 1.0], average_precision=0.75)
    assert "AP = 0.750" in fig.axes[0].get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="equal length"):
        plot.plot_roc_curve([0, 1], [0, 0.5, 1])


def test_schedule_curves_follow_the_schedules(tmp_path):
    step = schedules.StepDecay(0.1, step_size=10, gamma=0.5)
    fig = plot.plot_schedules({"step": step, "cosine": schedules.CosineDecay(0.1, 50)}, steps=50,
                              path=tmp_path / "lr.png")
    assert _saved(fig, tmp_path / "lr.png")
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), [step(s) for s in range(50)])
    fig = plot.plot_lr_find([1e-4, 1e-3, 1e-2], [2.0, 1.0, 3.0], suggestion=1e-3)
    assert fig.axes[0].get_xscale() == "log"


def test_plots_work_headless_without_pyplot(tmp_path):
    code = ("import sys, nerve.plot as p; p.plot_activations(['relu'], path=sys.argv[1]); "
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "r.png")], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.png").read_bytes()[:8] == PNG


def test_plot_images_centres_diverging_maps_on_zero(tmp_path):
    from nerve.plot import plot_images

    signed = np.array([[-1.0, 3.0], [0.0, 1.0]])
    fig = plot_images([signed, signed], ["raw", "signed"], ["gray", "RdBu_r"], path=tmp_path / "row.png")
    gray, diverging = (ax.images[0] for ax in fig.axes)
    assert gray.get_clim() == (-1.0, 3.0) and diverging.get_clim() == (-3.0, 3.0)
    assert (tmp_path / "row.png").stat().st_size > 0
    with pytest.raises(ValueError, match="2 images but 1 titles"):
        plot_images([signed, signed], ["one"])
