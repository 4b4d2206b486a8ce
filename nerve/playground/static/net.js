// The classifier's network graph: feature toggles, neurons with their biases, links coloured by weight.
// Hover a neuron to see its output on the big heat map; hover a link or a bias to read it, click to edit it.
"use strict";

const Net = (() => {
  const FEATURE_LABELS = { "x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
    "sin_x1": "sin x₁", "sin_x2": "sin x₂" };
  let hits = [];  // [{layer, row, col, points: [{x, y}]}] sampled along each drawn link, for hover/click

  function build() {
    const c = S.config.classification, net = $("net"), lim = S.options.limits;
    $("layer-count").textContent = `${c.hidden.length} hidden layer${c.hidden.length === 1 ? "" : "s"}`;
    // at a limit the button stays focusable and says why on click, so the limit is never a silent no-op
    $("layer-add").classList.toggle("at-limit", c.hidden.length >= lim.max_layers);
    $("layer-remove").classList.toggle("at-limit", c.hidden.length === 0);
    const col = (title, body, extra = "") => `<div class="column ${extra}"><div class="col-title">${title}</div>${body}</div>`;
    const features = S.options.features.map((f) => `<button type="button" class="feature ${c.features.includes(f) ? "on" : ""}"
        data-feature="${f}" aria-pressed="${c.features.includes(f)}" title="toggle ${FEATURE_LABELS[f]}">
        <canvas class="node"></canvas><span>${FEATURE_LABELS[f]}</span></button>`).join("");
    const node = (i, j) => `<div class="node-wrap"><canvas class="node" data-neuron="${i}-${j}" tabindex="0"
        aria-label="neuron ${j + 1} of layer ${i + 1}"></canvas><button type="button" class="bias" data-layer="${i}"
        data-row="${j}" aria-label="bias of neuron ${j + 1}, layer ${i + 1}"></button></div>`;
    const layers = c.hidden.map((n, i) => col(
      `<button type="button" class="round tiny" data-layer="${i}" data-delta="1" aria-label="add a neuron to layer ${i + 1}">+</button>` +
      `<button type="button" class="round tiny" data-layer="${i}" data-delta="-1" aria-label="remove a neuron from layer ${i + 1}">&minus;</button>` +
      `<br>${n} neuron${n === 1 ? "" : "s"}`,
      Array.from({ length: n }, (_, j) => node(i, j)).join(""))).join("");
    net.innerHTML = `<canvas id="net-links"></canvas>` + col("Features", features, "features") + layers +
      col("Output", `<div class="node-wrap"><canvas class="node output-node" tabindex="0" aria-label="output"></canvas>
        <button type="button" class="bias" data-layer="${c.hidden.length}" data-row="0" aria-label="bias of the output"></button></div>`, "output");
    net.querySelectorAll(".feature").forEach((el) => el.addEventListener("click", () => {
      const f = el.dataset.feature, list = c.features;
      if (list.includes(f)) {
        if (list.length > 1) list.splice(list.indexOf(f), 1);
        else { status("The network needs at least one input feature.", true); return; }
      } else list.push(f);
      c.features = S.options.features.filter((x) => list.includes(x));
      sendConfig(); syncControls();
    }));
    net.querySelectorAll("button[data-delta]").forEach((b) => b.addEventListener("click", () => {
      const i = Number(b.dataset.layer), n = c.hidden[i] + Number(b.dataset.delta);
      if (n < 1) { status("A layer needs at least one neuron; remove the layer with − above instead.", true); return; }
      if (n > lim.max_neurons) { status(`At most ${lim.max_neurons} neurons per layer.`, true); return; }
      c.hidden[i] = n; sendConfig(); syncControls();
    }));
    net.querySelectorAll("canvas.node[data-neuron], canvas.output-node, .feature canvas").forEach((el) => {
      const show = () => { S.hover = el.dataset.neuron || (el.closest(".feature") ? "f:" + el.closest(".feature").dataset.feature : null); redraw(); };
      const hide = () => { S.hover = null; redraw(); };
      el.addEventListener("mouseenter", show); el.addEventListener("mouseleave", hide);
      el.addEventListener("focus", show); el.addEventListener("blur", hide);
    });
    net.querySelectorAll("button.bias").forEach((b) => b.addEventListener("click", (e) => {
      e.stopPropagation();
      editValue(b, { layer: Number(b.dataset.layer), kind: "b", row: Number(b.dataset.row) });
    }));
  }

  function init() {  // listeners on #net itself: once (build() only replaces its children)
    const net = $("net");
    net.addEventListener("mousemove", onMove);
    net.addEventListener("mouseleave", () => tip(null));
    net.addEventListener("click", onClick);
  }

  function redraw() { if (S.last && S.last.mode === "classification") renderClassification(S.last); }

  function paint(st) {
    (st.biases || []).forEach((layer, i) => layer.forEach((v, j) => {
      const b = document.querySelector(`#net button.bias[data-layer="${i}"][data-row="${j}"]`);
      if (!b) return;
      const c = Draw.colour((Math.max(-1, Math.min(1, v)) + 1) / 2);
      b.style.background = `rgb(${c[0]},${c[1]},${c[2]})`;
      b.title = `bias ${fmt(v)} (click to edit)`;
      b.dataset.value = v;
    }));
    if (st.weights) links(st.weights);
  }

  function links(weights) {
    const net = $("net"), canvas = $("net-links"), base = net.getBoundingClientRect();
    canvas.style.width = `${net.scrollWidth}px`;
    canvas.style.height = `${net.scrollHeight}px`;
    const ends = (el) => {
      const r = el.getBoundingClientRect(), y = r.top - base.top + r.height / 2 + net.scrollTop;
      return { left: { x: r.left - base.left + net.scrollLeft, y }, right: { x: r.right - base.left + net.scrollLeft, y } };
    };
    const columns = [[...net.querySelectorAll(".feature.on canvas")].map(ends)];
    S.config.classification.hidden.forEach((n, i) => columns.push(
      Array.from({ length: n }, (_, j) => ends(net.querySelector(`canvas[data-neuron="${i}-${j}"]`)))));
    columns.push([ends(net.querySelector("canvas.output-node"))]);
    hits = [];
    // a state of the previous structure (the reply to the new one is on its way) draws no links
    if (weights.length !== columns.length - 1 || weights.some((W, k) => W.length !== columns[k].length ||
        W[0].length !== columns[k + 1].length)) return;
    hits = Draw.links(canvas, columns, weights);
  }

  function nearest(event) {
    const net = $("net"), base = net.getBoundingClientRect();
    const x = event.clientX - base.left + net.scrollLeft, y = event.clientY - base.top + net.scrollTop;
    let best = null, bestD = 16;  // within 4 px
    for (const h of hits) for (const p of h.points) {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d < bestD) { bestD = d; best = h; }
    }
    return best;
  }

  function tip(text, event) {
    const el = $("net-tip");
    el.classList.toggle("hidden", !text);
    if (!text) return;
    el.textContent = text;
    el.style.left = `${event.clientX + 12}px`;
    el.style.top = `${event.clientY + 12}px`;
  }

  function onMove(event) {
    const h = event.target.id === "net" || event.target.id === "net-links" || event.target.classList.contains("column") ? nearest(event) : null;
    $("net").style.cursor = h ? "pointer" : "";
    tip(h ? `weight ${fmt(h.value)} (click to edit)` : null, event);
  }

  function onClick(event) {
    if (event.target.closest("button, canvas.node")) return;
    const h = nearest(event);
    if (h) editValue(null, { layer: h.layer, kind: "W", row: h.row, col: h.col }, event, h.value);
  }

  // an inline number box at the link or bias; Enter sets the value through /api/edit, Escape cancels
  function editValue(anchor, where, event, current) {
    const box = $("net-edit"), input = box.querySelector("input");
    const r = anchor ? anchor.getBoundingClientRect() : { left: event.clientX, bottom: event.clientY };
    box.style.left = `${r.left}px`; box.style.top = `${r.bottom + 4}px`;
    box.classList.remove("hidden");
    input.value = current !== undefined ? current : anchor.dataset.value || 0;
    input.focus(); input.select();
    const done = async (ok) => {
      input.onkeydown = input.onblur = null;
      box.classList.add("hidden");
      const value = Number(input.value);
      if (!ok) return;
      if (!Number.isFinite(value)) { status(`“${input.value}” is not a number.`, true); return; }
      const st = await call("/api/edit", { ...where, value });
      if (st) render(st);
    };
    input.onkeydown = (e) => { if (e.key === "Enter") done(true); else if (e.key === "Escape") done(false); };
    input.onblur = () => done(true);
  }

  return { init, build, paint, FEATURE_LABELS };
})();
