"""Issue 17's bugs, each reproduced in Chromium (they failed before the fixes)."""

from __future__ import annotations

EPOCH = "() => parseInt(document.getElementById('epoch').textContent, 10)"


def _epoch(page) -> int:
    return page.evaluate(EPOCH)


def test_bug1_a_feature_click_while_training_is_sent_and_training_goes_on(open_page):
    page = open_page("?mode=classification")
    page.click("#btn-train")
    page.wait_for_function(f"() => ({EPOCH})() >= 3")
    page.click("#net [data-feature='x1^2']")
    page.wait_for_function("() => location.search.includes('features=x1%2Cx2%2Cx1%5E2')")
    # the model was rebuilt on three inputs: dense_1 has 3 x 4 weights + 4 biases
    page.wait_for_function("() => /dense_1 \\(Dense\\) +\\(None, 4\\) +16/"
                           ".test(document.getElementById('cls-summary').textContent)")
    start = _epoch(page)
    page.wait_for_function(f"() => ({EPOCH})() >= {start} + 3")  # still training on the new features
    page.click("#btn-train")
    assert page.get_attribute("#btn-train", "aria-label") == "Train"


def test_bug2_a_data_change_resets_epoch_figures_and_chart(open_page):
    page = open_page("?mode=classification")
    page.click("#btn-step")
    page.click("#btn-step")
    page.wait_for_function(f"() => ({EPOCH})() === 2 && S.history.length === 2")
    page.click("#dataset-circles")
    page.wait_for_function("() => location.search.includes('dataset=circles') && "
                           f"({EPOCH})() === 0 && S.history.length === 0")
    shown = page.text_content("#train-loss"), page.text_content("#test-loss")
    fresh = open_page("?" + page.url.split("?", 1)[1])  # a new tab on this setup
    assert (fresh.text_content("#train-loss"), fresh.text_content("#test-loss")) == shown


def test_bug3_the_page_asks_for_as_many_epochs_as_fit_in_a_round_trip(open_page):
    # one epoch per request and ~44 ms per reply made 13-16 epochs/s. Now a request carries as many epochs as
    # train in ~25 ms on the server (which reports train_ms). Here the server's reports are pinned at 1 ms per
    # request so the check does not depend on the machine's load; the speed itself (>= 60 epochs/s) is
    # measured by benchmarks/bench_playground_browser.py.
    page = open_page("?mode=classification")
    asked = []

    def pinned(route):
        asked.append(route.request.post_data_json["steps"])
        reply = route.fetch()
        body = reply.json()
        body["train_ms"] = 1.0 * body["steps_done"] / max(asked[-1], 1)
        route.fulfill(response=reply, json=body)
    page.route("**/api/step", pinned)
    page.click("#btn-train")
    page.wait_for_function("() => parseInt(document.getElementById('epoch').textContent, 10) >= 60", timeout=30_000)
    page.click("#btn-train")
    page.wait_for_function("() => !S.looping")  # the last request is answered before the route goes
    page.unroute("**/api/step")
    assert asked[0] == 1 and max(asked) == 50  # 1 epoch in 1 ms: 25 would fit; capped at 50 per request


def test_bug4_bad_numbers_in_the_link_keep_their_defaults(open_page):
    page = open_page("?mode=classification&learning_rate=abc&regularization_rate=1e999x&noise=0.1")
    assert page.input_value("#cls-lr") == "0.03" and page.input_value("#cls-reg-rate") == "0"
    assert "learning_rate" in page.text_content("#status") and "regularization_rate" in page.text_content("#status")
    assert page.text_content("#cls-noise-value") == "10"


def test_bug4_every_custom_point_is_kept_in_the_link(open_page):
    page = open_page("?mode=classification&dataset=custom")
    page.evaluate("""() => { S.config.classification.points = Array.from({length: 700},
        (_, i) => [((i * 7) % 120) / 10 - 6, ((i * 13) % 120) / 10 - 6, i % 2]); return sendConfig(); }""")
    page.wait_for_function("() => new URLSearchParams(location.search).get('points').split(';').length === 700")
    other = open_page("?" + page.url.split("?", 1)[1])
    other.wait_for_function("() => S.data && S.data.train.length + S.data.test.length === 700")


def test_bug4_reset_clears_the_diverged_message(open_page):
    page = open_page("?mode=regression&model=polynomial&degree=5&learning_rate=10&points=-1,-1;1,1;0.9,-0.9")
    page.click("#btn-train")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('diverged')")
    page.click("#btn-reset")
    page.wait_for_function(f"() => ({EPOCH})() === 0")
    assert page.text_content("#status") == ""


def test_bug4_the_hidden_layers_shown_are_the_ones_built(open_page):
    page = open_page("?mode=regression&model=mlp&hidden=3,5&points=0,0;0.5,0.5")
    layers, neurons = int(page.input_value("#reg-layers")), int(page.input_value("#reg-neurons"))
    summary = page.text_content("#reg-summary")
    built = [line.split("(None, ")[1].split(")")[0] for line in summary.splitlines() if "(Dense)" in line]
    assert built == [str(neurons)] * layers + ["1"]
