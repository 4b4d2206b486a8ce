// Panels beyond TensorFlow Playground: the training doctor, backprop step by step, optimizers side by side.
// Every number comes from the server (nerve's own layers); this file only lays them out.
"use strict";

const Panels = (() => {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const sci = (v) => (v === null || v === undefined ? "–" : Number(v).toExponential(1));

  function doctor(report) {
    $("doctor-table").querySelector("tbody").innerHTML = report.layers.map((r) =>
      `<tr><td>${esc(r.name)}</td><td>${sci(r.grad_norm)}</td><td>${sci(r.update_ratio)}</td></tr>`).join("");
    $("doctor-units").textContent = report.units.map((u) => u.kind === "relu"
      ? `${u.name}: ${u.dead}/${u.units} dead` : `${u.name}: ${u.saturated}/${u.units} saturated`).join(" · ");
    const hints = report.hints.length ? report.hints : ["Nothing looks wrong."];
    $("doctor-hints").innerHTML = hints.map((h) => `<li>${esc(h)}</li>`).join("");
    $("doctor").classList.toggle("warn", report.hints.length > 0);
  }

  // ---- backprop step by step: stages built from /api/backprop's per-layer record
  const BP = { stages: [], at: 0 };
  const ACT = { Tanh: "tanh", Sigmoid: "σ", ReLU: "relu", Identity: "identity" };
  const vec = (a) => "[" + a.map((v) => fmt(v, 4)).join(", ") + "]";
  const mat = (m) => m.map((r) => vec(Array.isArray(r) ? r : [r])).join("\n      ");

  function stagesOf(tr) {
    const out = [{ col: -1, values: tr.input, title: `Forward 0: the inputs ${tr.features.join(", ")} = ${vec(tr.input)}` }];
    let d = -1;
    const nDense = tr.layers.filter((l) => l.kind === "Dense").length;
    tr.layers.forEach((l) => {
      if (l.kind === "Dense") d += 1;
      const where = d === nDense - 1 ? "the output" : `layer ${d + 1}`;
      out.push({ col: d, values: l.output, title: l.kind === "Dense"
        ? `Forward: ${where}, z = W·a + b = ${vec(l.output)}` : `Forward: ${where}, a = ${ACT[l.kind] || l.kind}(z) = ${vec(l.output)}` });
    });
    out.push({ col: d, values: [tr.prediction], title: `Loss: prediction ${fmt(tr.prediction, 6)} for target ${tr.label}, loss ${fmt(tr.loss, 6)}` });
    [...tr.layers].reverse().forEach((l) => {
      const where = d === nDense - 1 ? "the output" : `layer ${d + 1}`;
      const grads = Object.entries(l.grads).map(([k, g]) => `d${k} = ${mat(Array.isArray(g[0]) ? g : [g])}`).join("\n");
      out.push({ col: d, values: l.dout, grad: true, numbers: grads, title: `Backward: ${where}, dL/d(${l.kind === "Dense" ? "z" : "a"}) = ${vec(l.dout)}` +
        (l.kind === "Dense" ? ` → dL/dW = dL/dz · inputᵀ, dL/db = dL/dz, passed back: W·dL/dz = ${vec(l.dinput)}` : ` → times ${ACT[l.kind] || l.kind}'(z): ${vec(l.dinput)}`) });
      if (l.kind === "Dense") d -= 1;
    });
    return out;
  }

  function nodesOf(col) {
    if (col < 0) return [...document.querySelectorAll("#net .feature.on canvas")];
    const out = document.querySelector("#net canvas.output-node");
    const hidden = [...document.querySelectorAll(`#net canvas[data-neuron^="${col}-"]`)];
    return hidden.length ? hidden : [out];
  }

  function showStage() {
    document.querySelectorAll("#net .bp-val").forEach((e) => e.remove());
    const st = BP.stages[BP.at];
    if (!st) return;
    nodesOf(st.col).forEach((node, j) => {
      if (st.values[j] === undefined) return;
      const tag = document.createElement("span");
      tag.className = "bp-val" + (st.grad ? " grad" : "");
      tag.textContent = (st.grad ? "∂ " : "") + fmt(st.values[j], 3);
      node.parentElement.appendChild(tag);
    });
    $("bp-stage").textContent = `Step ${BP.at + 1} of ${BP.stages.length}. ${st.title}`;
    $("bp-numbers").textContent = st.numbers || "";
  }

  async function traceNow() {
    const point = [Number($("bp-x1").value), Number($("bp-x2").value)], label = Number($("bp-label").value);
    const tr = await call("/api/backprop", { point, label });
    if (!tr) return;
    BP.stages = stagesOf(tr); BP.at = 0; BP.trace = tr;
    showStage();
  }

  // seed 004: a 2-2-1 sigmoid network whose every neuron has w = [0, 1], b = 0; x = [2, 3] gives 0.7216
  async function seed004() {
    const c = S.config.classification;
    Object.assign(c, { problem: "classification", hidden: [2], activation: "sigmoid", features: ["x1", "x2"] });
    if (c.dataset === "plane" || c.dataset === "multi_gaussian") c.dataset = "xor";
    syncControls(); await sendConfig();
    const edits = [];
    for (const [layer, rows, cols] of [[0, 2, 2], [1, 2, 1]]) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) edits.push({ layer, kind: "W", row: i, col: j, value: i === 1 ? 1 : 0 });
      for (let j = 0; j < cols; j++) edits.push({ layer, kind: "b", row: j, value: 0 });
    }
    let st = null;
    for (const e of edits) st = await call("/api/edit", e);
    if (st) render(st);
    $("bp-x1").value = 2; $("bp-x2").value = 3; $("bp-label").value = 1;
    await traceNow();
  }

  function wireBackprop() {
    $("bp-trace").addEventListener("click", traceNow);
    $("bp-seed004").addEventListener("click", seed004);
    $("bp-next").addEventListener("click", () => { BP.at = Math.min(BP.at + 1, BP.stages.length - 1); showStage(); });
    $("bp-prev").addEventListener("click", () => { BP.at = Math.max(BP.at - 1, 0); showStage(); });
  }

  return { doctor, esc, wireBackprop, showStage, BP };
})();
