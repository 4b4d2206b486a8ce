"""Backpropagation made visible: every forward value and every gradient of one sample, from nerve's layers.

:func:`trace` runs the classifier's own layers one at a time on one point (``layer.forward``), the loss's own
``forward``/``backward``, then each layer's ``backward`` in reverse, and records what each produced. Nothing
is recomputed here, so the page shows exactly what training uses; the weights are not changed.
"""

from __future__ import annotations

import numpy as np

from .models import feature_matrix

__all__ = ["trace"]


def _list(a) -> list:
    return np.asarray(a, dtype=np.float64).reshape(-1).tolist()


def trace(model, features: list[str], point, label: float) -> dict:
    """Forward values and gradients of ``model`` on one point ``(x1, x2)`` with target ``label``.

    Returns ``{"features": [...], "layers": [{name, kind, input, output, dout, dinput, grads}], "loss",
    "prediction"}`` where ``dout`` is dL/d(output of the layer) and ``grads`` its parameters' gradients.
    """
    x = feature_matrix(np.asarray([point], dtype=np.float64), features)  # (1, n_features)
    rows, out = [], x
    for layer in model.layers:
        inp, out = out, layer.forward(out, training=False)
        rows.append({"name": layer.name, "kind": type(layer).__name__, "input": _list(inp), "output": _list(out)})
    t = np.full((1, 1), label, dtype=out.dtype)
    loss = float(model.loss_fn.forward(out, t))
    dout = model.loss_fn.backward()
    model.layers[0].need_input_grad = True  # show dL/dx of the inputs too
    for layer, row in zip(reversed(model.layers), reversed(rows)):
        dx = layer.backward(dout)
        row.update(dout=_list(dout), dinput=_list(dx),
                   grads={k: np.asarray(g, dtype=np.float64).tolist() for k, g in layer.grads.items()})
        dout = dx
    logit = rows[-1]["output"][0]
    from_logits = getattr(model.loss_fn, "from_logits", False)
    prediction = 1.0 / (1.0 + np.exp(-logit)) if from_logits else logit
    return {"features": list(features), "input": _list(x), "layers": rows, "loss": loss,
            "prediction": float(prediction), "label": float(label)}
