"""TensorFlow Playground parity, in Chromium: every control of the classifier view, keyboard and small screens."""

from __future__ import annotations

# share of the big heat map's pixels painted in exactly one of the two end colours (orange 245,147,34; blue 8,119,189)
SATURATED = """() => { const c = document.getElementById('cls-canvas'), d = c.getContext('2d')
    .getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) if ((d[i] === 245 && d[i + 1] === 147) || (d[i] === 8 && d[i + 1] === 119)) n++;
  return n / (d.length / 4); }"""


def test_hovering_a_neuron_shows_its_output_on_the_big_heat_map(open_page):
    page = open_page("?mode=classification")
    assert page.evaluate("S.last.heatmap_size") >= 100 and page.locator("#cls-canvas").bounding_box()["width"] >= 100
    before = page.evaluate("document.getElementById('cls-canvas').toDataURL()")
    page.hover("canvas[data-neuron='0-1']")
    page.wait_for_function("() => document.getElementById('cls-canvas-caption').textContent"
                           ".includes('neuron 2 of layer 1')")
    assert page.evaluate("document.getElementById('cls-canvas').toDataURL()") != before
    page.hover("#cls-canvas")
    page.wait_for_function("() => document.getElementById('cls-canvas-caption').textContent.includes('P(class 1)')")


def test_links_and_biases_show_their_value_and_can_be_edited(open_page):
    page = open_page("?mode=classification&hidden=2")
    # the middle of the link x1 -> neuron 1 of layer 1, as drawn
    point = page.evaluate("""() => { const base = document.getElementById('net').getBoundingClientRect();
        const a = document.querySelector('.feature.on canvas').getBoundingClientRect();
        const b = document.querySelector("canvas[data-neuron='0-0']").getBoundingClientRect();
        return [(a.right + b.left) / 2, (a.top + a.bottom + b.top + b.bottom) / 4]; }""")
    page.mouse.move(*point)
    page.wait_for_selector("#net-tip:not(.hidden)")
    assert page.text_content("#net-tip").startswith("weight")
    page.mouse.click(*point)
    page.fill("#net-edit input", "1.5")
    page.press("#net-edit input", "Enter")
    page.wait_for_function("() => S.last.weights[0][0][0] === 1.5")
    page.click("button.bias[data-layer='0'][data-row='1']")
    page.fill("#net-edit input", "-0.75")
    page.press("#net-edit input", "Enter")
    page.wait_for_function("() => S.last.biases[0][1] === -0.75")
    assert "-0.750" in page.get_attribute("button.bias[data-layer='0'][data-row='1']", "title")


def test_discretize_output_and_show_test_data(open_page):
    page = open_page("?mode=classification")
    assert page.evaluate(SATURATED) < 0.2  # untrained: P(class 1) near 0.5 almost everywhere
    page.check("#cls-discretize")
    assert page.evaluate(SATURATED) > 0.6
    page.uncheck("#cls-discretize")
    assert page.evaluate(SATURATED) < 0.2
    dots = page.evaluate("S.data.train.length")
    page.check("#cls-show-test")
    assert page.evaluate("S.showTest") and page.evaluate("S.data.test.length") > 0 and dots > 0


def test_dataset_thumbnails_are_drawn_and_select_their_dataset(open_page):
    page = open_page("?mode=classification")
    for name in ["xor", "circles", "gaussians", "moons", "spirals"]:
        coloured = page.evaluate(f"""() => {{ const c = document.querySelector('#dataset-{name} canvas'),
            d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 150 && d[i] < 60) n++; return n; }}""")
        assert coloured > 20, name  # blue points of class 1 on the preview
        page.click(f"#dataset-{name}")
        page.wait_for_function(f"() => location.search.includes('dataset={name}')")


def test_the_regression_problem_type_has_its_own_datasets(open_page):
    page = open_page("?mode=classification")
    page.select_option("#cls-problem", "regression")
    page.wait_for_function("() => location.search.includes('problem=regression') && "
                           "location.search.includes('dataset=plane')")
    assert page.is_visible("#dataset-multi_gaussian") and not page.is_visible("#dataset-xor")
    page.click("#dataset-multi_gaussian")
    page.wait_for_function("() => S.last && S.last.problem === 'regression' && "
                           "location.search.includes('multi_gaussian')")
    assert page.text_content("#test-accuracy") == "–"
    first = float(page.text_content("#train-loss"))
    for _ in range(5):
        page.click("#btn-step")
    page.wait_for_function("() => parseInt(document.getElementById('epoch').textContent, 10) === 5")
    assert float(page.text_content("#train-loss")) < first


def test_controls_are_keyboard_reachable_buttons(open_page):
    page = open_page("?mode=classification")
    tags = page.evaluate("""() => [...document.querySelectorAll('#net [data-feature], #datasets [data-dataset], '
        + '#net .bias, #net [data-delta], .mode, .run button')].map((e) => e.tagName)""")
    assert set(tags) == {"BUTTON"} and len(tags) > 20
    page.focus("#net [data-feature='sin_x1']")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector(\"#net [data-feature='sin_x1']\")"
                           ".getAttribute('aria-pressed') === 'true'")
    page.focus("#cls-reg")
    page.keyboard.press("ArrowDown")  # a native select: the keyboard changes it
    page.wait_for_function("() => location.search.includes('regularization=l1')")


def test_limits_are_said_not_silently_ignored(open_page):
    page = open_page("?mode=classification&hidden=8,1,1,1,1,1")
    page.click("#layer-add")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('At most 6 hidden layers')")
    page.click("button[data-layer='0'][data-delta='1']")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('At most 8 neurons')")
    page.click("button[data-layer='1'][data-delta='-1']")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('at least one neuron')")
    for _ in range(6):
        page.click("#layer-remove")
    page.wait_for_function("() => location.search.includes('hidden=&')")
    page.click("#layer-remove")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('No hidden layer')")
    page.click("#net [data-feature='x1']")
    page.click("#net [data-feature='x2']")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('at least one input feature')")


def test_the_layout_fits_a_390_px_phone(open_page):
    for query in ["?mode=classification", "?mode=regression"]:
        page = open_page(query, width=390, height=844)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("#btn-train").bounding_box()["x"] + 48 <= 390


def test_the_polynomial_and_mlp_fits_show_their_coefficients(open_page):
    page = open_page("?mode=regression&model=polynomial&degree=2&points=-0.5,0.2;0,0;0.5,0.3")
    page.wait_for_function("() => /^y = [-0-9.]+ [+−] [0-9.]+·x [+−] [0-9.]+·x²$/"
                           ".test(document.getElementById('reg-coefficients').textContent)")
    page.select_option("#reg-model", "mlp")
    page.wait_for_function("() => document.getElementById('reg-coefficients').textContent.includes('layer 3: W')")
