"""The training doctor: per-layer gradient norms, update/weight ratios, dead ReLUs, saturated sigmoids/tanhs.

:func:`diagnose` runs one forward and backward pass on a sample batch (no update) and says in plain words
what looks wrong; :class:`Doctor` does it at the end of every epoch of ``fit``. The playground's doctor panel
and ``nerve train``'s report show the same numbers.
"""

from __future__ import annotations

import numpy as np

from .. import layers as L
from ..backend import CPU, to_device, to_numpy
from .base import Callback

__all__ = ["diagnose", "Doctor", "LIMITS"]

#: thresholds behind the hints (the update ratio is per update: ||ΔW|| / ||W|| divided by the updates made)
LIMITS = {"update_high": 1e-1, "update_low": 1e-6, "dead": 0.5, "saturated": 0.5, "vanishing": 1e-3,
          "saturation_edge": 0.02, "saturation_share": 0.9}


def _norm(a) -> float:
    return float(np.sqrt(np.sum(np.square(np.asarray(to_numpy(a), dtype=np.float64)))))  # on the host


def _unit_health(layer, out: np.ndarray) -> dict | None:
    """Dead units (ReLU: zero on every sample) or saturated ones (sigmoid/tanh: at the flat ends on >= 90 %)."""
    out = np.asarray(to_numpy(out), dtype=np.float64).reshape(len(out), -1)  # (N, units), on the host
    edge, share = LIMITS["saturation_edge"], LIMITS["saturation_share"]
    if isinstance(layer, L.ReLU):
        return {"name": layer.name, "kind": "relu", "units": out.shape[1], "dead": int(np.sum(np.all(out <= 0, 0)))}
    if isinstance(layer, L.Sigmoid):
        flat = (out < edge) | (out > 1 - edge)
    elif isinstance(layer, L.Tanh):
        flat = np.abs(out) > 1 - 2 * edge
    else:
        return None
    return {"name": layer.name, "kind": type(layer).__name__.lower(), "units": out.shape[1],
            "saturated": int(np.sum(np.mean(flat, axis=0) >= share))}


def diagnose(model, x, t, previous: dict | None = None, updates: int = 1) -> dict:
    """Diagnostics of ``model`` on the batch ``(x, t)``; ``previous`` = weights (``{name: W}``) ``updates`` ago.

    Returns ``{"loss", "layers": [{name, grad_norm, weight_norm, update_ratio}], "units": [...], "hints": [...]}``.
    ``layers`` has every layer with weights, nested ones named by their path ("block_1/dense_1"); ``units``
    examines the activations of the top-level layers (units inside a residual block are not counted).
    The model's weights are not changed; its layers' caches and ``grads`` hold this batch afterwards.
    """
    units, out = [], to_device(x, getattr(model, "device", CPU))  # layers get inputs where they live
    for layer in model.layers:
        out = layer.forward(out, training=False)
        health = _unit_health(layer, out)
        if health is not None:
            units.append(health)
    grads = model.gradient(x, t)
    loss = float(model.loss_fn.forward(model.forward(x, training=False), t))
    rows = []
    for path, layer in model.named_layers():  # leaf layers, inside nested models and residual blocks too
        if "W" not in layer.params:
            continue
        key = f"{path}/W"
        W = layer.params["W"]
        ratio = None
        if previous is not None and key in previous:
            ratio = _norm(W - previous[key]) / max(_norm(previous[key]), 1e-12) / max(int(updates), 1)
        rows.append({"name": path, "grad_norm": _norm(grads[key]), "weight_norm": _norm(W),
                     "update_ratio": ratio})
    return {"loss": loss, "layers": rows, "units": units, "hints": _hints(loss, rows, units)}


def _hints(loss: float, rows: list, units: list) -> list[str]:
    """Plain-language advice for what the numbers show (empty when nothing looks wrong)."""
    hints = []
    if not np.isfinite(loss) or any(not np.isfinite(r["grad_norm"]) for r in rows):
        return ["The loss or a gradient is not finite: training diverged. Lower the learning rate and reset."]
    ratios = [r["update_ratio"] for r in rows if r["update_ratio"] is not None]
    if ratios and max(ratios) > LIMITS["update_high"]:
        hints.append(f"Each update changes the weights by {max(ratios):.0%} of their size: the learning rate is "
                     "probably too high (around 0.1 % per update is typical).")
    for u in units:
        if u["kind"] == "relu" and u["dead"] >= max(1, LIMITS["dead"] * u["units"]):
            hints.append(f"{u['dead']} of {u['units']} ReLU units in {u['name']} are dead (zero for every sample, "
                         "so they never learn again): lower the learning rate, or try tanh or Leaky ReLU.")
        if u.get("saturated", 0) >= max(1, LIMITS["saturated"] * u["units"]):
            hints.append(f"{u['saturated']} of {u['units']} {u['kind']} units in {u['name']} are saturated (stuck "
                         "at their flat ends, where the gradient vanishes): lower the learning rate or scale the "
                         "inputs.")
    # tiny updates blame the learning rate only while gradients flow (dead units explain them otherwise)
    if ratios and max(ratios) < LIMITS["update_low"] and loss > 1e-3 and not hints \
            and min(r["grad_norm"] for r in rows) > 1e-8:
        hints.append("The weights barely move (< 0.0001 % per update): the learning rate is probably too low.")
    first_to_last = rows[0]["grad_norm"] / rows[-1]["grad_norm"] if len(rows) >= 2 and rows[-1]["grad_norm"] else 1.0
    if first_to_last < LIMITS["vanishing"]:
        hints.append(f"The first layer's gradient is {first_to_last:.0e} of the last "
                     "layer's: gradients vanish on the way back. Use ReLU, fewer layers or He initialisation.")
    return hints


class Doctor(Callback):
    """Runs :func:`diagnose` on ``(x, y)`` after every epoch; reports are kept in ``history_``.

    Args:
        x, y: a small batch to examine (a few hundred samples is plenty).
        print_fn: called with each new hint (``print`` by default; ``None`` keeps quiet).
    """

    def __init__(self, x, y, print_fn=print):
        super().__init__()
        if len(x) == 0 or len(x) != len(y):
            raise ValueError(f"Doctor: need a non-empty batch with as many targets as inputs, got {len(x)} inputs "
                             f"and {len(y)} targets")
        self.x, self.y, self.print_fn = x, y, print_fn
        self.history_: list[dict] = []
        self._before: dict = {}
        self._updates = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._before = {k: v.copy() for k, v in self.model.params.items() if k.endswith("/W")}
        self._updates = 0

    def on_batch_end(self, batch, logs=None):
        self._updates += 1

    def on_epoch_end(self, epoch, logs=None):
        report = diagnose(self.model, self.x, self.y, previous=self._before, updates=self._updates)
        self.history_.append(report)
        seen = {h for r in self.history_[:-1] for h in r["hints"]}
        for hint in report["hints"]:
            if self.print_fn is not None and hint not in seen:
                self.print_fn(f"doctor (epoch {epoch + 1}): {hint}")
