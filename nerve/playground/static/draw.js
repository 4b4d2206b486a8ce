// Canvas drawing for the playground: points, fitted curve, heat maps, neuron images and loss charts.
// Pure functions of what the server sent; no training happens here.
"use strict";

(function () {
  const NEG = [245, 147, 34];   // class 0 / negative values (orange)
  const POS = [8, 119, 189];    // class 1 / positive values (blue)
  const MID = [232, 234, 235];  // 0.5 / zero

  // p in [0, 1] -> rgb, through a light grey at 0.5
  function colour(p) {
    const t = Math.abs(p - 0.5) * 2;
    const end = p < 0.5 ? NEG : POS;
    return [0, 1, 2].map((i) => Math.round(MID[i] + (end[i] - MID[i]) * t));
  }
  const rgb = (c, a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;

  function decode(b64) {
    const raw = atob(b64);
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  // base64 uint8 pixels (size x size) -> an offscreen canvas coloured by colour()
  function bitmap(b64, size, discretize = false) {
    const bytes = decode(b64);
    const off = document.createElement("canvas");
    off.width = off.height = size;
    const ctx = off.getContext("2d");
    const img = ctx.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const c = colour(discretize ? (bytes[i] >= 128 ? 1 : 0) : bytes[i] / 255);
      img.data.set([c[0], c[1], c[2], 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
    return off;
  }

  function fit(canvas) {
    // match the backing store to the displayed size for crisp lines on high-DPI screens
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx, w, h };
  }

  function image(canvas, b64, size, smooth = true, discretize = false) {
    const { ctx, w, h } = fit(canvas);
    ctx.imageSmoothingEnabled = smooth;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(bitmap(b64, size, discretize), 0, 0, w, h);
  }

  // a dataset button's preview: its points coloured by label (or target value) on a small square
  function thumbnail(canvas, points, name) {
    const { ctx, w, h } = fit(canvas);
    ctx.fillStyle = "#f4f6f8";
    ctx.fillRect(0, 0, w, h);
    if (!points) { ctx.fillStyle = "#6b7580"; ctx.font = "18px system-ui"; ctx.fillText(name === "custom" ? "✎" : "?", w / 2 - 6, h / 2 + 6); return; }
    const regression = points.some((p) => p[2] !== 0 && p[2] !== 1);
    for (const [x, y, v] of points) {
      ctx.fillStyle = rgb(colour(regression ? (v + 1) / 2 : v));
      ctx.fillRect(((x + 6) / 12) * w - 1, ((6 - y) / 12) * h - 1, 2.5, 2.5);
    }
  }

  function grid(ctx, w, h, range, step) {
    ctx.strokeStyle = "#e3e6ea";
    ctx.lineWidth = 1;
    for (let v = -range; v <= range + 1e-9; v += step) {
      const px = ((v + range) / (2 * range)) * w, py = ((range - v) / (2 * range)) * h;
      ctx.beginPath(); ctx.moveTo(px, 0); ctx.lineTo(px, h); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, py); ctx.lineTo(w, py); ctx.stroke();
    }
    ctx.strokeStyle = "#9aa3ad";
    ctx.beginPath(); ctx.moveTo(w / 2, 0); ctx.lineTo(w / 2, h); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(0, h / 2); ctx.lineTo(w, h / 2); ctx.stroke();
    ctx.fillStyle = "#6b7580";
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillText(String(range), w - 14, h / 2 - 4);
    ctx.fillText(String(-range), 3, h / 2 - 4);
    ctx.fillText(String(range), w / 2 + 4, 12);
    ctx.fillText(String(-range), w / 2 + 4, h - 4);
  }

  // points: [[x, y]] in [-1, 1]^2; curve: y values on an even grid over x in [-1, 1]
  function regression(canvas, points, curve) {
    const { ctx, w, h } = fit(canvas);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    grid(ctx, w, h, 1, 0.25);
    const X = (x) => ((x + 1) / 2) * w, Y = (y) => ((1 - y) / 2) * h;
    if (curve && curve.length > 1) {
      ctx.strokeStyle = rgb(POS);
      ctx.lineWidth = 3;
      ctx.beginPath();
      let pen = false;
      curve.forEach((y, i) => {
        const x = -1 + (2 * i) / (curve.length - 1);
        if (y === null || !isFinite(y)) { pen = false; return; }
        const py = Math.max(-10 * h, Math.min(11 * h, Y(y)));
        if (pen) ctx.lineTo(X(x), py); else ctx.moveTo(X(x), py);
        pen = true;
      });
      ctx.stroke();
    }
    // residuals: the errors the squared loss adds up, from each point to the curve
    if (curve && curve.length > 1) {
      ctx.strokeStyle = rgb(NEG, 0.6);
      ctx.lineWidth = 1.5;
      ctx.setLineDash([4, 3]);
      for (const [x, y] of points) {
        const t = ((x + 1) / 2) * (curve.length - 1), i = Math.min(Math.floor(t), curve.length - 2);
        const a = curve[i], b = curve[i + 1];
        if (a === null || b === null) continue;
        const fit = a + (b - a) * (t - i);
        ctx.beginPath(); ctx.moveTo(X(x), Y(y)); ctx.lineTo(X(x), Math.max(-h, Math.min(2 * h, Y(fit)))); ctx.stroke();
      }
      ctx.setLineDash([]);
    }
    for (const [x, y] of points) {
      ctx.beginPath();
      ctx.arc(X(x), Y(y), 6, 0, 2 * Math.PI);
      ctx.fillStyle = rgb(NEG);
      ctx.fill();
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 2;
      ctx.stroke();
    }
  }

  // heat map of P(class 1) over [-6, 6]^2 with the data points on top
  // (regression problem: the predicted value on the same colours, -1 orange .. 1 blue; a hovered neuron: its output)
  function classification(canvas, state, showTest, discretize = false) {
    const { ctx, w, h } = fit(canvas);
    ctx.clearRect(0, 0, w, h);
    if (state && state.heatmap) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(bitmap(state.heatmap, state.heatmap_size, discretize), 0, 0, w, h);
    }
    const regression = state && state.problem === "regression";
    const X = (x) => ((x + 6) / 12) * w, Y = (y) => ((6 - y) / 12) * h;
    const dot = (p, test) => {
      ctx.beginPath();
      ctx.arc(X(p[0]), Y(p[1]), 3.5, 0, 2 * Math.PI);
      ctx.fillStyle = rgb(regression ? colour((p[2] + 1) / 2) : p[2] ? POS : NEG);
      ctx.fill();
      ctx.strokeStyle = test ? "#000" : "#fff";
      ctx.lineWidth = 1;
      ctx.stroke();
    };
    const data = state && state.data;
    if (data) {
      data.train.forEach((p) => dot(p, false));
      if (showTest) data.test.forEach((p) => dot(p, true));
    }
    ctx.strokeStyle = "rgba(0,0,0,0.25)";
    ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
  }

  // series: [{values: [...], colour: "#...", label}] on a shared y scale from 0, with axes and a legend
  function chart(canvas, series) {
    const { ctx, w, h } = fit(canvas);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#fafbfc";
    ctx.fillRect(0, 0, w, h);
    const finite = (v) => v !== null && isFinite(v);
    let n = 0, top = 0;
    for (const s of series) {
      n = Math.max(n, s.values.length);
      for (const v of s.values) if (finite(v)) top = Math.max(top, v);
    }
    const L = 34, R = 6, T = 14, B = 16, pw = w - L - R, ph = h - T - B;  // plot box inside the axes
    ctx.strokeStyle = "#9aa3ad";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, T + ph); ctx.lineTo(L + pw, T + ph); ctx.stroke();
    ctx.fillStyle = "#6b7580";
    ctx.font = "10px system-ui, sans-serif";
    ctx.textAlign = "right";
    ctx.fillText(top > 0 ? top.toPrecision(2) : "", L - 3, T + 4);
    ctx.fillText("0", L - 3, T + ph);
    ctx.textAlign = "left";
    ctx.fillText("loss", 2, T + ph / 2 + 3);
    ctx.fillText("epoch 1", L, h - 3);
    ctx.textAlign = "right";
    ctx.fillText(n ? String(n) : "", L + pw, h - 3);
    let lx = L + pw;  // legend, top right
    for (const s of [...series].reverse()) {
      const tw = ctx.measureText(s.label || "").width;
      ctx.fillText(s.label || "", lx, 10);
      ctx.fillStyle = s.colour; ctx.fillRect(lx - tw - 14, 5, 10, 3); ctx.fillStyle = "#6b7580";
      lx -= tw + 22;
    }
    ctx.textAlign = "left";
    if (n < 2 || top <= 0) return;
    const step = Math.max(1, Math.floor(n / pw));  // at most one sample per pixel
    for (const s of series) {
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < s.values.length; i += step) {
        const v = s.values[i];
        if (!finite(v)) { pen = false; continue; }
        const x = L + (i / (n - 1)) * pw, y = T + ph - (v / top) * ph;
        if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        pen = true;
      }
      ctx.stroke();
    }
  }

  // links between network columns: columns = [[{x, y}] of node centres' left/right edges], weights[k][i][j]
  // returns the links' hit areas: [{layer, row, col, value, points}] sampled along each curve
  function links(canvas, columns, weights) {
    const { ctx, w, h } = fit(canvas);
    ctx.clearRect(0, 0, w, h);
    const hits = [];
    let top = 1e-6;
    for (const W of weights) for (const row of W) for (const v of row) top = Math.max(top, Math.abs(v));
    weights.forEach((W, k) => {
      const from = columns[k], to = columns[k + 1];
      if (!from || !to) return;
      W.forEach((row, i) => row.forEach((v, j) => {
        if (!from[i] || !to[j] || !isFinite(v)) return;
        const a = from[i].right, b = to[j].left, mid = (a.x + b.x) / 2;
        ctx.strokeStyle = rgb(v >= 0 ? POS : NEG, 0.25 + 0.6 * Math.abs(v) / top);
        ctx.lineWidth = 0.5 + 3.5 * Math.abs(v) / top;
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.bezierCurveTo(mid, a.y, mid, b.y, b.x, b.y);
        ctx.stroke();
        const points = [];
        for (let t = 0.1; t < 0.95; t += 0.05) {  // the cubic Bezier above, sampled
          const u = 1 - t;
          points.push({ x: u * u * u * a.x + 3 * u * u * t * mid + 3 * u * t * t * mid + t * t * t * b.x,
            y: u * u * u * a.y + 3 * u * u * t * a.y + 3 * u * t * t * b.y + t * t * t * b.y });
        }
        hits.push({ layer: k, row: i, col: j, value: v, points });
      }));
    });
    return hits;
  }

  window.Draw = { links, colour, image, thumbnail, regression, classification, chart, decode, fit, NEG, POS };
})();
