"""Screenshots of every playground view for the README: docs/playground/*.png (small, palette PNGs).

    PYTHONPATH=. python docs/playground/screenshots.py   (needs Playwright and /usr/bin/chromium)
"""

from __future__ import annotations

import io
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from nerve.playground import make_server

OUT = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
LINE = "-0.8,-0.6;-0.5,-0.35;-0.2,-0.1;0.1,0.1;0.4,0.2;0.7,0.5"
EPOCH = "() => parseInt(document.getElementById('epoch').textContent, 10)"


def save(page, name: str, width: int = 960, full_page: bool = False) -> None:
    png = page.screenshot(full_page=full_page)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
    img.quantize(colors=256).save(OUT / f"{name}.png", optimize=True)
    print(f"{name}.png {(OUT / f'{name}.png').stat().st_size // 1024} KiB")


def train(page, epochs: int) -> None:
    page.click("#btn-train")
    page.wait_for_function(f"() => ({EPOCH})() >= {epochs}", timeout=60_000)
    page.click("#btn-train")
    page.wait_for_function("() => !S.looping", timeout=10_000)


def main() -> int:
    server, url = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=ARGS,
                                                       headless=True, viewport={"width": 1400, "height": 860})
            page = ctx.new_page()
            page.goto(url + "?mode=regression&model=polynomial&degree=3&optimizer=adam&learning_rate=0.1"
                      f"&points={LINE}")
            page.wait_for_selector("body.ready")
            train(page, 300)
            save(page, "regression")
            page.goto(url + "?mode=classification&dataset=spirals&hidden=8,8,6&features=x1,x2,sin_x1,sin_x2"
                      "&learning_rate=0.03&noise=0.1")
            page.wait_for_selector("body.ready")
            train(page, 150)
            save(page, "classification")
            page.hover("canvas[data-neuron='1-2']")
            page.wait_for_timeout(300)
            save(page, "neuron-hover")
            page.goto(url + "?mode=classification&problem=regression&dataset=multi_gaussian&hidden=8,8"
                      "&learning_rate=0.03")
            page.wait_for_selector("body.ready")
            train(page, 60)
            save(page, "regression-problem")
            page.goto(url + "?mode=classification")
            page.wait_for_selector("body.ready")
            page.click("#backprop summary")
            page.click("#bp-seed004")
            page.wait_for_function("() => document.getElementById('bp-stage').textContent.startsWith('Step 1')")
            for _ in range(9):
                page.click("#bp-next")
            page.locator("#backprop").scroll_into_view_if_needed()
            save(page, "backprop")
            page.goto(url + "?mode=classification&activation=relu&optimizer=sgd&learning_rate=3&hidden=8,8")
            page.wait_for_selector("body.ready")
            for _ in range(3):
                page.click("#btn-step")
            page.wait_for_function("() => document.getElementById('doctor').classList.contains('warn')")
            page.locator("#doctor").scroll_into_view_if_needed()
            save(page, "doctor")
            page.goto(url + "?mode=classification&dataset=circles&learning_rate=0.03")
            page.wait_for_selector("body.ready")
            page.click("#mode-optimizers")
            page.click("#opt-race")
            page.wait_for_function("() => document.querySelectorAll('#opt-maps figcaption').length === 4 && "
                                   "[...document.querySelectorAll('#opt-maps figcaption')]"
                                   ".every((f) => /epoch [3-9]\\d/.test(f.textContent))", timeout=90_000)
            page.click("#opt-race")
            page.wait_for_timeout(1500)
            save(page, "optimizers")
            phone = ctx.new_page()
            phone.set_viewport_size({"width": 390, "height": 844})
            phone.goto(url + "?mode=classification")
            phone.wait_for_selector("body.ready")
            save(phone, "phone", width=390)
            ctx.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
