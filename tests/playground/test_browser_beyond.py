"""Beyond TensorFlow Playground, in Chromium: backprop step by step, the training doctor, optimizers compared."""

from __future__ import annotations


def test_backprop_steps_through_seed_004s_network_on_the_graph(open_page):
    page = open_page("?mode=classification")
    page.click("#backprop summary")
    page.click("#bp-seed004")
    page.wait_for_function("() => document.getElementById('bp-stage').textContent.startsWith('Step 1 of')")
    assert page.evaluate("S.config.classification.hidden") == [2]
    texts = []
    for _ in range(page.evaluate("Panels.BP.stages.length") - 1):
        page.click("#bp-next")
        texts.append(page.text_content("#bp-stage"))
    loss_stage = [t for t in texts if "Loss: prediction" in t][0]
    assert "0.721633" in loss_stage  # seed 004: the 2-2-1 network's output for x = [2, 3]
    assert texts[-1].startswith(f"Step {len(texts) + 1} of") and "Backward: layer 1" in texts[-1]
    labels = page.locator("#net .bp-val.grad")
    assert labels.count() == 2  # one gradient per hidden neuron, drawn on the graph
    assert "dW" in page.text_content("#bp-numbers")


def test_the_doctor_panel_turns_red_with_a_hint_for_a_too_high_learning_rate(open_page):
    page = open_page("?mode=classification&activation=relu&learning_rate=10&optimizer=sgd&hidden=8,8")
    page.click("#btn-step")
    page.wait_for_function("() => document.querySelectorAll('#doctor-table tbody tr').length === 3")
    for _ in range(3):
        page.click("#btn-step")
    page.wait_for_function("() => document.getElementById('doctor').classList.contains('warn')")
    assert "learning rate" in page.text_content("#doctor-hints") or "dead" in page.text_content("#doctor-hints")


def test_optimizers_view_draws_the_paths_and_races_four_optimizers(open_page):
    page = open_page("?mode=regression")
    page.click("#mode-optimizers")
    page.wait_for_function("() => !document.getElementById('view-optimizers').classList.contains('hidden') && "
                           "document.getElementById('opt-surface-legend').textContent.includes('Adam (lr 0.3)')")
    assert page.is_hidden("#view-regression") and page.is_hidden("#view-classification")
    page.click("#opt-race")
    page.wait_for_function("() => document.querySelectorAll('#opt-maps canvas').length === 4 && "
                           "[...document.querySelectorAll('#opt-maps figcaption')]"
                           ".every((f) => /epoch [4-9]|epoch \\d\\d/.test(f.textContent))")
    page.click("#opt-race")
    assert page.text_content("#opt-race") == "Train all four"
    page.click("#mode-classification")
    page.wait_for_selector("#view-classification:not(.hidden)")
    assert page.is_hidden("#view-optimizers")
