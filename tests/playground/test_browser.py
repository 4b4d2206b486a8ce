"""The page in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium, headless).

Needs the ``playwright`` Python package and the ``chromium`` Debian package (``.ci/run`` installs it); no
browser is downloaded. Without them this test fails with a message saying what to install.
"""

from __future__ import annotations

import pytest

SLOPE, INTERCEPT = 0.6, -0.15


def _number(page, selector) -> float:
    return float(page.text_content(selector))


def test_line_fit_and_xor_classifier_in_the_browser(browser, playground, tmp_path):
    _, url = playground
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body.ready", timeout=15_000)

    # regression: six clicks on y = 0.6 x - 0.15, train, read a and b from the page
    box = page.locator("#reg-canvas").bounding_box()
    xs = [-0.8, -0.5, -0.2, 0.1, 0.4, 0.7]
    for x in xs:
        y = SLOPE * x + INTERCEPT
        page.mouse.click(box["x"] + (x + 1) / 2 * box["width"], box["y"] + (1 - y) / 2 * box["height"])
    page.wait_for_function("() => document.getElementById('reg-count').textContent === '6'", timeout=10_000)
    page.click("#btn-train")
    page.wait_for_function(
        f"() => Math.abs(parseFloat(document.getElementById('param-a').textContent) - {SLOPE}) < 0.02 && "
        f"Math.abs(parseFloat(document.getElementById('param-b').textContent) - ({INTERCEPT})) < 0.02",
        timeout=30_000)
    page.click("#btn-train")  # pause
    # one canvas pixel is 2/width in data units, so clicked points sit within ~0.005 of the line
    assert _number(page, "#param-a") == pytest.approx(SLOPE, abs=0.02)
    assert _number(page, "#param-b") == pytest.approx(INTERCEPT, abs=0.02)
    assert int(page.text_content("#epoch")) > 0
    assert "points=" in page.url and "mode=regression" in page.url
    page.screenshot(path=str(tmp_path / "regression.png"))

    # shift-click removes the nearest point; reset and step drive the epoch counter
    x = xs[-1]
    page.keyboard.down("Shift")
    page.mouse.click(box["x"] + (x + 1) / 2 * box["width"],
                     box["y"] + (1 - (SLOPE * x + INTERCEPT)) / 2 * box["height"])
    page.keyboard.up("Shift")
    page.wait_for_function("() => document.getElementById('reg-count').textContent === '5'", timeout=10_000)
    page.click("#btn-reset")
    page.wait_for_function("() => document.getElementById('epoch').textContent === '000000'", timeout=10_000)
    page.click("#btn-step")
    page.wait_for_function("() => document.getElementById('epoch').textContent === '000001'", timeout=10_000)

    # classification: XOR, train until the shown test accuracy reaches 0.9
    page.click("#mode-classification")
    page.click("#dataset-xor")
    page.wait_for_function("() => document.getElementById('test-accuracy').textContent !== '–'", timeout=10_000)
    page.click("#btn-train")
    page.wait_for_function("() => parseFloat(document.getElementById('test-accuracy').textContent) >= 0.9",
                           timeout=60_000)
    page.click("#btn-train")
    assert _number(page, "#test-accuracy") >= 0.9
    assert "mode=classification" in page.url and "dataset=xor" in page.url
    shot = tmp_path / "classification.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert errors == []

    # the URL reproduces the setup in a new tab
    setup = page.url
    other = browser.new_page()
    other.goto(setup.replace("hidden=4%2C4", "hidden=3"))
    other.wait_for_selector("body.ready", timeout=15_000)
    assert other.locator("#mode-classification").get_attribute("class").endswith("active")
    assert other.locator("canvas[data-neuron]").count() == 3
    other.close()
    page.close()
