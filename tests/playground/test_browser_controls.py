"""Every control of both views, in Chromium: each change reaches the URL and the server, with no page error."""

from __future__ import annotations

import pytest

STATUS_CLEAN = "() => !document.getElementById('status').classList.contains('error')"


def _settles(page, fragment: str) -> None:
    page.wait_for_function(f"() => decodeURIComponent(location.search).includes({fragment!r})")
    page.wait_for_function(STATUS_CLEAN)


@pytest.mark.parametrize("select, value, fragment", [
    ("#reg-model", "polynomial", "model=polynomial"), ("#reg-degree", "5", "degree=5"),
    ("#reg-model", "mlp", "model=mlp"), ("#reg-layers", "3", "hidden=8,8,8"), ("#reg-neurons", "4", "hidden=4,4&"),
    ("#reg-activation", "relu", "activation=relu"), ("#reg-optimizer", "momentum", "optimizer=momentum"),
    ("#reg-lr", "0.3", "learning_rate=0.3"),
])
def test_regression_selects(open_page, select, value, fragment):
    page = open_page("?mode=regression&model=mlp&points=0,0;0.5,0.4")
    if select == "#reg-degree":
        page.select_option("#reg-model", "polynomial")
    page.select_option(select, value)
    _settles(page, fragment)
    page.click("#btn-step")
    page.wait_for_function("() => parseInt(document.getElementById('epoch').textContent, 10) >= 1")


def test_regression_clicks_and_clear(open_page):
    page = open_page("?mode=regression")
    box = page.locator("#reg-canvas").bounding_box()
    for fx, fy in [(0.2, 0.3), (0.5, 0.5), (0.8, 0.6)]:
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    page.wait_for_function("() => document.getElementById('reg-count').textContent === '3'")
    page.click("#reg-clear")
    page.wait_for_function("() => document.getElementById('reg-count').textContent === '0' && "
                           "!location.search.includes('points=')")


def test_classification_selects_sliders_and_buttons(open_page):
    page = open_page("?mode=classification")
    for select, value, fragment in [("#cls-lr", "0.1", "learning_rate=0.1"),
                                    ("#cls-activation", "relu", "activation=relu"),
                                    ("#cls-optimizer", "rmsprop", "optimizer=rmsprop"),
                                    ("#cls-reg", "l2", "regularization=l2"),
                                    ("#cls-reg-rate", "0.01", "regularization_rate=0.01")]:
        page.select_option(select, value)
        _settles(page, fragment)
    for slider, value, fragment in [("#cls-ratio", "70", "train_ratio=0.7"), ("#cls-noise", "25", "noise=0.25"),
                                    ("#cls-n", "200", "n_samples=200"), ("#cls-batch", "20", "batch_size=20")]:
        page.fill(slider, value)  # a range input: sets the value and fires input + change
        _settles(page, fragment)
    page.wait_for_function("() => S.data.train.length === 140")
    page.click("#cls-regenerate")
    _settles(page, "seed=2")
    page.click("#btn-step")
    page.click("#btn-reset")
    page.wait_for_function("() => parseInt(document.getElementById('epoch').textContent, 10) === 0")


def test_custom_points_with_both_colours_and_clear(open_page):
    page = open_page("?mode=classification")
    page.click("#dataset-custom")
    box = page.locator("#cls-canvas").bounding_box()
    page.mouse.click(box["x"] + 0.25 * box["width"], box["y"] + 0.25 * box["height"])
    page.check("input[name=cls-color][value='0']")
    page.mouse.click(box["x"] + 0.75 * box["width"], box["y"] + 0.75 * box["height"])
    page.wait_for_function("() => S.config.classification.points.map((p) => p[2]).join() === '1,0'")
    _settles(page, "points=")
    page.click("#btn-step")
    page.wait_for_function("() => parseInt(document.getElementById('epoch').textContent, 10) === 1")
    page.click("#cls-clear")
    page.wait_for_function("() => S.config.classification.points.length === 0")
