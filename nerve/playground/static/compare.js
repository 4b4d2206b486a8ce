// Optimizers side by side: the book's loss-surface paths and one classifier raced by four optimizers.
"use strict";

const Compare = (() => {
  const COLOURS = { sgd: "#d62728", momentum: "#2ca02c", adagrad: "#9467bd", adam: "#1f77b4" };  // as in style.css
  const NAMES = { sgd: "SGD", momentum: "Momentum", adagrad: "AdaGrad", adam: "Adam" };
  let surface = null, racing = false, replayTimer = null;

  async function open() {
    setTraining(false);
    if (S.mode !== "classification") {  // the race trains the classifier's setup
      S.mode = "classification"; S.history = []; S.last = null;
      await sendConfig();
    }
    S.view = "optimizers";
    syncControls();
    $("opt-lr").textContent = S.config.classification.learning_rate;
    if (!surface) surface = await (await fetch("/api/surface")).json();
    replay();
  }

  function drawSurface(upto) {
    const canvas = $("opt-surface"), { ctx, w, h } = Draw.fit(canvas), n = surface.grid_size;
    const bytes = Draw.decode(surface.grid), off = document.createElement("canvas");
    off.width = off.height = n;
    const octx = off.getContext("2d"), img = octx.createImageData(n, n);
    for (let i = 0; i < n * n; i++) {  // low loss light, high loss darker blue-grey; bands every 1/12
      const v = bytes[i] / 255, band = Math.floor(v * 12) % 2 ? 10 : 0;
      img.data.set([240 - 140 * v - band, 244 - 110 * v - band, 248 - 70 * v - band, 255], 4 * i);
    }
    octx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, w, h);
    const [x0, x1] = surface.x_range, [y0, y1] = surface.y_range;
    const X = (x) => ((x - x0) / (x1 - x0)) * w, Y = (y) => ((y1 - y) / (y1 - y0)) * h;
    ctx.fillStyle = "#263238"; ctx.beginPath(); ctx.arc(X(0), Y(0), 3, 0, 7); ctx.fill();
    for (const [name, path] of Object.entries(surface.paths)) {
      ctx.strokeStyle = ctx.fillStyle = COLOURS[name];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      path.slice(0, upto + 1).forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
      ctx.stroke();
      path.slice(0, upto + 1).forEach(([x, y]) => { ctx.beginPath(); ctx.arc(X(x), Y(y), 2, 0, 7); ctx.fill(); });
    }
    $("opt-surface-legend").innerHTML = Object.keys(surface.paths).map((k) =>
      `<span class="swatch bg-${k}"></span> ${NAMES[k]} (lr ${surface.rates[k]})`).join(" &nbsp; ");
  }

  function replay() {
    clearInterval(replayTimer);
    let k = 0;
    const last = surface.paths.sgd.length - 1;
    replayTimer = setInterval(() => { drawSurface(k); if (++k > last) clearInterval(replayTimer); }, 40);
  }

  function renderRace(reply) {
    Draw.chart($("opt-chart"), Object.entries(reply.racers).map(([k, r]) => ({ values: r.losses, colour: COLOURS[k], label: NAMES[k] })));
    $("opt-maps").innerHTML = Object.entries(reply.racers).map(([k, r]) => `<figure><canvas data-racer="${k}"></canvas>
      <figcaption><b class="fg-${k}">${NAMES[k]}</b> epoch ${r.epoch}<br>loss ${fmt(r.loss)}
      ${r.accuracy && r.accuracy.test !== null ? `· test acc ${fmt(r.accuracy.test)}` : ""}${r.diverged ? " · diverged" : ""}</figcaption></figure>`).join("");
    for (const [k, r] of Object.entries(reply.racers)) {
      Draw.image($("opt-maps").querySelector(`canvas[data-racer="${k}"]`), r.heatmap, reply.heatmap_size, true);
    }
  }

  async function race(restart = false) {
    if (racing && !restart) { stop(); return; }
    racing = true;
    $("opt-race").textContent = "Pause";
    let first = restart;
    while (racing) {
      const reply = await call("/api/race", first ? { epochs: 2, restart: true } : { epochs: 2 });
      first = false;
      if (!reply) break;
      renderRace(reply);
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    stop();
  }

  function stop() { racing = false; $("opt-race").textContent = "Train all four"; }

  function wire() {
    $("mode-optimizers").addEventListener("click", open);
    $("opt-replay").addEventListener("click", () => surface && replay());
    $("opt-race").addEventListener("click", () => race(false));
    $("opt-restart").addEventListener("click", () => { stop(); setTimeout(() => race(true), 0); });
  }

  return { wire, stop, open };
})();
