// The playground page: controls, URL state and the train loop. The server (nerve, in Python) does every
// computation; this file sends the configuration, asks for training steps and hands the replies to Draw.
"use strict";

const $ = (id) => document.getElementById(id);
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const LIST_KEYS = ["hidden", "features"];

const S = {
  options: null, session: null, mode: "regression", config: {}, training: false, queue: Promise.resolve(),
  history: [], last: null, data: null, showTest: false, discretize: false, hover: null, previews: {},
};

// ---------------------------------------------------------------- server calls (one at a time, in order)
function status(text, isError = false) {
  const el = $("status");
  el.textContent = text || "";
  el.classList.toggle("error", !!isError);
}

async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body) });
  const reply = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) { const e = new Error(reply.error || `HTTP ${res.status}`); e.status = res.status; throw e; }
  return reply;
}

function call(path, extra = {}) {
  const run = async () => {
    try {
      return await post(path, { session: S.session, ...extra });
    } catch (e) {
      if (e.status !== 404 || !S.session) throw e;
      // the session expired while the tab was idle: open a new one, resend the setup, then retry
      S.session = (await post("/api/session", {})).session;
      if (path !== "/api/config") await post("/api/config", { session: S.session, config: S.config[S.mode] });
      return await post(path, { session: S.session, ...extra });
    }
  };
  const p = S.queue.then(run);
  S.queue = p.catch(() => {});
  return p.catch((e) => { status(e.message, true); setTraining(false); return null; });
}

// ---------------------------------------------------------------- configuration <-> URL
function readURL() {
  const q = new URLSearchParams(location.search);
  const mode = S.options.modes.includes(q.get("mode")) ? q.get("mode") : "regression";
  for (const m of S.options.modes) S.config[m] = structuredClone(S.options.defaults[m]);
  const cfg = S.config[mode], bad = [];
  for (const [key, raw] of q) {
    if (key === "mode" || !(key in cfg)) continue;
    if (key === "points") cfg.points = decodePoints(raw, mode === "regression" ? 2 : 3);
    else if (LIST_KEYS.includes(key)) cfg[key] = raw === "" ? [] : raw.split(",").map((v) => (key === "hidden" ? Number(v) : v));
    else if (typeof cfg[key] === "number") {
      // a number the link mangled (learning_rate=abc) keeps its default instead of breaking the page
      if (raw.trim() !== "" && Number.isFinite(Number(raw))) cfg[key] = Number(raw); else bad.push(key);
    } else cfg[key] = raw;
  }
  // the regression view offers "layers x neurons": a link with another shape is shown as what gets built
  const r = S.config.regression;
  r.hidden = Array(Math.max(1, r.hidden.length)).fill(Number.isInteger(r.hidden[0]) ? r.hidden[0] : 8);
  S.mode = mode;
  S.badURL = bad;
}

function writeURL() {
  const cfg = S.config[S.mode], q = new URLSearchParams({ mode: S.mode });
  for (const [key, value] of Object.entries(cfg)) {
    if (key === "mode") continue;
    if (key === "points") { if (value.length) q.set(key, encodePoints(value)); }  // every point: the link is the setup
    else q.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  history.replaceState(null, "", "?" + q.toString());
}

const encodePoints = (pts) => pts.map((p) => p.map((v) => +v.toFixed(3)).join(",")).join(";");
function decodePoints(raw, width) {
  return raw.split(";").filter(Boolean).map((s) => s.split(",").map(Number)).filter((p) => p.length === width);
}

// ---------------------------------------------------------------- applying a configuration
async function sendConfig() {
  writeURL();
  const st = await call("/api/config", { config: S.config[S.mode] });
  if (st) { status(""); render(st); }
}

function setTraining(on) {
  S.training = on;
  $("btn-train").classList.toggle("on", on);
  $("btn-train").setAttribute("aria-label", on ? "Pause" : "Train");
  if (on) loop();
}

// Epochs per request adapt so the training in one round trip takes ~TRAIN_TARGET_MS (the server reports
// train_ms): a round trip (state, transfer, drawing) costs more than a small epoch, so a fast network
// trains many epochs per frame instead of one, and a slow one stays responsive.
const TRAIN_TARGET_MS = 25, MAX_STEPS = 50;

async function loop() {
  if (S.looping) return;
  S.looping = true;
  let steps = 1;
  try {
    while (S.training) {
      const st = await call("/api/step", { steps });
      if (!st) break;
      if (st.steps_done >= steps) steps = Math.max(1, Math.min(MAX_STEPS, Math.round(steps * TRAIN_TARGET_MS / Math.max(st.train_ms, 0.5))));
      else steps = Math.max(1, st.steps_done);
      render(st);
      if (st.diverged) { status("Training diverged (the loss became NaN or inf): lower the learning rate and press reset.", true); setTraining(false); }
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
  } catch (e) {
    status(`Page error: ${e.message}`, true);
    setTraining(false);
  } finally {
    S.looping = false;
  }
}

// ---------------------------------------------------------------- rendering a state from the server
const fmt = (v, d = 3) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));

function render(st) {
  if (st.mode !== S.mode) return;
  if (st.epoch < S.history.length || (st.epoch === 0 && !(st.new_losses || []).length)) S.history = [];
  for (const v of st.new_losses || []) S.history.push(v);
  S.last = st;
  $("epoch").textContent = String(st.epoch).padStart(6, "0");
  if (st.summary) $(st.mode === "regression" ? "reg-summary" : "cls-summary").textContent = st.summary;
  if (st.mode === "regression") renderRegression(st); else renderClassification(st);
}

function renderRegression(st) {
  const cfg = S.config.regression;
  Draw.regression($("reg-canvas"), cfg.points, st.curve);
  $("reg-equation").classList.toggle("hidden", !st.line);
  if (st.line) { $("param-a").textContent = fmt(st.line.a); $("param-b").textContent = fmt(st.line.b); }
  $("reg-coefficients").textContent = coefficientsText(st.coefficients, cfg.model);
  $("reg-count").textContent = cfg.points.length;
  $("reg-loss").textContent = fmt(st.loss, 5);
  Draw.chart($("reg-loss-chart"), [{ values: S.history, colour: "#333", label: "training" }]);
}

const SUP = ["", "", "²", "³", "⁴", "⁵"];
function coefficientsText(co, model) {
  if (!co || model === "line") return "";
  if (co.polynomial) {
    return "y = " + co.polynomial.map((c, k) => `${k && c >= 0 ? "+ " : k ? "− " : ""}${fmt(k ? Math.abs(c) : c)}${k ? "·x" + SUP[k] : ""}`).join(" ");
  }
  return co.layers.map((l, k) => `layer ${k + 1}: W = [${l.W.map((r) => r.map((v) => fmt(v, 2)).join(" ")).join("; ")}]` +
    `  b = [${l.b.map((v) => fmt(v, 2)).join(" ")}]`).join("\n");
}

function renderClassification(st) {
  if (st.data) S.data = st.data;
  const hover = hoverImage(st);
  Draw.classification($("cls-canvas"), { ...st, data: S.data, ...(hover || {}) }, S.showTest, S.discretize);
  $("cls-canvas-caption").textContent = hover ? hover.caption : (st.problem === "regression" ? "colours: the predicted value" : "colours: P(class 1)");
  $("test-loss").textContent = fmt(st.test_loss);
  $("train-loss").textContent = fmt(st.loss);
  $("test-accuracy").textContent = fmt(st.accuracy && st.accuracy.test);
  $("train-accuracy").textContent = fmt(st.accuracy && st.accuracy.train);
  Draw.chart($("cls-loss-chart"), [
    { values: S.history.map((v) => v[1]), colour: "#f59322", label: "test" },
    { values: S.history.map((v) => v[0]), colour: "#333", label: "training" }]);
  const features = S.config.classification.features;
  document.querySelectorAll("#net .feature").forEach((el) => {
    const k = features.indexOf(el.dataset.feature);
    if (k >= 0 && st.inputs && typeof st.inputs[k] === "string") Draw.image(el.querySelector("canvas"), st.inputs[k], st.neuron_size);
  });
  (st.neurons || []).forEach((layer, i) => layer.forEach((b64, j) => {
    const c = document.querySelector(`#net canvas[data-neuron="${i}-${j}"]`);
    if (c && typeof b64 === "string") Draw.image(c, b64, st.neuron_size);
  }));
  const out = document.querySelector("#net canvas.output-node");
  if (out && st.heatmap) Draw.image(out, st.heatmap, st.heatmap_size, true, S.discretize && st.problem !== "regression");
  Net.paint(st);
  if (st.doctor) Panels.doctor(st.doctor);
}

// what the hovered neuron (or input) computes, drawn on the big heat map in its place
function hoverImage(st) {
  if (!S.hover) return null;
  if (S.hover.startsWith("f:")) {
    const k = S.config.classification.features.indexOf(S.hover.slice(2));
    return k >= 0 && st.inputs && st.inputs[k] ? { heatmap: st.inputs[k], heatmap_size: st.neuron_size, signed: true,
      caption: `input ${Net.FEATURE_LABELS[S.hover.slice(2)]}` } : null;
  }
  const [i, j] = S.hover.split("-").map(Number);
  const img = st.neurons && st.neurons[i] && st.neurons[i][j];
  return img ? { heatmap: img, heatmap_size: st.neuron_size, signed: true, caption: `neuron ${j + 1} of layer ${i + 1} (scaled to ±1)` } : null;
}

// ---------------------------------------------------------------- controls
function fillSelect(id, values, label = (v) => String(v)) {
  $(id).innerHTML = values.map((v) => `<option value="${v}">${label(v)}</option>`).join("");
}

function bindSelect(id, mode, key, parse = (v) => v) {
  $(id).addEventListener("change", () => { S.config[mode][key] = parse($(id).value); syncControls(); sendConfig(); });
}

function bindRange(id, key, toConfig, toLabel) {
  const el = $(id), label = $(id + "-value");
  el.addEventListener("input", () => { label.textContent = toLabel(Number(el.value)); });
  el.addEventListener("change", () => { S.config.classification[key] = toConfig(Number(el.value)); sendConfig(); });
}

function ensureOption(id, value) {
  const sel = $(id);
  if (!Number.isFinite(Number(value))) return;
  if (![...sel.options].some((o) => Number(o.value) === Number(value))) sel.add(new Option(String(value), value));
  sel.value = [...sel.options].find((o) => Number(o.value) === Number(value)).value;
}

function syncControls() {
  const r = S.config.regression, c = S.config.classification;
  document.body.dataset.mode = S.mode;
  document.querySelectorAll(".mode").forEach((b) => b.classList.toggle("active", S.view ? b.id === `mode-${S.view}` : b.dataset.mode === S.mode));
  $("view-regression").classList.toggle("hidden", S.mode !== "regression" || !!S.view);
  $("view-classification").classList.toggle("hidden", S.mode !== "classification" || !!S.view);
  $("view-optimizers").classList.toggle("hidden", S.view !== "optimizers");
  $("reg-model").value = r.model;
  document.body.dataset.model = r.model;
  $("reg-degree").value = r.degree;
  $("reg-layers").value = r.hidden.length || 1;
  $("reg-neurons").value = r.hidden[0] || 8;
  $("reg-activation").value = r.activation;
  $("reg-optimizer").value = r.optimizer;
  ensureOption("reg-lr", r.learning_rate);
  document.body.dataset.dataset = c.dataset;
  document.querySelectorAll("#datasets button").forEach((b) => b.classList.toggle("active", b.dataset.dataset === c.dataset));
  const ranges = { "cls-ratio": [c.train_ratio * 100, `${Math.round(c.train_ratio * 100)}%`],
    "cls-noise": [c.noise * 100, `${Math.round(c.noise * 100)}`], "cls-n": [c.n_samples, c.n_samples],
    "cls-batch": [c.batch_size, c.batch_size] };
  for (const [id, [v, text]] of Object.entries(ranges)) { $(id).value = v; $(id + "-value").textContent = text; }
  ensureOption("cls-lr", c.learning_rate);
  $("cls-activation").value = c.activation;
  $("cls-optimizer").value = c.optimizer;
  $("cls-reg").value = c.regularization;
  ensureOption("cls-reg-rate", c.regularization_rate);
  $("cls-problem").value = c.problem;
  document.body.dataset.problem = c.problem;
  document.querySelectorAll("#datasets button").forEach((b) => b.classList.toggle("hidden",
    !S.options.problem_datasets[c.problem].includes(b.dataset.dataset)));
  Net.build();
  if (S.last && S.last.mode === "classification") renderClassification(S.last);
  Panels.BP.stages = [];  // a rebuilt graph: the traced numbers no longer belong to it
}

function canvasPoint(canvas, event, range) {
  const box = canvas.getBoundingClientRect();
  const x = ((event.clientX - box.left) / box.width) * 2 * range - range;
  const y = range - ((event.clientY - box.top) / box.height) * 2 * range;
  return [Math.max(-range, Math.min(range, +x.toFixed(3))), Math.max(-range, Math.min(range, +y.toFixed(3)))];
}

function editPoints(points, p, event, range, extra) {
  if (event.shiftKey) {
    let best = -1, bestD = (0.06 * range) ** 2;
    points.forEach((q, i) => { const d = (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2; if (d < bestD) { best = i; bestD = d; } });
    if (best >= 0) points.splice(best, 1);
  } else if (points.length < S.options.limits.max_points) {
    points.push(extra === undefined ? p : [...p, extra]);
  } else status(`At most ${S.options.limits.max_points} points.`, true);
}

function wire() {
  const o = S.options;
  fillSelect("reg-degree", [2, 3, 4, 5]);
  fillSelect("reg-layers", [1, 2, 3, 4, 5, 6]);
  fillSelect("reg-neurons", [1, 2, 3, 4, 5, 6, 7, 8]);
  for (const m of ["reg", "cls"]) {
    fillSelect(`${m}-activation`, o.activations);
    fillSelect(`${m}-optimizer`, o.optimizers);
    fillSelect(`${m}-lr`, LEARNING_RATES);
  }
  fillSelect("cls-reg", o.regularizations);
  fillSelect("cls-reg-rate", REG_RATES);
  fillSelect("cls-problem", o.problems);
  $("datasets").innerHTML = o.datasets.map((d) => `<button type="button" id="dataset-${d}" data-dataset="${d}"
    title="${d.replace("_", " ")}"><canvas class="thumb"></canvas><span>${d.replace("_", " ")}</span></button>`).join("");
  $("datasets").querySelectorAll("button").forEach((b) => {
    b.addEventListener("click", () => { S.config.classification.dataset = b.dataset.dataset; sendConfig(); syncControls(); });
    Draw.thumbnail(b.querySelector("canvas"), S.previews[b.dataset.dataset], b.dataset.dataset);
  });
  $("cls-problem").addEventListener("change", () => {
    const c = S.config.classification;
    c.problem = $("cls-problem").value; c.dataset = o.problem_datasets[c.problem][0]; sendConfig(); syncControls();
  });
  $("cls-discretize").addEventListener("change", (e) => { S.discretize = e.target.checked; if (S.last) renderClassification(S.last); });
  Net.init();
  Panels.wireBackprop();
  Compare.wire();
  document.querySelectorAll(".mode:not(.mode-extra)").forEach((b) => b.addEventListener("click", () => {
    Compare.stop();
    if (b.dataset.mode === S.mode && !S.view) return;
    if (b.dataset.mode === S.mode) { S.view = null; syncControls(); return; }
    S.view = null;
    setTraining(false); S.mode = b.dataset.mode; S.history = []; S.last = null; syncControls(); sendConfig();
  }));
  bindSelect("reg-model", "regression", "model");
  bindSelect("reg-degree", "regression", "degree", Number);
  const hidden = () => { const r = S.config.regression; r.hidden = Array(Number($("reg-layers").value)).fill(Number($("reg-neurons").value)); syncControls(); sendConfig(); };
  $("reg-layers").addEventListener("change", hidden);
  $("reg-neurons").addEventListener("change", hidden);
  bindSelect("reg-activation", "regression", "activation");
  bindSelect("reg-optimizer", "regression", "optimizer");
  bindSelect("reg-lr", "regression", "learning_rate", Number);
  bindSelect("cls-lr", "classification", "learning_rate", Number);
  bindSelect("cls-activation", "classification", "activation");
  bindSelect("cls-optimizer", "classification", "optimizer");
  bindSelect("cls-reg", "classification", "regularization");
  bindSelect("cls-reg-rate", "classification", "regularization_rate", Number);
  bindRange("cls-ratio", "train_ratio", (v) => v / 100, (v) => `${v}%`);
  bindRange("cls-noise", "noise", (v) => v / 100, (v) => `${v}`);
  bindRange("cls-n", "n_samples", (v) => v, (v) => v);
  bindRange("cls-batch", "batch_size", (v) => v, (v) => v);
  $("cls-regenerate").addEventListener("click", () => { S.config.classification.seed = (S.config.classification.seed + 1) % 4294967296; sendConfig(); });
  $("layer-add").addEventListener("click", () => {
    const h = S.config.classification.hidden;
    if (h.length >= o.limits.max_layers) { status(`At most ${o.limits.max_layers} hidden layers.`, true); return; }
    h.push(h.length ? h[h.length - 1] : 4); sendConfig(); syncControls();
  });
  $("layer-remove").addEventListener("click", () => {
    const h = S.config.classification.hidden;
    if (!h.length) { status("No hidden layer left to remove: the output is now a linear model of the features.", true); return; }
    h.pop(); sendConfig(); syncControls();
  });
  $("cls-show-test").addEventListener("change", (e) => { S.showTest = e.target.checked; if (S.last) renderClassification(S.last); });
  $("reg-canvas").addEventListener("click", (e) => {
    editPoints(S.config.regression.points, canvasPoint($("reg-canvas"), e, 1), e, 1); sendConfig();
  });
  $("cls-canvas").addEventListener("click", (e) => {
    const c = S.config.classification;
    if (c.dataset !== "custom") { status("Choose the “custom” dataset to click your own points."); return; }
    const label = Number(document.querySelector("input[name=cls-color]:checked").value);
    editPoints(c.points, canvasPoint($("cls-canvas"), e, 6), e, 6, label); sendConfig();
  });
  $("reg-clear").addEventListener("click", () => { S.config.regression.points = []; sendConfig(); });
  $("cls-clear").addEventListener("click", () => { S.config.classification.points = []; sendConfig(); });
  $("btn-train").addEventListener("click", () => setTraining(!S.training));
  $("btn-step").addEventListener("click", async () => { setTraining(false); const st = await call("/api/step", { steps: 1 }); if (st) render(st); });
  $("btn-reset").addEventListener("click", async () => { const st = await call("/api/reset"); if (st) { status(""); S.history = []; render(st); } });
  window.addEventListener("resize", () => S.last && render({ ...S.last, new_losses: [] }));
  window.addEventListener("pagehide", () => {
    if (S.session) fetch("/api/close", { method: "POST", keepalive: true, headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: S.session }) }).catch(() => {});
  });
}

async function init() {
  try {
    S.options = await (await fetch("/api/options")).json();
    S.previews = await (await fetch("/api/previews")).json();
    readURL();
    wire();
    syncControls();
    S.session = (await post("/api/session", {})).session;
    const st = await call("/api/config", { config: S.config[S.mode] });
    if (st) render(st);
    else {  // a bad link: say why, fall back to the defaults
      const why = $("status").textContent;
      for (const m of S.options.modes) S.config[m] = structuredClone(S.options.defaults[m]);
      syncControls(); await sendConfig();
      status(`The link's setup was refused (${why}); showing the defaults.`, true);
    }
    if (S.badURL.length) status(`The link's ${S.badURL.join(", ")} ${S.badURL.length === 1 ? "is" : "are"} not a number; using the default.`, true);
    document.body.classList.add("ready");
  } catch (e) {
    status(`Could not reach the playground server: ${e.message}`, true);
  }
}

init();
